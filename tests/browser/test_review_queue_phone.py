"""The reviewer's queue for 200 photos, in Chromium as a 360 px Android phone (touch, vi-VN)
and on a desk screen: the photo lightbox and its keys and swipes, the sticky selection bar,
counts that follow each decision and its undo, filters that fold away and stay so, and the
list beside the open item at 1280 px."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from support.browser import context_options
from support.browser_steps import sign_in
from support.evidence import Officer, make_evidence, photo, task_numbered, unit_coded
from support.review import status
from wardapp.extensions import db

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        **context_options(live_server), viewport=PHONE, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def with_photos(app, count: int, per_item: int = 2) -> list[int]:
    """Items sent through the API, each with its own photos, oldest first."""
    officer = Officer(app, "tho-xuong")
    ids = []
    for n in range(count):
        photos = [photo(seed=10 * n + k) for k in range(per_item)]
        response = officer.site_photo(photos=photos, occurred_at=f"2024-03-{10 + n:02d}T09:00")
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    return ids


def plain_items(app, count: int) -> list[int]:
    start = datetime(2024, 5, 6, 3, tzinfo=UTC)
    with app.app_context():
        task, unit = task_numbered(6), unit_coded("tho-xuong")
        ids = [
            make_evidence(task, unit, created_at=start + timedelta(minutes=i)).id
            for i in range(count)
        ]
        db.session.commit()
    return ids


def shown_photo(page) -> str:
    return page.locator("#lightbox .lb-img").first.get_attribute("src")


def photo_urls(page, evidence_id: int) -> list[str]:
    return page.locator(f"#review-{evidence_id} a[data-photo]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_the_lightbox_walks_photos_and_items_with_keys_and_swipes_and_decides(phone, live_server):
    app = live_server.app
    first, second, third = with_photos(app, 3)
    sign_in(phone, "vhtt")
    phone.goto("/review")
    expect(phone.locator(".review-row")).to_have_count(3)
    urls = {e: photo_urls(phone, e) for e in (first, second, third)}
    assert all(len(u) == 2 for u in urls.values())

    phone.locator(f"#review-{first} a[data-photo]").first.tap()  # not a new tab: the lightbox
    dialog = phone.locator("#lightbox")
    expect(dialog).to_be_visible()
    assert shown_photo(phone) == urls[first][0]
    assert len(phone.context.pages) == 1
    phone.keyboard.press("ArrowRight")
    assert shown_photo(phone) == urls[first][1]
    phone.keyboard.press("ArrowRight")  # past the item's last photo: the next item's first
    assert shown_photo(phone) == urls[second][0]
    phone.keyboard.press("k")  # the item before
    assert shown_photo(phone) == urls[first][0]
    phone.keyboard.press("j")  # the next item
    assert shown_photo(phone) == urls[second][0]

    # A swipe to the left is the next photo, one upwards the next item.
    swipe = """([dx, dy]) => {
        const stage = document.querySelector('#lightbox .lb-stage');
        const box = stage.getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + box.height / 2;
        const at = (type, px, py) => stage.dispatchEvent(new PointerEvent(type,
            {bubbles: true, clientX: px, clientY: py, pointerType: 'touch'}));
        at('pointerdown', x, y); at('pointerup', x + dx, y + dy);
    }"""
    phone.evaluate(swipe, [-120, 5])
    assert shown_photo(phone) == urls[second][1]
    phone.evaluate(swipe, [-120, 5])
    phone.evaluate(swipe, [4, 130])  # downwards: the item before
    assert shown_photo(phone) == urls[second][0]

    phone.keyboard.press("a")  # approve the item shown, and go on to the next one
    expect(phone.locator(f"#review-{second} .badge")).to_have_text("Đã duyệt")
    phone.wait_for_function(
        "src => document.querySelector('#lightbox .lb-img').getAttribute('src') === src",
        arg=urls[third][0],
    )
    assert status(app, second) == ("approved", None)

    phone.keyboard.press("r")  # return: the lightbox closes on the item's return form
    expect(dialog).to_be_hidden()
    chip = phone.locator(f"#review-{third} .return-form input[name=reason_pick]").first
    expect(chip).to_be_focused()
    phone.locator(f"#review-{third} .return-form .chip", has_text="Ảnh không rõ").tap()
    phone.locator(f"#review-{third} .return-form button[type=submit]").tap()
    expect(phone.locator(f"#review-{third} .badge")).to_have_text("Trả lại")
    assert status(app, third) == ("returned", "Ảnh không rõ")
    assert status(app, first) == ("submitted", None)  # nothing decided by looking


def test_the_selection_bar_stays_in_reach_counts_and_approves_or_returns(phone, live_server):
    app = live_server.app
    ids = plain_items(app, 8)
    sign_in(phone, "vhtt")
    phone.goto("/review")
    bar = phone.locator("#select-bar")
    expect(bar).to_be_hidden()  # nothing picked: no bar in the way
    phone.locator(f"#review-{ids[0]} .pick").tap()
    phone.locator(f"#review-{ids[1]} .pick").tap()
    expect(bar).to_be_visible()
    expect(bar.locator(".select-count")).to_have_text("Đã chọn 2")
    phone.evaluate("() => window.scrollTo(0, 0)")
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] + 1, box  # at the screen's foot
    assert box["y"] > PHONE["height"] / 2, box
    phone.locator(f"#review-{ids[1]} .pick").tap()
    expect(bar.locator(".select-count")).to_have_text("Đã chọn 1")
    phone.locator(f"#review-{ids[2]} .pick").tap()

    bar.locator(".bulk-return > summary").tap()  # one reason for all the picked items
    bar.locator(".chip", has_text="Sai thời gian").tap()
    bar.locator("button", has_text="Trả lại các mục đã chọn").tap()
    expect(phone.locator(".flash-success")).to_contain_text("Đã trả lại 2 minh chứng.")
    assert status(app, ids[0]) == ("returned", "Sai thời gian")
    assert status(app, ids[2]) == ("returned", "Sai thời gian")

    phone.locator(f"#review-{ids[3]} .pick").tap()
    phone.locator(f"#review-{ids[4]} .pick").tap()
    bar.locator("button", has_text="Duyệt").first.tap()  # approval asks first, with the count
    expect(phone.locator(".confirm-count")).to_have_text(
        "Bạn sắp duyệt 2 minh chứng không có cảnh báo."
    )


def test_counts_follow_each_decision_and_its_undo(phone, live_server):
    app = live_server.app
    ids = plain_items(app, 3)
    sign_in(phone, "vhtt")
    phone.goto("/review")

    def count(status_code: str):
        return phone.locator(f"#queue-counts [data-status={status_code}] strong")

    expect(count("submitted")).to_have_text("3")
    phone.locator(f"#review-{ids[0]} .approve-form button").tap()
    expect(count("submitted")).to_have_text("2")
    expect(count("approved")).to_have_text("1")
    phone.locator(f"#review-{ids[1]} .return-open").tap()  # the form folds out in the row
    phone.locator(f"#review-{ids[1]} .chip", has_text="Thiếu thông tin").tap()
    phone.locator(f"#review-{ids[1]} .return-form button[type=submit]").tap()
    expect(count("returned")).to_have_text("1")
    expect(count("submitted")).to_have_text("1")

    undo = phone.locator(f"#review-{ids[1]} .undo-form button")
    expect(undo).to_contain_text("Hoàn tác")
    undo.tap()
    expect(phone.locator(f"#review-{ids[1]} .badge")).to_have_text("Chờ duyệt")
    expect(count("returned")).to_have_text("0")
    expect(count("submitted")).to_have_text("2")
    assert status(app, ids[1]) == ("submitted", None)
    expect(phone.locator(f"#review-{ids[0]} .undo-form")).to_have_count(0, timeout=15_000)


def test_the_filters_fold_away_and_the_page_remembers_how_they_were_left(phone, live_server):
    plain_items(live_server.app, 1)
    sign_in(phone, "vhtt")
    phone.goto("/review")
    fold = phone.locator("#filters-fold")
    assert not fold.evaluate("f => f.open")  # closed at first: the items come first
    assert phone.locator(".keys").first.is_hidden()  # no key hints on a touch screen
    fold.locator("summary").tap()
    expect(phone.locator("form.filters select[name=task]")).to_be_visible()
    phone.reload()
    assert fold.evaluate("f => f.open")
    fold.locator("summary").tap()
    phone.reload()
    assert not fold.evaluate("f => f.open")


def test_a_desk_screen_lists_many_items_beside_the_open_one(browser, live_server):
    app = live_server.app
    ids = plain_items(app, 10) + with_photos(app, 2, per_item=1)  # oldest sent first
    context = browser.new_context(
        **context_options(live_server), viewport={"width": 1280, "height": 800}
    )
    try:
        page = context.new_page()
        sign_in(page, "vhtt")
        page.goto("/review")
        expect(page.locator("#review-list.split")).to_have_count(1)
        whole = page.evaluate("""() => Array.from(document.querySelectorAll('.review-row'))
            .filter(r => { const b = r.getBoundingClientRect();
                           return b.top >= 0 && b.bottom <= innerHeight; }).length""")
        assert whole >= 6, whole
        detail = page.locator(f"#review-{ids[0]} .row-detail")
        expect(detail).to_be_visible()
        row_box = page.locator(f"#review-{ids[0]}").bounding_box()
        assert detail.bounding_box()["x"] >= row_box["x"] + row_box["width"]  # beside the list
        page.keyboard.press("j")
        page.keyboard.press("j")
        expect(page.locator(f"#review-{ids[1]} .row-detail")).to_be_visible()
        expect(detail).to_be_hidden()
        expect(page.locator(".keys").first).to_be_visible()  # a keyboard: its hints
        page.locator(f"#review-{ids[3]} .row-sub").click()
        expect(page.locator(f"#review-{ids[3]} .row-detail")).to_be_visible()
        page.locator(f"#review-{ids[-1]}").scroll_into_view_if_needed()
        page.locator(f"#review-{ids[-1]} .row-sub").click()  # its photo, large, beside the list
        expect(page.locator(f"#review-{ids[-1]} .photo-strip img")).to_be_visible()
    finally:
        context.close()
