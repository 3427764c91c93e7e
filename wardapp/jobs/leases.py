"""Jobs that finish once, whatever happens to the worker running them.

Huey takes a task off the queue as it starts it, so a worker killed mid-task (SIGKILL, an OOM
kill, a host lost) would lose it. A leased job keeps its state in the ``job`` table instead:
the Huey task only says "look at job X". A worker takes the job by its lease (a conditional
UPDATE: one worker wins), renews the lease while it works, and only the lease's holder can
mark it done, so its result is recorded once. Every worker looks, every ``JOBS_REAP_SECONDS``,
for leases that ran out (their worker is gone) and queued jobs nobody took (their message was
lost), and queues them again; a job that lost its worker ``JOBS_MAX_ATTEMPTS`` times fails.

What a job makes is a file, stored in the app's file store; the job row names it.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from flask import Flask, current_app
from huey import crontab
from sqlalchemy import Table, and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from wardapp.db import now_utc
from wardapp.extensions import db
from wardapp.jobs.models import Job
from wardapp.jobs.queue import enqueue as enqueue_task
from wardapp.jobs.queue import on_worker_start, periodic_task, queue, task
from wardapp.media.app_store import storage

log = logging.getLogger("wardapp.jobs")
TABLE = cast(Table, Job.__table__)


@dataclass(frozen=True)
class Made:
    """What a job made: a file it wrote in its folder, the suffix it is stored with, and the
    name it is downloaded as."""

    path: Path
    suffix: str
    name: str


class LeaseLost(Exception):
    """Another worker holds the job now (this one was too slow to renew its lease)."""


Handler = Callable[["Run"], Made]
KINDS: dict[str, Handler] = {}


def kind(name: str) -> Callable[[Handler], Handler]:
    """Declare what builds jobs of kind ``name``: ``handler(run) -> Made``."""

    def register(handler: Handler) -> Handler:
        KINDS[name] = handler
        return handler

    return register


def _settings(app: Flask) -> tuple[float, int]:
    return float(app.config["JOBS_LEASE_SECONDS"]), int(app.config["JOBS_MAX_ATTEMPTS"])


def submit(kind: str, key: str, params: dict, owner_id: int | None = None) -> Job:
    """The job making ``key`` if one is queued or running, else a new one, queued when the
    current transaction commits. Two requests at once get the same job: the unique key lets
    one INSERT in, the other finds its row."""
    for _ in range(3):
        now = now_utc()
        insert = (
            postgresql.insert
            if db.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert
        )(TABLE)
        new_id = db.session.execute(
            insert.values(
                id=secrets.token_urlsafe(16),
                kind=kind,
                active_key=key,
                params=params,
                owner_id=owner_id,
                state="queued",
                attempts=0,
                done=0,
                total=0,
                created_at=now,
                queued_at=now,
            )
            .on_conflict_do_nothing(index_elements=[TABLE.c.active_key])
            .returning(TABLE.c.id)
        ).scalar()
        if new_id is not None:
            enqueue_task(run_job, new_id)
            return db.session.get_one(Job, new_id)
        running = db.session.scalar(select(Job).where(Job.active_key == key))
        if running is not None:
            return running
        # It finished between the INSERT and the SELECT: a fresh one, then.
    raise RuntimeError(f"could not start a job for {key!r}")


class Run:
    """A job as its handler sees it: its parameters, a folder of its own for what it writes,
    and ``progress`` to report how far it is (which also notices a lost lease)."""

    def __init__(self, job_id: str, params: dict, attempt: int, folder: Path, lease: _Lease):
        self.job_id, self.params, self.attempt, self.folder = job_id, params, attempt, folder
        self._lease = lease
        self._last = 0.0
        self.done = 0  # as last reported, written at the end whatever was left unwritten

    def check(self) -> None:
        """LeaseLost if another worker holds the job now: this one should stop."""
        if self._lease.lost.is_set():
            raise LeaseLost(self.job_id)

    def progress(self, done: int, total: int | None = None) -> None:
        self.check()
        self.done = done
        now = time.monotonic()
        if total is None and now - self._last < 0.5:
            return
        self._last = now
        values: dict[str, Any] = {"done": done}
        if total is not None:
            values["total"] = total
        if not self._lease.update(**values):
            raise LeaseLost(self.job_id)


class _Lease:
    """A worker's hold on a job, renewed by a thread of its own while the job runs."""

    def __init__(self, engine: Engine, job_id: str, owner: str, seconds: float):
        self.engine, self.job_id, self.owner, self.seconds = engine, job_id, owner, seconds
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{job_id}", daemon=True)

    def update(self, **values: Any) -> bool:
        """Write ``values`` (and a renewed lease) if this worker still holds the job."""
        with self.engine.begin() as conn:
            held = conn.execute(
                update(TABLE)
                .where(
                    TABLE.c.id == self.job_id,
                    TABLE.c.lease_owner == self.owner,
                    TABLE.c.state == "running",
                )
                .values(lease_until=now_utc() + timedelta(seconds=self.seconds), **values)
            ).rowcount
        if not held:
            self.lost.set()
        return bool(held)

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            try:
                if not self.update():
                    return
            except Exception:  # the database away for a moment: the next beat tries again
                log.exception("could not renew the lease of job %s", self.job_id)

    def __enter__(self) -> _Lease:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:64]


