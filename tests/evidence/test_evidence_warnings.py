"""Warnings stored for the reviewer: reused or near-identical photos, odd times, odd places."""

import json
from datetime import datetime, timedelta

import pytest
from PIL import Image

from support import images
from support.evidence import Officer, photo, task_id
from support.review import Reviewer
from wardapp.core.i18n import city_tz


def codes(response) -> list[str]:
    assert response.status_code == 201, response.json
    return [w["code"] for w in response.json["warnings"]]


def test_the_same_photo_submitted_again_anywhere_is_flagged_with_the_earlier_evidence(seeded):
    image = photo(seed=11)
    first = Officer(seeded, "tho-xuong").site_photo(photos=[image])
    second = Officer(seeded, "song-mai").site_photo(photos=[image])
    assert codes(first) == []
    assert codes(second) == ["duplicate_photo"]
    reviewer = Reviewer(seeded).client.get(f"/api/v1/evidence/{second.json['id']}").json
    [warning] = reviewer["warnings"]
    assert warning["evidence_id"] == first.json["id"]
    assert f"#{first.json['id']}" in warning["message"]


def test_an_officer_learns_a_photo_was_seen_before_but_not_in_which_units_evidence(seeded):
    image = photo(seed=21)
    first = Officer(seeded, "tho-xuong").site_photo(photos=[image])
    officer = Officer(seeded, "song-mai")
    second = officer.site_photo(photos=[image])
    [warning] = second.json["warnings"]
    assert warning["code"] == "duplicate_photo" and "evidence_id" not in warning
    assert f"#{first.json['id']}" not in warning["message"]
    assert "trùng" in warning["message"]
    page = officer.client.get(f"/evidence/{second.json['id']}").get_data(as_text=True)
    assert f"#{first.json['id']}" not in page and "đã được nộp trước đó" in page
    own = Officer(seeded, "tho-xuong").site_photo(photos=[image])  # its own earlier item
    assert own.json["warnings"][0]["evidence_id"] == first.json["id"]


def test_a_recompressed_smaller_copy_is_flagged_as_near_identical(seeded):
    image = photo(seed=12, size=(1200, 900))
    first = Officer(seeded, "tho-xuong").site_photo(photos=[image])
    copy = images.recompressed(image, scale=0.5, quality=60)
    second = Officer(seeded, "tho-xuong").site_photo(photos=[copy])
    assert codes(second) == ["similar_photo"]
    assert second.json["warnings"][0]["evidence_id"] == first.json["id"]


def test_a_different_photo_is_not_flagged(seeded):
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=13)])
    assert codes(Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=14)])) == []


def test_a_photo_taken_long_before_the_reported_time_is_flagged(seeded):
    old = photo(seed=15, taken_at=datetime(2023, 11, 2, 9, 0))
    response = Officer(seeded, "tho-xuong").site_photo(photos=[old])
    assert codes(response) == ["exif_time_far"]
    assert "02/11/2023" in response.json["warnings"][0]["message"]


def test_gps_outside_the_city_is_flagged(seeded):
    hanoi = photo(seed=16, gps=(21.0285, 105.8542))
    response = Officer(seeded, "tho-xuong").site_photo(photos=[hanoi], lat="", lon="")
    assert codes(response) == ["outside_city"]


def test_no_location_at_all_is_flagged(seeded):
    bare = photo(seed=17, gps=None)
    response = Officer(seeded, "tho-xuong").site_photo(photos=[bare], lat="", lon="")
    assert codes(response) == ["no_location"]


def test_the_phones_location_fix_counts_when_the_photo_has_no_gps(seeded):
    bare = photo(seed=18, gps=None)
    assert codes(Officer(seeded, "tho-xuong").site_photo(photos=[bare])) == []


def test_metadata_only_the_phone_reported_is_kept_and_marked(seeded):
    bare = images.jpeg(640, 480, seed=19)  # no EXIF time, no GPS
    meta = '{"taken_at": "2024-03-20T08:00:00+07:00", "lat": 21.27, "lon": 106.19}'
    response = Officer(seeded, "tho-xuong").site_photo(photos=[bare], photo_meta=meta)
    media = response.json["media"][0]
    assert media["taken_at_source"] == "phone"
    assert media["taken_at"] == "2024-03-20T01:00:00+00:00"
    assert media["gps"] == {"lat": 21.27, "lon": 106.19, "source": "phone"}


