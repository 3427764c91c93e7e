"""Warnings stored for the reviewer: reused or near-identical photos, odd times, odd places."""
from datetime import datetime

import imagefactory
from evidencekit import Officer, photo


def codes(response) -> list[str]:
    assert response.status_code == 201, response.json
    return [w["code"] for w in response.json["warnings"]]


def test_the_same_photo_submitted_again_anywhere_is_flagged_with_the_earlier_evidence(seeded):
    image = photo(seed=11)
    first = Officer(seeded, "tho-xuong").site_photo(photos=[image])
    second = Officer(seeded, "song-mai").site_photo(photos=[image])
    assert codes(first) == []
    [warning] = second.json["warnings"]
    assert warning["code"] == "duplicate_photo"
    assert warning["evidence_id"] == first.json["id"]
    assert f"#{first.json['id']}" in warning["message"]


def test_a_recompressed_smaller_copy_is_flagged_as_near_identical(seeded):
    image = photo(seed=12, size=(1200, 900))
    first = Officer(seeded, "tho-xuong").site_photo(photos=[image])
    copy = imagefactory.recompressed(image, scale=0.5, quality=60)
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
    bare = imagefactory.jpeg(640, 480, seed=19)  # no EXIF time, no GPS
    meta = '{"taken_at": "2024-03-20T08:00:00+07:00", "lat": 21.27, "lon": 106.19}'
    response = Officer(seeded, "tho-xuong").site_photo(photos=[bare], photo_meta=meta)
    media = response.json["media"][0]
    assert media["taken_at_source"] == "phone"
    assert media["taken_at"] == "2024-03-20T01:00:00+00:00"
    assert media["gps"] == {"lat": 21.27, "lon": 106.19, "source": "phone"}


def test_exif_the_server_reads_wins_over_what_the_phone_reported(seeded):
    meta = '{"taken_at": "2020-01-01T00:00:00+07:00", "lat": 10.0, "lon": 100.0}'
    response = Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=20)], photo_meta=meta)
    media = response.json["media"][0]
    assert media["taken_at_source"] == "exif" and media["gps"]["source"] == "exif"
    assert media["gps"]["lat"] > 21
