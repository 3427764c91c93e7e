"""The capture form offers the unit's places nearest first from the phone's fix, with no
connection too (the list comes with the form the service worker keeps), and records the one
chosen."""

from playwright.sync_api import expect

from support.browser import GEOLOCATION
from support.browser_steps import officer_ready_offline
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.units.models import Unit

LAT, LON = GEOLOCATION["latitude"], GEOLOCATION["longitude"]


def add_places(server) -> None:
    with server.app.app_context():
        unit = db.session.query(Unit).filter_by(code="tho-xuong").one()
        other = db.session.query(Unit).filter_by(code="song-mai").one()
        db.session.add_all(
            [
                Place(
                    unit=unit, name="Bộ phận một cửa", kind="one_stop_desk", lat=LAT + 0.01, lon=LON
                ),
                Place(unit=unit, name="Pano Hùng Vương", kind="panel", lat=LAT + 0.0004, lon=LON),
                Place(unit=unit, name="Cổng chào", kind="panel"),  # no coordinates yet
                Place(unit=unit, name="Loa tổ 3", kind="loudspeaker", lat=LAT + 0.002, lon=LON),
                Place(unit=other, name="Bảng tin thôn", kind="notice_board", lat=LAT, lon=LON),
            ]
        )
        db.session.commit()


def test_offline_the_capture_form_still_offers_the_places_nearest_first(context, live_server):
    add_places(live_server)
    page = context.new_page()
    capture = officer_ready_offline(page, live_server)
    page.reload()  # from the service worker's cache
    expect(page.locator("form.capture")).to_be_visible()
    options = page.locator("#f-place_id option[value]:not([value=''])")
    expect(options.first).to_contain_text("(44 m)")  # arranged once the fix came
    names = options.evaluate_all("os => os.map(o => o.dataset.name)")
    assert names == ["Pano Hùng Vương", "Loa tổ 3", "Bộ phận một cửa", "Cổng chào"]
    assert page.evaluate("() => navigator.onLine") is False and capture in page.url
    # Choosing one more than 200 m away says so before sending.
    notice = page.locator(".place-notice")
    page.select_option("#f-place_id", label=options.nth(2).text_content())
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Bộ phận một cửa")
    page.select_option("#f-place_id", label=options.first.text_content())
    expect(notice).to_be_hidden()
