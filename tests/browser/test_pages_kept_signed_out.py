"""The service worker keeping the officer's pages when the session ends halfway through: it
stops, and never fetches the sign-in page itself. Fetching it would give the browser a new
session, and the sign-in form open in the tab would then be refused for its token."""

import re

from support.browser_steps import sign_in, wait_for_offline_shell, wait_until

MEETING_FORM = re.compile(r"/tasks/\d+/new\?kind=meeting$")
# The page notes each round it asked for, and its end (static/js/offline.js).
ROUND_DONE = """() => {
  const mark = JSON.parse(localStorage.getItem("wardapp.warm") || "{}");
  return Boolean(mark.version) && !mark.pending;
}"""
KEEP_AGAIN = """() => new Promise((resolve) => {
  document.addEventListener("wardapp:outbox", (event) => {
    if (event.detail.type === "warmed") resolve(event.detail.pages);
  });
  navigator.serviceWorker.controller.postMessage({type: "warm"});
})"""


def test_a_round_that_meets_the_sign_in_page_stops_there_and_leaves_the_session_alone(
    page, live_server
):
    sign_in(page)
    capture = live_server.capture_path()
    page.goto(capture)
    wait_for_offline_shell(page, capture)
    wait_until(page, ROUND_DONE, what="the first round of pages kept")
    session = sorted((c["name"], c["value"]) for c in page.context.cookies())

    # Halfway through the next round the server answers as it does once the session is gone.
    asked = []

    def signed_out(route):
        asked.append(route.request.url)
        route.fulfill(status=302, headers={"Location": "/login?next=/tasks"})

    page.context.route(MEETING_FORM, signed_out)
    seen = len(live_server.answered)
    kept = page.evaluate(KEEP_AGAIN)

    assert len(asked) == 1  # it stopped at the first redirect
    later = [a.path for a in live_server.answered[seen:]]
    assert "/login" not in later, later
    assert sorted((c["name"], c["value"]) for c in page.context.cookies()) == session
    assert 0 < kept < len(later)  # what it fetched before the redirect is kept
    page.context.unroute(MEETING_FORM)
    page.context.clear_cookies()
    sign_in(page, "vhtt")  # the form the tab shows is the session's own
