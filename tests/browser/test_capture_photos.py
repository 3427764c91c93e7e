"""The capture form's photos on a phone: the camera and the gallery, several picks, each photo
with its place told honestly, and the photo's time offered for the form's date."""

import pytest
from playwright.sync_api import expect

from support import images
from support.browser import GEOLOCATION, PHONE, context_options
from support.browser_steps import fill_site_photo, sign_in, submit_to_outbox, wait_until_sent
from support.evidence import CITY_CENTRE, TAKEN


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**context_options(live_server), **PHONE)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _photo(tmp_path, name, seed, **exif):
    path = tmp_path / name
    path.write_bytes(images.jpeg(640, 480, seed=seed, **exif))
    return str(path)


def test_three_photos_picked_in_two_picks_reach_the_server_as_three(phone, live_server, tmp_path):
    page = phone
    sign_in(page)
    page.goto(live_server.capture_path())
    fill_site_photo(page)
    expect(page.locator(".location-status")).to_contain_text("Đã ghi vị trí")
    gps = dict(gps=CITY_CENTRE, taken_at=TAKEN, offset="+07:00")
    page.set_input_files("#f-photo-camera", _photo(tmp_path, "cam.jpg", 1, **gps))
    expect(page.locator(".picked-photo")).to_have_count(1)
    # The second pick adds to the first, it does not replace it.
    page.set_input_files(
        "#f-photo",
        [_photo(tmp_path, f"g{i}.jpg", 10 + i, **gps) for i in range(3)],
    )
    expect(page.locator(".picked-photo")).to_have_count(4)
    page.locator(".picked-photo").nth(2).get_by_role("button", name="Bỏ ảnh 3").click()
    expect(page.locator(".picked-photo")).to_have_count(3)
    expect(page.locator(".kept-photo")).to_contain_text("3 ảnh sẽ được gửi")
    expect(page.locator(".picked-photo .photo-place").first).to_have_text("Vị trí: GPS trong ảnh")
    submit_to_outbox(page)
    wait_until_sent(page)
    expect(page.locator(".outbox-sent-item")).to_have_count(1)

    [evidence] = live_server.evidence()
    names = [m.original_name for m in evidence.media]
    assert names == ["cam.jpg", "g0.jpg", "g2.jpg"]
    assert {m.place_source for m in evidence.media} == {"exif"}


def test_a_gallery_photo_without_gps_asks_before_the_phone_s_fix_is_used(
    phone, live_server, tmp_path
):
    page = phone
    sign_in(page)
    page.goto(live_server.capture_path())
    fill_site_photo(page)
    expect(page.locator(".location-status")).to_contain_text("Đã ghi vị trí")
    page.set_input_files("#f-photo-camera", _photo(tmp_path, "cam.jpg", 1))
    page.set_input_files(
        "#f-photo", [_photo(tmp_path, "old1.jpg", 2), _photo(tmp_path, "old2.jpg", 3)]
    )
    photos = page.locator(".picked-photo")
    expect(photos).to_have_count(3)
    expect(photos.nth(0).locator(".photo-place")).to_have_text("Vị trí: của máy lúc chụp (± 14 m)")
    for n in (1, 2):  # a photo from the gallery: the phone may be far from where it was taken
        expect(photos.nth(n).locator(".photo-question")).to_contain_text(
            "Tôi đang ở nơi chụp ảnh này?"
        )
    photos.nth(1).get_by_role("button", name="Đúng").click()
    expect(photos.nth(1).locator(".photo-place")).to_contain_text("bạn xác nhận đang ở nơi chụp")
    photos.nth(2).get_by_role("button", name="Không").click()
    expect(photos.nth(2).locator(".photo-place")).to_have_text("Ảnh không có vị trí")
    submit_to_outbox(page)
    wait_until_sent(page)

    [evidence] = live_server.evidence()
    places = [(m.place_source, m.gps_lat) for m in evidence.media]
    assert places == [
        ("capture", GEOLOCATION["latitude"]),
        ("later", GEOLOCATION["latitude"]),
        ("none", None),
    ]
    assert "no_location" not in {w["code"] for w in evidence.warnings}

    # The reviewer sees where each place came from.
    page.context.clear_cookies()
    sign_in(page, "vhtt")
    page.goto(f"/evidence/{evidence.id}")
    expect(page.locator(".place-capture")).to_have_text("vị trí máy lúc chụp")
    expect(page.locator(".place-later")).to_have_text("vị trí máy, cán bộ xác nhận sau")


def test_the_photo_s_time_is_offered_for_the_form_s_date(phone, live_server, tmp_path):
    page = phone
    sign_in(page)
    page.goto(live_server.capture_path())
    fill_site_photo(page)
    page.fill("#f-occurred_at", "2024-03-25T10:00")
    page.set_input_files("#f-photo", _photo(tmp_path, "a.jpg", 4, taken_at=TAKEN, offset="+07:00"))
    offer = page.locator(".time-offer")
    expect(offer).to_have_text("Dùng giờ chụp 20/03/2024 08:30?")
    offer.click()
    expect(page.locator("#f-occurred_at")).to_have_value("2024-03-20T08:30")
    expect(offer).to_have_count(0)
