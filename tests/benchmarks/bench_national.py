"""National figures on PostgreSQL: 3,321 communes, a year of evidence, prints figures only.

Run from the repository root:
    python tests/benchmarks/bench_national.py --postgres postgresql://postgres@127.0.0.1:5432/test
        [--rows 2000000] [--units 3321]

In a schema of its own (dropped afterwards): the shipped plan's 10 tasks with ``--units``
units leading every task, and ``--rows`` evidence rows (one photo row each) spread over 2024,
made inside PostgreSQL with ``generate_series`` (a million rows a minute or so). Then, through
the app:

1. the review queue: first page, a filtered page (task + unit + warnings, all statuses) and a
   deep page (90 % into the waiting items), median and p95 of whole requests (target p95 ≤
   100 ms);
2. the compliance matrix of every unit × 10 tasks over Q1: ``compliance_for`` and the whole
   ``/compliance`` page (target ≤ 2 s), and the overseer's home, which ranks every unit;
3. the quarterly XLSX of one province (100 units) as the export job builds it, in a fresh
   process: time and peak memory (target ≤ 30 s, ≤ 300 MB).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from sqlalchemy import create_engine, select, text

from support.client import AuthActions
from wardapp import create_app, demo
from wardapp.auth.services import create_user
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Task, TaskUnit
from wardapp.units.models import Unit

RUNS = 30
BATCH = 250_000
PROVINCE = 100

UNITS_SQL = """
INSERT INTO unit (code, kind, name, short_name, active)
SELECT 'xa-so-' || g, 'commune', 'Xã Số ' || g, 'Số ' || g, true
FROM generate_series(1, CAST(:n AS integer)) g;
INSERT INTO task_unit (task_id, unit_id, role, scored)
SELECT t.id, u.id, 'lead', true FROM task t CROSS JOIN unit u WHERE u.code LIKE 'xa-so-%';
"""

# Row g: task g mod 10, a unit spread by a multiplier prime to everything, sent at an even
# pace over the year, done up to two weeks before; 10 % waiting, 5 % returned, 10 % warned.
EVIDENCE_SQL = """
WITH t AS (SELECT array_agg(id ORDER BY id) AS ids,
                  array_agg(coalesce(kinds->>0, 'site_photo') ORDER BY id) AS kinds FROM task),
     u AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM unit)
INSERT INTO evidence (id, client_uuid, task_id, unit_id, submitted_by_id, kind, occurred_at,
                      fields, note, status, reviewed_at, fingerprint, warnings, has_warnings,
                      created_at, version)
SELECT g, md5(g::text)::uuid::text, t.ids[1 + g % 10], u.ids[1 + (g * 7919) % u.n], :officer,
       t.kinds[1 + g % 10],
       sent - (g % 336) * interval '1 hour',
       '{"place": "Đường Hùng Vương", "installed": "Pano", "quantity": 1}'::json, '',
       CASE WHEN g % 20 < 2 THEN 'submitted' WHEN g % 20 = 2 THEN 'returned' ELSE 'approved' END,
       CASE WHEN g % 20 < 2 THEN NULL ELSE sent + interval '1 day' END,
       repeat('0', 64),
       CASE WHEN g % 10 = 3 THEN '[{"code": "no_location"}]'::json ELSE '[]'::json END,
       g % 10 = 3, sent, 1
FROM t, u, generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) g,
     LATERAL (SELECT timestamptz '2024-01-01 00:00+07'
                     + g * CAST(:step AS double precision) * interval '1 second') s(sent);
INSERT INTO media (evidence_id, role, position, sha256, content_type, size, original_name,
                   width, height, original_key, display_key, thumb_key, created_at)
SELECT g, 'photo', 0, h, 'image/jpeg', 300000, 'anh.jpg', 2048, 1536, k, k, k,
       timestamptz '2024-01-01 00:00+07' + g * CAST(:step AS double precision) * interval '1 second'
FROM generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) g,
     LATERAL (SELECT md5(g::text) || md5((g + 1)::text)) x(h),
     LATERAL (SELECT substr(h, 1, 2) || '/' || substr(h, 3, 2) || '/' || h || '.jpg') y(k);
