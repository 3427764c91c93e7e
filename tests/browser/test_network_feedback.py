"""A slow or absent network, as the officer sees it: a bar while a page loads, a Vietnamese
toast when a tap cannot reach the server, the app's own offline page for a page that is not
kept on the phone, and "Đã gửi" when an item reaches the server."""

import threading
import time

from playwright.sync_api import expect

from support.browser import PHONE, context_options
from support.browser_steps import officer_ready_offline, record_offline, wait_until_sent


class Slow:
    """WSGI middleware holding the answers to one path for a while, as a 3G line would."""

    def __init__(self, wsgi, path: str, seconds: float):
        self.wsgi, self.path, self.seconds = wsgi, path, seconds
        self.on = threading.Event()

    def __call__(self, environ, start_response):
        if self.on.is_set() and environ.get("PATH_INFO") == self.path:
            time.sleep(self.seconds)
        return self.wsgi(environ, start_response)


def phone_page(browser, live_server):
    context = browser.new_context(**context_options(live_server), **PHONE)
    context.set_default_timeout(20_000)
    return context, context.new_page()


def test_offline_a_page_not_kept_on_the_phone_opens_as_the_app_s_offline_page(browser, live_server):
    context, page = phone_page(browser, live_server)
    try:
        officer_ready_offline(page, live_server)
        page.goto("/compliance/unit")  # never kept for offline use
        expect(page.locator("h1")).to_have_text("Không có kết nối mạng")
        links = page.locator(".offline-links a")
        expect(links).to_have_count(3)
        links.nth(1).click()  # the outbox, kept: it opens with no network
        page.wait_for_url("**/outbox")
        expect(page.locator("h1")).to_have_text("Hộp thư đi")
    finally:
        context.close()


def test_offline_a_tap_that_cannot_be_sent_says_so_in_vietnamese(browser, live_server):
    context, page = phone_page(browser, live_server)
    try:
        officer_ready_offline(page, live_server)
        page.goto("/")
        page.locator(".nav a", has_text="Tiến độ").first.click()
        expect(page.locator(".toast-error")).to_contain_text("chưa có mạng")
        assert page.url.endswith("/")  # still where the officer was, nothing lost
    finally:
        context.close()


def test_a_slow_page_shows_a_bar_while_it_loads(browser, live_server):
    slow = Slow(live_server.app.wsgi_app, "/mine", 1.5)
    live_server.app.wsgi_app = slow
    context, page = phone_page(browser, live_server)
    try:
        from support.browser_steps import sign_in

        sign_in(page)
        slow.on.set()
        page.locator(".nav a", has_text="Đã gửi").first.click()
        expect(page.locator(".page-progress")).to_be_visible()
        page.wait_for_url("**/mine")
        expect(page.locator(".page-progress:visible")).to_have_count(0)
    finally:
        slow.on.clear()
        context.close()


def test_an_item_reaching_the_server_says_sent(browser, live_server, small_photo):
    context, page = phone_page(browser, live_server)
    try:
        capture = officer_ready_offline(page, live_server)
        record_offline(page, capture, small_photo)
        page.context.set_offline(False)
        wait_until_sent(page)
        expect(page.locator(".toast-ok")).to_contain_text("Đã gửi:")
    finally:
        context.close()
