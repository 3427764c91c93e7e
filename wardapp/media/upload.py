"""One uploaded file, checked from its bytes and made ready to store, or refused.

This is the door a view uses: it passes what the request carried and gets back either an
``Upload`` (with the photo's copies and metadata) or a MediaError to answer with. Nothing is
stored here, so a refused file leaves nothing behind.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from wardapp.media import errors
from wardapp.media.names import clean_filename, download_name
from wardapp.media.pdf import check_pdf
from wardapp.media.photos import ProcessedPhoto, process_photo
from wardapp.media.sniff import ATTACHMENT_TYPES, PDF, PHOTO_TYPES, SUFFIXES, sniff

Role = Literal["photo", "attachment"]


@dataclass(frozen=True)
class Upload:
    """An accepted file. ``filename`` is the name as sent (cleaned), for people to read;
    ``download_name`` the one to hand it out under. ``photo`` is set for photos only."""

    filename: str
    role: Role
    content_type: str
    size: int
    sha256: str
    suffix: str
    data: bytes = dataclasses.field(repr=False)
    photo: ProcessedPhoto | None = None

    @property
    def download_name(self) -> str:
        return download_name(self.filename, self.content_type)


def check_attachment(data: bytes, name: str, *, field: str | None = "attachment") -> str:
    """The MIME type of an accepted attachment; MediaError 415 for anything else, 422 for a
    PDF that cannot be read."""
    content_type = sniff(data)
    if content_type == PDF:
        check_pdf(data, name, field)
    if content_type in ATTACHMENT_TYPES:
        return content_type
    raise errors.not_an_attachment(name, field, is_photo=content_type in PHOTO_TYPES)


def inspect_upload(data: bytes, filename: str, role: Role, *, max_bytes: int, max_pixels: int,
                   default_tz: tzinfo | None = None) -> Upload:
    """Check one file's size and type and, for a photo, make its copies.

    The per-request total is the caller's (``MAX_CONTENT_LENGTH``); this checks one file.
    Raises MediaError 413, 415 or 422, with ``field`` set to ``role``.
    """
    if role not in ("photo", "attachment"):
        raise ValueError(f"unknown upload role {role!r}")
    name = clean_filename(filename)
    if not data:
        raise errors.empty(name, role)
    if len(data) > max_bytes:
        raise errors.too_large(name, len(data), max_bytes, role)
    photo = None
    if role == "photo":
        photo = process_photo(data, max_pixels=max_pixels, default_tz=default_tz, name=name,
                              field=role)
        content_type = photo.content_type
    else:
        content_type = check_attachment(data, name, field=role)
    return Upload(
        filename=name,
        role=role,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        suffix=SUFFIXES[content_type],
        data=data,
        photo=photo,
    )
