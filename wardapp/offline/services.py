"""The rescue path: an outbox the officer's browser saved as a file, loaded on the server.

Each item goes through the same ``services.submit`` as the API, as the officer the person
running the import names (an item the file says another account recorded is refused), with
the same ``client_uuid`` and the very fields and bytes the browser would have sent, so an
item that did reach the server is recognised ("already there") and nothing is doubled;
loading the same file twice changes nothing.
"""

import base64
import binascii
import json
from dataclasses import dataclass

from flask_babel import gettext as _

from wardapp.auth import services as accounts
from wardapp.evidence import services as evidence
from wardapp.evidence.errors import SubmissionError
from wardapp.evidence.submission import RawFile, RawSubmission

FILE_FORMAT = "wardapp-outbox"


class OutboxFileError(ValueError):
    """The file is not an outbox the app saved, or is damaged."""


@dataclass
class ImportResult:
    client_uuid: str
    outcome: str  # created | exists | refused
    message: str = ""
    evidence_id: int | None = None


def read_outbox_file(text: str) -> list[dict]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise OutboxFileError(f"not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise OutboxFileError(f"not a {FILE_FORMAT} file")
    items = document.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise OutboxFileError("no list of items")
    return items


def _files(entries: list[dict] | None) -> list[RawFile]:
    """An item's files as the outbox file holds them: ``{"name": …, "data": base64}``."""
    out = []
    for entry in entries or []:
        try:
            data = base64.b64decode(entry["data"], validate=True)
        except (KeyError, TypeError, binascii.Error):
            raise OutboxFileError("a file of the item is damaged") from None
        out.append(RawFile(str(entry.get("name") or ""), data))
    return out


def submission_from_item(item: dict) -> RawSubmission:
    """The request the browser's outbox would have sent for this item, field for field."""
    form: dict[str, str] = {}
    for pair in item.get("fields") or []:
        name, value = str(pair[0]), str(pair[1])
        form.setdefault(name, value)  # the first value wins, as when the API reads a form
    key = str(item.get("id") or form.get("client_uuid") or "")
    form["client_uuid"] = form.get("client_uuid") or key
    photos = item.get("photos") or []
    if photos:
        form["photo_meta"] = json.dumps(
            [str(p.get("meta") or "{}") for p in photos], ensure_ascii=False
        )
    return RawSubmission(
        form=form,
        photos=_files(photos),
        attachments=_files(item.get("attachments")),
        idempotency_key=key or None,
    )


def import_item(item: dict, username: str) -> ImportResult:
    """One item, as the officer ``username`` named by whoever runs the import (the file's own
    word about who recorded it is not proof); flushes, the caller commits or rolls back."""
    key = str(item.get("id") or "")
    user = accounts.find_user(username)
    if user is None or not user.active:
        return ImportResult(key, "refused", _("Không tìm thấy tài khoản đã ghi mục này."))
    recorded = str(item.get("user") or "").strip()
    if recorded and accounts.find_user(recorded) is not user:
        return ImportResult(
            key,
            "refused",
            _(
                "Mục này do tài khoản %(r)s ghi, không phải %(u)s.",
                r=recorded[:64],
                u=user.username,
            ),
        )
    try:
        outcome = evidence.submit(user, submission_from_item(item))
    except SubmissionError as exc:
        details = "; ".join(f"{name}: {message}" for name, message in exc.fields.items())
        return ImportResult(
            key, "refused", f"{exc.message} ({details})" if details else exc.message
        )
    except OutboxFileError as exc:
        return ImportResult(key, "refused", str(exc))
    return ImportResult(
        key, "created" if outcome.created else "exists", evidence_id=outcome.evidence.id
    )
