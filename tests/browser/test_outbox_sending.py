"""The one sender: whatever the network and the server do, every item arrives exactly once."""

from playwright.sync_api import expect

from support.browser_steps import (
    OUTBOX,
    officer_ready_offline,
    outbox_items,
    record_offline,
    wait_until_sent,
)

API = "**/api/v1/evidence"
COPIES = (
    """async ({of, count}) => {
    const outbox = await """
    + OUTBOX
    + """;
    const item = await outbox.getItem(of);
    const keys = [];
    for (let n = 1; n <= count; n++) {
        const id = crypto.randomUUID();
        const fields = item.fields.map(([k, v]) => [k, k === "client_uuid" ? id : v]);
        const createdAt = new Date(Date.parse(item.createdAt) + n).toISOString();
        await outbox.save({...item, id, fields, createdAt});
        keys.push(id);
    }
    return keys;
}"""
)


def test_twenty_submissions_made_offline_drain_on_reconnect_into_twenty_rows(
    page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    keys = record_offline(page, capture, small_photo, count=3)
    assert len(set(keys)) == 3  # a fresh key each time, though the page came from the cache
    # Seventeen more the way the form stores them (copies of the first, each its own key), to
    # keep the suite fast: the form itself is exercised above and in every other test.
    keys += page.evaluate(COPIES, {"of": keys[0], "count": 17})
    page.reload()
    expect(page.locator(".outbox-item")).to_have_count(20)
    expect(page.locator(".outbox-badge .outbox-count")).to_have_text("20")
    assert live_server.submissions() == []

    page.context.set_offline(False)
    wait_until_sent(page, timeout=60_000)
    assert live_server.submissions() == [201] * 20
    assert sorted(e.client_uuid for e in live_server.evidence()) == sorted(keys)
    expect(page.locator(".outbox-sent-item")).to_have_count(20)


def test_server_errors_are_retried_until_the_item_is_stored_once(page, live_server, small_photo):
    capture = officer_ready_offline(page, live_server)
    [key] = record_offline(page, capture, small_photo)
    attempts = []

    def fail_three_times(route):
        attempts.append(route.request.headers.get("idempotency-key"))
        if len(attempts) <= 3:
            route.fulfill(
                status=500,
                content_type="application/json",
                body='{"error": "Đã có lỗi ở máy chủ.", "fields": {}}',
            )
        else:
            route.fallback()

    page.route(API, fail_three_times)
    page.context.set_offline(False)
    wait_until_sent(page)
    assert attempts == [key] * 4
    assert live_server.submissions() == [201]
    assert [e.client_uuid for e in live_server.evidence()] == [key]


def test_a_connection_cut_after_the_server_stored_the_item_is_retried_without_a_duplicate(
    page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    [key] = record_offline(page, capture, small_photo)
    cut = []

    def cut_the_first_answer(route):
        if not cut:
            route.fetch()  # the server receives and stores it; the phone never hears back
            cut.append(key)
            route.abort("connectionreset")
        else:
            route.fallback()

    page.route(API, cut_the_first_answer)
    page.context.set_offline(False)
    wait_until_sent(page)
    assert cut == [key]
    assert live_server.submissions() == [201, 200]  # the retry was recognised as a replay
    assert [e.client_uuid for e in live_server.evidence()] == [key]


def test_two_tabs_on_the_outbox_still_send_each_item_exactly_once(
    context, page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    keys = record_offline(page, capture, small_photo, count=4)
    second = context.new_page()
    second.goto("/outbox")
    expect(second.locator(".outbox-item")).to_have_count(4)

    context.set_offline(False)  # both tabs hear "online" and both try to send
    wait_until_sent(page)
    wait_until_sent(second)
    assert live_server.submissions() == [201] * 4  # no replays: one sender at a time
    assert sorted(e.client_uuid for e in live_server.evidence()) == sorted(keys)
    expect(second.locator(".outbox-sent-item")).to_have_count(4)
    assert outbox_items(second) == []
