"""The map draws the evidence and the places even when the tile server cannot be reached."""

import re

from playwright.sync_api import expect

from support.browser_steps import sign_in
from support.evidence import make_evidence
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.plans.models import Task
from wardapp.units.models import Unit


def add_items(server) -> None:
    with server.app.app_context():
        unit = db.session.query(Unit).filter_by(code="tho-xuong").one()
        task = db.session.query(Task).filter_by(number=6).first()
        # Far enough apart not to be clustered at the map's first zoom.
        for n, status in enumerate(("submitted", "approved", "returned")):
            e = make_evidence(task, unit, status=status)
            e.lat, e.lon = 21.25 + 0.02 * n, 106.17 + 0.02 * n
        db.session.add(
            Place(unit=unit, name="Pano Hùng Vương", kind="panel", lat=21.28, lon=106.20)
        )
        db.session.add(Place(unit=unit, name="Cụm loa", kind="loudspeaker", lat=21.24, lon=106.22))
        db.session.commit()


def test_the_map_shows_its_markers_with_the_tiles_unreachable(map_without_tiles):
    server, page = map_without_tiles
    add_items(server)
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url) if ":9/" in r.url else None)
    sign_in(page, "vhtt")
    page.goto("/review/map?status=all")
    box = page.locator("#evidence-map")
    expect(box).to_have_attribute("data-ready", "1")
    assert box.get_attribute("data-evidence-count") == "3"
    expect(page.locator("path.evidence-marker")).to_have_count(3)
    expect(page.locator("path.place-marker")).to_have_count(2)
    for status in ("submitted", "approved", "returned"):
        expect(page.locator(f"path.ev-{status}")).to_have_count(1)
    expect(page.locator(".map-status")).to_contain_text("Không tải được nền bản đồ")
    assert failed  # the tiles were asked for, and could not be had
    # A marker opens its item.
    page.locator("path.ev-approved").click()
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_contain_text("Thọ Xương")
    link.click()
    expect(page).to_have_url(re.compile(r"/evidence/\d+$"))
