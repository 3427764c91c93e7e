"""Leased jobs: one job per key while it runs, held by one worker at a time, done once, taken
again when its worker is gone."""

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from support.races import at_once
from wardapp.extensions import db
from wardapp.jobs import leases
from wardapp.jobs.models import Job
from wardapp.jobs.queue import init_app, queue
from wardapp.media.app_store import storage

KIND = "tests.echo"
BUILT: list[str] = []
STEP = {"gate": None}  # set by a test to hold a build in the middle


@leases.kind(KIND)
def echo(run: leases.Run) -> leases.Made:
    BUILT.append(run.job_id)
    run.progress(0, 2)
    gate = STEP["gate"]
    if gate is not None:
        gate[0].set()  # reached the middle
        assert gate[1].wait(30)
    run.progress(1)
    if run.params.get("fail"):
        raise ValueError("a broken export")
    path = run.folder / "out.txt"
    path.write_text(f"made by attempt {run.attempt}: {run.params['word']}")
    return leases.Made(path, ".txt", "out.txt")


@pytest.fixture(autouse=True)
def _clean():
    BUILT.clear()
    STEP["gate"] = None
    yield
    STEP["gate"] = None


def queued_for_real(app):
    """Tasks wait in the queue (a SQLite file of this test's) for a worker; the test is it."""
    app.config["JOBS_IMMEDIATE"] = False
    app.config["JOBS_SQLITE_PATH"] = str(Path(app.config["MEDIA_DIR"]).parent / "jobs.sqlite3")
    init_app(app)
    return queue(app).huey


def in_context(app, call):
    def run():
        with app.app_context():
            call()

    return run


def submit(app, key="k", **params) -> str:
    with app.app_context():
        job = leases.submit(KIND, key, {"word": "hello", **params}, owner_id=1)
        job_id = job.id
        db.session.commit()
    return job_id


def job(app, job_id) -> Job:
    with app.app_context():
        found = db.session.get(Job, job_id)
        db.session.expunge(found)
        return found


def test_a_job_runs_once_and_its_file_is_in_the_store(app):
    job_id = submit(app)
    done = job(app, job_id)
    assert (done.state, done.attempts, done.done, done.total) == ("done", 1, 1, 2)
    assert done.active_key is None and done.lease_owner is None and done.finished_at
    with app.app_context():
        with storage().open(done.result_key) as f:
            assert f.read() == b"made by attempt 1: hello"
    assert BUILT == [job_id]
    assert submit(app) != job_id  # finished: the same request again makes a fresh one


def test_two_identical_requests_at_once_make_one_job(app):
    huey = queued_for_real(app)
    ids = at_once(*[lambda: submit(app, key="same")] * 4)
    assert len(set(ids)) == 1
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Job)) == 1
    assert huey.pending_count() == 1  # only the request that made it queued it
    assert submit(app, key="other") != ids[0]


def test_a_job_whose_worker_died_is_taken_again_and_finishes_once(app):
    huey = queued_for_real(app)
    job_id = submit(app)
    huey.flush()  # the message went with the worker that took it
    with app.app_context():
        held = db.session.get(Job, job_id)
        # As a worker leaves it when SIGKILLed mid-job: running, its lease run out.
        held.state, held.attempts, held.lease_owner = "running", 1, "gone:1:0"
        held.lease_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
        assert leases.reclaim(app) == [job_id]
        assert leases.reclaim(app) == []  # a second worker looking too queues nothing more
        assert huey.pending_count() == 1
    with app.app_context():
        leases.run_job(job_id)
        leases.run_job(job_id)  # a duplicate message: the job is done, nothing happens
    done = job(app, job_id)
    assert (done.state, done.attempts) == ("done", 2)
    assert BUILT == [job_id]


def test_a_job_no_worker_took_is_sent_again(app):
    huey = queued_for_real(app)
    job_id = submit(app)
    huey.flush()  # the queue lost it
    with app.app_context():
        assert leases.reclaim(app) == []  # queued a moment ago: a worker may be about to
        db.session.get(Job, job_id).queued_at = datetime.now(UTC) - timedelta(minutes=5)
        db.session.commit()
        assert leases.reclaim(app) == [job_id]
    assert huey.pending_count() == 1


def test_a_worker_that_lost_its_lease_stops_and_records_nothing(app):
    queued_for_real(app)
    job_id = submit(app)
    reached, go_on = threading.Event(), threading.Event()
    STEP["gate"] = (reached, go_on)

    worker = threading.Thread(target=in_context(app, lambda: leases.run_job(job_id)))
    worker.start()
    assert reached.wait(30)
    with app.app_context():  # its lease ran out meanwhile and another worker took the job
        taken = db.session.get(Job, job_id)
        taken.lease_owner, taken.attempts = "other:2:0", 2
        db.session.commit()
    go_on.set()
    worker.join(30)
    held = job(app, job_id)
    assert (held.state, held.lease_owner, held.result_key) == ("running", "other:2:0", None)


def test_a_job_that_keeps_killing_its_worker_fails_in_the_end(app):
    queued_for_real(app)
    job_id = submit(app)
    with app.app_context():
        held = db.session.get(Job, job_id)
        held.state, held.lease_owner = "running", "gone:1:0"
        held.attempts = app.config["JOBS_MAX_ATTEMPTS"]
        held.lease_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
        assert leases.reclaim(app) == []
    failed = job(app, job_id)
    assert (failed.state, failed.active_key) == ("failed", None)
    assert "3 times" in failed.error


def test_a_job_that_raises_fails_with_its_reason(app):
    job_id = submit(app, fail=True)
    failed = job(app, job_id)
    assert failed.state == "failed" and failed.error == "ValueError: a broken export"
    assert failed.active_key is None and failed.result_key is None


def test_the_lease_is_renewed_while_the_job_works(app):
    app.config["JOBS_LEASE_SECONDS"] = 0.4  # renewed every 0.1 s
    queued_for_real(app)
    job_id = submit(app)
    reached, go_on = threading.Event(), threading.Event()
    STEP["gate"] = (reached, go_on)
    worker = threading.Thread(target=in_context(app, lambda: leases.run_job(job_id)))
    worker.start()
    assert reached.wait(30)
    first = job(app, job_id).lease_until
    time.sleep(0.6)  # longer than the lease: only renewals keep it
    later = job(app, job_id).lease_until
    assert later > first and later > datetime.now(UTC)
    with app.app_context():
        assert leases.reclaim(app) == []
    go_on.set()
    worker.join(30)
    assert job(app, job_id).state == "done"


def test_finished_jobs_and_their_files_go_after_a_day(app):
    kept, old = submit(app, key="kept"), submit(app, key="old", word="old")
    with app.app_context():
        gone = db.session.get(Job, old)
        gone.finished_at = datetime.now(UTC) - timedelta(days=2)
        old_key, kept_key = gone.result_key, db.session.get(Job, kept).result_key
        db.session.commit()
        assert leases.sweep() == 1
        assert db.session.get(Job, old) is None and db.session.get(Job, kept) is not None
        assert not storage().exists(old_key) and storage().exists(kept_key)
