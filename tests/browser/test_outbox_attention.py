"""When the outbox cannot send on its own: the session ended, or the server refused the
item. Nothing is lost; the officer is told what to do, and then it is sent."""

from playwright.sync_api import expect
from sqlalchemy import select

from support.browser_steps import (
    fill_site_photo,
    officer_ready_offline,
    outbox_items,
    record_offline,
    sign_in,
    submit_to_outbox,
    wait_until_sent,
)
from wardapp.auth.models import User
from wardapp.extensions import db


def end_sessions_on_the_server(server, username: str) -> None:
    """What a password reset or a lock does: every session and remember-me cookie stops working."""
    with server.app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.session_version += 1
        db.session.commit()


def test_items_kept_through_an_expired_session_are_sent_after_signing_in_again(
    page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    keys = record_offline(page, capture, small_photo, count=2)
    end_sessions_on_the_server(live_server, "tho-xuong")

    page.context.set_offline(False)
    signin = page.locator(".outbox-signin")
    expect(signin).to_be_visible()
    assert sorted(i["id"] for i in outbox_items(page)) == sorted(keys)
    assert live_server.evidence_count() == 0

    signin.get_by_role("link").click()
    page.wait_for_url(lambda url: "/login?next=" in url)
    sign_in(page, path=page.url)  # back on the outbox, which sends at once
    assert page.url.endswith("/outbox")
    wait_until_sent(page)
    expect(signin).to_be_hidden()
    assert live_server.submissions() == [201, 201]
    assert sorted(e.client_uuid for e in live_server.evidence()) == sorted(keys)


def test_a_refused_item_needs_attention_and_once_corrected_is_sent_with_its_photo(
    page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    # A time in the future: a rule only the server checks (it knows the time; the phone's
    # clock may be wrong).
    page.goto(capture)
    key = fill_site_photo(page, small_photo)
    page.fill("#f-occurred_at", "2099-06-01T09:00")
    submit_to_outbox(page)

    page.context.set_offline(False)
    item = page.locator(f'.outbox-item[data-id="{key}"]')
    expect(item).to_have_attribute("data-state", "attention")
    expect(item).to_contain_text("Thông tin chưa hợp lệ")
    # The refusal names its field, in the form's words.
    expect(item.locator(".outbox-errors")).to_have_text(
        "Thời điểm chụp ảnh: thời điểm này còn ở tương lai."
    )
    expect(item.locator(".badge")).to_have_text("Cần sửa")
    [stored] = outbox_items(page)
    assert stored["state"] == "attention" and "occurred_at" in stored["fieldErrors"]
    assert live_server.submissions() == [422]

    item.get_by_role("button", name="Sửa").click()
    page.wait_for_url(f"**{capture}#outbox={key}")
    page.wait_for_selector("form.capture[data-outbox]")
    expect(page.locator("#f-occurred_at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-occurred_at")).to_have_text("Thời điểm này còn ở tương lai.")
    expect(page.locator("#f-installed")).to_have_value("Pano tuyên truyền CCHC")
    expect(page.locator(".kept-photo img")).to_have_count(1)
    assert page.input_value("input[name=client_uuid]") == key

    page.fill("#f-occurred_at", "2024-03-20T09:00")
    fill_site_photo(page, place="Ngã tư Hùng Vương - Nguyễn Văn Cừ", quantity="3")
    submit_to_outbox(page)
    wait_until_sent(page)
    assert live_server.submissions() == [422, 201]
    [evidence] = live_server.evidence()
    assert evidence.client_uuid == key
    assert evidence.fields["place"] == "Ngã tư Hùng Vương - Nguyễn Văn Cừ"
    assert evidence.fields["quantity"] == 3
    assert len(evidence.media) == 1 and evidence.media[0].role == "photo"


def test_discarding_an_item_asks_first_and_only_then_deletes_it(page, live_server, small_photo):
    capture = officer_ready_offline(page, live_server)
    [key] = record_offline(page, capture, small_photo)
    discard = page.locator(f'.outbox-item[data-id="{key}"] button[data-action=discard]')

    page.once("dialog", lambda dialog: dialog.dismiss())
    discard.click()
    expect(page.locator(".outbox-item")).to_have_count(1)
    assert [i["id"] for i in outbox_items(page)] == [key]

    page.once("dialog", lambda dialog: dialog.accept())
    discard.click()
    expect(page.locator(".outbox-item")).to_have_count(0)
    assert outbox_items(page) == []
    page.context.set_offline(False)
    page.reload()
    expect(page.locator(".outbox-badge .outbox-count")).to_have_text("0")
    assert live_server.submissions() == []


def test_what_is_missing_is_said_at_once_offline_and_nothing_is_kept_until_it_is_there(
    page, live_server, small_photo
):
    """No place and no photo, with no network: the form says so beside each field, in the
    server's words, and keeps nothing; filled in, it goes to the outbox as usual."""
    capture = officer_ready_offline(page, live_server)
    page.goto(capture)
    fill_site_photo(page, place="")
    page.click("form.capture button[type=submit]")
    expect(page.locator("#e-place")).to_have_text("Hãy nhập Địa điểm (tuyến đường, nơi đặt).")
    expect(page.locator("#e-photo")).to_have_text("Hãy chụp hoặc chọn ít nhất một ảnh.")
    expect(page.locator("#f-photo")).to_be_focused()  # the first thing missing
    expect(page.locator("#e-installed")).to_have_count(0)  # what is there is not flagged
    expect(page.locator(".capture-status")).to_have_text(
        "Thông tin chưa hợp lệ, hãy sửa các mục được đánh dấu."
    )
    assert page.url.endswith(capture) and outbox_items(page) == []

    key = fill_site_photo(page, small_photo)
    expect(page.locator("#e-place")).to_have_count(1)  # still shown until the next try
    submit_to_outbox(page)
    assert [i["id"] for i in outbox_items(page)] == [key]
    page.context.set_offline(False)
    wait_until_sent(page)
    assert live_server.submissions() == [201]


def test_the_phone_checks_the_form_s_rules_before_keeping_an_item(page, live_server, small_photo):
    """Zero panels, a link that is not one: said beside the field at once, offline, in the
    server's words, and nothing is kept until it is right."""
    capture = officer_ready_offline(page, live_server)
    page.goto(capture)
    fill_site_photo(page, small_photo, quantity="0")
    page.click("form.capture button[type=submit]")
    expect(page.locator("#e-quantity")).to_have_text("Ít nhất là 1.")
    expect(page.locator("#f-quantity")).to_be_focused()
    assert outbox_items(page) == []
    page.fill("#f-quantity", "2")
    submit_to_outbox(page)
    assert len(outbox_items(page)) == 1
