"""Server time of the review queue over 200,000 evidence rows, on SQLite and PostgreSQL.

Run from the repository root:  python tests/benchmarks/bench_review.py [--rows 200000]
  [--postgres postgresql://postgres@127.0.0.1:5432/test]
Seeds the rows with bulk inserts (one photo row each; kinds as each task takes them; sent up
to two weeks after the event), then times whole requests through the app (access check,
queries, template) for the first page, a filtered page and a deep page, and for the other
filters a reviewer reaches for, and prints median and p95. Target: p95 ≤ 100 ms for each
(the issue's three; the others are held to it too). Prints figures only.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from sqlalchemy import create_engine, insert, select, text

from support.client import AuthActions
from wardapp import create_app, demo
from wardapp.auth.models import User
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.plans.models import Task, TaskUnit

RUNS = 40


def seed(rows: int) -> None:
    rng = random.Random(7)
    pairs = db.session.execute(select(TaskUnit.task_id, TaskUnit.unit_id)).all()
    kinds = dict(db.session.execute(select(Task.id, Task.kinds)).all())
    officers = dict(
        db.session.execute(select(User.unit_id, User.id).where(User.role == "officer")).all()
    )
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch_e, batch_m = [], []
    for i in range(1, rows + 1):
        task_id, unit_id = rng.choice(pairs)
        roll = rng.random()
        status = "submitted" if roll < 0.1 else "returned" if roll < 0.15 else "approved"
        warned = rng.random() < 0.1
        created = start + timedelta(seconds=i * 150)
        batch_e.append(
            {
                "id": i,
                "client_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "task_id": task_id,
                "unit_id": unit_id,
                "submitted_by_id": officers[unit_id],
                "kind": rng.choice(kinds[task_id] or ["site_photo"]),
                "occurred_at": created - timedelta(hours=rng.randint(1, 24 * 14)),
                "fields": {"place": "Đường Hùng Vương", "installed": "Pano", "quantity": 1},
                "note": "",
                "status": status,
                "fingerprint": "0" * 64,
                "warnings": [{"code": "no_location"}] if warned else [],
                "has_warnings": warned,
                "created_at": created,
                "version": 1,
            }
        )
        digest = secrets.token_hex(32)
        key = f"{digest[:2]}/{digest[2:4]}/{digest}.jpg"
        batch_m.append(
            {
                "evidence_id": i,
                "role": "photo",
                "position": 0,
                "sha256": digest,
                "content_type": "image/jpeg",
                "size": 300_000,
                "original_name": "anh.jpg",
                "width": 2048,
                "height": 1536,
                "original_key": key,
                "display_key": key,
                "thumb_key": key,
                "created_at": created,
            }
        )
        if len(batch_e) == 5000:
            db.session.execute(insert(Evidence), batch_e)
            db.session.execute(insert(Media), batch_m)
            batch_e, batch_m = [], []
    if batch_e:
        db.session.execute(insert(Evidence), batch_e)
        db.session.execute(insert(Media), batch_m)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    else:
        db.session.execute(text("ANALYZE"))


def time_requests(client, url: str) -> tuple[float, float]:
    client.get(url)  # warm
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def run(label: str, settings: dict, rows: int, folder: str) -> None:
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "MEDIA_DIR": f"{folder}/media",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **settings,
        }
    )
    with app.app_context():
        db.create_all()
        demo.seed(with_evidence=False)
        db.session.commit()
        started = time.perf_counter()
        seed(rows)
        print(
            f"[{label}] seeded {rows:,} evidence + {rows:,} media rows in "
            f"{time.perf_counter() - started:.0f} s"
        )
        task6 = db.session.scalar(select(Task.id).where(Task.number == 6))
        unit = db.session.scalar(select(TaskUnit.unit_id).where(TaskUnit.task_id == task6))
        deep = db.session.execute(
            select(Evidence.created_at, Evidence.id)
            .where(Evidence.status == "submitted")
            .order_by(Evidence.created_at, Evidence.id)
            .offset(int(rows * 0.09))
            .limit(1)
        ).one()
    client = app.test_client()
    AuthActions(client).login("vhtt")
    gc.collect()
    gc.freeze()  # as wsgi.py does in each gunicorn worker once the app is loaded
    cursor = f"{deep.created_at.timestamp():.6f}_{deep.id}"
    pages = {
        "first page (new, oldest first)": "/review",
        "filtered (task + unit + warnings, all statuses)": (
            f"/review?status=all&task={task6}&unit={unit}&warnings=1"
        ),
        "deep page (90% into the new items)": f"/review?after={cursor}",
        "all statuses, no other filter": "/review?status=all",
        "one week, all statuses": "/review?status=all&from=2024-06-03&to=2024-06-09",
        "one kind": "/review?kind=broadcast",
        "one kind, all statuses": "/review?status=all&kind=broadcast",
        "a kind the task never takes (empty)": (
            f"/review?status=all&task={task6}&kind=procedure_update"
        ),
        "all of the plan's year": "/review?status=all&from=2024-01-01&to=2024-12-31",
        "returned, one unit": f"/review?status=returned&unit={unit}",
        "100 rows a page": "/review?size=100",
        "gallery of one task": f"/review/gallery?task={task6}",
    }
    for name, url in pages.items():
        median, p95 = time_requests(client, url)
        print(f"[{label}] {name}: median {median:.1f} ms, p95 {p95:.1f} ms (target p95 ≤ 100)")
    gc.unfreeze()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", default=os.environ.get("WARDAPP_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(
            "SQLite",
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"},
            args.rows,
            folder,
        )
        if args.postgres:
            url = args.postgres.replace("postgresql://", "postgresql+psycopg://", 1)
            schema = f"bench_{secrets.token_hex(4)}"
            admin = create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            try:
                run(
                    "PostgreSQL",
                    {
                        "SQLALCHEMY_DATABASE_URI": url,
                        "SQLALCHEMY_ENGINE_OPTIONS": {
                            "connect_args": {"options": f"-csearch_path={schema}"}
                        },
                    },
                    args.rows,
                    folder,
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                admin.dispose()


if __name__ == "__main__":
    main()
