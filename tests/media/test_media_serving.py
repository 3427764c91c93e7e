"""Files are served only through the authorised view, typed, never sniffed, cached for good."""

import io
import urllib.request

import pytest
from PIL import Image
from sqlalchemy import func, select

from support import images
from support.evidence import Officer, photo, task_id
from support.servers import free_port
from wardapp.evidence.models import Evidence
from wardapp.extensions import db

pytestmark = pytest.mark.both_stores


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
    assert display.content_length == len(display.data)
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


@pytest.mark.parametrize(("backend", "store_kind"), [("sqlite", "s3")])
@pytest.mark.app_config(S3_PRESIGN=True, S3_PRESIGN_SECONDS=30)
def test_with_presigned_links_the_bucket_sends_the_photo_after_the_same_check(seeded, s3_server):
    image = photo(seed=5)
    officer = Officer(seeded, "tho-xuong")
    media = officer.site_photo(photos=[image]).json["media"][0]
    answer = officer.client.get(media["urls"]["original"])
    assert answer.status_code == 302 and "no-store" in answer.headers["Cache-Control"]
    link = answer.headers["Location"]
    assert link.startswith(s3_server.endpoint + "/") and "X-Amz-Expires=30" in link
    with urllib.request.urlopen(link, timeout=10) as got:  # no cookie, no credentials
        assert got.read() == image
        assert got.headers["Content-Type"] == "image/jpeg"
        assert got.headers["Content-Disposition"].startswith("inline")
    assert Officer(seeded, "dinh-ke").client.get(media["urls"]["original"]).status_code == 404
    assert seeded.test_client().get(media["urls"]["original"]).status_code == 302  # to sign-in
    page = officer.client.get(
        f"/evidence/{officer.client.get('/api/v1/evidence').json['items'][0]['id']}"
    )
    assert f"img-src 'self' {s3_server.endpoint} " in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("backend", "store_kind"), [("sqlite", "local")])
@pytest.mark.app_config(ACCEL_REDIRECT="/_media/")
def test_behind_nginx_the_app_names_the_file_and_nginx_sends_it(seeded):
    officer = Officer(seeded, "tho-xuong")
    media = officer.site_photo(photos=[photo(seed=6)]).json["media"][0]
    answer = officer.client.get(media["urls"]["display"])
    accel = answer.headers["X-Accel-Redirect"]
    assert accel.startswith("/_media/") and answer.data == b""
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert "private" in answer.headers["Cache-Control"]
    with seeded.app_context():
        from wardapp.media.app_store import storage

        assert storage().path(accel.removeprefix("/_media/")).is_file()
    refused = Officer(seeded, "dinh-ke").client.get(media["urls"]["display"])
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused.headers


@pytest.mark.parametrize(("backend", "store_kind"), [("sqlite", "s3")])
@pytest.mark.app_config(S3_MAX_ATTEMPTS=1)
def test_a_bucket_that_does_not_answer_is_a_503_to_send_again_and_nothing_is_kept(seeded):
    officer = Officer(seeded, "tho-xuong")
    kept = officer.site_photo(photos=[photo(seed=8)]).json["media"][0]["urls"]["original"]
    seeded.config["S3_ENDPOINT_URL"] = f"http://127.0.0.1:{free_port()}"  # nobody there
    seeded.extensions.pop("wardapp.storage")

    refused = officer.site_photo(photos=[photo(seed=9)])
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert refused.json["error"]
    assert officer.client.get(kept).status_code == 503
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1
