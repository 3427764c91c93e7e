"""The review queue on a cheap phone and a desk screen: prints figures, asserts nothing.

Run from the repository root:  python tests/benchmarks/bench_queue_screen.py [--lighthouse PATH]

1. Rows per screen: 25 items (2 photos each) and 10 without photos, in Chromium at 360 × 740
   (a phone, touch) and 1280 × 800: the rows wholly on the first screen, the median row
   height, and the screen height over it. Target at 1024 px and wider: six rows or more.
2. With ``--lighthouse`` (the ``lighthouse`` command from npm, run with Debian's chromium
   headless): Lighthouse's mobile performance score of ``/review``, three runs. Target ≥ 95.

The app is served by the test helpers (werkzeug, SQLite), so the figures compare versions of
the page on one machine rather than predict a production server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright

from support.browser import CHROMIUM, CHROMIUM_ARGS, context_options, serving
from support.browser_steps import sign_in
from support.evidence import Officer, make_evidence, photo, task_numbered, unit_coded
from wardapp.extensions import db

ROWS = """() => {
    const rows = Array.from(document.querySelectorAll('.review-row'));
    const whole = rows.filter(r => { const b = r.getBoundingClientRect();
                                     return b.top >= 0 && b.bottom <= innerHeight; }).length;
    return {whole, heights: rows.map(r => r.getBoundingClientRect().height)};
}"""


def seed(app) -> None:
    officer = Officer(app, "tho-xuong")
    for n in range(25):
        photos = [photo(seed=10 * n, size=(1600, 1200)), photo(seed=10 * n + 1, size=(1600, 1200))]
        response = officer.site_photo(photos=photos, occurred_at=f"2024-03-{1 + n % 28:02d}T09:00")
        assert response.status_code == 201, response.json
    with app.app_context():
        task, unit = task_numbered(6), unit_coded("da-mai")
        start = datetime(2024, 5, 6, 3, tzinfo=UTC)
        for i in range(10):
            make_evidence(task, unit, created_at=start + timedelta(minutes=i))
        db.session.commit()


def rows_per_screen(server) -> None:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height, phone in ((360, 740, True), (1280, 800, False)):
            context = browser.new_context(
                **context_options(server),
                viewport={"width": width, "height": height},
                is_mobile=phone,
                has_touch=phone,
            )
            page = context.new_page()
            sign_in(page, "vhtt")
            page.goto("/review")
            page.wait_for_timeout(300)
            found = page.evaluate(ROWS)
            median = statistics.median(found["heights"])
            print(
                f"{width} px: {found['whole']} whole rows on the first screen; median row "
                f"{median:.0f} px, {height / median:.1f} rows a screen"
            )
            context.close()
        browser.close()


def signed_in_cookie(server) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.url + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "vhtt", "password": "wardapp-demo"}
    opener.open(server.url + "/login", urllib.parse.urlencode(form).encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def lighthouse(server, command: str, folder: Path, runs: int = 3) -> None:
    headers = folder / "headers.json"
    headers.write_text(json.dumps({"Cookie": signed_in_cookie(server)}))
    scores = []
    for run in range(runs):
        report_path = folder / f"report-{run}.json"
        subprocess.run(
            [
                command,
                server.url + "/review",
                "--only-categories=performance",
                "--quiet",
                "--output=json",
                f"--output-path={report_path}",
                f"--extra-headers={headers}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
            timeout=300,
        )
        report = json.loads(report_path.read_text())
        score = report["categories"]["performance"]["score"] * 100
        audits = report["audits"]
        shown = {
            k: audits[k]["displayValue"]
            for k in ("first-contentful-paint", "largest-contentful-paint", "total-byte-weight")
        }
        print(f"Lighthouse run {run + 1}: performance {score:.0f}", shown)
        scores.append(score)
    print(f"Lighthouse median: {statistics.median(scores):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lighthouse", help="the lighthouse command (npm)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp) / "app") as server:
        seed(server.app)
        rows_per_screen(server)
        if args.lighthouse:
            lighthouse(server, args.lighthouse, Path(tmp))


if __name__ == "__main__":
    main()
