"""Uploaded files, checked from their bytes and made ready to store, or refused.

This is the door a view uses: it passes what the request carried and gets back either
``Upload``s (with the photos' copies and metadata) or a MediaError to answer with. Nothing
is stored here, so a refused file leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from wardapp.media import errors, work
from wardapp.media.limits import UploadLimits, check_decode_budget
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


def inspect_uploads(
    files: Sequence[tuple[Role, str, bytes]],
    limits: UploadLimits,
    *,
    default_tz: tzinfo | None = None,
) -> list[Upload]:
    """Check a submission's files, given as (role, filename, bytes), all or none.

    The photos' pixels are weighed from their headers first, then the files are checked
    and the photos decoded one after another while this request holds one of the process's
    work slots. The byte total is the caller's (``MAX_CONTENT_LENGTH``). Raises MediaError
    413, 415 or 422 for a file, 413 for photos too large together, 503 when too busy.
    """
    if not files:
        return []
    check_decode_budget([(name, data) for role, name, data in files if role == "photo"], limits)
    with work.gate(limits.work_slots, limits.work_queue).turn(
        limits.work_wait_seconds, field=files[0][0]
    ):
        return [
            inspect_upload(
                data,
                name,
                role,
                max_bytes=limits.max_bytes,
                max_pixels=limits.max_pixels,
                max_decode_pixels=limits.max_decode_pixels,
                default_tz=default_tz,
            )
            for role, name, data in files
        ]


def inspect_upload(
    data: bytes,
    filename: str,
    role: Role,
    *,
    max_bytes: int,
    max_pixels: int,
    max_decode_pixels: int | None = None,
    default_tz: tzinfo | None = None,
) -> Upload:
    """Check one file's size and type and, for a photo, make its copies.

    ``max_decode_pixels`` bounds photos decoded in full (default ``max_pixels``). Raises
    MediaError 413, 415 or 422, with ``field`` set to ``role``.
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
        photo = process_photo(
            data,
            max_pixels=max_pixels,
            max_decode_pixels=max_decode_pixels,
            default_tz=default_tz,
            name=name,
            field=role,
        )
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
