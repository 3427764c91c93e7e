"""A JPEG with its metadata cut out and its compressed image data left untouched.

The offline outbox downscales photos on the phone (long edge 2048, quality about 0.8) before
sending them. Decoding and re-encoding such a photo for the display copy would only lose
quality and time; copying its segments minus the metadata gives the same picture, exactly,
with no EXIF (time, GPS, camera serial), XMP, IPTC or comments left in it.
"""

from __future__ import annotations

import re

# Segments a decoder needs, or that say how to show colours, are kept; everything else
# (APP1 EXIF/XMP, APP13 IPTC, COM, MPF, maker segments) is dropped.
_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
_APP0, _APP2, _APP14, _COM = 0xE0, 0xE2, 0xEE, 0xFE
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn carry no length
# The next marker after entropy-coded data: 0xFF followed by anything but a stuffed zero,
# a restart marker or a fill byte.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _keep(marker: int, payload: bytes) -> bool:
    if marker == _APP0:
        return payload.startswith((b"JFIF\x00", b"JFXX\x00"))
    if marker == _APP2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == _APP14:
        return payload.startswith(b"Adobe")  # says whether the data is YCbCr, RGB or CMYK
    return not (0xE0 <= marker <= 0xEF or marker == _COM)


def strip_jpeg_metadata(data: bytes) -> bytes | None:
    """The JPEG up to its end-of-image marker without metadata, or None if it is malformed.

    Whatever follows the first image (an MPO's second frame, a motion photo's video, a
    vendor trailer) is dropped as well.
    """
    if data[:2] != b"\xff\xd8":
        return None
    out = [b"\xff\xd8"]
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            return None
        while pos < size and data[pos] == 0xFF:  # fill bytes may precede a marker
            pos += 1
        if pos >= size:
            return None
        marker, pos = data[pos], pos + 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > size:
            return None
        length = int.from_bytes(data[pos : pos + 2], "big")
        end = pos + length
        if length < 2 or end > size:
            return None
        if _keep(marker, data[pos + 2 : end]):
            out.append(bytes((0xFF, marker)) + data[pos:end])
        pos = end
        if marker == _SOS:  # entropy-coded data runs to the next real marker
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                return None
            out.append(data[pos : found.start()])
            pos = found.start()
    return None
