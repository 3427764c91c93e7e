"""Shared by the media tests: the limits they run with, and how a refusal is checked."""

import unicodedata

import pytest

from wardapp.media import MediaError, inspect_upload

MAX_PIXELS = 50_000_000
MAX_BYTES = 25 * 1024 * 1024


def refusal(data: bytes, filename: str = "ảnh.jpg", role: str = "photo", **limits) -> MediaError:
    with pytest.raises(MediaError) as caught:
        inspect_upload(
            data,
            filename,
            role,
            max_bytes=limits.get("max_bytes", MAX_BYTES),
            max_pixels=limits.get("max_pixels", MAX_PIXELS),
            **{k: v for k, v in limits.items() if k == "max_decode_pixels"},
        )
    error = caught.value
    assert error.field == role
    assert unicodedata.is_normalized("NFC", error.message)
    return error
