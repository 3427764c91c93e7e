"""Places: the import (all or nothing), nearest first from a fix, a warning far from the place."""

import csv

from sqlalchemy import func, select

from support.evidence import CITY_CENTRE, Officer
from wardapp.extensions import db
from wardapp.places.commands import import_places_command
from wardapp.places.models import Place
from wardapp.places.services import places_from_tasks

HEADER = ["unit", "name", "kind", "lat", "lon", "street"]
# Two panels on Hùng Vương (about 110 m apart) and the ward's one-stop desk, 1.1 km north.
ROWS = [
    ["tho-xuong", "Pano số 1 Hùng Vương", "panel", "21.2731", "106.1946", "Hùng Vương"],
    ["tho-xuong", "Pano số 2 Hùng Vương", "panel", "21.2741", "106.1946", "Hùng Vương"],
    ["tho-xuong", "Bộ phận một cửa", "one_stop_desk", "21.2831", "106.1946", ""],
    ["song-mai", "Bảng tin thôn", "notice_board", "21.30", "106.20", ""],
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def load(seeded, tmp_path, rows=ROWS):
    result = seeded.test_cli_runner().invoke(
        import_places_command, [str(write_csv(tmp_path / "dia-diem.csv", [HEADER, *rows]))]
    )
    return result


def place_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Place.id).where(Place.name == name))


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Place.id)))


def test_import_loads_a_good_file(seeded, tmp_path):
    result = load(seeded, tmp_path)
    assert result.exit_code == 0, result.output
    assert "4 địa điểm mới" in result.output
    assert load(seeded, tmp_path).exit_code == 0  # again: updated, not doubled
    assert count(seeded) == 4


def test_import_refuses_a_bad_file_whole_naming_each_bad_row(seeded, tmp_path):
    rows = [
        *ROWS,
        ["khong-co", "Pano", "panel", "21.27", "106.19", ""],
        ["tho-xuong", "Loa", "loa phát thanh", "91", "106.19", ""],
    ]
    result = load(seeded, tmp_path, rows)
    assert result.exit_code == 1
    assert 'Dòng 6: không có đơn vị mã "khong-co"' in result.output
    assert "Dòng 7: " in result.output and 'không hiểu loại "loa phát thanh"' in result.output
    assert 'vĩ độ "91"' in result.output
    assert count(seeded) == 0  # the four good rows were not loaded either


def test_the_nearest_place_is_offered_first_for_a_fix(seeded, tmp_path):
    load(seeded, tmp_path)
    officer = Officer(seeded, "tho-xuong")
    near_desk = officer.client.get("/api/v1/places?lat=21.2829&lon=106.1946").json["places"]
    assert [p["name"] for p in near_desk] == [
        "Bộ phận một cửa",
        "Pano số 2 Hùng Vương",
        "Pano số 1 Hùng Vương",
    ]
    assert near_desk[0]["distance_m"] == 22
    near_panel = officer.client.get("/api/v1/places?lat=21.2732&lon=106.1946").json["places"]
    assert near_panel[0]["name"] == "Pano số 1 Hùng Vương"
    assert near_panel[0]["distance_m"] == 11
    # Only the officer's own unit's places, and by name without a fix.
    unfixed = officer.client.get("/api/v1/places?lat=abc").json["places"]
    assert [p["distance_m"] for p in unfixed] == [None, None, None]
    assert "Bảng tin thôn" not in {p["name"] for p in unfixed}


def test_a_fix_500_m_from_the_chosen_place_is_warned_and_one_50_m_away_is_not(seeded, tmp_path):
    load(seeded, tmp_path)
    officer = Officer(seeded, "tho-xuong")
    panel = place_id(seeded, "Pano số 1 Hùng Vương")
    # 0.0045° of latitude is 500 m; 0.00045° is 50 m.
    far = officer.site_photo(place_id=str(panel), lat=str(CITY_CENTRE[0] + 0.0045))
    near = officer.site_photo(place_id=str(panel), lat=str(CITY_CENTRE[0] + 0.00045))
    assert far.status_code == near.status_code == 201
    [warning] = [w for w in far.json["warnings"] if w["code"] == "far_from_place"]
    assert warning["m"] == 500 and "Pano số 1 Hùng Vương" in warning["message"]
    assert near.json["place_id"] == panel
    assert not [w for w in near.json["warnings"] if w["code"] == "far_from_place"]


def test_a_place_of_another_unit_is_refused(seeded, tmp_path):
    load(seeded, tmp_path)
    other = place_id(seeded, "Bảng tin thôn")
    response = Officer(seeded, "tho-xuong").site_photo(place_id=str(other))
    assert response.status_code == 422
    assert "place_id" in response.json["fields"]
    assert Officer(seeded, "tho-xuong").site_photo(place_id="12x").status_code == 422


def test_the_tasks_place_lists_become_places_of_their_units(seeded):
    with seeded.app_context():
        made = places_from_tasks(db.session)
        assert made > 0 and places_from_tasks(db.session) == 0
        names = set(
            db.session.scalars(
                select(Place.name).join(Place.unit).where(Place.unit.has(code="tho-xuong"))
            )
        )
        assert "Dải phân cách đường Hùng Vương" in names
