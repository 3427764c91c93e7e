"""A place's history: the last accepted photo beside a new item, the photos in the order they
were taken, and the places that had no evidence in a quarter."""

import re

from sqlalchemy import select

from support.client import signed_in
from support.evidence import Officer, photo
from support.review import Reviewer
from wardapp.evidence.models import Media
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.units.models import Unit


def add_place(app, name: str, code: str = "tho-xuong") -> int:
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        place = Place(unit=unit, name=name, kind="panel", lat=21.2731, lon=106.1946)
        db.session.add(place)
        db.session.commit()
        return place.id


def send(app, place_id: int, occurred_at: str, seed: int) -> int:
    answer = Officer(app, "tho-xuong").site_photo(
        place_id=str(place_id), occurred_at=occurred_at, photos=[photo(seed=seed)]
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def first_photo(app, evidence_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Media.id).where(Media.evidence_id == evidence_id))


def test_an_item_at_a_place_shows_the_places_previous_accepted_photo(seeded):
    panel = add_place(seeded, "Pano Hùng Vương")
    other = add_place(seeded, "Pano Võ Nguyên Giáp")
    reviewer = Reviewer(seeded)
    older = send(seeded, panel, "2024-01-10T09:00", seed=31)
    last = send(seeded, panel, "2024-02-10T09:00", seed=32)
    waiting = send(seeded, panel, "2024-02-20T09:00", seed=33)  # not accepted: not shown
    elsewhere = send(seeded, other, "2024-02-25T09:00", seed=34)  # another place: not shown
    for item in (older, last, elsewhere):
        assert reviewer.approve(item).status_code == 200
    new = send(seeded, panel, "2024-03-01T09:00", seed=35)
    page = reviewer.queue("status=submitted").get_data(as_text=True)
    row = page[page.index(f'id="review-{new}"') :]
    row = row[: row.index("</li>\n", row.index("previous-photo"))]
    assert "Pano Hùng Vương" in row and "Lần trước được duyệt" in row
    assert f"/media/{first_photo(seeded, last)}/thumb" in row
    for hidden in (older, waiting, elsewhere):
        assert f"/media/{first_photo(seeded, hidden)}/thumb" not in row
    detail = reviewer.client.get(f"/evidence/{new}").get_data(as_text=True)
    assert f"/media/{first_photo(seeded, last)}/thumb" in detail


def test_the_place_page_lists_its_photos_in_the_order_they_were_taken(seeded):
    panel = add_place(seeded, "Pano Hùng Vương")
    march = send(seeded, panel, "2024-03-05T09:00", seed=41)
    january = send(seeded, panel, "2024-01-05T09:00", seed=42)
    february = send(seeded, panel, "2024-02-05T09:00", seed=43)
    page = Reviewer(seeded).client.get(f"/places/{panel}").get_data(as_text=True)
    gallery = page[page.index('class="place-gallery"') : page.index("</ol>")]
    shown = [int(n) for n in re.findall(r'href="/evidence/(\d+)"', gallery)]
    assert shown == [january, february, march]
    # An officer reads their own unit's place, not another unit's.
    assert Officer(seeded, "tho-xuong").client.get(f"/places/{panel}").status_code == 200
    assert Officer(seeded, "song-mai").client.get(f"/places/{panel}").status_code == 404


def test_the_places_with_no_evidence_in_a_quarter_are_listed(seeded):
    busy = add_place(seeded, "Pano Hùng Vương")
    add_place(seeded, "Cụm loa tổ 3")
    send(seeded, busy, "2024-02-05T09:00", seed=51)
    overseer, _ = signed_in(seeded, "noivu")
    first = overseer.get("/places/quiet?quarter=1").get_data(as_text=True)
    assert "Cụm loa tổ 3" in first and "Pano Hùng Vương" not in first
    # Today lies past the plan's year: the page shows its last quarter and says so.
    nearest = overseer.get("/places/quiet").get_data(as_text=True)
    assert "Cụm loa tổ 3" in nearest and "Pano Hùng Vương" in nearest
    assert "quý cuối của kế hoạch" in nearest
