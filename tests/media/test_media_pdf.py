"""A PDF is what pypdf can read as one, with a page; the ``%PDF-`` prefix alone is a claim."""

from __future__ import annotations

import io

import pypdf
import pytest
from PIL import Image

from support import images as make
from support.media import MAX_BYTES, MAX_PIXELS, refusal
from wardapp.media import inspect_upload
from wardapp.media import pdf as pdf_check


def accepted(data: bytes, name: str = "kế hoạch.pdf") -> str:
    return inspect_upload(
        data, name, "attachment", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS
    ).content_type


def written_by_pypdf(pages: int = 3, **encrypt) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if encrypt:
        writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def saved_by_pillow() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(out, "PDF")
    return out.getvalue()


def with_objects(*bodies: bytes) -> bytes:
    """A PDF of these objects (1 is the catalogue) with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def table_off(data: bytes, padding: int = 0) -> bytes:
    """The same PDF with a comment slipped in after the header: every offset now points a
    few bytes early, as after some tools' edits; viewers repair it by scanning for objects."""
    marker = data.index(b"\n") + 1
    return data[:marker] + b"% edited\n" + b"%" * padding + b"\n" + data[marker:]


@pytest.mark.parametrize(
    "data",
    [
        make.pdf(),
        written_by_pypdf(),
        saved_by_pillow(),
        written_by_pypdf(1, user_password="", owner_password="chủ", algorithm="AES-256"),
    ],
    ids=["hand-written", "pypdf", "pillow", "owner-password-only"],
)
def test_a_readable_pdf_with_a_page_is_accepted(data):
    assert accepted(data) == "application/pdf"


def test_a_small_pdf_whose_table_is_off_is_repaired_as_viewers_repair_it():
    assert accepted(table_off(make.pdf())) == "application/pdf"


@pytest.mark.parametrize(
    "data",
    [make.truncated(make.pdf()), make.pdf()[:-12], make.truncated(written_by_pypdf(), 0.9)],
    ids=["60 %", "trailer cut", "90 %"],
)
def test_a_pdf_cut_short_is_refused_as_broken_naming_the_file(data):
    error = refusal(data, "biên bản.pdf", "attachment")

    assert error.status == 422
    assert error.message.startswith('Tệp PDF "biên bản.pdf" bị hỏng hoặc chưa tải lên hết')


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + make.html(),
        b"%PDF-1.7\n" + make.html() + b"\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n",
        b"%PDF-" + make.mp3(),
    ],
    ids=["web page", "web page with a made-up trailer", "audio"],
)
def test_something_else_behind_the_pdf_prefix_is_refused_as_not_a_pdf(data):
    error = refusal(data, "bien-ban.pdf", "attachment")

    assert error.status == 415
    assert error.message.startswith('Tệp "bien-ban.pdf" không phải PDF')


@pytest.mark.parametrize(
    "data",
    [
        with_objects(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"),
        with_objects(b"<< /Type /Catalog >>"),
        with_objects(
            b"<< /Type /Catalog /Pages 2 0 R >>",
            *(
                b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (n + 1)
                for n in range(2, 2 + pdf_check.MAX_TREE_DEPTH + 5)
            ),
            b"<< /Type /Page /MediaBox [0 0 10 10] >>",
        ),
    ],
    ids=["no pages", "no page tree", "page tree deeper than any writer makes"],
)
def test_a_pdf_with_no_page_to_show_is_refused(data):
    assert refusal(data, "trống.pdf", "attachment").status == 422


def test_a_pdf_that_opens_only_with_a_password_is_refused_saying_so():
    data = written_by_pypdf(1, user_password="mật khẩu", algorithm="AES-128")

    error = refusal(data, "hồ sơ.pdf", "attachment")

    assert error.status == 422 and "mật khẩu" in error.message and "hồ sơ.pdf" in error.message


def test_a_large_pdf_whose_table_is_off_is_refused_without_scanning_it_whole(monkeypatch):
    # A repair scans every byte for objects: about half a second a megabyte on a crafted file.
    data = table_off(make.pdf(), padding=pdf_check.REPAIR_MAX_BYTES)
    reads = []
    real = pypdf.PdfReader
    monkeypatch.setattr(
        pypdf,
        "PdfReader",
        lambda stream, strict: reads.append(strict) or real(stream, strict=strict),
    )

    assert refusal(data, "lớn.pdf", "attachment").status == 422
    assert reads == [True]
