"""What the offline outbox costs and saves, measured in Debian's Chromium on loopback.

Run from the repository root:  python tests/benchmarks/bench_outbox.py [--items 20]
It prints figures; it is not a test and asserts nothing. Three measurements:

1. bytes on the wire for one phone-sized photo: the 12 MP camera JPEG against the request the
   outbox sent after downscaling it in the browser;
2. the capture page's transfer on a first load (no service worker yet) against a repeat load
   with the service worker, online (the page itself is fetched fresh, the shell costs nothing)
   and offline (nothing at all);
3. how long the outbox takes to drain ``--items`` queued submissions on loopback.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from playwright.sync_api import sync_playwright

from support import images
from support.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer, context_options, serving
from support.browser_steps import (
    officer_ready_offline,
    record_offline,
    sign_in,
    wait_until,
    wait_until_sent,
)


def phone_photo(path: Path) -> Path:
    """A 12 MP JPEG as a phone camera writes it: photographic noise, quality 90, EXIF."""
    image = images.photo_like(4000, 3000, seed=3)
    exif = images.exif(
        gps=(21.2731, 106.1946), taken_at=datetime(2024, 3, 20, 8, 30), offset="+07:00"
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    path.write_bytes(out.getvalue())
    return path


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} kB"


def since(server: LiveServer, mark: int) -> tuple[int, int]:
    """Requests and response bytes the server answered since ``mark``."""
    answered = server.answered[mark:]
    return len(answered), sum(a.sent for a in answered)


def bytes_for_one_photo(browser, tmp: Path, photo: Path) -> None:
    with serving(tmp / "photo") as server:
        context = browser.new_context(**context_options(server))
        page = context.new_page()
        capture = officer_ready_offline(page, server)
        record_offline(page, capture, photo)
        context.set_offline(False)
        wait_until_sent(page)
        context.close()
        [post] = [a for a in server.answered if a.method == "POST" and a.path.startswith("/api/")]
        [evidence] = server.evidence()
        media = evidence.media[0]
    original = photo.stat().st_size
    print("1. One phone photo (4000×3000 camera JPEG)")
    print(f"   original file              {kb(original):>12}")
    print(
        f"   request the outbox sent    {kb(post.received):>12}  "
        f"({post.received / original:.0%} of the original; photo stored at "
        f"{media.width}×{media.height}, {kb(media.size)})"
    )


def capture_page_transfer(browser, tmp: Path) -> None:
    with serving(tmp / "page") as server:
        capture = server.capture_path()
        signing = browser.new_context(**context_options(server, service_workers="block"))
        sign_in(signing.new_page())
        cookies = signing.storage_state()  # a fresh context with these has an empty HTTP cache
        signing.close()
        first = browser.new_context(
            **context_options(server, service_workers="block", storage_state=cookies)
        )
        page = first.new_page()
        mark = len(server.answered)
        page.goto(capture)
        page.wait_for_load_state("networkidle")
        cold = since(server, mark)
        first.close()

        context = browser.new_context(**context_options(server))
        page = context.new_page()
        officer_ready_offline(page, server)  # signs in, lets the worker keep the pages
        context.set_offline(False)
        wait_until(
            page,
            "() => !JSON.parse(localStorage.getItem('wardapp.warm') || '{}').pending",
            what="the worker keeping every form",
        )
        mark = len(server.answered)
        page.goto(capture)
        page.wait_for_load_state("networkidle")
        warm = since(server, mark)
        context.set_offline(True)
        mark = len(server.answered)
        page.goto(capture)
        page.wait_for_selector("form.capture[data-outbox]")
        offline = since(server, mark)
        context.close()
    print("2. The capture page (task 6, site photo)")
    print(f"   first load, no worker      {kb(cold[1]):>12}  in {cold[0]} requests")
    print(
        f"   repeat load, online        {kb(warm[1]):>12}  in {warm[0]} request(s): "
        "the page itself, fresh; the shell from the worker's cache"
    )
    print(f"   repeat load, offline       {kb(offline[1]):>12}  in {offline[0]} requests")


def drain_time(browser, tmp: Path, photo: Path, items: int) -> None:
    with serving(tmp / "drain") as server:
        context = browser.new_context(**context_options(server))
        page = context.new_page()
        capture = officer_ready_offline(page, server)
        record_offline(page, capture, photo, count=items)
        start = time.perf_counter()
        context.set_offline(False)
        wait_until_sent(page, timeout=300_000)
        elapsed = time.perf_counter() - start
        context.close()
        statuses = server.submissions()
        sent = sum(a.received for a in server.answered if a.method == "POST")
    print(f"3. Draining {items} queued submissions on loopback (one 2048 px photo each)")
    print(
        f"   {elapsed:.2f} s in all, {elapsed / items * 1000:.0f} ms per item; "
        f"{statuses.count(201)} created, {len(statuses) - statuses.count(201)} other answers; "
        f"{kb(sent)} sent"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20, help="submissions to queue and drain")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        tmp = Path(folder)
        photo = phone_photo(tmp / "IMG_20240320_083000.jpg")
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            bytes_for_one_photo(browser, tmp, photo)
            capture_page_transfer(browser, tmp)
            drain_time(browser, tmp, photo, args.items)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
