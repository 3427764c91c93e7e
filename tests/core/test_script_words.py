"""The scripts' words come from the catalogs: every message a script shows is extracted and
translated, and each page carries those of its language, with the city's time zone."""

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from support.evidence import Officer
from wardapp.core.script_words import KEYWORDS, script_messages

ROOT = Path(__file__).resolve().parents[2]  # the repository
STATIC = ROOT / "static"
ENGLISH = ROOT / "wardapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
CALL = re.compile(r"(?<!function )(?<![\w.$])t\(")  # a call of t, not its definition
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
WORDS = re.compile(r"""<html[^>]* data-words='([^']*)'""")
ZONE = re.compile(r'<html[^>]* data-time-zone="([^"]*)"')


def test_every_call_of_t_in_the_scripts_names_a_message_babel_can_extract():
    """A message built at run time, or inside a template literal, would never be translated."""
    for path in sorted((STATIC / "js").glob("*.js")):
        calls = len(CALL.findall(COMMENT.sub("", path.read_text(encoding="utf-8"))))
        extracted = list(extract_from_file("javascript", path, keywords=KEYWORDS))
        assert calls == len(extracted), path.name


def test_every_message_the_scripts_show_has_an_english_translation():
    with ENGLISH.open("rb") as po:
        english = read_po(po)
    untranslated = [
        m for m in script_messages(str(STATIC)) if m not in english or not english[m].string
    ]
    assert len(script_messages(str(STATIC))) > 30
    assert untranslated == []


def page_words(body: str) -> dict:
    return json.loads(WORDS.search(body).group(1))


@pytest.mark.app_config(TIMEZONE="Asia/Bangkok")
def test_a_page_carries_the_scripts_words_of_its_language_and_the_configured_zone(seeded):
    officer = Officer(seeded, "tho-xuong")
    vietnamese = officer.client.get("/outbox").get_data(as_text=True)
    assert page_words(vietnamese) == {}  # a message is its own Vietnamese
    assert ZONE.search(vietnamese).group(1) == "Asia/Bangkok"

    officer.client.post("/lang/en", data={"csrf_token": officer.token, "next": "/outbox"})
    english = officer.client.get("/outbox").get_data(as_text=True)
    words = page_words(english)
    assert words["Chờ gửi"] == "Waiting" and words["Cần sửa"] == "To correct"
    assert (
        words["Đã ghi vị trí (sai số khoảng {m} m)."]
        == "Location recorded (accurate to about {m} m)."
    )
    assert set(words) <= set(script_messages(str(STATIC)))
