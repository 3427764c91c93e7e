"""Every photo format has a pixel limit, and a submission a decoding budget, both checked from
the headers before anything is decoded."""

from __future__ import annotations

import functools
import uuid

import pytest
from sqlalchemy import func, select

from support import images as make
from support.evidence import Officer, task_id
from support.media import MAX_BYTES, MAX_PIXELS, refusal
from wardapp.config import Defaults
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.media import MediaError, UploadLimits, inspect_uploads
from wardapp.media.photos import read_header

LIMITS = UploadLimits(
    max_bytes=Defaults.MAX_FILE_BYTES,
    max_pixels=Defaults.MAX_IMAGE_PIXELS,
    max_decode_pixels=Defaults.MAX_DECODE_PIXELS,
    max_request_pixels=Defaults.MAX_REQUEST_DECODE_PIXELS,
)


@functools.cache
def flat_png_49_mp() -> bytes:
    return make.flat_png(8100, 6050)  # 49 MP in about 150 kB


@functools.cache
def flat_png_24_mp() -> bytes:
    return make.flat_png(5657, 4243)  # just under the 25 MP a fully decoded photo may have


def test_a_49_megapixel_png_of_a_few_hundred_kilobytes_is_refused_from_its_header(no_decoding):
    data = flat_png_49_mp()
    assert len(data) < 300_000

    error = refusal(data, "ảnh phẳng.png", max_decode_pixels=Defaults.MAX_DECODE_PIXELS)

    assert error.status == 422
    assert error.message == (
        'Ảnh "ảnh phẳng.png" có quá nhiều điểm ảnh (tối đa 25 triệu); hãy gửi ảnh nhỏ hơn.'
    )


@pytest.mark.parametrize("encode", [make.png, make.webp, make.heic], ids=["png", "webp", "heic"])
def test_every_format_decoded_in_full_is_held_to_the_lower_limit(encode, no_decoding):
    error = refusal(encode(400, 300), "ảnh.bin", max_decode_pixels=100_000)

    assert error.status == 422 and "tối đa 0,1 triệu" in error.message


def test_a_jpeg_decoded_at_a_reduced_scale_keeps_the_higher_limit():
    upload = inspect_uploads(
        [("photo", "ảnh.jpg", make.jpeg(400, 300))],
        UploadLimits(MAX_BYTES, MAX_PIXELS, max_decode_pixels=100_000, max_request_pixels=10**9),
    )[0]

    assert upload.photo is not None and (upload.photo.width, upload.photo.height) == (400, 300)


def test_a_jpeg_counts_the_pixels_it_is_decoded_at_and_other_formats_every_pixel():
    assert read_header(make.jpeg(4000, 3000)).decoded_pixels == 2000 * 1500
    assert read_header(make.flat_png(4000, 3000)).decoded_pixels == 4000 * 3000
    assert read_header(make.html()) is None


def test_ten_large_but_allowed_photos_in_one_submission_are_refused_before_any_is_decoded(
    no_decoding,
):
    photos = [("photo", f"ảnh {n}.png", flat_png_24_mp()) for n in range(10)]

    with pytest.raises(MediaError) as caught:
        inspect_uploads(photos, LIMITS)

    assert caught.value.status == 413 and caught.value.field == "photo"
    assert caught.value.message.startswith(
        "Các ảnh của lần gửi này quá lớn để xử lý cùng lúc (240 triệu điểm ảnh, tối đa 150 "
        "triệu mỗi lần gửi)"
    )


def test_a_photo_too_large_for_its_format_is_named_before_the_submission_total(no_decoding):
    photos = [("photo", "nhỏ.png", flat_png_24_mp()), ("photo", "lớn.png", flat_png_49_mp())]

    with pytest.raises(MediaError) as caught:
        inspect_uploads(photos, LIMITS)

    assert caught.value.status == 422 and '"lớn.png"' in caught.value.message


def test_the_api_refuses_a_submission_whose_photos_decode_too_much_and_keeps_nothing(seeded):
    officer = Officer(seeded, "tho-xuong")
    form = {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task_id(seeded, 5)),
        "kind": "meeting",
        "occurred_at": "2024-03-21T14:00",
        "meeting_type": "Hội nghị",
        "place": "Hội trường",
        "organiser": "UBND phường",
        "attendees": "40",
    }

    response = officer.post(form, photos=[(f"ảnh {n}.png", flat_png_24_mp()) for n in range(7)])

    assert response.status_code == 413 and "photo" in response.json["fields"]
    assert "quá lớn để xử lý cùng lúc" in response.json["error"]
    with seeded.app_context():
        assert db.session.scalar(select(func.count(Evidence.id))) == 0
