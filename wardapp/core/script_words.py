"""The words the browser's scripts show, in the request's language.

The scripts in ``static/js`` write each message in Vietnamese inside ``t("…")``; Babel
extracts them into the same catalogs as the pages (``babel.cfg``). Every page carries the
translations of those messages for its language in ``<html data-words>``, which
``static/js/i18n.js`` reads, so a page the service worker kept opens offline with its words.
A Vietnamese page carries none: a message is its own Vietnamese.
"""

from pathlib import Path

from babel.messages.extract import extract_from_file
from flask import current_app
from flask_babel import get_translations

SCRIPTS = "js"  # under the static folder
KEYWORDS = {"t": None}  # t(msgid, values): the message is the first argument


def script_messages(static_folder: str) -> tuple[str, ...]:
    """Every message the scripts pass to ``t``, as Babel extracts them."""
    found: dict[str, None] = {}
    for path in sorted(Path(static_folder, SCRIPTS).rglob("*.js")):
        for _line, message, _comments, _context in extract_from_file(
            "javascript", path, keywords=KEYWORDS
        ):
            if isinstance(message, str):
                found[message] = None
    return tuple(found)


def _messages() -> tuple[str, ...]:
    """Read once per process (each request while debugging, when scripts change under it)."""
    app = current_app
    folder = app.static_folder
    assert folder is not None  # create_app always gives one
    if app.debug:
        return script_messages(folder)
    messages = app.extensions.get("wardapp.script_messages")
    if messages is None:
        messages = app.extensions["wardapp.script_messages"] = script_messages(folder)
    return messages


def script_words() -> dict[str, str]:
    """The translation of each script message that has one in the request's language."""
    catalog = get_translations()
    words = {}
    for message in _messages():
        translated = catalog.ugettext(message)
        if translated and translated != message:
            words[message] = translated
    return words
