"""Structure checks behind ``sniff``: ZIP-based Office files, ISO media boxes, MP3 frames, WAV.

Magic numbers alone would accept a plain ZIP as a Word file or a video as audio; these
functions look one level deeper, reading only headers and directories, never decompressing
more than a small bounded part, so a hostile file cannot make the check itself expensive.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

_CONTENT_TYPES_LIMIT = 256 * 1024
# The main-part content type each Office format must declare; macro-enabled variants
# (.docm, .xlsm) declare another one and are refused on purpose.
_OFFICE_MAIN = {
    "docx": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}


def office_type(data: bytes, *, docx: str, xlsx: str) -> str | None:
    """``docx`` or ``xlsx`` for a ZIP that really is such a document, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_LIMIT:
                return None
            with archive.open(info) as member:
                content_types = member.read(_CONTENT_TYPES_LIMIT + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        RuntimeError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        return None
    for kind, mime in (("docx", docx), ("xlsx", xlsx)):
        part, declared = _OFFICE_MAIN[kind]
        if part in names and declared in content_types:
            return mime
    return None


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO BMFF boxes in ``data[start:end]`` as (type, payload start, payload end)."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def ftyp_brands(data: bytes) -> list[bytes]:
    """The major brand followed by the compatible brands, or [] when there is no ftyp box."""
    for kind, start, end in _boxes(data, 0, min(len(data), 4096)):
        if kind != b"ftyp" or end - start < 8:
            return []
        major = data[start : start + 4]
        return [major] + [data[p : p + 4] for p in range(start + 8, end - 3, 4)]
    return []


def _children(data: bytes, start: int, end: int, kind: bytes) -> Iterator[tuple[int, int]]:
    for child, child_start, child_end in _boxes(data, start, end):
        if child == kind:
            yield child_start, child_end


def is_audio_only_mp4(data: bytes) -> bool:
    """True when the movie has a sound track and no video track (an .m4a, not an .mp4 clip)."""
    handlers = set()
    for moov_start, moov_end in _children(data, 0, len(data), b"moov"):
        for trak_start, trak_end in _children(data, moov_start, moov_end, b"trak"):
            for mdia_start, mdia_end in _children(data, trak_start, trak_end, b"mdia"):
                for hdlr_start, hdlr_end in _children(data, mdia_start, mdia_end, b"hdlr"):
                    # version/flags (4), pre_defined (4), then the handler type
                    if hdlr_end - hdlr_start >= 12:
                        handlers.add(data[hdlr_start + 8 : hdlr_start + 12])
    return b"soun" in handlers and b"vide" not in handlers


def is_wav(data: bytes) -> bool:
    """A RIFF/WAVE file with a sane ``fmt `` chunk and a ``data`` chunk."""
    pos, seen_fmt = 12, False
    while pos + 8 <= len(data):
        kind, size = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        if kind == b"fmt ":
            if size < 16 or body + 16 > len(data):
                return False
            _, channels, rate = struct.unpack_from("<HHI", data, body)
            if channels == 0 or rate == 0:
                return False
            seen_fmt = True
        elif kind == b"data":
            return seen_fmt
        pos = body + size + (size & 1)  # chunks are padded to an even length
    return False


_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_ID3_SEARCH = 4096  # players skip this much padding or junk before the first frame


def _mp3_frame(data: bytes, pos: int) -> tuple[int, tuple[int, int]] | None:
    """Length and (version, sample-rate index) of an MPEG Layer III frame at ``pos``."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version, layer = (data[pos + 1] >> 3) & 3, (data[pos + 1] >> 1) & 3
    bitrate_index, rate_index = data[pos + 2] >> 4, (data[pos + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    padding = (data[pos + 2] >> 1) & 1
    rate = _SAMPLE_RATES[version][rate_index]
    if version == 3:
        length = 144_000 * _BITRATES_V1[bitrate_index] // rate + padding
    else:
        length = 72_000 * _BITRATES_V2[bitrate_index] // rate + padding
    return length, (version, rate_index)


def _mp3_frames_at(data: bytes, pos: int, *, after_tag: bool) -> bool:
    """Two consecutive consistent frames, or (after an ID3 tag) one that ends the file."""
    first = _mp3_frame(data, pos)
    if first is None:
        return False
    length, kind = first
    if pos + length == len(data):
        return after_tag
    second = _mp3_frame(data, pos + length)
    return second is not None and second[1] == kind


def is_mp3(data: bytes) -> bool:
    """MPEG audio Layer III, after an optional ID3v2 tag."""
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:  # a "syncsafe" integer: 7 bits per byte
            if byte & 0x80:
                return False
            size = (size << 7) | byte
        start = 10 + size + (10 if data[5] & 0x10 else 0)  # a footer repeats the header
        end = min(len(data), start + _ID3_SEARCH)
        pos = data.find(b"\xff", start, end)
        while pos != -1:
            if _mp3_frames_at(data, pos, after_tag=True):
                return True
            pos = data.find(b"\xff", pos + 1, end)
        return False
    return _mp3_frames_at(data, 0, after_tag=False)
