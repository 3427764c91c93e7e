"""The job queue: a task is queued when its transaction commits, runs in an app context of its
own, and reaches a worker through Huey's SQLite file or Redis."""

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
import redis
from sqlalchemy import select

from support.servers import ROOT, Instance
from wardapp import jobs
from wardapp.audit.models import AuditEvent
from wardapp.extensions import db
from wardapp.jobs.queue import _claim_minute

REDIS_URL = "redis://127.0.0.1:6379/11"  # this suite's own database for the queue tests
RAN: list[tuple[str, int]] = []


@jobs.task(name="tests.jobs.note")
def note(word: str, number: int) -> None:
    """Records that it ran, and writes a row through the task's own session."""
    RAN.append((word, number))
    db.session.add(AuditEvent(action=f"job.{word}", object_type="test", object_id=number))


@jobs.task(name="tests.jobs.fails")
def fails() -> None:
    db.session.add(AuditEvent(action="job.half-done", object_type="test", object_id=0))
    raise RuntimeError("nothing of this task is kept")


def _events(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture(autouse=True)
def _forget():
    RAN.clear()
    yield
    RAN.clear()


def test_immediate_mode_runs_a_task_when_its_transaction_commits_and_never_on_rollback(app):
    assert jobs.queue(app).immediate  # TESTING: no worker needed
    with app.app_context():
        db.session.scalar(select(AuditEvent.id))  # a transaction is open
        jobs.enqueue(note, "kept", 1)
        assert RAN == []  # not before the commit: a worker must find the rows it is told of
        db.session.commit()
        assert RAN == [("kept", 1)]
        db.session.scalar(select(AuditEvent.id))
        jobs.enqueue(note, "dropped", 2)
        db.session.rollback()
        db.session.commit()
        jobs.enqueue(note, "no-transaction", 3)  # nothing open: sent at once
    assert RAN == [("kept", 1), ("no-transaction", 3)]
    assert _events(app) == ["job.kept", "job.no-transaction"]  # each task's session committed


def test_a_task_that_raises_keeps_nothing_it_wrote(app):
    with app.app_context():
        jobs.enqueue(fails)
    assert _events(app) == []


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_for_real_a_task_waits_in_the_queue_until_a_worker_takes_it(app, tmp_path, store):
    settings = {"JOBS_IMMEDIATE": False, "JOBS_QUEUE_NAME": f"t-{os.getpid()}-{store}"}
    if store == "redis":
        settings["REDIS_URL"] = REDIS_URL
    else:
        settings["JOBS_SQLITE_PATH"] = str(tmp_path / "jobs.sqlite3")
    app.config.update(settings)
    app.extensions.pop("wardapp.jobs")
    jobs.init_app(app)
    huey = jobs.queue(app).huey
    huey.flush()
    try:
        with app.app_context():
            db.session.scalar(select(AuditEvent.id))
            jobs.enqueue(note, "queued", 7)
            assert huey.pending_count() == 0
            db.session.commit()
        assert huey.pending_count() == 1 and RAN == []
        if store == "sqlite":
            assert (tmp_path / "jobs.sqlite3").is_file()
        else:
            assert redis.Redis.from_url(REDIS_URL).llen(huey.storage.queue_key) == 1
        # What a worker thread does: take it off the queue and run it, in a thread of its own.
        worker = threading.Thread(target=lambda: huey.execute(huey.dequeue()))
        worker.start()
        worker.join(30)
        assert RAN == [("queued", 7)] and huey.pending_count() == 0
        assert _events(app) == ["job.queued"]
    finally:
        huey.flush()


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_periodic_minute_is_claimed_by_one_worker_only(tmp_path, store):
    from huey import RedisHuey, SqliteHuey

    name = f"claim-{os.getpid()}-{store}"
    make = (
        (lambda: RedisHuey(name, url=REDIS_URL))
        if store == "redis"
        else (lambda: SqliteHuey(name, filename=str(tmp_path / "q.sqlite3")))
    )
    first, second = make(), make()  # two workers' connections to one queue
    first.flush()
    minute = datetime(2026, 12, 1, 12, 30, 5, tzinfo=UTC)
    try:
        assert _claim_minute(first, "reminders", minute)
        assert not _claim_minute(second, "reminders", minute.replace(second=40))
        assert _claim_minute(second, "reminders", minute.replace(minute=31))
        assert _claim_minute(second, "digest", minute)  # another task, the same minute
    finally:
        first.flush()
        if store == "redis":
            conn = redis.Redis.from_url(REDIS_URL)
            for key in conn.scan_iter(f"{name}:periodic:*"):
                conn.delete(key)


def test_flask_wardapp_worker_runs_until_ctrl_c(tmp_path):
    instance = Instance(tmp_path)  # its queue: a SQLite file in the instance folder
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "wardapp", "worker", "--threads", "1"],
        env=instance.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = [worker.stdout.readline()]
        assert lines[0].startswith("Worker started: 1 thread(s), queue sqlite ")
        while "commands are available" not in lines[-1]:  # the consumer has started
            lines.append(worker.stdout.readline())
            assert lines[-1], "".join(lines)
        worker.send_signal(signal.SIGINT)
        assert worker.wait(30) == 0
        assert "Worker stopped." in worker.stdout.read()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        worker.stdout.close()
