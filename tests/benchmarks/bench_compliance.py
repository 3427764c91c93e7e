"""The compliance picture and the exports at scale: prints figures, asserts nothing.

Run from the repository root:  python tests/benchmarks/bench_compliance.py [--items 250000]
                               [--postgres postgresql://postgres@127.0.0.1:5432/test]

1. The dashboard matrix: a plan of 16 units × 10 tasks (weekly, deadline, per-period and
   on-change rules) over 10,000 accepted items in a quarter (plus waiting and returned ones):
   ``compliance_for`` alone and the whole ``/compliance`` page. Target ≤ 200 ms.
2. XLSX and CSV export of ``--items`` (250,000: a national quarter) accepted items, each with a
   photo, through the real views: time, and peak memory (RSS) of a fresh process that does
   only the export. Target ≤ 30 s and ≤ 300 MB.

Rows are bulk-inserted into a throw-away SQLite database (and, with ``--postgres``, into a
schema of its own that is dropped afterwards).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text

from wardapp import create_app
from wardapp.auth.models import User
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

RULES = [
    ("weekly", {}),
    ("weekly", {}),
    ("weekly", {}),
    ("deadline", {"deadline": date(2024, 3, 31)}),
    ("deadline", {"deadline": date(2024, 6, 30)}),
    ("per_period", {"min_count": 2, "period": "month"}),
    ("per_period", {"min_count": 3, "period": "quarter"}),
    ("per_period", {"min_count": 1, "period": "month"}),
    ("per_period", {}),
    ("on_change", {}),
]
Q1_START = datetime(2024, 1, 1, tzinfo=UTC) - timedelta(hours=7)  # local midnight


def app_for(url: str, schema: str | None, media: str):
    options = {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": options,
            "MEDIA_DIR": media,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
        }
    )


def seed(app, items: int, units: int = 16) -> None:
    """A plan of ``units`` wards × 10 tasks and ``items`` accepted items spread over Q1/2024
    (plus 5 % waiting and 2 % returned), each with one photo row."""
    with app.app_context():
        db.create_all()
        plan = Plan(year=2024, city="Bắc Giang", title="Kế hoạch tuyên truyền CCHC năm 2024")
        wards = [
            Unit(code=f"ward-{i}", kind="ward", name=f"Phường Số {i}", short_name=f"Số {i}")
            for i in range(units)
        ]
        db.session.add_all([plan, *wards])
        db.session.flush()
        tasks = []
        for number, (rule, params) in enumerate(RULES, start=1):
            task = Task(
                plan=plan,
                number=number,
                text=f"Nhiệm vụ {number}",
                short_title=f"Nhiệm vụ số {number}",
                rule=rule,
                kinds=["site_photo"],
                **params,
            )
            task.assignments = [TaskUnit(unit_id=w.id, role="lead", scored=True) for w in wards]
            tasks.append(task)
        users = [
            User(
                username=f"u{w.id}",
                password_hash="x",
                display_name="Cán bộ",
                role="officer",
                unit_id=w.id,
            )
            for w in wards
        ]
        overseer = User(
            username="overseer", password_hash="x", display_name="Phòng Nội vụ", role="overseer"
        )
        db.session.add_all([*tasks, *users, overseer])
        db.session.commit()
        task_ids, pairs = (
            [t.id for t in tasks],
            [(w.id, u.id) for w, u in zip(wards, users, strict=True)],
        )
        total = int(items * 1.07)
        batch = 20_000
        for start in range(0, total, batch):
            rows, media = [], []
            for n in range(start, min(start + batch, total)):
                unit_id, user_id = pairs[n % len(pairs)]
                status = "approved" if n < items else ("submitted" if n % 3 else "returned")
                occurred = Q1_START + timedelta(minutes=(n * 7919) % (91 * 24 * 60))
                rows.append(
                    {
                        "id": n + 1,
                        "client_uuid": f"{n:036d}",
                        "task_id": task_ids[n % 10],
                        "unit_id": unit_id,
                        "submitted_by_id": user_id,
                        "kind": "site_photo",
                        "occurred_at": occurred,
                        "status": status,
                        "fingerprint": "f" * 64,
                        "reviewed_at": occurred + timedelta(days=2)
                        if status != "submitted"
                        else None,
                        "fields": {
                            "place": "Dải phân cách đường Hùng Vương",
                            "installed": "Pano tuyên truyền CCHC",
                            "quantity": 2,
                        },
                        "note": "",
                        "warnings": [],
                        "created_at": occurred,
                        "version": 1,
                    }
                )
                media.append(
                    {
                        "evidence_id": n + 1,
                        "role": "photo",
                        "position": 0,
                        "sha256": "0" * 64,
                        "content_type": "image/jpeg",
                        "size": 1,
                        "original_name": "anh.jpg",
                        "original_key": "00/00/" + "0" * 64 + ".jpg",
                        "display_key": None,
                        "thumb_key": None,
                        "created_at": occurred,
                    }
                )
            db.session.execute(insert(Evidence), rows)
            db.session.execute(insert(Media), media)
            db.session.commit()


def overseer_client(app):
    """A client signed in as the bulk-made overseer, whose account has no password to type."""
    client = app.test_client()
    with app.app_context():
        overseer = db.session.scalar(db.select(User).where(User.username == "overseer"))
        identity = overseer.get_id()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = identity, True
    return client


def bench_matrix(app) -> dict:
    from wardapp.compliance.picture import compliance_for
    from wardapp.core.periods import Period

    with app.test_request_context():
        plan = db.session.scalar(db.select(Plan))
        times = {}
        for label, period in (
            ("quarter", Period.quarter(2024, 1)),
            ("year", Period.whole_year(2024)),
        ):
            runs = []
            for _ in range(7):
                db.session.expire_all()
                runs.append(timed(partial(compliance_for, plan, period, as_of=date(2026, 1, 1))))
            times[label] = median(runs)
        assert len(compliance_for(plan, Period.quarter(2024, 1)).cells) == 160
    client = overseer_client(app)
    page = []
    for _ in range(5):
        page.append(timed(lambda: client.get("/compliance?quarter=1")))
    times["page"] = median(page)
    return times


def timed(work) -> tuple[float, float]:
    """(wall, CPU) seconds: on a shared machine the CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def median(runs) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def ms(pair) -> str:
    return f"{pair[0] * 1000:.0f} ms ({pair[1] * 1000:.0f} ms CPU)"


