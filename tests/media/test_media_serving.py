"""Files are served only through the authorised view, typed, never sniffed, cached for good."""

import io

from PIL import Image

from support import images
from support.evidence import Officer, photo, task_id


def test_a_photo_is_served_with_its_type_and_long_lived_caching(seeded):
    officer = Officer(seeded, "tho-xuong")
    media = officer.site_photo(photos=[images.jpeg(3000, 2000, orientation=6, seed=3)]).json[
        "media"
    ][0]
    display = officer.client.get(media["urls"]["display"])
    assert display.status_code == 200
    assert display.headers["Content-Type"] == "image/jpeg"
    assert display.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in display.headers["Cache-Control"]
    assert "private" in display.headers["Cache-Control"]
    image = Image.open(io.BytesIO(display.data))
    assert image.size == (2048, 1365)  # the upright 3000 × 2000 scene, whatever the stored pixels
    assert not image.getexif()
    thumb = Image.open(io.BytesIO(officer.client.get(media["urls"]["thumb"]).data))
    assert max(thumb.size) <= 320
    again = officer.client.get(
        media["urls"]["display"], headers={"If-None-Match": display.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_attachment_is_downloaded_never_shown_inline(seeded):
    officer = Officer(seeded, "tho-xuong")
    data = {
        "client_uuid": "7d1c4f8e-2a5b-4c3d-9e8f-0a1b2c3d4e5f",
        "task_id": str(task_id(seeded, 3)),
        "kind": "broadcast",
        "occurred_at": "2024-03-18T06:30",
        "station": "Đài phường",
        "start_time": "06:30",
        "minutes": "15",
        "topic": "Chuyển đổi số",
    }
    media = officer.post(data, attachments=[("kịch bản.pdf", images.pdf())]).json["media"][0]
    response = officer.client.get(media["urls"]["original"])
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data == images.pdf()


def test_files_need_a_signed_in_user_who_may_see_them(seeded):
    media = Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=4)]).json["media"][0]
    anonymous = seeded.test_client()
    response = anonymous.get(media["urls"]["original"])
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert Officer(seeded, "dinh-ke").client.get(media["urls"]["original"]).status_code == 404


def test_an_unknown_variant_or_media_is_404(seeded):
    client = Officer(seeded, "vhtt").client
    assert client.get("/media/999999/display").status_code == 404
    assert client.get("/media/1/../../etc/passwd").status_code == 404
