"""The officer's day on a 360 px Android phone: what was returned comes first, the menu is a
bar at the bottom within the thumb's reach, and the header is one line."""

import pytest
from playwright.sync_api import expect

from support.browser import PHONE, context_options
from support.browser_steps import sign_in
from support.evidence import Officer, photo
from support.review import Reviewer

WIDTH = PHONE["viewport"]["width"]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**context_options(live_server), **PHONE)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_the_returned_card_and_the_menu_count_lead_to_the_correction(phone, live_server):
    officer = Officer(live_server.app, "tho-xuong")
    ids = [officer.site_photo(photos=[photo(seed=s)]).json["id"] for s in (50, 51)]
    Reviewer(live_server.app).return_(ids[0], reason="Ảnh mờ, chụp lại pano")
    page = phone
    sign_in(page)
    card = page.locator(".to-correct")
    expect(card.locator("h2")).to_have_text("Cần sửa (1)")
    expect(card).to_contain_text("Ảnh mờ, chụp lại pano")
    assert card.bounding_box()["y"] < page.locator(".tasks").bounding_box()["y"]
    expect(page.locator(".nav a", has_text="Đã gửi").locator(".nav-count")).to_contain_text("1")

    card.get_by_role("link", name="Sửa và gửi lại").tap()
    page.wait_for_url(f"**supersedes={ids[0]}")
    reason = page.locator(".returned-reason")
    expect(reason).to_contain_text("Ảnh mờ, chụp lại pano")
    assert reason.bounding_box()["y"] < page.locator("form.capture").bounding_box()["y"]


def test_the_officer_s_menu_is_a_bottom_bar_and_the_header_one_line_at_360_px(phone):
    page = phone
    sign_in(page)
    header = page.locator(".topbar").bounding_box()
    assert header["height"] <= 64, header  # one line, not three
    bar = page.locator(".nav[data-bottom]")
    box = bar.bounding_box()
    viewport = page.viewport_size
    assert abs(box["y"] + box["height"] - viewport["height"]) < 1, box  # at the bottom
    links = bar.locator("a")
    expect(links).to_have_count(4)
    for i in range(4):
        link = links.nth(i).bounding_box()
        assert link["x"] >= 0 and link["x"] + link["width"] <= WIDTH + 0.5, link
        assert link["height"] >= 48 and link["width"] >= 48, link  # a thumb's target
    # Still at the bottom after scrolling, and "Tiến độ" is one tap away.
    page.mouse.wheel(0, 2000)
    assert abs(bar.bounding_box()["y"] + box["height"] - viewport["height"]) < 1
    bar.get_by_role("link", name="Tiến độ").tap()
    page.wait_for_url("**/compliance/unit")
    expect(bar.locator('a[aria-current="page"]')).to_contain_text("Tiến độ")
    # The page's last words are not hidden under the bar.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    footer = page.locator(".footer").bounding_box()
    assert footer["y"] + footer["height"] <= bar.bounding_box()["y"] + 1


def test_a_reviewer_s_menu_wraps_rather_than_slides_off_the_screen(phone):
    page = phone
    sign_in(page, "vhtt")
    links = page.locator(".nav a")
    assert links.count() >= 5
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 0.5, (i, box)
    assert page.locator(".topbar").bounding_box()["height"] <= 64
