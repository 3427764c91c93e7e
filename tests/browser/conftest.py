"""Fixtures for the tests in a real Chromium: a live app on loopback, a browser, a page.

One browser for the session, a fresh context (cookies, service worker, IndexedDB) and a fresh
app with its own SQLite database per test. If Chromium is missing the tests fail: they are
the only proof that the outbox works, so they are never skipped.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from support import images
from support.browser import CHROMIUM, CHROMIUM_ARGS, context_options, serving
from support.evidence import CITY_CENTRE, TAKEN


@pytest.fixture
def live_server(tmp_path):
    with serving(tmp_path) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_driver():
    # What a page is expected to show, it may take as long to show as any step may take: the
    # suite runs in two processes on two cores, beside the servers and browsers they start.
    expect.set_options(timeout=20_000)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(**context_options(live_server))
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def phone_photo(tmp_path_factory):
    """A 12 MP camera JPEG (4000 × 3000) with EXIF time and GPS, as a phone would save it."""
    path = tmp_path_factory.mktemp("photos") / "IMG_20240320_083000.jpg"
    path.write_bytes(images.jpeg(4000, 3000, gps=CITY_CENTRE, taken_at=TAKEN, offset="+07:00"))
    return path


@pytest.fixture(scope="session")
def small_photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("photos") / "anh-nho.jpg"
    path.write_bytes(
        images.jpeg(640, 480, gps=CITY_CENTRE, taken_at=TAKEN, offset="+07:00", seed=7)
    )
    return path


@pytest.fixture
def late_after_two_weeks(browser, tmp_path):
    """A live app that calls a report sent after two weeks late, and a page on it."""
    with serving(tmp_path, LATE_AFTER_DAYS=14) as server:
        context = browser.new_context(**context_options(server))
        context.set_default_timeout(20_000)
        yield server, context.new_page()
        context.close()


@pytest.fixture
def map_without_tiles(browser, tmp_path):
    """A live app whose tile server cannot be reached (nothing listens on port 9), and a page."""
    with serving(tmp_path, MAP_TILE_URL="http://127.0.0.1:9/{z}/{x}/{y}.png") as server:
        context = browser.new_context(**context_options(server))
        context.set_default_timeout(20_000)
        yield server, context.new_page()
        context.close()
