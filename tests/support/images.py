"""Test files made on the spot: photos with real EXIF, documents, audio, and broken files.

Photos show one asymmetric landscape scene, red block top-left and blue block top-right when
upright: a copy is upright exactly when both sit there and it is wider than tall (one marker
alone cannot tell a transposed picture from an upright one). A photo tagged with an EXIF
orientation stores the scene put through the inverse of that orientation, derived here from
the EXIF text (which stored row/column is the visual top/left), not from the code under test.
"""

from __future__ import annotations

import io
import random
import struct
import wave
import zipfile
import zlib
from datetime import datetime

from PIL import Image, ImageDraw, ImageFilter
from PIL.TiffImagePlugin import IFDRational

RED, BLUE, WHITE = (220, 20, 20), (20, 40, 220), (255, 255, 255)
LatLon = tuple[float, float]

# Orientation → transpose turning the upright scene into the stored pixels.
#   6: stored row 0 is the visual right side, column 0 the visual top → the camera's
#      pixels are the scene turned 90° counter-clockwise (Pillow's ROTATE_90).
#   8: row 0 is the visual left side, column 0 the visual bottom → turned 90° clockwise.
#   5: row 0 is the visual left, column 0 the visual top → the transpose (its own inverse).
#   7: row 0 is the visual right, column 0 the visual bottom → the transverse.
_T = Image.Transpose
STORED_FROM_UPRIGHT = {
    1: None,
    2: _T.FLIP_LEFT_RIGHT,
    3: _T.ROTATE_180,
    4: _T.FLIP_TOP_BOTTOM,
    5: _T.TRANSPOSE,
    6: _T.ROTATE_90,
    7: _T.TRANSVERSE,
    8: _T.ROTATE_270,
}


def scene(width: int, height: int, *, seed: int = 0) -> Image.Image:
    """The upright picture: shaded background, random shapes, red and blue corner markers."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1 = x0 + rng.randrange(width // 8 + 1, width // 2 + 2)
        y1 = y0 + rng.randrange(height // 8 + 1, height // 2 + 2)
        colour = (rng.randrange(60, 200), rng.randrange(60, 200), rng.randrange(60, 200))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    block_w, block_h = max(2, width // 5), max(2, height // 5)
    draw.rectangle((0, 0, block_w - 1, block_h - 1), fill=RED)
    draw.rectangle((width - block_w, 0, width - 1, block_h - 1), fill=BLUE)
    return image


def photo_like(width: int, height: int, *, seed: int = 0) -> Image.Image:
    """A phone-photo stand-in for timing: smooth gradients, soft shapes and sensor-like noise.

    The noise matters: it makes the JPEG as large as a real photo (about 0.3 byte per pixel
    at quality 90, 3.6 MB for 12 MP), and decoding time grows with the compressed size.
    """
    base = scene(width, height, seed=seed).filter(ImageFilter.GaussianBlur(2))
    across = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90)
    tint = Image.merge(
        "RGB",
        (
            Image.radial_gradient("L").resize((width, height)),
            across.resize((width, height)),
            Image.new("L", (width, height), 128),
        ),
    )
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 40) for _ in range(3)])
    return Image.blend(Image.blend(base, tint, 0.25), noise, 0.25)


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """Degrees, minutes, seconds as cameras write them: rationals, seconds in 1/10000."""
    tenthousandths = round(abs(value) * 3600 * 10_000)
    degrees, rest = divmod(tenthousandths, 3600 * 10_000)
    minutes, seconds = divmod(rest, 60 * 10_000)
    return IFDRational(degrees), IFDRational(minutes), IFDRational(seconds, 10_000)


def exif(
    *,
    orientation: int | None = None,
    gps: LatLon | None = None,
    taken_at: datetime | None = None,
    offset: str | None = None,
) -> Image.Exif:
    """EXIF as cameras write it: orientation in IFD0, times in the Exif IFD, GPS in its own."""
    data = Image.Exif()
    data[0x010F] = "TestCam"  # Make: something harmless that must not leak either
    if orientation is not None:
        data[0x0112] = orientation
    if taken_at is not None:
        exif_ifd = data.get_ifd(0x8769)
        exif_ifd[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
        if offset is not None:
            exif_ifd[0x9011] = offset  # OffsetTimeOriginal
    if gps is not None:
        lat, lon = gps
        data.get_ifd(0x8825).update(
            {  # version, latitude ref and value, longitude ref and value
                0: b"\x02\x03\x00\x00",
                1: "N" if lat >= 0 else "S",
                2: _dms(lat),
                3: "E" if lon >= 0 else "W",
                4: _dms(lon),
            }
        )
    return data


def stored_pixels(
    width: int, height: int, orientation: int | None, *, seed: int = 0
) -> Image.Image:
    upright = scene(width, height, seed=seed)
    transpose = STORED_FROM_UPRIGHT.get(orientation or 1)
    return upright.transpose(transpose) if transpose is not None else upright


def _encode(image: Image.Image, image_format: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **params)
    return out.getvalue()


def jpeg(
    width: int,
    height: int,
    *,
    orientation: int | None = None,
    gps: LatLon | None = None,
    taken_at: datetime | None = None,
    offset: str | None = None,
    progressive: bool = False,
    quality: int = 90,
    seed: int = 0,
) -> bytes:
    """A camera JPEG whose *upright* picture is ``width`` × ``height``, with a COM segment."""
    tags = exif(orientation=orientation, gps=gps, taken_at=taken_at, offset=offset)
    return _encode(
        stored_pixels(width, height, orientation, seed=seed),
        "JPEG",
        quality=quality,
        progressive=progressive,
        exif=tags,
        comment=b"secret comment",
    )


def heic(
    width: int,
    height: int,
    *,
    orientation: int | None = None,
    gps: LatLon | None = None,
    taken_at: datetime | None = None,
    offset: str | None = None,
    quality: int = 70,
) -> bytes:
    """An iPhone-style HEIC written by pillow-heif (which turns orientation into irot/imir)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    tags = exif(orientation=orientation, gps=gps, taken_at=taken_at, offset=offset)
    return _encode(
        stored_pixels(width, height, orientation), "HEIF", quality=quality, exif=tags.tobytes()
    )