"""


def settings(url: str, schema: str, folder: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        "SECRET_KEY": "bench",
        "MEDIA_DIR": f"{folder}/media",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def seed(rows: int, units: int) -> None:
    demo.seed(with_evidence=False)
    db.session.commit()
    extra = units - db.session.scalar(select(db.func.count()).select_from(Unit))
    for statement in UNITS_SQL.strip().split(";\n"):
        db.session.execute(text(statement), {"n": extra})
    officer = db.session.scalar(text("SELECT id FROM \"user\" WHERE username = 'tho-xuong'"))
    step = 366 * 86400 / rows
    # The indexes are made once the rows are in (several times quicker than row by row).
    indexes = db.session.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename IN ('evidence', 'media') AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint)"
        )
    ).all()
    for name, _ in indexes:
        db.session.execute(text(f'DROP INDEX "{name}"'))
    for lo in range(1, rows + 1, BATCH):
        hi = min(lo + BATCH - 1, rows)
        for statement in EVIDENCE_SQL.strip().split(";\n"):
            db.session.execute(
                text(statement), {"officer": officer, "lo": lo, "hi": hi, "step": step}
            )
        db.session.commit()
        print(f"  {hi:,} rows", flush=True)
    for _, definition in indexes:
        db.session.execute(text(definition))
    db.session.commit()
    db.session.execute(text("SELECT setval('evidence_id_seq', (SELECT max(id) FROM evidence))"))
    db.session.execute(text("SELECT setval('media_id_seq', (SELECT max(id) FROM media))"))
    # A reviewer of one province: its first hundred units.
    province = db.session.scalars(select(Unit).order_by(Unit.id).limit(PROVINCE)).all()
    create_user(
        None,
        username="vhtt-tinh",
        password="wardapp-demo",
        display_name="Sở VHTT",
        role="reviewer",
        scoped_units=list(province),
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def time_requests(client, url: str, runs: int = RUNS) -> tuple[float, float, float]:
    """Median and p95 of whole requests in ms, and the median CPU this process spent on one
    (on a shared machine the steadier figure; the database's own time is not in it)."""
    client.get(url)  # warm
    samples, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    return statistics.median(samples), p95, statistics.median(cpu)


def bench_queue(app, rows: int) -> None:
    with app.app_context():
        task6 = db.session.scalar(select(Task.id).where(Task.number == 6))
        unit = db.session.scalar(select(TaskUnit.unit_id).where(TaskUnit.task_id == task6))
        waiting = db.session.scalar(
            select(db.func.count()).select_from(Evidence).where(Evidence.status == "submitted")
        )
        deep = db.session.execute(
            select(Evidence.created_at, Evidence.id)
            .where(Evidence.status == "submitted")
            .order_by(Evidence.created_at, Evidence.id)
            .offset(int(waiting * 0.9))
            .limit(1)
        ).one()
    client = app.test_client()
    AuthActions(client).login("vhtt")
    cursor = f"{deep.created_at.timestamp():.6f}_{deep.id}"
    pages = {
        "first page": "/review",
        "filtered (task + unit + warnings, all statuses)": (
            f"/review?status=all&task={task6}&unit={unit}&warnings=1"
        ),
        "deep page (90% into the waiting items)": f"/review?after={cursor}",
    }
    gc.collect()
    gc.freeze()  # as wsgi.py does in each gunicorn worker
    for name, url in pages.items():
        median, p95, cpu = time_requests(client, url)
        print(
            f"review queue, {rows:,} rows, {name}: median {median:.0f} ms, p95 {p95:.0f} ms, "
            f"{cpu:.0f} ms CPU  (target p95 ≤ 100 ms)"
        )
    gc.unfreeze()


def bench_matrix(app, units: int) -> None:
    from wardapp.compliance.picture import compliance_for
    from wardapp.core.periods import Period
    from wardapp.plans.models import Plan

    with app.test_request_context():
        plan = db.session.scalar(select(Plan))
        plan_id = plan.id
        runs = []
        for _ in range(3):
            db.session.expire_all()
            wall, cpu = time.perf_counter(), time.process_time()
            picture = compliance_for(plan, Period.quarter(2024, 1), as_of=date(2024, 12, 31))
            runs.append((time.perf_counter() - wall, time.process_time() - cpu))
        cells = len(picture.cells)
    print(
        f"compliance matrix, {units:,} units × 10 tasks = {cells:,} cells over Q1/2024: "
        f"compliance_for {statistics.median(r[0] for r in runs):.2f} s "
        f"({statistics.median(r[1] for r in runs):.2f} s CPU)  (target ≤ 2 s)"
    )
    client = app.test_client()
    AuthActions(client).login("giamsat")
    median, slowest, cpu = time_requests(client, "/compliance?quarter=1", runs=3)
    size = len(client.get("/compliance?quarter=1").data)
    print(
        f"the whole /compliance page (100 units a page): median {median / 1000:.2f} s "
        f"({cpu / 1000:.2f} s CPU), slowest {slowest / 1000:.2f} s, {size / 2**20:.1f} MB of HTML"
        "  (target ≤ 2 s)"
    )
    median, slowest, cpu = time_requests(client, "/", runs=3)
    print(
        f"the overseer's home (this quarter and the one before, ranked): median "
        f"{median / 1000:.2f} s ({cpu / 1000:.2f} s CPU), slowest {slowest / 1000:.2f} s"
    )
    editor = app.test_client()
    AuthActions(editor).login("vhtt")
    url = f"/compliance/plans/{plan_id}/rules"
    median, slowest, cpu = time_requests(editor, url, runs=3)
    size = len(editor.get(url).data)
    print(
        f"the rule settings page (each task's rule and exceptions): median "
        f"{median / 1000:.2f} s ({cpu / 1000:.2f} s CPU), slowest {slowest / 1000:.2f} s, "
        f"{size / 2**10:.0f} KB of HTML"
    )


def measure_province_export(config: dict) -> dict:
    """In a fresh process: the province reviewer's quarterly XLSX, built by the export job
    (immediate mode: the job runs in this process), then downloaded."""
    import re

    app = create_app({**config, "TESTING": True, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    AuthActions(client).login("vhtt-tinh")
    page = client.get("/compliance?quarter=1").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.post(
        "/compliance/exports?quarter=1", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    link = re.search(r'href="(/compliance/exports/[\w-]+/file)"', answer.get_data(as_text=True))
    if link is None:
        raise SystemExit(f"no file: {answer.status_code} {answer.get_data(as_text=True)[:2000]}")
    book = client.get(link[1]).data
    items = re.search(r"(\d[\d.,]*) minh chứng", answer.get_data(as_text=True))
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "cpu": round(time.process_time() - cpu, 1),
        "mb": round(len(book) / 2**20, 1),
        "items": items[1] if items else "?",
        "peak_mb": round(peak_mb()),
    }


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike getrusage's, not inherited from the
    parent across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("WARDAPP_TEST_POSTGRES_URL"))
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--schema", help="use this schema, seeded by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the schema for another run")
    parser.add_argument("--only-queue", action="store_true", help="the review queue alone")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child: settings as JSON
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_province_export(json.loads(args.measure))))
        return
    if not args.postgres:
        parser.error("--postgres URL (or WARDAPP_TEST_POSTGRES_URL) is needed")
    url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = args.schema or f"bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    if not args.schema:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = settings(url, schema, folder)
            app = create_app(config)
            with app.app_context():
                started = time.perf_counter()
                if not args.schema:
                    db.create_all()
                    seed(args.rows, args.units)
                size = db.session.scalar(
                    text(
                        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = :s AND c.relkind = 'r'"
                    ),
                    {"s": schema},
                )
                print(
                    f"seeded {args.units:,} units and {args.rows:,} evidence + media rows in "
                    f"{time.perf_counter() - started:.0f} s; the schema takes "
                    f"{size / 2**30:.2f} GB with its indexes"
                )
            bench_queue(app, args.rows)
            if args.only_queue:
                return
            bench_matrix(app, args.units)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            child = subprocess.run(
                [sys.executable, __file__, "--measure", json.dumps(config)],
                capture_output=True,
                text=True,
            )
            if child.returncode:
                raise SystemExit(child.stderr)
            r = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"quarterly XLSX of one province ({PROVINCE} units, {r['items']} items): "
                f"{r['seconds']} s ({r['cpu']} s CPU), {r['mb']} MB, peak memory "
                f"{r['peak_mb']} MB  (target ≤ 30 s, ≤ 300 MB)"
            )
    finally:
        if args.keep:
            print(f"kept: --schema {schema}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
