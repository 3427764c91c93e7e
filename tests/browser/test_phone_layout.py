"""Every page, on a phone, fits the phone: nothing widens the layout, so nothing is zoomed out.

A mobile browser lays a page out as wide as its widest content and then shrinks it to the
screen; one escaped element (it was the compliance matrix's hidden words) makes a whole page
tiny. Each role's every HTML page is opened at 360 px as a phone and measured.
"""

import pytest
from flask import url_for

from support.access import url_args
from support.browser import context_options
from support.browser_steps import sign_in

WIDTH = 360


def html_pages(app, client, args) -> list[str]:
    """Every GET page the signed-in client reaches with a 200 HTML answer."""
    with app.test_request_context():
        urls = set()
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or "GET" not in rule.methods:
                continue
            try:
                urls.add(url_for(rule.endpoint, **{a: args[a] for a in rule.arguments}))
            except KeyError:
                continue
    pages = []
    for url in sorted(urls):
        response = client.get(url)
        if (
            response.status_code == 200
            and response.mimetype == "text/html"
            and b"<html" in response.data[:300]
        ):
            pages.append(url)
    return pages


@pytest.mark.parametrize("username", ["tho-xuong", "vhtt", "admin"])
def test_every_page_fits_a_phone_without_zooming_out(browser, live_server, username):
    from support.client import AuthActions

    app = live_server.app
    args = url_args(app)
    client = app.test_client()
    AuthActions(client).login(username)
    pages = html_pages(app, client, args)
    assert len(pages) >= 5, pages
    context = browser.new_context(
        **context_options(live_server),
        is_mobile=True,
        has_touch=True,
        viewport={"width": WIDTH, "height": 740},
    )
    try:
        page = context.new_page()
        sign_in(page, username)
        wide = {}
        for url in pages:
            page.goto(url)
            width = page.evaluate("() => window.innerWidth")
            if width != WIDTH:
                wide[url] = width
        assert wide == {}, wide
    finally:
        context.close()


def test_the_officer_s_returned_items_filters_and_offline_page_fit_a_phone(browser, live_server):
    """The pages an officer reaches beyond the menu: the home with its returned card, /mine
    filtered, the correction form with its reason, the offline page."""
    from support.browser import PHONE
    from support.browser_steps import wait_for_offline_shell
    from support.evidence import Officer, photo
    from support.review import Reviewer

    officer = Officer(live_server.app, "tho-xuong")
    item = officer.site_photo(photos=[photo(seed=61)]).json["id"]
    Reviewer(live_server.app).return_(item, reason="Ảnh chưa rõ nội dung pano " * 4)
    task = live_server.task_id(6)
    context = browser.new_context(**context_options(live_server), **PHONE)
    try:
        page = context.new_page()
        sign_in(page)
        urls = ["/", f"/tasks/{task}/new?kind=site_photo&supersedes={item}"]
        urls += [f"/mine?status={s}" for s in ("", "submitted", "returned", "withdrawn")]
        wide = {}
        for url in urls:
            page.goto(url)
            if page.evaluate("() => window.innerWidth") != WIDTH:
                wide[url] = page.evaluate("() => window.innerWidth")
        capture = live_server.capture_path()
        page.goto(capture)
        wait_for_offline_shell(page, capture)
        context.set_offline(True)
        page.goto("/compliance")  # not kept: the app's offline page
        page.wait_for_selector(".offline-links")
        if page.evaluate("() => window.innerWidth") != WIDTH:
            wide["offline page"] = page.evaluate("() => window.innerWidth")
        assert wide == {}, wide
    finally:
        context.close()
