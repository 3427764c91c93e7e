"""What a file is, read from its bytes: the name and the browser's Content-Type are claims.

A phone, a renamed file or a hostile client can say anything in the name; only the bytes
decide. Each type is checked for the structure it claims (a ZIP must really hold a Word
document, an MP4 box must really hold an audio track), so a renamed file is refused here
rather than shown to a reviewer as something it is not.
"""

from __future__ import annotations

from wardapp.media import containers

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"
HEIF = "image/heif"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
WAV = "audio/wav"

PHOTO_TYPES = frozenset({JPEG, PNG, WEBP, HEIC, HEIF})
ATTACHMENT_TYPES = frozenset({PDF, DOCX, XLSX, MP3, M4A, WAV})

# The suffix a stored copy gets, so a downloaded file opens in the right program.
SUFFIXES = {
    JPEG: ".jpg",
    PNG: ".png",
    WEBP: ".webp",
    HEIC: ".heic",
    HEIF: ".heif",
    PDF: ".pdf",
    DOCX: ".docx",
    XLSX: ".xlsx",
    MP3: ".mp3",
    M4A: ".m4a",
    WAV: ".wav",
}

# HEVC-coded HEIF brands (what iPhones write); "mif1"/"msf1" are the generic HEIF brands,
# which AVIF files also list, so they count only without an AVIF brand beside them.
_HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_GENERIC_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"heif"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
# Brands an audio-only MP4 (.m4a) is written with; generic ones need an audio track to count.
_AUDIO_BRANDS = frozenset(
    {
        b"M4A ",
        b"M4B ",
        b"M4P ",
        b"mp41",
        b"mp42",
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"dash",
        b"3gp4",
        b"3gp5",
        b"3gp6",
    }
)


def sniff(data: bytes) -> str | None:
    """The MIME type of an accepted photo or attachment, or None for anything else."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV if containers.is_wav(data) else None
    if head[4:8] == b"ftyp":
        return _sniff_iso_bmff(data)
    # At the very start only (a web page could hold it further in), and even there a claim:
    # pdf.check_pdf reads the file as a PDF before it is accepted.
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return containers.office_type(data, docx=DOCX, xlsx=XLSX)
    if containers.is_mp3(data):
        return MP3
    return None


def _sniff_iso_bmff(data: bytes) -> str | None:
    """HEIC/HEIF photo or M4A audio: both are ISO media files told apart by brand and content."""
    brands = containers.ftyp_brands(data)
    if not brands:
        return None
    major = brands[0]
    if major in _HEVC_BRANDS:
        return HEIC
    if major in _GENERIC_HEIF_BRANDS and not _AVIF_BRANDS.intersection(brands):
        return HEIC if _HEVC_BRANDS.intersection(brands) else HEIF
    if _AUDIO_BRANDS.intersection(brands) and containers.is_audio_only_mp4(data):
        return M4A
    return None