def test_each_photo_keeps_where_its_place_came_from(seeded):
    """The photo's GPS, the phone's fix at capture, the fix confirmed after a gallery pick,
    or none; a fix the officer did not confirm is never the photo's place."""
    metas = [
        "{}",
        '{"place": "capture", "fix_lat": 21.2712, "fix_lon": 106.1921, "fix_accuracy": 14}',
        '{"place": "later", "fix_lat": 21.2713, "fix_lon": 106.1922}',
        '{"place": "none", "fix_lat": 21.2713, "fix_lon": 106.1922}',
        '{"place": "capture"}',
        '{"place": "anywhere", "fix_lat": 21.2, "fix_lon": 106.1}',
    ]
    photos = [photo(seed=30)] + [images.jpeg(640, 480, seed=31 + n) for n in range(5)]
    response = Officer(seeded, "tho-xuong").site_photo(
        photos=photos, photo_meta=json.dumps([json.loads(m) for m in metas])
    )
    assert response.status_code == 201, response.json
    media = response.json["media"]
    assert [m["place_source"] for m in media] == [
        "exif",
        "capture",
        "later",
        "none",
        "none",
        "none",
    ]
    assert [m["gps"] and m["gps"]["lat"] for m in media[1:]] == [21.2712, 21.2713, None, None, None]
    assert "no_location" not in codes(response)


def test_a_photo_sent_without_the_phone_s_word_has_its_place_from_exif_or_none(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(
        photos=[photo(seed=40), images.jpeg(640, 480, seed=41)]
    )
    assert [m["place_source"] for m in response.json["media"]] == ["exif", "none"]


def test_exif_the_server_reads_wins_over_what_the_phone_reported(seeded):
    meta = '{"taken_at": "2020-01-01T00:00:00+07:00", "lat": 10.0, "lon": 100.0}'
    response = Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=20)], photo_meta=meta)
    media = response.json["media"][0]
    assert media["taken_at_source"] == "exif" and media["gps"]["source"] == "exif"
    assert media["gps"]["lat"] > 21


def test_a_report_dated_outside_the_plans_year_is_flagged(seeded):
    when = datetime(2023, 12, 20, 9, 0)
    response = Officer(seeded, "tho-xuong").site_photo(
        photos=[photo(seed=22, taken_at=when)], occurred_at="2023-12-20T09:00"
    )
    assert codes(response) == ["outside_plan"]
    assert "20/12/2023" in response.json["warnings"][0]["message"]
    assert "2024" in response.json["warnings"][0]["message"]


@pytest.mark.app_config(LATE_AFTER_DAYS=14)
def test_a_report_sent_long_after_the_work_is_flagged_as_sent_late(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=23)])
    assert codes(response) == ["sent_late"]  # happened 20/03/2024, sent today
    assert "Gửi muộn" in response.json["warnings"][0]["message"]


@pytest.mark.app_config(LATE_AFTER_DAYS=14)
def test_a_report_sent_within_the_delay_is_not_late(seeded):
    with seeded.app_context():
        tz = city_tz()
    when = datetime.now(tz) - timedelta(days=2)
    response = Officer(seeded, "tho-xuong").site_photo(
        photos=[photo(seed=24, taken_at=when.replace(tzinfo=None))],
        occurred_at=when.strftime("%Y-%m-%dT%H:%M"),
    )
    assert "sent_late" not in codes(response)