def _claim(engine: Engine, job_id: str, owner: str, lease: float, max_attempts: int):
    now = now_utc()
    t = TABLE
    with engine.begin() as conn:
        taken = conn.execute(
            update(t)
            .where(
                t.c.id == job_id,
                t.c.attempts < max_attempts,
                or_(t.c.state == "queued", and_(t.c.state == "running", t.c.lease_until < now)),
            )
            .values(
                state="running",
                lease_owner=owner,
                lease_until=now + timedelta(seconds=lease),
                attempts=t.c.attempts + 1,
                started_at=now,
            )
        ).rowcount
        if not taken:
            return None
        return conn.execute(
            select(t.c.kind, t.c.params, t.c.attempts).where(t.c.id == job_id)
        ).one()


@task(name="wardapp.jobs.run")
def run_job(job_id: str) -> None:
    """Take job ``job_id`` if nobody holds it, build it, record its result once."""
    app = cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    lease_seconds, max_attempts = _settings(app)
    engine, owner = db.engine, _worker_name()
    claimed = _claim(engine, job_id, owner, lease_seconds, max_attempts)
    if claimed is None:
        return  # done already, or another worker holds it
    kind, params, attempt = claimed
    folder = Path(tempfile.mkdtemp(prefix="wardapp-job-"))
    try:
        with _Lease(engine, job_id, owner, lease_seconds) as lease:
            hold = float(app.config.get("JOBS_HOLD_SECONDS") or 0)
            if hold:  # the tests' way to catch a job in the middle: it waits, holding its lease
                time.sleep(hold)
            try:
                run = Run(job_id, params, attempt, folder, lease)
                made = KINDS[kind](run)
                with made.path.open("rb") as result:
                    key = storage().put_file(result, made.suffix)
            except LeaseLost:
                log.warning("job %s was taken over by another worker", job_id)
                return
            except Exception as exc:
                log.exception("job %s (%s) failed", job_id, kind)
                _failed(lease, f"{type(exc).__name__}: {exc}"[:2000])
                return
            if not lease.update(
                state="done",
                done=run.done,
                result_key=key,
                result_name=made.name,
                finished_at=now_utc(),
                active_key=None,
                lease_owner=None,
            ):
                log.warning("job %s was taken over by another worker; its result stands", job_id)
    finally:
        db.session.rollback()  # what the handler read is released before the folder goes
        shutil.rmtree(folder, ignore_errors=True)


def _failed(lease: _Lease, error: str) -> None:
    lease.update(
        state="failed", error=error, finished_at=now_utc(), active_key=None, lease_owner=None
    )


def reclaim(app: Flask | None = None) -> list[str]:
    """Queue again the jobs whose worker is gone and those no worker took; the ids queued."""
    app = app or cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    lease, max_attempts = _settings(app)
    now, t = now_utc(), TABLE
    again: list[str] = []
    with db.engine.begin() as conn:
        expired = conn.execute(
            select(t.c.id, t.c.lease_owner, t.c.attempts).where(
                t.c.state == "running", t.c.lease_until < now
            )
        ).all()
        for job_id, owner, attempts in expired:
            mine = and_(t.c.id == job_id, t.c.state == "running", t.c.lease_owner == owner)
            if attempts >= max_attempts:
                conn.execute(
                    update(t)
                    .where(mine)
                    .values(
                        state="failed",
                        error=f"its worker stopped {attempts} times",
                        finished_at=now,
                        active_key=None,
                        lease_owner=None,
                    )
                )
            elif conn.execute(
                update(t)
                .where(mine, t.c.lease_until < now)
                .values(state="queued", lease_owner=None, lease_until=None, queued_at=now)
            ).rowcount:
                again.append(job_id)
        forgotten = conn.execute(
            select(t.c.id, t.c.queued_at).where(
                t.c.state == "queued", t.c.queued_at < now - timedelta(seconds=lease)
            )
        ).all()
        for job_id, queued_at in forgotten:
            if conn.execute(
                update(t)
                .where(t.c.id == job_id, t.c.state == "queued", t.c.queued_at == queued_at)
                .values(queued_at=now)
            ).rowcount:
                again.append(job_id)
    job_queue = queue(app)
    for job_id in again:
        log.info("job %s queued again", job_id)
        job_queue.send(run_job, (job_id,), {})
    return again


@on_worker_start
def _start_reclaiming(app: Flask, stop_flag: Any) -> None:
    def loop() -> None:
        interval = float(app.config["JOBS_REAP_SECONDS"])
        while True:
            try:
                with app.app_context():
                    reclaim(app)
            except Exception:
                log.exception("could not look for abandoned jobs")
            if stop_flag.wait(interval):
                return

    threading.Thread(target=loop, name="jobs-reclaim", daemon=True).start()


@periodic_task(crontab(minute="17"), name="wardapp.jobs.sweep")
def sweep() -> int:
    """Once an hour: jobs finished more than ``JOBS_KEEP_SECONDS`` ago go, and their files."""
    app = cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    before = now_utc() - timedelta(seconds=int(app.config["JOBS_KEEP_SECONDS"]))
    old = db.session.execute(select(Job.id, Job.result_key).where(Job.finished_at < before)).all()
    if not old:
        return 0
    db.session.execute(delete(Job).where(Job.id.in_([job_id for job_id, _ in old])))
    db.session.commit()
    keys = [key for _, key in old if key]
    if keys:
        storage().remove_orphans(keys, older_than=time.time(), still_named=named_by_jobs)
    return len(old)


def named_by_jobs(keys: list[str]) -> set[str]:
    """Those of ``keys`` that some job row names now."""
    with db.engine.connect() as fresh:
        return set(fresh.scalars(select(Job.result_key).where(Job.result_key.in_(keys))))
