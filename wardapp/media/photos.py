"""Turn an uploaded photo into what the app shows: an upright display copy and a thumbnail.

Both copies are JPEGs with no EXIF, XMP or comment, so a photo's GPS never leaves the server
through them; the time and place are returned as values for the database instead. Decoding
is the expensive part, so it is bounded: the pixel count is checked from the header before
any decoding (lower for the formats decoded in full: PNG, WebP, HEIC/HEIF), large JPEGs are
decoded at a reduced scale (libjpeg's "draft" mode) rather than in full, the thumbnail is
made from the display copy rather than from the original, and a JPEG the phone already
downscaled is kept (its metadata cut out) instead of re-encoded.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import struct
import threading
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PIL import Image, ImageFile

from wardapp.media import errors, exifdata
from wardapp.media.jpegstrip import strip_jpeg_metadata
from wardapp.media.nearcopy import photo_hashes
from wardapp.media.phash import dhash
from wardapp.media.sniff import HEIC, HEIF, JPEG, PHOTO_TYPES, PNG, WEBP, sniff

log = logging.getLogger(__name__)

DISPLAY_EDGE = 2048
# A JPEG may be decoded at 1/2, 1/4 or 1/8 scale. A 12 MP phone photo (4000 or 4032 px) is
# just short of twice 2048, so insisting on ≥ 2048 would force a full decode (about twice
# the time) for 2–6 % more pixels; a display copy down to this edge is accepted instead.
DISPLAY_DRAFT_EDGE = 1920
THUMB_EDGE = 320
DISPLAY_QUALITY = 82
THUMB_QUALITY = 80
# reduce() by an integer factor first, then resample the last ≥ 2× step: near-Lanczos quality
# at a fraction of the cost.
REDUCING_GAP = 2.0
# A JPEG that already fits the display size is kept as it is (minus metadata) unless it is
# much heavier than the phone's quality ~0.8 output.
KEEP_MAX_BYTES_PER_PIXEL = 0.4

_PILLOW_FORMATS = {JPEG: ["JPEG"], PNG: ["PNG"], WEBP: ["WEBP"], HEIC: ["HEIF"], HEIF: ["HEIF"]}
# Formats with no reduced decoding: every pixel is decoded, so they have a lower limit.
FULLY_DECODED = frozenset({PNG, WEBP, HEIC, HEIF})
# What Pillow's plugins raise on broken input; all of them mean "not a readable image".
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    RuntimeError,
    IndexError,
    KeyError,
    ZeroDivisionError,
)
# EXIF orientation → the transpose that makes the stored pixels upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_heif_lock = threading.Lock()
_heif_registered = False


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: sizes are of the upright picture."""

    content_type: str
    width: int
    height: int
    display: bytes = dataclasses.field(repr=False)
    display_size: tuple[int, int]
    thumb: bytes = dataclasses.field(repr=False)
    thumb_size: tuple[int, int]
    taken_at: datetime | None
    gps: tuple[float, float] | None
    phash: str
    copy_hashes: tuple[str, ...] = ()  # what a later changed copy finds it by (nearcopy)
    probe_hashes: tuple[str, ...] = ()  # what it looks for among earlier photos (nearcopy)


def register_heif() -> None:
    """Teach Pillow to open HEIC, once, on the first HEIC photo rather than at import."""
    global _heif_registered
    if _heif_registered:
        return
    with _heif_lock:
        if not _heif_registered:
            from pillow_heif import register_heif_opener

            register_heif_opener()
            _heif_registered = True


@dataclass(frozen=True)
class PhotoHeader:
    """What a photo's header says, before anything is decoded."""

    content_type: str
    width: int
    height: int
    decoded_pixels: int  # what making its copies decodes: a JPEG at its reduced scale


def read_header(data: bytes) -> PhotoHeader | None:
    """The size of a photo and the cost of decoding it, from its header; None when the bytes
    are no readable photo (``process_photo`` says why)."""
    content_type = sniff(data)
    if content_type not in PHOTO_TYPES:
        return None
    if content_type in (HEIC, HEIF):
        register_heif()
    try:
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[content_type]) as image:
            width, height = image.size
            if image.format in ("JPEG", "MPO"):  # the scale _display_copy decodes at
                image.draft("RGB", _fit_size(image.size, DISPLAY_DRAFT_EDGE))
            return PhotoHeader(content_type, width, height, image.width * image.height)
    except (Image.DecompressionBombError, *_DECODE_ERRORS):
        return None


