"""What one submission's files may cost: bytes, pixels by format, decoding all together.

A JPEG is decoded at a reduced scale (libjpeg's draft mode: a 48 MP photo at a quarter, in
42 ms on the 2-core reference machine), so it may have up to ``max_pixels``. PNG, WebP and
HEIC/HEIF have no such mode: every pixel is decoded, at about 30 ms a megapixel (12 MP
0.33 s, 24 MP 0.85 s, 49 MP 1.1–1.6 s and 150 MB), and a flat 49 MP PNG is 160 kB. So they
have a lower limit of their own, and the photos of one submission share a budget of decoded
pixels. Both are checked from the headers, before any photo of the submission is decoded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wardapp.media import errors
from wardapp.media.names import clean_filename
from wardapp.media.photos import FULLY_DECODED, read_header


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int  # one file
    max_pixels: int  # one photo, from its header
    max_decode_pixels: int  # one photo decoded in full: PNG, WebP, HEIC/HEIF
    max_request_pixels: int  # decoded for all the photos of a submission together
    work_slots: int = 1  # submissions of one process checking files at once
    work_queue: int = 4  # submissions waiting for a slot; more are turned away (503)
    work_wait_seconds: float = 30.0  # how long one waits before it is turned away

    @classmethod
    def from_config(cls, config: Mapping) -> UploadLimits:
        """The limits an app is configured with (see ``wardapp/config.py``)."""
        return cls(
            max_bytes=config["MAX_FILE_BYTES"],
            max_pixels=config["MAX_IMAGE_PIXELS"],
            max_decode_pixels=config["MAX_DECODE_PIXELS"],
            max_request_pixels=config["MAX_REQUEST_DECODE_PIXELS"],
            work_slots=config["MEDIA_WORK_SLOTS"],
            work_queue=config["MEDIA_WORK_QUEUE"],
            work_wait_seconds=config["MEDIA_WORK_WAIT_SECONDS"],
        )


def check_decode_budget(
    photos: Sequence[tuple[str, bytes]], limits: UploadLimits, field: str = "photo"
) -> None:
    """Refuse, from the headers, a photo too large for its format or photos that together
    would decode more than the budget. A file that is no readable photo, or too many bytes,
    is left for ``inspect_upload`` to refuse with its own message."""
    total = 0
    for filename, data in photos:
        header = read_header(data) if 0 < len(data) <= limits.max_bytes else None
        if header is None:
            continue
        limit = (
            limits.max_decode_pixels if header.content_type in FULLY_DECODED else limits.max_pixels
        )
        if header.width * header.height > limit:
            raise errors.too_many_pixels(clean_filename(filename), limit, field)
        total += header.decoded_pixels
    if total > limits.max_request_pixels:
        raise errors.too_much_to_decode(total, limits.max_request_pixels, field)