def measure_export(app, fmt: str) -> dict:
    """In a fresh process: one export through the real view, streamed and thrown away."""
    client = overseer_client(app)
    with app.app_context():
        db.session.scalar(text("SELECT 1"))
    before = rss_mb("VmRSS")
    t, cpu = time.perf_counter(), time.process_time()
    response = client.get(f"/compliance/export.{fmt}?quarter=1")
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    return {
        "format": fmt,
        "status": response.status_code,
        "seconds": round(elapsed, 1),
        "cpu": round(cpu, 1),
        "mb": round(size / 2**20, 1),
        "rss_before_mb": round(before),
        "rss_peak_mb": round(rss_mb("VmHWM")),
    }


def rss_mb(field: str) -> float:
    """Resident memory now (VmRSS) or at its peak so far (VmHWM), from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=250_000)
    parser.add_argument("--postgres", default=os.environ.get("WARDAPP_BENCH_POSTGRES_URL"))
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child: "fmt url schema"
    args = parser.parse_args()
    if args.measure:
        fmt, url, schema, media = args.measure.split("|")
        print(json.dumps(measure_export(app_for(url, schema or None, media), fmt)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("sqlite", lambda name: (f"sqlite:///{tmp}/{name}.sqlite3", None))]
        if args.postgres:
            backends.append(("postgresql", lambda name: pg_schema(args.postgres)))
        for backend, where in backends:
            url, schema = where("matrix")
            app = app_for(url, schema, tmp)
            t = time.perf_counter()
            seed(app, 10_000)
            print(f"[{backend}] seeded 10,000 accepted items in {time.perf_counter() - t:.1f} s")
            times = bench_matrix(app)
            print(
                f"[{backend}] matrix 16 units × 10 tasks, 10,000 accepted: compliance_for "
                f"{ms(times['quarter'])} for a quarter, {ms(times['year'])} for the year; the "
                f"whole /compliance page {ms(times['page'])}  (target ≤ 200 ms)"
            )
            drop(app, url, schema)
            url, schema = where("exports")
            app = app_for(url, schema, tmp)
            t = time.perf_counter()
            seed(app, args.items)
            print(
                f"[{backend}] seeded {args.items:,} accepted items "
                f"in {time.perf_counter() - t:.1f} s"
            )
            for fmt in ("csv", "xlsx"):
                child = subprocess.run(
                    [sys.executable, __file__, "--measure", f"{fmt}|{url}|{schema or ''}|{tmp}"],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                r = json.loads(child.stdout.strip().splitlines()[-1])
                print(
                    f"[{backend}] {fmt.upper()} export of {args.items:,} items: {r['seconds']} s "
                    f"({r['cpu']} s CPU), {r['mb']} MB file, peak RSS {r['rss_peak_mb']} MB "
                    f"({r['rss_before_mb']} MB before the export)  (target ≤ 30 s, ≤ 300 MB)"
                )
            drop(app, url, schema)


def pg_schema(base: str) -> tuple[str, str]:
    url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"bench_{secrets.token_hex(4)}"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return url, schema


def drop(app, url: str, schema: str | None) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
