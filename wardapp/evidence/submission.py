"""What a submission carried, read from a request into plain values a service can check."""

import hashlib
import json
from dataclasses import dataclass, field

IGNORED_FORM_FIELDS = {"csrf_token", "client_uuid"}


@dataclass
class RawFile:
    filename: str
    data: bytes


@dataclass
class RawSubmission:
    """A submission as sent: form fields, files by role, the idempotency key."""

    form: dict[str, str]
    photos: list[RawFile] = field(default_factory=list)
    attachments: list[RawFile] = field(default_factory=list)
    idempotency_key: str | None = None

    @property
    def client_uuid(self) -> str:
        return (self.form.get("client_uuid") or self.idempotency_key or "").strip().lower()

    def fingerprint(self) -> str:
        """The same submission sent again gives the same value; any change gives another."""
        payload = {
            "form": {k: v for k, v in sorted(self.form.items()) if k not in IGNORED_FORM_FIELDS},
            "photo": [hashlib.sha256(f.data).hexdigest() for f in self.photos],
            "attachment": [hashlib.sha256(f.data).hexdigest() for f in self.attachments],
        }
        encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()


def from_request(request) -> RawSubmission:
    """Read a Flask request: every form value once (the last wins), files by field name."""
    form = {key: request.form.get(key, "") for key in request.form}
    if "photo_meta" in request.form:
        form["photo_meta"] = json.dumps(request.form.getlist("photo_meta"), ensure_ascii=False)

    def files(name: str) -> list[RawFile]:
        """Every part that carries bytes, named or not: an empty part with no name is a file
        input left empty (browsers send one), but bytes without a name are still a file."""
        read = [RawFile(f.filename or "", f.read()) for f in request.files.getlist(name)]
        return [f for f in read if f.data or f.filename]

    header = request.headers.get("Idempotency-Key", "").strip().strip('"')
    return RawSubmission(
        form=form,
        photos=files("photo"),
        attachments=files("attachment"),
        idempotency_key=header or None,
    )
