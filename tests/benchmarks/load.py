"""A minute of a busy morning: 50 officers sending photo evidence, 5 reviewers deciding.

Run from the repository root:

    python tests/benchmarks/load.py [--seconds 60] [--database sqlite|postgresql|both]

For each database it sets up a throw-away installation (a temporary folder; on PostgreSQL a
temporary database, dropped afterwards), starts gunicorn with 2 workers on a free loopback
port, and runs simulated people in threads against it until the time is up. Officers send a
site photo of about 400 KB each time (a few pre-made photos, each copy made distinct), and now
and then send one of their own submissions again, as an outbox does after a lost answer.
Reviewers open the queue page and approve or return an item the way the page's buttons do.

At the end it checks, in the database itself: zero errors (any 5xx or network error), zero
lost (every 201/200 a client saw is there exactly once, with the same id), zero duplicated
(one row per client_uuid), files and rows agreeing (fsck); and prints throughput and latency
per operation. It exits non-zero if a check fails. It measures; it asserts no speed.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import secrets
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from datetime import datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from support import images
from support.client import page_token
from support.servers import HttpUser, Instance, Server, site_photo_submission, submit

ROW = re.compile(r'action="/review/(\d+)/approve".*?name="version" value="(\d+)"', re.S)
MAX_SECONDS = 600


class Tally:
    """Every operation's answer and time, shared by all the simulated people."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.confirmed: dict[str, int] = {}  # client_uuid → evidence id the client was told
        self.mismatched: list[str] = []
        self.decided: list[int] = []

    def add(self, operation: str, status, seconds: float) -> None:
        with self.lock:
            self.statuses[operation][status] += 1
            if isinstance(status, int):
                self.latency[operation].append(seconds)

    def confirm(self, key: str, evidence_id: int) -> None:
        with self.lock:
            if self.confirmed.setdefault(key, evidence_id) != evidence_id:
                self.mismatched.append(key)


def timed(tally: Tally, operation: str, call):
    started = time.perf_counter()
    try:
        status, body = call()
    except OSError as exc:  # refused, reset, timed out: the network failed the person
        tally.add(operation, f"network error: {type(exc).__name__}", 0.0)
        return None, b""
    tally.add(operation, status, time.perf_counter() - started)
    return status, body


def distinct(photo: bytes) -> bytes:
    """The same picture with a comment segment of its own: new bytes, a new stored file."""
    note = uuid.uuid4().bytes
    return photo[:2] + b"\xff\xfe\x00\x12" + note + photo[2:]


