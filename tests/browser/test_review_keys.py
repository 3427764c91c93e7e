"""The reviewer's queue in a real browser: keys decide, the row changes in place and the next
one takes the focus; the kind picker follows the chosen task."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from support.browser_steps import sign_in
from support.evidence import make_evidence, task_numbered, unit_coded
from support.review import status
from wardapp.extensions import db


def focused_row(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_j_a_r_and_k_work_the_queue_without_the_mouse(page, live_server):
    app = live_server.app
    start = datetime(2024, 5, 6, 3, tzinfo=UTC)
    with app.app_context():
        task, unit = task_numbered(6), unit_coded("tho-xuong")
        ids = [
            make_evidence(task, unit, created_at=start + timedelta(minutes=i)).id for i in range(3)
        ]
        db.session.commit()
    sign_in(page, "vhtt")
    page.goto("/review")
    expect(page.locator(".review-row")).to_have_count(3)

    page.keyboard.press("j")
    assert focused_row(page) == f"review-{ids[0]}"
    page.keyboard.press("a")  # approved in place, and the next item takes the focus
    expect(page.locator(f"#review-{ids[0]} .badge")).to_have_text("Đã duyệt")
    page.wait_for_function(f"() => document.activeElement.id === 'review-{ids[1]}'")
    assert status(app, ids[0]) == ("approved", None)

    page.keyboard.press("r")  # the return form folds out in the focused item, on its reasons
    reason = page.locator(f"#review-{ids[1]} .return-form input[name=reason_pick]").first
    expect(reason).to_be_focused()
    page.locator(f"#review-{ids[1]} .return-form .chip", has_text="Ảnh không rõ").click()
    page.locator(f"#review-{ids[1]} .return-form button[type=submit]").click()
    expect(page.locator(f"#review-{ids[1]} .badge")).to_have_text("Trả lại")
    expect(page.locator(f"#review-{ids[1]} .review-note")).to_contain_text("Ảnh không rõ")
    page.wait_for_function(f"() => document.activeElement.id === 'review-{ids[2]}'")
    assert status(app, ids[1]) == ("returned", "Ảnh không rõ")

    page.keyboard.press("k")
    assert focused_row(page) == f"review-{ids[1]}"
    assert status(app, ids[2]) == ("submitted", None)  # nothing decided by moving


def test_the_kind_picker_offers_only_what_the_chosen_task_takes(page, live_server):
    app = live_server.app
    with app.app_context():
        unit = unit_coded("tho-xuong")
        broadcast = make_evidence(task_numbered(3), unit, kind="broadcast").id
        photo = make_evidence(task_numbered(6), unit, kind="site_photo").id
        db.session.commit()
    sign_in(page, "vhtt")
    page.goto("/review")
    page.locator("#filters-fold > summary").click()  # the filters fold away until asked
    kind = page.locator("form.filters select[name=kind]")
    kind.select_option("site_photo")
    page.wait_for_url(lambda url: "kind=site_photo" in url)
    expect(page.locator(".review-row")).to_have_count(1)

    page.locator("form.filters select[name=task]").select_option(str(live_server.task_id(3)))
    page.wait_for_url(lambda url: f"task={live_server.task_id(3)}" in url)
    assert kind.input_value() == ""  # task 3 takes broadcasts only: the photo kind is cleared
    offered = kind.evaluate("k => Array.from(k.options).filter(o => !o.disabled).map(o => o.value)")
    assert offered == ["", "broadcast"]
    expect(page.locator(f"#review-{broadcast}")).to_be_visible()
    expect(page.locator(f"#review-{photo}")).to_have_count(0)
    assert "kind=" not in page.url and "unit=" not in page.url  # empty filters left out

    page.reload()  # the page drawn by the server offers the same
    offered = kind.evaluate("k => Array.from(k.options).filter(o => !o.disabled).map(o => o.value)")
    assert offered == ["", "broadcast"]


def test_on_a_phone_every_fact_of_an_item_is_shown_beside_its_label(browser, live_server):
    """A long field label ("Địa điểm (tuyến đường, nơi đặt)") once took the whole width and
    pushed its value out of the card, out of sight."""
    from support.browser import context_options

    with live_server.app.app_context():
        make_evidence(task_numbered(6), unit_coded("tho-xuong"))
        db.session.commit()
    context = browser.new_context(
        **context_options(live_server), viewport={"width": 360, "height": 740}
    )
    try:
        page = context.new_page()
        sign_in(page, "vhtt")
        page.goto("/review")
        boxes = page.locator(".review-row").first.evaluate("""row => {
            const card = row.getBoundingClientRect();
            return Array.from(row.querySelectorAll(".facts dd")).map(dd => {
                const box = dd.getBoundingClientRect();
                return {text: dd.textContent, left: box.left, right: box.right,
                        cardLeft: card.left, cardRight: card.right};
            });
        }""")
        assert boxes
        for box in boxes:
            room = box["right"] - box["left"]
            assert room > 80 or len(box["text"]) < 8, box  # room to read the value
            assert box["cardLeft"] <= box["left"] and box["right"] <= box["cardRight"], box
    finally:
        context.close()
