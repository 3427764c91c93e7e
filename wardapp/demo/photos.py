"""Made-up site photos for the demo: a panel on a street, with the EXIF a phone camera writes."""

import functools
import io
import random
from datetime import datetime

from PIL import Image, ImageChops, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

SLOGANS = ("CẢI CÁCH HÀNH CHÍNH", "CHUYỂN ĐỔI SỐ", "VÌ NHÂN DÂN PHỤC VỤ", "MỘT CỬA HIỆN ĐẠI")


def _dms(value: float) -> tuple:
    seconds = round(abs(value) * 3600 * 100)
    degrees, rest = divmod(seconds, 3600 * 100)
    minutes, hundredths = divmod(rest, 60 * 100)
    return IFDRational(degrees), IFDRational(minutes), IFDRational(hundredths, 100)


def camera_exif(taken_at: datetime, gps: tuple[float, float] | None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Demo"
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    exif_ifd[0x9011] = taken_at.strftime("%z")[:3] + ":" + taken_at.strftime("%z")[3:]
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = ("N" if gps[0] >= 0 else "S"), _dms(gps[0])
        gps_ifd[3], gps_ifd[4] = ("E" if gps[1] >= 0 else "W"), _dms(gps[1])
    return exif


FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
)


def _font(size: int):
    """A font with Vietnamese letters if the system has one; otherwise slogans are left out."""
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None


@functools.lru_cache(maxsize=2)
def _noise(size: tuple[int, int]) -> Image.Image:
    """Sensor-like grain, made once and shifted per photo (making it is the slow part)."""
    return Image.merge("RGB", [Image.effect_noise(size, 24) for _ in range(3)])


def site_photo(
    rng: random.Random,
    taken_at: datetime,
    gps: tuple[float, float] | None,
    size: tuple[int, int] = (1024, 768),
) -> bytes:
    """Sky, road, a red panel with a slogan: different every time, plausible at a glance."""
    width, height = size
    sky = (rng.randrange(110, 190), rng.randrange(160, 215), rng.randrange(215, 250))
    image = Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(size)
    image = Image.merge(
        "RGB", [image.point(lambda v, c=c: int(c * (0.7 + 0.3 * v / 255))) for c in sky]
    )
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle((0, horizon, width, height), fill=(90, 90, 95))
    for _ in range(rng.randrange(4, 10)):  # trees and buildings behind
        x = rng.randrange(width)
        w, h = rng.randrange(60, 260), rng.randrange(80, 360)
        colour = (rng.randrange(20, 200), rng.randrange(60, 200), rng.randrange(20, 160))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, horizon - h, x + w, horizon + rng.randrange(0, 40)), fill=colour)
    px, pw = rng.randrange(50, width // 3), rng.randrange(width // 3, width // 2)
    py, ph = rng.randrange(60, horizon // 3), rng.randrange(horizon // 4, horizon // 2)
    draw.rectangle((px + pw // 2 - 6, py + ph, px + pw // 2 + 6, horizon), fill=(60, 60, 60))
    draw.rectangle((px, py, px + pw, py + ph), fill=(200, 20, 30), outline=(250, 210, 0), width=6)
    font = _font(max(14, pw // 14))
    if font is not None:
        draw.text(
            (px + pw // 2, py + ph // 2),
            rng.choice(SLOGANS),
            font=font,
            fill=(255, 230, 0),
            anchor="mm",
        )
    noise = ImageChops.offset(_noise(size), rng.randrange(width), rng.randrange(height))
    image = Image.blend(image, noise, 0.12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=camera_exif(taken_at, gps))
    return out.getvalue()
