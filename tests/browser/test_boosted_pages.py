"""A page reached through one of htmx's boosted links gets its script as a page loaded whole
does: the body is swapped in, its module runs the first time, and follows htmx:load after."""

import time
from datetime import UTC, datetime

from playwright.sync_api import expect

from support.browser_steps import fill_site_photo, sign_in, submit_to_outbox
from support.evidence import make_evidence, task_numbered, unit_coded
from wardapp.extensions import db

API = "**/api/v1/evidence"


def mark_document(page) -> None:
    page.evaluate("() => { window.sameDocument = true; }")


def still_same_document(page) -> bool:
    return page.evaluate("() => window.sameDocument === true")


def go_home(page) -> None:
    page.click(".brand")
    page.wait_for_url(lambda url: url.endswith("/"))


def open_by_link(page, path: str) -> None:
    page.click(f'a[href="{path}"]')
    page.wait_for_url(f"**{path}")


def test_the_capture_form_and_the_outbox_work_when_reached_by_links_first_and_again(
    page, live_server, small_photo
):
    sign_in(page)  # on the home page, where neither page's module has run
    capture = live_server.capture_path()
    page.route(API, lambda route: route.abort("internetdisconnected"))  # the item stays
    mark_document(page)
    open_by_link(page, capture)
    key = fill_site_photo(page, small_photo)  # waits for the form's module to take it over
    assert still_same_document(page)
    submit_to_outbox(page)

    page.goto(capture)  # a page loaded whole, then the others by links
    mark_document(page)
    go_home(page)
    open_by_link(page, "/outbox")  # the first time in this document
    expect(page.locator(f'.outbox-item[data-id="{key}"]')).to_have_count(1)
    go_home(page)
    open_by_link(page, capture)  # again, the module already run
    expect(page.locator("form.capture[data-outbox]")).to_have_count(1)
    assert page.input_value("input[name=client_uuid]") != key
    go_home(page)
    open_by_link(page, "/outbox")
    expect(page.locator(f'.outbox-item[data-id="{key}"]')).to_have_count(1)
    assert still_same_document(page)


def focused_row(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_the_review_keys_work_on_a_queue_reached_from_the_home_page(page, live_server):
    with live_server.app.app_context():
        created_at = datetime(2024, 5, 6, 3, tzinfo=UTC)
        first = make_evidence(task_numbered(6), unit_coded("tho-xuong"), created_at=created_at).id
        db.session.commit()
    sign_in(page, "vhtt")
    mark_document(page)
    open_by_link(page, "/review")
    expect(page.locator(".review-row")).to_have_count(1)
    # The rows come before their module does: press j until it moves the focus (one row, so
    # more presses keep it there).
    deadline = time.monotonic() + 15
    while focused_row(page) != f"review-{first}":
        assert time.monotonic() < deadline, "the j key never moved the focus"
        page.keyboard.press("j")
        page.wait_for_timeout(25)
    assert still_same_document(page)
