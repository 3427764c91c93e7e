"""File names and attachments: clean names, types checked from the bytes, refusals."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from support import images as make
from support.media import MAX_BYTES, MAX_PIXELS, refusal
from wardapp.media import check_attachment, clean_filename, download_name, inspect_upload

# --- File names -----------------------------------------------------------------------------


def test_vietnamese_name_in_nfd_comes_out_nfc():
    name = unicodedata.normalize("NFD", "Ảnh hội nghị.jpg")
    assert name != "Ảnh hội nghị.jpg"

    assert clean_filename(name) == "Ảnh hội nghị.jpg"


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("C:\\fakepath\\biên bản.pdf", "biên bản.pdf"),
        ("../../etc/passwd", "passwd"),
        ("bá\x00o\tcáo\n.docx", "báo cáo .docx"),
        ("hóa đơn\u202egpj.exe", "hóa đơngpj.exe"),
        ('a<b>:"c"?.xlsx', "a_b___c__.xlsx"),
        ("", "tệp"),
        ("...", "tệp"),
    ],
)
def test_file_name_loses_folders_and_invisible_characters(raw, clean):
    assert clean_filename(raw) == clean


def test_long_file_name_is_cut_but_keeps_its_extension():
    cleaned = clean_filename("Báo cáo " * 40 + ".docx")

    assert len(cleaned) <= 120
    assert cleaned.endswith(".docx") and cleaned.startswith("Báo cáo")


@pytest.mark.parametrize(
    "sent,content_type,handed_out",
    [
        ("bien-ban.html", "application/pdf", "bien-ban.pdf"),
        ("bien-ban.hta", "application/pdf", "bien-ban.pdf"),
        ("chay.cmd", "application/pdf", "chay.pdf"),
        ("danh-sach.pdf.hta", "application/pdf", "danh-sach.pdf"),
        ("Báo cáo quý", "application/pdf", "Báo cáo quý.pdf"),
        ("Biên bản 12.3.2024", "application/pdf", "Biên bản 12.3.2024.pdf"),
        ("hóa đơn\u202egpj.exe", "application/pdf", "hóa đơngpj.pdf"),
        ("Ảnh 1.JPEG", "image/jpeg", "Ảnh 1.jpg"),
        ("ghi-am.svg", "audio/mpeg", "ghi-am.mp3"),
        ("", "application/pdf", "tệp.pdf"),
    ],
)
def test_a_download_is_named_by_its_checked_type_never_by_the_senders_extension(
    sent, content_type, handed_out
):
    assert download_name(sent, content_type) == handed_out


def test_a_long_download_name_keeps_the_checked_extension():
    name = download_name("Báo cáo " * 40 + ".html", "application/pdf")

    assert len(name) <= 120 and name.startswith("Báo cáo") and name.endswith("Báo.pdf")


# --- Attachments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,content_type",
    [
        (make.pdf(), "application/pdf"),
        (make.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (make.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (make.wav(), "audio/wav"),
        (make.mp3(), "audio/mpeg"),
        (make.mp3(id3=False), "audio/mpeg"),
        (make.m4a(), "audio/mp4"),
        (make.m4a(brand=b"mp42"), "audio/mp4"),
    ],
    ids=["pdf", "docx", "xlsx", "wav", "mp3", "mp3-without-tag", "m4a", "m4a-mp42"],
)
def test_good_attachments_are_accepted_with_their_type(data, content_type):
    upload = inspect_upload(
        data, "tệp đính kèm", "attachment", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS
    )

    assert check_attachment(data, "x") == content_type
    assert upload.content_type == content_type
    assert upload.sha256 == hashlib.sha256(data).hexdigest() and upload.size == len(data)
    assert upload.photo is None


@pytest.mark.parametrize(
    "data",
    [make.plain_zip(), make.odt(), make.docx(macro_enabled=True)],
    ids=["plain-zip", "odt", "macro-enabled-docm"],
)
def test_zip_that_is_not_a_word_document_is_refused_as_docx(data):
    error = refusal(data, "biên bản.docx", "attachment")

    assert error.status == 415
    assert error.message.startswith('Tệp "biên bản.docx" không phải PDF')


def test_office_file_with_corrupt_compressed_data_is_refused_not_crashed():
    data = bytearray(make.docx())
    start = 30 + len("[Content_Types].xml")  # the first member's data, after its local header
    data[start : start + 8] = b"\xff" * 8

    assert refusal(bytes(data), "biên bản.docx", "attachment").status == 415


@pytest.mark.parametrize(
    "data",
    [make.m4a(brand=b"mp42", video=True), make.html(), make.mp3(frames=1, id3=False)],
    ids=["mp4-video", "html", "lone-mp3-like-bytes"],
)
def test_other_files_are_not_attachments(data):
    assert refusal(data, "tệp.m4a", "attachment").status == 415


def test_photo_sent_as_an_attachment_is_pointed_to_the_photo_field():
    error = refusal(make.jpeg(64, 48), "ảnh.jpg", "attachment")

    assert error.status == 415 and "mục ảnh" in error.message


def test_accepted_photo_upload_has_clean_name_hash_and_copies():
    data = make.jpeg(640, 400)

    upload = inspect_upload(
        data,
        unicodedata.normalize("NFD", "thư mục/Ảnh 1.JPG"),
        "photo",
        max_bytes=MAX_BYTES,
        max_pixels=MAX_PIXELS,
    )

    assert upload.filename == "Ảnh 1.JPG" and upload.download_name == "Ảnh 1.jpg"
    assert upload.content_type == "image/jpeg" and upload.suffix == ".jpg"
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert upload.photo is not None and upload.photo.display
