"""What an officer does in the browser, step by step, and how a test waits for the outbox."""

import time

from playwright.sync_api import Page, expect

# The page's own outbox module: the same instance the page imported, from the same address.
OUTBOX = 'import(new URL("/static/js/outbox.js", location.href).href)'
ITEMS = f"""() => {OUTBOX}.then(outbox => outbox.items()).then(all => all.map(i => ({{
    id: i.id, state: i.state, message: i.message, user: i.user, photos: i.photos.length,
    bytes: i.photos.reduce((n, p) => n + p.blob.size, 0), fieldErrors: i.fieldErrors}})))"""
SHELL_KEPT = """async (paths) => {
    const found = await Promise.all(paths.map(p =>
        caches.match(new URL(p, location.href).href, {ignoreVary: true})));
    return found.every(Boolean);
}"""


def wait_until(
    page: Page, expression: str, arg=None, *, timeout: float = 30_000, what: str = ""
) -> None:
    """Poll an (async) page expression until it is truthy: ``wait_for_function`` does not
    wait for promises, and IndexedDB and Cache Storage only answer with promises."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or expression}")
        page.wait_for_timeout(25)


def sign_in(
    page: Page,
    username: str = "tho-xuong",
    password: str = "wardapp-demo",
    path: str = "/login",
    *,
    remember: bool = False,
) -> None:
    """Through the login page; ``remember`` ticks "remember me", which alone keeps the officer
    signed in when the browser is closed and opened again."""
    page.goto(path)
    page.fill("#username", username)
    page.fill("#password", password)
    if remember:
        page.check("#remember")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def wait_for_offline_shell(page: Page, capture_path: str) -> None:
    """Until the service worker controls the page and keeps the capture form and the outbox."""
    # Generous: installing the worker is the slowest step when the machine is busy.
    wait_until(
        page,
        "() => navigator.serviceWorker.ready.then(r => r.active.state === 'activated')",
        timeout=40_000,
        what="the service worker",
    )
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        # This page's navigation started while the worker was still installing and ended after
        # it took over the open pages: it stays uncontrolled. Any later navigation is not.
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    wait_until(
        page,
        SHELL_KEPT,
        [capture_path, "/outbox", "/", "/mine"],
        timeout=40_000,
        what="the pages kept for offline use",
    )


def fill_site_photo(
    page: Page,
    photo_path=None,
    *,
    place: str = "Dải phân cách đường Hùng Vương",
    installed: str = "Pano tuyên truyền CCHC",
    quantity: str = "2",
) -> str:
    """Fill the site-photo form; returns the client_uuid the page made for it."""
    page.wait_for_selector("form.capture[data-outbox]")
    page.fill("#f-place", place)
    page.fill("#f-installed", installed)
    page.fill("#f-quantity", quantity)
    if photo_path is not None:
        page.set_input_files("#f-photo", str(photo_path))
    return page.input_value("input[name=client_uuid]")


def submit_to_outbox(page: Page) -> None:
    page.click("form.capture button[type=submit]")
    page.wait_for_url("**/outbox")
    page.wait_for_selector("#outbox[data-ready]")


def outbox_items(page: Page) -> list[dict]:
    return page.evaluate(ITEMS)


def wait_for_outbox_count(page: Page, count: int, **kwargs) -> None:
    wait_until(
        page,
        f"n => {OUTBOX}.then(o => o.items()).then(all => all.length === n)",
        count,
        what=f"{count} item(s) in the outbox",
        **kwargs,
    )


def wait_until_sent(page: Page, *, timeout: float = 30_000) -> None:
    """Until the outbox is empty and the page shows it."""
    wait_for_outbox_count(page, 0, timeout=timeout)
    expect(page.locator(".outbox-list .outbox-item")).to_have_count(0)


def officer_ready_offline(page: Page, server, username: str = "tho-xuong") -> str:
    """Sign in, let the service worker keep the pages, then cut the network. Returns the
    capture form's path."""
    sign_in(page, username)
    capture = server.capture_path()
    page.goto(capture)
    wait_for_offline_shell(page, capture)
    page.context.set_offline(True)
    return capture


def record_offline(page: Page, capture: str, photo_path, count: int = 1, **fields) -> list[str]:
    """Fill and send the capture form ``count`` times with no network; returns the keys."""
    keys = []
    for _ in range(count):
        page.goto(capture)
        keys.append(fill_site_photo(page, photo_path, **fields))
        submit_to_outbox(page)
    wait_for_outbox_count(page, len(keys))
    return keys
