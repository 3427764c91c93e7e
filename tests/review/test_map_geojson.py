"""The map's GeoJSON: the queue's filters and who may see what (an officer, their own unit)."""

from sqlalchemy import select

from support.client import signed_in
from support.evidence import make_evidence
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.plans.models import Task
from wardapp.units.models import Unit


def setup_items(app) -> dict[str, int]:
    """Three items of Thọ Xương (one at a place, with no fix of its own), one of Song Mai."""
    with app.app_context():
        ward = db.session.scalar(select(Unit).where(Unit.code == "tho-xuong"))
        commune = db.session.scalar(select(Unit).where(Unit.code == "song-mai"))
        task = db.session.scalar(select(Task).where(Task.number == 6))
        panel = Place(unit=ward, name="Pano Hùng Vương", kind="panel", lat=21.28, lon=106.2)
        db.session.add_all([panel, Place(unit=commune, name="Bảng tin", lat=21.3, lon=106.3)])
        db.session.flush()
        ids = {}
        for name, unit, status, where in (
            ("waiting", ward, "submitted", (21.27, 106.19)),
            ("approved", ward, "approved", (21.26, 106.18)),
            ("at_place", ward, "approved", None),
            ("commune", commune, "submitted", (21.31, 106.31)),
        ):
            e = make_evidence(task, unit, status=status)
            if where:
                e.lat, e.lon = where
            else:
                e.place_id = panel.id
            ids[name] = e.id
        make_evidence(task, ward, status="submitted")  # nowhere: left off the map
        db.session.commit()
        return ids


def features(client, query: str = "") -> dict[int, dict]:
    answer = client.get(f"/api/v1/evidence.geojson?{query}")
    assert answer.status_code == 200
    assert answer.json["type"] == "FeatureCollection"
    return {f["id"]: f for f in answer.json["features"]}


def test_the_evidence_geojson_honours_the_queues_filters(seeded):
    ids = setup_items(seeded)
    reviewer, _ = signed_in(seeded, "vhtt")
    waiting = features(reviewer)  # the queue's default: waiting for review
    assert set(waiting) == {ids["waiting"], ids["commune"]}
    assert waiting[ids["waiting"]]["geometry"]["coordinates"] == [106.19, 21.27]
    everything = features(reviewer, "status=all")
    assert set(everything) == set(ids.values())
    assert everything[ids["at_place"]]["properties"]["located_by"] == "place"
    assert everything[ids["at_place"]]["geometry"]["coordinates"] == [106.2, 21.28]
    with seeded.app_context():
        commune = db.session.scalar(select(Unit.id).where(Unit.code == "song-mai"))
    assert set(features(reviewer, f"status=all&unit={commune}")) == {ids["commune"]}
    assert set(features(reviewer, "status=approved")) == {ids["approved"], ids["at_place"]}
    assert features(reviewer, "status=all&kind=meeting") == {}
    assert features(reviewer, "status=all&from=2030-01-01") == {}


def test_an_officer_sees_only_their_units_items_and_places(seeded):
    ids = setup_items(seeded)
    officer, _ = signed_in(seeded, "tho-xuong")
    assert set(features(officer, "status=all")) == {
        ids["waiting"],
        ids["approved"],
        ids["at_place"],
    }
    with seeded.app_context():
        commune = db.session.scalar(select(Unit.id).where(Unit.code == "song-mai"))
    assert features(officer, f"status=all&unit={commune}") == {}
    places = officer.get("/api/v1/places.geojson").json["features"]
    assert [p["properties"]["name"] for p in places] == ["Pano Hùng Vương"]
    overseer, _ = signed_in(seeded, "noivu")
    assert len(overseer.get("/api/v1/places.geojson").json["features"]) == 2
    assert officer.get("/review/map").status_code == 403


def test_the_map_page_names_the_tiles_and_allows_their_images(seeded):
    reviewer, _ = signed_in(seeded, "vhtt")
    page = reviewer.get("/review/map?status=approved")
    html = page.get_data(as_text=True)
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "© OpenStreetMap contributors" in html
    assert "/api/v1/evidence.geojson?status=approved" in html
    assert (
        "img-src 'self' https://tile.openstreetmap.org" in page.headers["Content-Security-Policy"]
    )