def officer(
    base: str,
    username: str,
    photos: list[bytes],
    tally: Tally,
    deadline: float,
    think: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    user = HttpUser(base, username)
    task = next(t["id"] for t in user.tasks() if "site_photo" in t["kinds"])
    sent: list[tuple[str, bytes, dict]] = []
    while time.monotonic() < deadline:
        if sent and rng.random() < 0.15:
            key, body, headers = rng.choice(sent)
            operation = "replay"
        else:
            key = str(uuid.uuid4())
            body, headers = site_photo_submission(key, task, distinct(rng.choice(photos)))
            operation = "submit"
        status, answer = timed(tally, operation, partial(submit, user, body, headers))
        if status in (200, 201):
            tally.confirm(key, int(re.search(rb'"id":\s*(\d+)', answer).group(1)))
            if status == 201:
                sent = (sent + [(key, body, headers)])[-3:]
        time.sleep(rng.uniform(0, think))


def reviewer(base: str, tally: Tally, deadline: float, think: float, seed: int) -> None:
    rng = random.Random(seed)
    user = HttpUser(base, "vhtt")
    while time.monotonic() < deadline:
        status, page = timed(tally, "queue page", lambda: user.call("/review"))
        rows = ROW.findall(page.decode()) if status == 200 else []
        if not rows:
            time.sleep(0.5)
            continue
        evidence_id, version = rng.choice(rows)
        token = page_token(page.decode())
        decision = "approve" if rng.random() < 0.8 else "return"
        form = {"csrf_token": token, "version": version}
        if decision == "return":
            form["reason"] = "Ảnh không rõ, chụp lại giúp"
        status, _ = timed(
            tally,
            "decision",
            partial(
                user.call,
                f"/review/{evidence_id}/{decision}",
                urllib.parse.urlencode(form).encode(),
                {"HX-Request": "true"},
            ),
        )
        if status == 200:
            with tally.lock:
                tally.decided.append(int(evidence_id))
        time.sleep(rng.uniform(0, think))


def rows_per_key(instance: Instance, database_url: str | None) -> dict[str, tuple[int, int]]:
    """client_uuid → (rows, smallest id), read from the database itself."""
    query = "SELECT client_uuid, count(*), min(id) FROM evidence GROUP BY client_uuid"
    if database_url is None:
        with sqlite3.connect(instance.database) as conn:
            return {k: (n, i) for k, n, i in conn.execute(query)}
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        result = {k: (n, i) for k, n, i in conn.execute(text(query))}
    engine.dispose()
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def report(name: str, tally: Tally, elapsed: float, rows: dict, fsck_ok: bool) -> bool:
    errors = sum(
        n
        for counter in tally.statuses.values()
        for status, n in counter.items()
        if not isinstance(status, int) or status >= 500
    )
    lost = [k for k, i in tally.confirmed.items() if rows.get(k, (0, 0)) != (1, i)]
    duplicated = [k for k, (n, _) in rows.items() if n > 1]
    print(f"\n== {name}: {elapsed:.0f} s, gunicorn 2 workers ==")
    print(
        f"{'operation':<11} {'count':>6} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8}  answers"
    )
    for operation in ("submit", "replay", "queue page", "decision"):
        times = [t * 1000 for t in tally.latency[operation]]
        count = sum(tally.statuses[operation].values())
        answers = ", ".join(
            f"{s}: {n}" for s, n in sorted(tally.statuses[operation].items(), key=str)
        )
        print(
            f"{operation:<11} {count:>6} {count / elapsed:>7.1f} "
            f"{statistics.median(times) if times else 0:>8.0f} {percentile(times, 0.95):>8.0f} "
            f"{max(times, default=0):>8.0f}  {answers}"
        )
    print(
        f"stored evidence {len(rows)}; confirmed to clients {len(tally.confirmed)}; "
        f"decisions {len(tally.decided)}"
    )
    print(
        f"errors {errors}, lost {len(lost)}, duplicated {len(duplicated)}, "
        f"replays answered with another id {len(tally.mismatched)}, "
        f"fsck {'clean' if fsck_ok else 'NOT clean'}"
    )
    return not (errors or lost or duplicated or tally.mismatched) and fsck_ok


def run(database: str, args, photos: list[bytes]) -> bool:
    with tempfile.TemporaryDirectory(prefix="wardapp-load-") as folder:
        url, drop = None, None
        if database == "postgresql":
            url, drop = temporary_postgres(args.postgres_url)
        try:
            # One address for 55 people: the per-address sign-in cap is raised for the test.
            instance = Instance(Path(folder), url, LOGIN_RATE_LIMIT="1000 per minute").set_up()
            server = Server(instance, workers=2)
            try:
                tally = Tally()
                deadline = time.monotonic() + args.seconds
                accounts = officer_accounts(instance)
                people = [
                    threading.Thread(
                        target=officer,
                        args=(
                            server.base,
                            accounts[i % len(accounts)],
                            photos,
                            tally,
                            deadline,
                            args.think,
                            i,
                        ),
                    )
                    for i in range(args.officers)
                ]
                people += [
                    threading.Thread(
                        target=reviewer, args=(server.base, tally, deadline, args.think, 1000 + i)
                    )
                    for i in range(args.reviewers)
                ]
                started = time.monotonic()
                for person in people:
                    person.start()
                for person in people:
                    person.join(args.seconds + 180)
                elapsed = time.monotonic() - started
            finally:
                server.stop()
            rows = rows_per_key(instance, url)
            fsck = instance.flask("wardapp", "fsck")
            return report(database, tally, elapsed, rows, fsck.returncode == 0)
        finally:
            if drop:
                drop()


def officer_accounts(instance: Instance) -> list[str]:
    """The demo's ward and commune officers (agencies have no site-photo task of their own)."""
    query = (
        "SELECT u.username FROM user u JOIN unit n ON n.id = u.unit_id "
        "WHERE u.role = 'officer' AND n.kind IN ('ward', 'commune') ORDER BY u.username"
    )
    if instance.env["WARDAPP_DATABASE_URL"].startswith("sqlite"):
        with sqlite3.connect(instance.database) as conn:
            return [r[0] for r in conn.execute(query)]
    from sqlalchemy import create_engine, text

    engine = create_engine(
        instance.env["WARDAPP_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    )
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text(query.replace("user u", '"user" u')))]
    engine.dispose()
    return names


def temporary_postgres(server_url: str):
    """A new database on the server, and the function that drops it."""
    from sqlalchemy import create_engine, text

    admin = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    name = f"wardapp_load_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    return server_url.rsplit("/", 1)[0] + f"/{name}", drop


def phone_photo(seed: int) -> bytes:
    """A 2048×1536 photo of about 400 KB, as the outbox sends after downscaling."""
    out = io.BytesIO()
    images.photo_like(2048, 1536, seed=seed).save(
        out,
        "JPEG",
        quality=75,
        exif=images.exif(
            gps=(21.2731, 106.1946), taken_at=datetime(2024, 3, 20, 9), offset="+07:00"
        ),
    )
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument(
        "--think", type=float, default=1.0, help="most seconds a person waits between two actions"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "WARDAPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    args.seconds = min(args.seconds, MAX_SECONDS)
    photos = [phone_photo(seed) for seed in range(4)]
    print(
        f"{len(photos)} photos, median {statistics.median(map(len, photos)) / 1024:.0f} KB; "
        f"{args.officers} officers, {args.reviewers} reviewers, {args.seconds:.0f} s each"
    )
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = [run(database, args, photos) for database in databases]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
