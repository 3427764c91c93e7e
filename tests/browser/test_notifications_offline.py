"""The officer's notices open with no network: the service worker keeps the list like the
officer's other pages."""

from playwright.sync_api import expect

from support.browser_steps import SHELL_KEPT, sign_in, wait_for_offline_shell, wait_until
from support.evidence import make_evidence, task_numbered, unit_coded
from wardapp.extensions import db
from wardapp.notifications import services


def returned_item(server) -> int:
    with server.app.app_context():
        evidence = make_evidence(task_numbered(6), unit_coded("tho-xuong"), status="returned")
        services.returned(evidence, "Ảnh không rõ — chụp lại pano")
        db.session.commit()
        return evidence.id


def test_the_notices_list_opens_offline_with_the_return_and_its_reason(page, live_server):
    evidence_id = returned_item(live_server)
    sign_in(page)
    capture = live_server.capture_path()
    page.goto(capture)
    wait_for_offline_shell(page, capture)
    wait_until(page, SHELL_KEPT, ["/notifications"], timeout=40_000, what="the notices kept")
    expect(page.locator(".bell .bell-count")).to_have_text("1")

    page.context.set_offline(True)
    page.goto("/notifications")
    item = page.locator(".notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Ảnh không rõ — chụp lại pano")
    link = item.locator("a").get_attribute("href")
    assert f"supersedes={evidence_id}" in link
