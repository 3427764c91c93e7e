"""The registry's pages: a reviewer adds and edits places, an overseer reads them, an officer
does not reach them; every change is in the audit record."""

from sqlalchemy import select

from support.client import signed_in
from wardapp.audit.models import AuditEvent
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.units.models import Unit


def unit_id(app, code="tho-xuong") -> int:
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.code == code))


def form(app, **values) -> dict:
    return {
        "unit_id": str(unit_id(app)),
        "name": "Pano số 1 Hùng Vương",
        "kind": "panel",
        "lat": "21.2731",
        "lon": "106.1946",
        "street": "Hùng Vương",
        "active": "y",
        **values,
    }


def test_a_reviewer_adds_and_edits_a_place_and_each_change_is_audited(seeded):
    client, token = signed_in(seeded, "vhtt")
    added = client.post("/places/new", data={"csrf_token": token, **form(seeded)})
    assert added.status_code == 303
    with seeded.app_context():
        place = db.session.scalars(select(Place)).one()
        assert (place.name, place.lat, place.street) == (
            "Pano số 1 Hùng Vương",
            21.2731,
            "Hùng Vương",
        )
        place_id = place.id
    page = client.get(f"/places?unit_id={unit_id(seeded)}").get_data(as_text=True)
    assert "Pano số 1 Hùng Vương" in page and "21.27310, 106.19460" in page
    edited = client.post(
        f"/places/{place_id}/edit",
        data={"csrf_token": token, **form(seeded, name="Pano số 1", lat="21.2732")},
    )
    assert edited.status_code == 303
    with seeded.app_context():
        assert db.session.get(Place, place_id).name == "Pano số 1"
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("place.%"))
        ).all()
    assert actions == ["place.create", "place.update"]


def test_bad_input_is_refused_with_a_message_and_nothing_saved(seeded):
    client, token = signed_in(seeded, "vhtt")
    for values in ({"name": ""}, {"lat": "95"}, {"lon": ""}, {"lat": "abc"}):
        answer = client.post("/places/new", data={"csrf_token": token, **form(seeded, **values)})
        assert answer.status_code == 422, values
    client.post("/places/new", data={"csrf_token": token, **form(seeded)})
    again = client.post("/places/new", data={"csrf_token": token, **form(seeded)})
    assert again.status_code == 422
    assert "đã có địa điểm cùng tên" in again.get_data(as_text=True)
    with seeded.app_context():
        assert len(db.session.scalars(select(Place)).all()) == 1


def test_an_overseer_reads_the_list_and_an_officer_does_not_reach_it(seeded):
    overseer, _ = signed_in(seeded, "noivu")
    assert overseer.get("/places").status_code == 200
    assert overseer.get("/places/new").status_code == 403
    officer, _ = signed_in(seeded, "tho-xuong")
    assert officer.get("/places").status_code == 403