def process_photo(
    data: bytes,
    *,
    max_pixels: int,
    max_decode_pixels: int | None = None,
    default_tz: tzinfo | None = None,
    name: str = "ảnh",
    field: str | None = "photo",
) -> ProcessedPhoto:
    """Check, decode and copy a photo; raise MediaError (415/422) for anything unusable.

    ``max_decode_pixels`` bounds the formats decoded in full (PNG, WebP, HEIC/HEIF; by
    default ``max_pixels``, as for a JPEG). ``default_tz`` is the zone of an EXIF time that
    states none (default Asia/Ho_Chi_Minh); ``name`` and ``field`` only go into messages.
    """
    if max_decode_pixels is None:
        max_decode_pixels = max_pixels
    content_type = sniff(data)
    if content_type not in PHOTO_TYPES:
        raise errors.not_a_photo(name, field)
    if content_type in (HEIC, HEIF):
        register_heif()
    limit = max_decode_pixels if content_type in FULLY_DECODED else max_pixels
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        log.warning("ImageFile.LOAD_TRUNCATED_IMAGES is on: truncated photos may be accepted")
    try:
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[content_type]) as image:
            return _process(image, data, content_type, limit, default_tz, name, field)
    except Image.DecompressionBombError as exc:  # Pillow's own limit, if lower than ours
        raise errors.too_many_pixels(name, limit, field) from exc
    except _DECODE_ERRORS as exc:
        log.info("refused unreadable %s %r: %r", content_type, name, exc)
        raise errors.corrupt_photo(name, field) from exc


def _process(
    image: ImageFile.ImageFile,
    data: bytes,
    content_type: str,
    max_pixels: int,
    default_tz: tzinfo | None,
    name: str,
    field: str | None,
) -> ProcessedPhoto:
    width, height = image.size  # from the header: nothing is decoded yet
    if width < 1 or height < 1:
        raise errors.corrupt_photo(name, field)
    if width * height > max_pixels:
        raise errors.too_many_pixels(name, max_pixels, field)
    exif = _exif(image)
    turn = exifdata.orientation(exif)
    display, display_bytes, display_size = _display_copy(image, data, turn)
    thumb = _fit(display, THUMB_EDGE)
    hashes = photo_hashes(display)  # from the pixels at hand: nothing is decoded again
    return ProcessedPhoto(
        content_type=content_type,
        width=height if turn >= 5 else width,
        height=width if turn >= 5 else height,
        display=display_bytes,
        display_size=display_size,
        thumb=_jpeg(thumb, THUMB_QUALITY),
        thumb_size=thumb.size,
        taken_at=exifdata.taken_at(exif, default_tz),
        gps=exifdata.gps(exif),
        phash=dhash(thumb),
        copy_hashes=hashes.stored,
        probe_hashes=hashes.probe,
    )


def _exif(image: Image.Image) -> Image.Exif:
    """The EXIF block, or an empty one when it is unreadable: bad EXIF is no reason to refuse."""
    try:
        return image.getexif()
    except _DECODE_ERRORS as exc:
        log.info("ignored unreadable EXIF: %r", exc)
        return Image.Exif()


def _display_copy(
    image: ImageFile.ImageFile, data: bytes, turn: int
) -> tuple[Image.Image, bytes, tuple[int, int]]:
    """(pixels to make the thumbnail from, display JPEG bytes, display size)."""
    if (
        image.format in ("JPEG", "MPO")
        and image.mode in ("RGB", "L")
        and turn == 1
        and max(image.size) <= DISPLAY_EDGE
    ):
        kept = strip_jpeg_metadata(data)
        if kept is not None and len(kept) <= KEEP_MAX_BYTES_PER_PIXEL * image.width * image.height:
            # Decoding at 1/8–1/4 scale still reads every byte, so a truncated file fails here.
            with Image.open(io.BytesIO(kept), formats=["JPEG"]) as copy:
                copy.draft("RGB", _fit_size(copy.size, THUMB_EDGE))
                copy.load()
                return copy.copy(), kept, image.size
    icc_profile = image.info.get("icc_profile")
    image.draft("RGB", _fit_size(image.size, DISPLAY_DRAFT_EDGE))
    image.load()
    pixels = _fit(_flatten(image), DISPLAY_EDGE)
    if turn in _UPRIGHT:
        pixels = pixels.transpose(_UPRIGHT[turn])
    return pixels, _jpeg(pixels, DISPLAY_QUALITY, icc_profile), pixels.size


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or greyscale; transparency becomes white, as on the paper the photo replaces."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: keep the high byte
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if "A" in image.mode or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _fit_size(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """``size`` scaled so its long edge is at most ``edge``, keeping the aspect ratio."""
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(image: Image.Image, edge: int) -> Image.Image:
    if max(image.size) <= edge:
        return image
    return image.resize(
        _fit_size(image.size, edge), Image.Resampling.BICUBIC, reducing_gap=REDUCING_GAP
    )


def _jpeg(image: Image.Image, quality: int, icc_profile: bytes | None = None) -> bytes:
    """A baseline JPEG with nothing but pixels and, if any, the colour profile.

    ``comment`` is passed empty because Pillow would otherwise copy the source's COM segment.
    """
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=quality,
        subsampling="4:2:0",
        comment=b"",
        icc_profile=icc_profile or None,
    )
    return out.getvalue()
