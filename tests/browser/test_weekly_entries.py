"""'Ghi như lần trước' on the phone: from the server's last broadcast, and offline from the
one this phone kept last, which is newer."""

from playwright.sync_api import expect

from support.browser_steps import (
    outbox_items,
    sign_in,
    submit_to_outbox,
    wait_for_offline_shell,
)
from support.evidence import Officer, task_id


def test_a_broadcast_is_recorded_like_the_last_one_online_and_offline(page, live_server):
    app = live_server.app
    officer = Officer(app, "tho-xuong")
    sent = officer.post(
        {
            "client_uuid": "5b0e8f3c-1d2a-4c5b-9e6f-7a8b9c0d1e2f",
            "task_id": str(task_id(app, 3)),
            "kind": "broadcast",
            "occurred_at": "2024-03-11T06:30",
            "station": "Đài truyền thanh phường Thọ Xương",
            "minutes": "15",
            "topic": "Chuyển đổi số",
        }
    )
    assert sent.status_code == 201, sent.json
    form = live_server.capture_path(3, "broadcast")
    sign_in(page)
    page.goto(form)
    wait_for_offline_shell(page, form)
    page.goto(form)
    repeat = page.get_by_role("button", name="Ghi như lần trước")
    repeat.click()
    expect(page.locator("#f-station")).to_have_value("Đài truyền thanh phường Thọ Xương")
    expect(page.locator("#f-minutes")).to_have_value("15")
    expect(page.locator("#f-topic")).to_have_value("Chuyển đổi số")
    expect(page.locator("#f-start_time")).to_have_count(0)

    # Offline: this phone's own last broadcast is newer than the page the worker kept.
    page.context.set_offline(True)
    page.goto(form)
    page.fill("#f-occurred_at", "2024-03-18T06:30")
    page.fill("#f-station", "Loa tổ dân phố số 3")
    page.fill("#f-minutes", "20")
    page.fill("#f-topic", "Dịch vụ công trực tuyến")
    submit_to_outbox(page)
    page.goto(form)
    page.get_by_role("button", name="Ghi như lần trước").click()
    expect(page.locator("#f-station")).to_have_value("Loa tổ dân phố số 3")
    expect(page.locator("#f-minutes")).to_have_value("20")
    expect(page.locator("#f-topic")).to_have_value("Dịch vụ công trực tuyến")
    assert len(outbox_items(page)) == 1