@pytest.mark.parametrize("ahead, status", [(timedelta(minutes=5), 201), (timedelta(hours=1), 422)])
def test_a_time_ahead_of_the_servers_clock_is_refused_past_a_small_allowance(seeded, ahead, status):
    with seeded.app_context():
        tz = city_tz()
    when = datetime.now(tz) + ahead
    response = Officer(seeded, "tho-xuong").site_photo(
        photos=[photo(seed=25, taken_at=when.replace(tzinfo=None))],
        occurred_at=when.strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == status
    if status == 422:
        assert response.json["fields"]["occurred_at"] == "Thời điểm này còn ở tương lai."


def test_a_date_in_another_century_is_refused(seeded):
    response = Officer(seeded, "tho-xuong").site_photo(occurred_at="0024-03-20T09:00")
    assert response.status_code == 422 and "occurred_at" in response.json["fields"]


def test_the_capture_form_knows_the_plans_year_and_the_late_delay_to_warn_before_sending(seeded):
    officer = Officer(seeded, "tho-xuong")
    page = officer.client.get(f"/tasks/{task_id(seeded, 6)}/new?kind=site_photo")
    body = page.get_data(as_text=True)
    assert 'data-plan-start="2024-01-01"' in body and 'data-plan-end="2024-12-31"' in body
    assert "ngoài kỳ kế hoạch năm 2024" in body and 'class="notice date-notice"' in body


PANEL = images.street(7)
T = Image.Transpose


@pytest.mark.parametrize(
    "change",
    [
        lambda d: images.cropped(d, 0.04),
        lambda d: images.cropped(d, 0.10, side="corner"),
        lambda d: images.cropped(d, 0.10, side="left"),
        lambda d: images.transposed(d, T.ROTATE_90),
        lambda d: images.transposed(d, T.FLIP_LEFT_RIGHT),
        images.screenshot,
    ],
    ids=["crop-4%", "crop-10%-corner", "crop-10%-side", "quarter-turn", "mirror", "screenshot"],
)
def test_a_changed_copy_of_a_stored_photo_is_flagged(seeded, change):
    original = images.moment(PANEL, seed=1)
    first = Officer(seeded, "tho-xuong").site_photo(photos=[original])
    second = Officer(seeded, "song-mai").site_photo(photos=[change(original)])
    assert codes(first) == []
    assert codes(second) == ["similar_photo"]
    reviewer = Reviewer(seeded).client.get(f"/api/v1/evidence/{second.json['id']}").json
    assert reviewer["warnings"][0]["evidence_id"] == first.json["id"]


def test_two_photos_of_the_same_panel_taken_moments_apart_are_not_flagged(seeded):
    first = Officer(seeded, "tho-xuong").site_photo(photos=[images.moment(PANEL, seed=1)])
    again = Officer(seeded, "tho-xuong").site_photo(photos=[images.moment(PANEL, seed=2)])
    assert codes(first) == [] and codes(again) == []


def test_a_photo_whose_probe_hashes_were_not_kept_is_checked_from_its_display_copy(seeded):
    """``process_photo`` hands its probe hashes on to the check; a Media made otherwise (read
    back, imported) has none, and the check makes them from the display copy it stored."""
    from wardapp.evidence import warnings
    from wardapp.evidence.models import Media
    from wardapp.media import process_photo
    from wardapp.media.app_store import storage

    original = images.moment(PANEL, seed=1)
    first = Officer(seeded, "tho-xuong").site_photo(photos=[original])
    copy = process_photo(images.transposed(original, T.ROTATE_90), max_pixels=50_000_000)
    with seeded.test_request_context():
        media = Media(sha256="0" * 64, display_key=storage().put(copy.display, ".jpg"))
        assert media.probe_hashes == ()
        [warning] = warnings._duplicates(media, exclude=set())
    assert warning == {"code": "similar_photo", "evidence_id": first.json["id"]}


def test_a_stored_photo_is_indexed_by_every_hash_process_photo_made_for_it(seeded):
    from sqlalchemy import select

    from wardapp.evidence.models import Media, phash_bands
    from wardapp.extensions import db
    from wardapp.media import process_photo

    original = images.moment(PANEL, seed=1)
    Officer(seeded, "tho-xuong").site_photo(photos=[original])
    made = process_photo(original, max_pixels=50_000_000).copy_hashes
    with seeded.app_context():
        rows = db.session.scalars(select(Media)).one().copy_hashes
        assert sorted(row.value for row in rows) == sorted(made)
        assert all((row.b0, row.b1, row.b2, row.b3) == phash_bands(row.value) for row in rows)
