"""The photo and file pipeline: what is accepted, what comes out, what is refused and how.

Every file here is made by ``support.images`` on the spot; see its docstring for the
red-top-left / blue-top-right scene that tells an upright copy from a turned one.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageFile

from support import images as make
from support.media import MAX_PIXELS, refusal
from wardapp.media import (
    phash_distance,
    process_photo,
    sniff,
)

ROOT = Path(__file__).resolve().parents[2]  # the repository


def photo(data: bytes, **kwargs):
    return process_photo(data, max_pixels=kwargs.pop("max_pixels", MAX_PIXELS), **kwargs)


def decoded(jpeg_bytes: bytes) -> Image.Image:
    with Image.open(io.BytesIO(jpeg_bytes)) as image:
        assert image.format == "JPEG"
        return image.convert("RGB")


def close_to(actual: tuple[int, ...], expected: tuple[int, int, int], slack: int = 45) -> bool:
    # Red, green and blue: an alpha channel, if there is one, is not compared.
    return all(abs(a - e) <= slack for a, e in zip(actual, expected, strict=False))


def assert_upright(jpeg_bytes: bytes) -> None:
    """Landscape, red in the top-left corner, blue in the top-right corner."""
    image = decoded(jpeg_bytes)
    width, height = image.size
    assert width > height, f"picture is {width}×{height}, expected landscape"
    top_left = image.getpixel((width // 20, height // 20))
    top_right = image.getpixel((width - 1 - width // 20, height // 20))
    assert close_to(top_left, make.RED), f"top-left is {top_left}, expected red"
    assert close_to(top_right, make.BLUE), f"top-right is {top_right}, expected blue"


def assert_no_metadata(jpeg_bytes: bytes) -> None:
    with Image.open(io.BytesIO(jpeg_bytes)) as image:
        assert not image.getexif(), "EXIF left in a copy"
        assert not image.getexif().get_ifd(0x8825), "GPS left in a copy"
        assert "exif" not in image.info and "comment" not in image.info and "xmp" not in image.info
    assert b"Exif\x00\x00" not in jpeg_bytes and b"TestCam" not in jpeg_bytes
    assert b"secret comment" not in jpeg_bytes


# --- Photos: orientation, sizes, metadata --------------------------------------------------


@pytest.mark.parametrize("size", [(640, 400), (2600, 1600)], ids=["kept-size", "downscaled"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(orientation, size):
    result = photo(make.jpeg(*size, orientation=orientation))

    assert (result.width, result.height) == size
    assert_upright(result.display)
    assert_upright(result.thumb)
    assert decoded(result.display).size == result.display_size
    assert decoded(result.thumb).size == result.thumb_size


def test_display_copy_fits_2048_and_thumbnail_fits_320():
    result = photo(make.jpeg(4000, 3000, quality=80))

    display, thumb = decoded(result.display), decoded(result.thumb)
    assert 1920 <= max(display.size) <= 2048
    assert max(thumb.size) == 320
    assert display.size == result.display_size and thumb.size == result.thumb_size
    assert abs(display.width / display.height - 4 / 3) < 0.01


def test_small_photo_is_not_enlarged():
    result = photo(make.png(200, 120))

    assert result.display_size == (200, 120) and result.thumb_size == (200, 120)


@pytest.mark.parametrize(
    "size,orientation",
    [((640, 400), None), ((640, 400), 6), ((3000, 2000), 1)],
    ids=["kept-size", "rotated", "downscaled"],
)
def test_copies_carry_no_exif_gps_or_comment(size, orientation):
    data = make.jpeg(
        *size,
        orientation=orientation,
        gps=(21.2731, 106.1946),
        taken_at=datetime(2025, 3, 14, 9, 30),
        offset="+07:00",
    )
    with Image.open(io.BytesIO(data)) as original:  # the factory really wrote them
        assert original.getexif().get_ifd(0x8825)

    result = photo(data)

    assert_no_metadata(result.display)
    assert_no_metadata(result.thumb)


@pytest.mark.parametrize(
    "lat,lon",
    [(21.0278, 105.8342), (40.6892, -74.0445), (-33.8568, 151.2153), (-22.9519, -43.2105)],
    ids=["north-east", "north-west", "south-east", "south-west"],
)
def test_gps_is_read_as_signed_decimal_degrees_in_every_hemisphere(lat, lon):
    result = photo(make.jpeg(320, 200, gps=(lat, lon)))

    assert result.gps == pytest.approx((lat, lon), abs=1e-5)


def test_time_taken_keeps_the_offset_the_camera_wrote():
    result = photo(make.jpeg(320, 200, taken_at=datetime(2025, 3, 14, 9, 30, 5), offset="+09:00"))

    assert result.taken_at.utcoffset() == timedelta(hours=9)
    assert result.taken_at.replace(tzinfo=None) == datetime(2025, 3, 14, 9, 30, 5)


def test_time_taken_without_offset_is_read_in_vietnam_time():
    data = make.jpeg(320, 200, taken_at=datetime(2025, 3, 14, 9, 30))

    result = photo(data)
    in_paris = photo(data, default_tz=ZoneInfo("Europe/Paris"))

    assert result.taken_at.utcoffset() == timedelta(hours=7)
    assert result.taken_at.replace(tzinfo=None) == datetime(2025, 3, 14, 9, 30)
    assert in_paris.taken_at.utcoffset() == timedelta(hours=1)


def test_photo_without_exif_has_no_time_or_place():
    result = photo(make.png(320, 200))

    assert result.taken_at is None and result.gps is None


def test_heic_from_an_iphone_is_accepted_upright_with_its_exif():
    data = make.heic(
        640, 480, orientation=6, gps=(21.2731, 106.1946), taken_at=datetime(2025, 3, 14, 9, 30)
    )

    result = photo(data)

    assert sniff(data) == "image/heic" and result.content_type == "image/heic"
    assert (result.width, result.height) == (640, 480)
    assert_upright(result.display)
    assert_upright(result.thumb)
    assert result.gps == pytest.approx((21.2731, 106.1946), abs=1e-5)
    assert result.taken_at == datetime(2025, 3, 14, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert_no_metadata(result.display)


def test_transparent_png_is_flattened_on_white():
    result = photo(make.png_with_alpha(400, 300))

    display = decoded(result.display)
    assert_upright(result.display)
    bottom = display.getpixel((display.width // 2, display.height * 7 // 8))
    assert close_to(bottom, make.WHITE, slack=10), f"transparent area came out {bottom}"


def test_webp_is_accepted_and_its_gps_read():
    result = photo(make.webp(400, 300, gps=(-8.65, 115.2167)))

    assert result.content_type == "image/webp"
    assert_upright(result.display)
    assert result.gps == pytest.approx((-8.65, 115.2167), abs=1e-5)


@pytest.mark.parametrize("size", [(640, 400), (3000, 2000)], ids=["kept-size", "downscaled"])
def test_progressive_jpeg_is_accepted(size):
    result = photo(make.jpeg(*size, orientation=3, progressive=True))

    assert_upright(result.display)
    assert_upright(result.thumb)


def test_resent_photo_has_a_small_phash_distance_and_another_photo_a_large_one():
    def camera_jpeg(seed: int) -> bytes:
        out = io.BytesIO()
        make.photo_like(1200, 900, seed=seed).save(out, "JPEG", quality=90)
        return out.getvalue()

    first = camera_jpeg(seed=1)
    original = photo(first).phash
    resent = photo(make.recompressed(first, scale=0.5, quality=70)).phash
    other = photo(camera_jpeg(seed=2)).phash

    assert len(original) == 16 and int(original, 16) >= 0
    assert phash_distance(original, resent) <= 4
    assert phash_distance(original, other) >= 16


def test_phash_distance_refuses_what_is_not_a_hash():
    with pytest.raises(ValueError):
        phash_distance("abc", "0" * 16)


# --- Photos: refusals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        make.truncated(make.jpeg(640, 400)),
        make.truncated(make.jpeg(640, 400), keep=0.97),
        make.truncated(make.jpeg(3000, 2000)),
        make.truncated(make.jpeg(3000, 2000, progressive=True)),
        make.truncated(make.png(640, 400)),
        make.truncated(make.heic(640, 480)),
    ],
    ids=["jpeg", "jpeg-missing-its-end", "large-jpeg", "progressive-jpeg", "png", "heic"],
)
def test_truncated_photo_is_refused_as_unreadable(data):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False

    error = refusal(data)

    assert error.status == 422
    assert "bị hỏng" in error.message


def test_zip_renamed_to_jpg_is_refused_as_not_a_photo():
    error = refusal(make.plain_zip(), "ảnh hội nghị.jpg")

    assert error.status == 415
    assert error.message == 'Tệp "ảnh hội nghị.jpg" không phải ảnh JPEG, PNG, WebP hay HEIC.'


def test_html_claiming_to_be_a_jpeg_is_refused():
    assert refusal(make.html(), "photo.jpeg").status == 415


@pytest.mark.parametrize("role", ["photo", "attachment"])
def test_empty_file_is_refused(role):
    error = refusal(b"", "trống.pdf", role)

    assert error.status == 422
    assert "rỗng" in error.message


@pytest.mark.parametrize(
    "data",
    [
        make.jpeg_claiming_size(20000, 20000),
        make.png_bomb(20000, 20000),
        make.png_bomb(10000, 8000),  # under Pillow's own limit: only our check stops it
        make.webp_claiming_size(16383, 16383),
    ],
    ids=["jpeg-20000²", "png-20000²", "png-10000×8000", "webp-16383²"],
)
def test_pixel_bomb_is_refused_before_decoding(data, monkeypatch):
    def no_decoding(self, *args, **kwargs):
        pytest.fail("the image was decoded before its size was checked")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "load", no_decoding)

    error = refusal(data)

    assert error.status == 422
    assert "quá nhiều điểm ảnh" in error.message and "50 triệu" in error.message


def test_file_over_the_byte_limit_is_refused_with_413():
    data = make.jpeg(640, 400)

    error = refusal(data, max_bytes=len(data) - 1)

    assert error.status == 413
    assert "quá lớn" in error.message


# --- Import cost ------------------------------------------------------------------------------


def test_importing_the_package_does_not_load_heic_support():
    code = "import sys, wardapp.media; assert 'pillow_heif' not in sys.modules"

    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