def png(width: int, height: int, *, seed: int = 0) -> bytes:
    return _encode(scene(width, height, seed=seed), "PNG")


def png_with_alpha(width: int, height: int) -> bytes:
    """The scene with its bottom half fully transparent over black colour values."""
    image = scene(width, height).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, height // 2, width, height))
    return _encode(image, "PNG")


def webp(width: int, height: int, *, quality: int = 85, gps: LatLon | None = None) -> bytes:
    return _encode(scene(width, height), "WEBP", quality=quality, exif=exif(gps=gps).tobytes())


def recompressed(data: bytes, *, scale: float = 1.0, quality: int = 75) -> bytes:
    """The same photo as a messenger app would resend it: resized and re-encoded."""
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        if scale != 1.0:
            image = image.resize(
                (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
            )
        return _encode(image, "JPEG", quality=quality)


def jpeg_claiming_size(width: int, height: int) -> bytes:
    """A tiny JPEG whose frame header (SOF) claims ``width`` × ``height``: a cheap pixel bomb."""
    data = bytearray(jpeg(16, 16))
    pos = 2
    while pos < len(data):
        marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[pos + 5 : pos + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        pos += 2 + length
    raise AssertionError("no SOF segment")


def webp_claiming_size(width: int, height: int) -> bytes:
    """A tiny lossy WebP whose VP8 frame header claims ``width`` × ``height`` (≤ 16383)."""
    data = bytearray(_encode(Image.new("RGB", (64, 64), RED), "WEBP", quality=50))
    start = data.find(b"\x9d\x01\x2a")  # the VP8 key-frame start code precedes the size
    data[start + 3 : start + 7] = struct.pack("<HH", width, height)
    return bytes(data)


def _png(width: int, height: int, row: bytes, bit_depth: int, colour_type: int) -> bytes:
    """A PNG of ``height`` copies of one filtered ``row``, compressed without holding them."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    compressor, parts = zlib.compressobj(9), []
    for start in range(0, height, 1000):
        parts.append(compressor.compress(row * min(1000, height - start)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid PNG of a huge black 1-bit picture: kilobytes that decode to gigabytes."""
    return _png(width, height, b"\x00" * (1 + (width + 7) // 8), 1, 0)


def flat_png(width: int, height: int, colour: tuple[int, int, int] = (200, 200, 200)) -> bytes:
    """A real colour PNG of one flat colour: 49 MP in about 150 kB, every pixel to decode."""
    return _png(width, height, b"\x00" + bytes(colour) * width, 8, 2)


def pdf(comment: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table, carrying ``comment`` if given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if comment:
        out += b"% " + comment + b"\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


_DOCX_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="%s"/>
</Types>"""
_DOCX_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_DOCX_BODY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>Biên bản hội nghị</w:t></w:r></w:p></w:body></w:document>""".encode()


def docx(*, macro_enabled: bool = False) -> bytes:
    """A minimal Word document; ``macro_enabled`` makes it a .docm dressed as .docx."""
    main = (
        b"application/vnd.ms-word.document.macroEnabled.main+xml"
        if macro_enabled
        else b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    return _zip(
        {
            "[Content_Types].xml": _DOCX_TYPES % main,
            "_rels/.rels": _DOCX_RELS,
            "word/document.xml": _DOCX_BODY,
        }
    )


def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in (["Đơn vị", "Số bài"], ["Phường 1", 3]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    return _zip({"notes.txt": b"hello", "word/readme.txt": b"not a document"})


def odt() -> bytes:
    """An OpenDocument text: a ZIP with a mimetype member, not an Office Open XML file."""
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<m/>",
        }
    )


def wav(seconds: float = 0.1, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setparams((1, 2, rate, 0, "NONE", "not compressed"))  # mono, 16-bit PCM
        sound.writeframes(b"\x00\x10" * int(seconds * rate))
    return out.getvalue()


def mp3(frames: int = 3, *, id3: bool = True) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each), after an ID3v2 tag."""
    body = (b"\xff\xfb\x90\x64" + b"\x00" * 413) * frames  # frame header, then silence
    if not id3:
        return body
    frame = b"TIT2" + struct.pack(">I", 4) + b"\x00\x00" + b"\x00Tin"
    return b"ID3\x03\x00\x00" + bytes((0, 0, 0, len(frame))) + frame + body


def _box(kind: bytes, *children: bytes) -> bytes:
    body = b"".join(children)
    return struct.pack(">I", 8 + len(body)) + kind + body


def m4a(*, brand: bytes = b"M4A ", video: bool = False) -> bytes:
    """The box structure of an MP4 file: ftyp, a moov with a sound (and maybe a video) track."""
    ftyp = _box(b"ftyp", brand + b"\x00\x00\x00\x00" + brand + b"isom")
    tracks = [
        _box(b"trak", _box(b"mdia", _box(b"hdlr", b"\x00" * 8 + kind + b"\x00" * 13)))
        for kind in ([b"soun", b"vide"] if video else [b"soun"])
    ]
    return ftyp + _box(b"moov", *tracks) + _box(b"mdat", b"\x00" * 64)


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


# --- Copies of a photo changed as people change them, and other photos of the same place ---


def _decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def cropped(data: bytes, fraction: float, *, side: str = "all", quality: int = 85) -> bytes:
    """``fraction`` of the width and height cut away: evenly (``all``), from the top-left
    corner (``corner``) or from the left only (``left``, the width alone)."""
    image = _decoded(data)
    w, h = image.size
    cut_w, cut_h = round(w * fraction), round(h * fraction)
    box = {
        "all": (cut_w // 2, cut_h // 2, w - (cut_w - cut_w // 2), h - (cut_h - cut_h // 2)),
        "corner": (cut_w, cut_h, w, h),
        "left": (cut_w, 0, w, h),
    }[side]
    return _encode(image.crop(box), "JPEG", quality=quality)


def transposed(data: bytes, how: Image.Transpose, *, quality: int = 85) -> bytes:
    """Turned by quarter turns or mirrored, as an editor saves it (no EXIF orientation)."""
    return _encode(_decoded(data).transpose(how), "JPEG", quality=quality)


def screenshot(data: bytes, *, size: tuple[int, int] = (1080, 2340)) -> bytes:
    """The photo as a phone's screenshot shows it: fitted in a portrait screen, black bars
    above and below, a status bar on top; saved as PNG, as phones save screenshots."""
    image = _decoded(data)
    image.thumbnail(size, Image.Resampling.LANCZOS)
    screen = Image.new("RGB", size, (0, 0, 0))
    screen.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    ImageDraw.Draw(screen).rectangle((0, 0, size[0], size[1] // 30), fill=(28, 28, 30))
    return _encode(screen, "PNG")


def street(seed: int) -> tuple[Image.Image, Image.Image, Image.Image]:
    """A street with a panel in front of a facade and trees nearer still: three layers, so a
    camera that moves sees them shift by different amounts (parallax), as in real photos."""
    rng = random.Random(seed)
    width, height = 3200, 2200
    facade = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(facade)
    wall = (rng.randrange(120, 200), rng.randrange(110, 190), rng.randrange(100, 180))
    draw.rectangle((0, 0, width, int(height * 0.7)), fill=wall)
    for _ in range(60):  # windows, shop signs
        x, y = rng.randrange(width), rng.randrange(int(height * 0.65))
        shade = tuple(c - rng.randrange(30, 90) for c in wall)
        draw.rectangle((x, y, x + rng.randrange(60, 160), y + rng.randrange(60, 200)), fill=shade)
    draw.rectangle((0, int(height * 0.7), width, height), fill=(90, 90, 95))  # the road
    for x in range(0, width, 240):
        draw.rectangle((x, int(height * 0.85), x + 120, int(height * 0.86)), fill=(230, 230, 230))
    panel = Image.new("RGB", (1300, 800), (rng.randrange(180, 255), 40, 40))
    lines = ImageDraw.Draw(panel)
    for _ in range(40):  # the slogan's lines of text
        x, y = rng.randrange(1200), rng.randrange(700)
        colour = (255, 255, rng.randrange(150, 255))
        lines.rectangle((x, y, x + rng.randrange(20, 160), y + rng.randrange(10, 40)), fill=colour)
    lines.ellipse((900, 450, 1200, 750), fill=(250, 220, 30))
    trees = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    near = ImageDraw.Draw(trees)
    for _ in range(3):
        x = rng.randrange(width)
        near.rectangle((x, int(height * 0.3), x + 40, height), fill=(70, 50, 30, 255))
        leaves = (40, rng.randrange(100, 160), 40, 255)
        near.ellipse((x - 200, int(height * 0.1), x + 240, int(height * 0.45)), fill=leaves)
    return facade, panel, trees


def moment(
    place: tuple[Image.Image, Image.Image, Image.Image],
    seed: int,
    *,
    size: tuple[int, int] = (1600, 1200),
) -> bytes:
    """Another photo of ``place`` (from ``street``) taken a moment apart, hand-held: the
    camera a little moved and tilted (up to 5 % across, zoom ±5 %, corners 2.5 %), the light
    brighter or dimmer and falling from another side, a passer-by elsewhere, fresh sensor noise."""
    import numpy as np

    facade, panel, trees = place
    rng = random.Random(seed)
    width, height = facade.size
    dx, dy = rng.uniform(-0.05, 0.05), rng.uniform(-0.04, 0.04)
    zoom = rng.uniform(0.95, 1.05)
    frame = facade.copy()
    frame.paste(panel, (int(width * 0.3 + dx * width * 0.2), int(height * 0.2 + dy * height * 0.2)))
    shift = (1, 0, -dx * width * 0.6, 0, 1, -dy * height * 0.6)
    nearer = trees.transform(trees.size, Image.Transform.AFFINE, shift)
    frame.paste(nearer, (0, 0), nearer)
    draw = ImageDraw.Draw(frame)
    x, y = rng.randrange(width), int(height * 0.6)
    draw.ellipse((x, y, x + 120, y + 120), fill=(rng.randrange(255),) * 3)
    draw.rectangle((x + 20, y + 120, x + 100, y + 420), fill=(rng.randrange(255), 60, 120))
    cw, ch = width * 0.6 / zoom, height * 0.6 / zoom
    cx, cy = width * 0.5 + dx * width, height * 0.45 + dy * height

    def tilt() -> float:
        return rng.uniform(-0.025, 0.025) * cw

    quad = (
        *(cx - cw / 2 + tilt(), cy - ch / 2 + tilt()),
        *(cx - cw / 2 + tilt(), cy + ch / 2 + tilt()),
        *(cx + cw / 2 + tilt(), cy + ch / 2 + tilt()),
        *(cx + cw / 2 + tilt(), cy - ch / 2 + tilt()),
    )
    shot = frame.transform(size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC)
    pixels = np.asarray(shot, dtype=np.float32)
    across = np.linspace(-1, 1, size[0])[None, :, None]
    down = np.linspace(-1, 1, size[1])[:, None, None]
    angle = rng.uniform(0, 2 * np.pi)
    slope = rng.uniform(0.05, 0.2)
    light = rng.uniform(0.85, 1.15) * (1 + slope * (np.cos(angle) * across + np.sin(angle) * down))
    noise = np.random.default_rng(seed).normal(0, 6, pixels.shape)
    pixels = np.clip(pixels * light + noise, 0, 255).astype(np.uint8)
    blur = ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0))
    return _encode(Image.fromarray(pixels).filter(blur), "JPEG", quality=rng.choice((85, 90, 92)))
