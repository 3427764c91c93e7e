"""The service worker shows a push as a notice with its title and keeps the link to open: a
push delivered to it through Chromium's DevTools (as a push service would), with the
officer's permission for notifications."""

import json

from support.browser_steps import sign_in, wait_for_offline_shell, wait_until

SHOWN = """() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(all =>
    all.map(n => ({title: n.title, url: n.data && n.data.url, tag: n.tag})))"""


def test_a_pushed_notice_is_shown_with_its_title_and_link(page, live_server):
    page.context.grant_permissions(["notifications"])
    sign_in(page)
    capture = live_server.capture_path()
    page.goto(capture)
    wait_for_offline_shell(page, capture)
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    session.send("ServiceWorker.enable")
    for _ in range(100):  # the registrations are told as an event, soon after enabling
        if any(not r.get("isDeleted") for r in registrations):
            break
        page.wait_for_timeout(50)
    [registration] = [r for r in registrations if not r.get("isDeleted")][:1]
    payload = {"title": "Minh chứng bị trả lại", "url": "/tasks/6/new?supersedes=41", "id": 7}
    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    wait_until(page, f"() => ({SHOWN})().then(all => all.length === 1)", what="the notice shown")
    [shown] = page.evaluate(SHOWN)
    assert shown == {
        "title": "Minh chứng bị trả lại",
        "url": f"{live_server.url}/tasks/6/new?supersedes=41",
        "tag": "notice-7",
    }
    # A link to another site is never opened: the notices list instead.
    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps({"title": "x", "url": "https://evil.example/", "id": 8}),
        },
    )
    wait_until(page, f"() => ({SHOWN})().then(all => all.length === 2)", what="the second notice")
    urls = {n["tag"]: n["url"] for n in page.evaluate(SHOWN)}
    assert urls["notice-8"] == f"{live_server.url}/notifications"
