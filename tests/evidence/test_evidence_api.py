"""POST /api/v1/evidence: created once per client_uuid, refused clearly, scoped by unit."""

import threading
import uuid

import pytest
from sqlalchemy import func, select

from support import images
from support.evidence import CITY_CENTRE, Officer, photo, task_id
from support.races import at_once
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db


def count(app, model=Evidence) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def stored_files(app) -> list:
    from pathlib import Path

    root = Path(app.config["MEDIA_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_submission_is_created_with_its_photo_metadata(seeded):
    officer = Officer(seeded, "tho-xuong")
    response = officer.site_photo()
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "submitted" and body["kind"] == "site_photo"
    assert body["fields"] == {
        "place": "Dải phân cách đường Hùng Vương",
        "installed": "Pano tuyên truyền CCHC",
        "quantity": 2,
    }
    [media] = body["media"]
    assert (media["width"], media["height"]) == (800, 600)
    assert media["taken_at"] == "2024-03-20T01:30:00+00:00"  # 08:30 at +07:00
    assert media["taken_at_source"] == "exif"
    assert media["gps"]["lat"] == pytest.approx(CITY_CENTRE[0], abs=1e-4)
    assert media["gps"]["lon"] == pytest.approx(CITY_CENTRE[1], abs=1e-4)
    assert body["warnings"] == []
    assert body["location"]["accuracy"] == 12


def test_replaying_one_submission_five_times_leaves_one_row(seeded):
    officer = Officer(seeded, "tho-xuong")
    key = str(uuid.uuid4())
    first = officer.site_photo(client_uuid=key)
    replays = [officer.site_photo(client_uuid=key) for _ in range(5)]
    assert first.status_code == 201
    assert [r.status_code for r in replays] == [200] * 5
    assert all(r.json == first.json for r in replays)
    assert count(seeded) == 1 and count(seeded, Media) == 1


def test_the_idempotency_key_header_alone_is_enough(seeded):
    officer = Officer(seeded, "tho-xuong")
    key = str(uuid.uuid4())
    first = officer.site_photo(client_uuid="", headers={"Idempotency-Key": key})
    again = officer.site_photo(client_uuid="", headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["client_uuid"] == key


def test_the_same_key_with_a_different_payload_is_a_conflict(seeded):
    officer = Officer(seeded, "tho-xuong")
    key = str(uuid.uuid4())
    assert officer.site_photo(client_uuid=key).status_code == 201
    conflict = officer.site_photo(client_uuid=key, quantity="3")
    assert conflict.status_code == 409
    assert conflict.json["error"] and "client_uuid" in conflict.json["fields"]
    assert count(seeded) == 1


def test_another_officer_reusing_a_key_gets_a_conflict_not_the_evidence(seeded):
    key = str(uuid.uuid4())
    assert Officer(seeded, "tho-xuong").site_photo(client_uuid=key).status_code == 201
    other = Officer(seeded, "song-mai").site_photo(client_uuid=key)
    assert other.status_code == 409 and "id" not in other.json


def test_two_identical_requests_racing_create_one_row(seeded, monkeypatch):
    """Both pass the "is this key new?" check before either writes; the database decides."""
    from wardapp.evidence import services

    barrier = threading.Barrier(2, timeout=10)
    real_store = services.store_files

    def store_then_wait(*args, **kwargs):
        stored = real_store(*args, **kwargs)
        barrier.wait()
        return stored

    monkeypatch.setattr(services, "store_files", store_then_wait)
    officers = [Officer(seeded, "tho-xuong"), Officer(seeded, "tho-xuong")]
    key, image = str(uuid.uuid4()), photo(seed=7)
    results = at_once(
        *[lambda o=o: o.site_photo(client_uuid=key, photos=[image]) for o in officers]
    )
    assert sorted(r.status_code for r in results) == [200, 201]
    assert results[0].json["id"] == results[1].json["id"]
    assert count(seeded) == 1 and count(seeded, Media) == 1
    with seeded.app_context():
        media = db.session.scalars(select(Media)).one()
    files = {p.name for p in stored_files(seeded)}
    assert any(name.startswith(media.sha256) for name in files)


def test_an_api_call_without_a_session_gets_401_json(seeded):
    client = seeded.test_client()
    response = client.post("/api/v1/evidence", data={"client_uuid": str(uuid.uuid4())})
    assert response.status_code == 401
    assert response.is_json and response.json["error"] == "Bạn cần đăng nhập."
    assert client.get("/api/v1/tasks").status_code == 401


def test_a_post_without_the_csrf_token_is_refused_as_json(seeded):
    officer = Officer(seeded, "tho-xuong")
    officer.token = ""
    response = officer.site_photo()
    assert response.status_code == 400
    assert response.json["code"] == "csrf"
    assert count(seeded) == 0


def test_an_officer_cannot_submit_for_a_task_their_unit_does_not_have(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(number=9)  # Phòng VHTT's alone
    assert response.status_code == 403
    assert "không báo cáo nhiệm vụ này" in response.json["error"]
    assert count(seeded) == 0 and stored_files(seeded) == []


def test_a_reviewer_cannot_submit(seeded):
    reviewer = Officer(seeded, "vhtt")
    assert reviewer.site_photo().status_code == 403


def test_the_task_list_holds_the_units_tasks_with_their_forms(seeded):
    officer = Officer(seeded, "tho-xuong")
    tasks = officer.client.get("/api/v1/tasks").json["tasks"]
    numbers = [t["number"] for t in tasks]
    assert 3 in numbers and 9 not in numbers
    task3 = next(t for t in tasks if t["number"] == 3)
    assert task3["rule"] == "weekly" and task3["kinds"] == ["broadcast"]
    assert task3["form_urls"]["broadcast"].endswith("/new?kind=broadcast")


def test_missing_fields_get_vietnamese_messages_per_field(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(
        place="", quantity="zero", occurred_at="hôm qua", photos=[]
    )
    assert response.status_code == 422
    fields = response.json["fields"]
    assert set(fields) >= {"place", "quantity", "occurred_at", "photo"}
    assert fields["quantity"] == "Hãy nhập một số nguyên."
    assert count(seeded) == 0


def test_a_kind_the_task_does_not_take_is_refused(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(number=3)  # broadcast only
    assert response.status_code == 422 and "kind" in response.json["fields"]


BAD_FILES = [
    ("truncated.jpg", lambda: images.truncated(photo()), 422),
    ("archive.jpg", images.plain_zip, 415),
    ("page.jpg", images.html, 415),
    ("empty.jpg", lambda: b"", 422),
    ("bomb.png", lambda: images.png_bomb(20000, 20000), 422),
]


@pytest.mark.parametrize("name,make,status", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_photos_are_refused_and_nothing_is_stored(seeded, name, make, status):
    officer = Officer(seeded, "tho-xuong")
    response = officer.site_photo(photos=[photo(seed=1), (name, make())])
    assert response.status_code == status
    assert response.json["error"] and "photo" in response.json["fields"]
    assert count(seeded) == 0 and count(seeded, Media) == 0
    assert stored_files(seeded) == []


@pytest.mark.app_config(MAX_FILE_BYTES=50_000)
def test_a_file_over_the_size_limit_gets_413(seeded):
    big = images.jpeg(1600, 1200, quality=95)
    assert len(big) > 50_000
    response = Officer(seeded, "tho-xuong").site_photo(photos=[big])
    assert response.status_code == 413
    assert "MB" in response.json["error"]
    assert count(seeded) == 0 and stored_files(seeded) == []


@pytest.mark.app_config(MAX_CONTENT_LENGTH=30_000)
def test_a_request_over_the_total_limit_gets_413_json(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(photos=[images.jpeg(1600, 1200)])
    assert response.status_code == 413 and response.is_json
    assert count(seeded) == 0


@pytest.mark.app_config(MAX_FILES=2)
def test_too_many_files_get_413(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(photos=[photo(i) for i in range(3)])
    assert response.status_code == 413 and count(seeded) == 0


def test_a_vietnamese_file_name_in_nfd_is_stored_in_nfc(seeded):
    import unicodedata

    name = unicodedata.normalize("NFD", "Ảnh hội nghị.jpg")
    response = Officer(seeded, "tho-xuong").site_photo(photos=[(name, photo())])
    assert response.status_code == 201
    assert response.json["media"][0]["filename"] == unicodedata.normalize("NFC", name)


def test_attachments_are_checked_for_what_they_claim(seeded):
    officer = Officer(seeded, "tho-xuong")
    data = {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task_id(seeded, 3)),
        "kind": "broadcast",
        "occurred_at": "2024-03-18T06:30",
        "station": "Đài truyền thanh phường",
        "start_time": "06:30",
        "minutes": "15",
        "topic": "Chuyển đổi số",
    }
    refused = officer.post(data, attachments=[("kich-ban.docx", images.plain_zip())])
    assert refused.status_code == 415 and "attachment" in refused.json["fields"]
    accepted = officer.post(data, attachments=[("kich-ban.pdf", images.pdf())])
    assert accepted.status_code == 201
    assert accepted.json["media"][0]["content_type"] == "application/pdf"


def test_an_officer_cannot_read_another_wards_evidence_or_files(seeded):
    created = Officer(seeded, "tho-xuong").site_photo().json
    other = Officer(seeded, "song-mai").client
    assert other.get(f"/api/v1/evidence/{created['id']}").status_code == 404
    for url in created["media"][0]["urls"].values():
        assert other.get(url).status_code == 404
    listing = other.get("/api/v1/evidence").json
    assert listing["items"] == []


def test_reviewers_and_overseers_read_every_units_evidence(seeded):
    created = Officer(seeded, "tho-xuong").site_photo().json
    for name in ("vhtt", "giamsat"):
        reader = Officer(seeded, name).client
        assert reader.get(f"/api/v1/evidence/{created['id']}").json["id"] == created["id"]
        assert reader.get(created["media"][0]["urls"]["thumb"]).status_code == 200


def test_the_list_filters_by_client_uuid_and_pages_newest_first(seeded):
    officer = Officer(seeded, "tho-xuong")
    ids = [officer.site_photo(photos=[photo(seed=i)]).json["id"] for i in range(3)]
    page = officer.client.get("/api/v1/evidence?limit=2").json
    assert [e["id"] for e in page["items"]] == ids[::-1][:2]
    rest = officer.client.get(page["next"]).json
    assert [e["id"] for e in rest["items"]] == ids[:1] and rest["next"] is None
    key = page["items"][0]["client_uuid"]
    found = officer.client.get(f"/api/v1/evidence?client_uuid={key}").json["items"]
    assert [e["id"] for e in found] == [ids[-1]]


def test_a_photo_sent_without_a_file_name_is_kept_not_dropped(seeded):
    """Some clients send a file part with an empty name; its bytes are still the photo."""
    officer = Officer(seeded, "tho-xuong")
    response = officer.site_photo(photos=[("", photo(seed=77))])
    assert response.status_code == 201, response.json
    assert len(response.json["media"]) == 1


def test_an_empty_file_input_is_no_file_at_all(seeded):
    """A browser posts an unused file input as an empty part with no name: not a photo."""
    officer = Officer(seeded, "tho-xuong")
    response = officer.site_photo(photos=[("", b""), photo(seed=78)])
    assert response.status_code == 201, response.json
    assert len(response.json["media"]) == 1


def test_every_kind_of_evidence_has_its_fields_and_every_schema_a_kind():
    from wardapp.evidence.models import EVIDENCE_KINDS
    from wardapp.evidence.schema import SCHEMAS

    assert tuple(SCHEMAS) == EVIDENCE_KINDS


def test_the_next_page_link_is_made_of_the_query_whatever_its_argument_names(seeded):
    """A query argument named like url_for's own options ("_method", "_external") is not one:
    it made the next link absolute or cut at a "#", or the list a 500."""
    officer = Officer(seeded, "tho-xuong")
    for seed in range(2):
        officer.site_photo(photos=[photo(seed=seed)])
    for query in ("_method=DELETE", "_external=1", "_anchor=x", "_scheme=ftp"):
        response = officer.client.get(f"/api/v1/evidence?limit=1&status=submitted&{query}")
        assert response.status_code == 200, query
        link = response.json["next"]
        assert link.startswith("/api/v1/evidence?") and "#" not in link, (query, link)
        assert "status=submitted" in link and "limit=1" in link
