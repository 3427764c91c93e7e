"""Many processes, one installation: two gunicorn servers on two ports and two job workers,
sharing a PostgreSQL database of their own, Redis and the media folder, with requests
alternating between the servers as a load balancer sends them."""

from __future__ import annotations

import copy
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager

import pytest
import redis
from sqlalchemy import create_engine, text

from support.app import POSTGRES_URL, pg_url
from support.client import sign_in_form
from support.evidence import photo
from support.races import at_once
from support.servers import ROOT, HttpUser, Instance, Server, site_photo_submission, submit

REDIS_URL = "redis://127.0.0.1:6379/12"  # this test's own Redis database, flushed
LEASE = 2  # seconds: a killed worker's export is taken again soon after


@contextmanager
def own_database():
    """A PostgreSQL database for this test alone, dropped afterwards."""
    name = f"wardapp_mp_{secrets.token_hex(4)}"
    admin = create_engine(pg_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = urllib.parse.urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Worker:
    """``flask wardapp worker`` in a process group of its own, to be killed whole."""

    def __init__(self, instance: Instance, name: str, **settings: str):
        self.log = open(instance.folder / f"{name}.log", "ab")
        env = {**instance.env, **{f"WARDAPP_{k}": v for k, v in settings.items()}}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "wardapp", "worker", "--threads", "1"],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if not self.log.closed:
            self.log.close()


def via(user: HttpUser, base: str) -> HttpUser:
    """The same browser (its cookies) speaking to another server."""
    other = copy.copy(user)
    other.base = base
    return other


def sign_in_status(base: str, username: str, password: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    form = urllib.parse.urlencode(sign_in_form(page, username, password)).encode()
    try:
        with opener.open(base + "/login", form, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def set_up(database_url: str) -> None:
    """The schema, the plan and the demo accounts, made in this process (quicker than two
    commands, each loading the app anew)."""
    from flask_migrate import upgrade

    from wardapp import create_app, demo
    from wardapp.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "throw-away",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        demo.seed(with_evidence=False)
        db.session.commit()
        db.engine.dispose()


def job_row(database_url: str, job_id: str) -> dict:
    engine = create_engine(pg_url(database_url))
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM job WHERE id = :id"), {"id": job_id})
            return dict(row.mappings().one())
    finally:
        engine.dispose()


def export(user: HttpUser, quarter: int) -> str:
    with user.open(
        f"/compliance/exports?quarter={quarter}", f"csrf_token={user.token}".encode()
    ) as answer:
        path = urllib.parse.urlsplit(answer.url).path
    assert re.fullmatch(r"/compliance/exports/[\w-]{22}", path), path
    return path


def wait_for_file(user: HttpUser, job_page: str, patience: float = 40) -> bytes:
    give_up = time.monotonic() + patience
    while f'href="{job_page}/file"' not in user.call(job_page)[1].decode():
        assert time.monotonic() < give_up, "the export was never built"
        time.sleep(0.2)
    status, body = user.call(job_page + "/file")
    assert status == 200 and body[:2] == b"PK"
    return body


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_servers_and_two_workers_share_one_installation(backend, tmp_path):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    servers: list[Server] = []
    workers: list[Worker] = []
    with own_database() as database_url:
        instance = Instance(
            tmp_path,
            database_url=database_url,
            REDIS_URL=REDIS_URL,
            RATELIMIT_KEY_PREFIX=f"mp-{secrets.token_hex(3)}",
            JOBS_LEASE_SECONDS=str(LEASE),
            JOBS_REAP_SECONDS="0.5",
        )
        set_up(database_url)
        try:
            # Each job waits 3 s holding its lease before it builds: time to kill its worker.
            workers += [Worker(instance, f"worker-{i}", JOBS_HOLD_SECONDS="3") for i in (1, 2)]
            servers += at_once(*[lambda: Server(instance, workers=1, threads=4)] * 2, timeout=90)
            one, two = (s.base for s in servers)

            # Evidence sent through one server is reviewed, and its photo read, through the other.
            officer = HttpUser(one, "tho-xuong")
            task_id = next(t["id"] for t in officer.tasks() if "site_photo" in t["kinds"])
            body, headers = site_photo_submission(str(uuid.uuid4()), task_id, photo(seed=7))
            status, sent = submit(officer, body, headers)
            assert status == 201, sent
            item = json.loads(sent)
            reviewer = HttpUser(two, "vhtt")
            decided = reviewer.call(
                f"/review/{item['id']}/approve",
                urllib.parse.urlencode({"csrf_token": reviewer.token}).encode(),
                {"X-CSRFToken": reviewer.token},
            )
            assert decided[0] == 200, decided
            display = item["media"][0]["urls"]["display"]
            status, on_two = via(officer, two).call(display)
            assert status == 200 and on_two[:2] == b"\xff\xd8"
            assert via(reviewer, one).call(display) == (200, on_two)
            status, seen = via(officer, two).call(f"/api/v1/evidence/{item['id']}")
            assert json.loads(seen)["status"] == "approved"

            # The same client_uuid sent to both at once makes one row.
            same = str(uuid.uuid4())
            body, headers = site_photo_submission(same, task_id, photo(seed=8))
            answers = at_once(
                lambda: submit(officer, body, headers),
                lambda: submit(via(officer, two), body, headers),
            )
            assert sorted(s for s, _ in answers) in ([200, 201], [201, 201])
            assert len({json.loads(b)["id"] for _, b in answers}) == 1

            # Sign-in failures count across both servers, in Redis.
            tries = [sign_in_status(base, "noivu", "sai-mat-khau") for base in (one, two, one)]
            assert tries == [401, 401, 401]
            assert sign_in_status(two, "noivu", "wardapp-demo") == 429  # the account waits
            assert any(b"login-fail:user:noivu" in k for k in store.keys("*"))

            # An export started through one server is built by a worker and read through the other.
            job_page = export(reviewer, 1)
            assert via(reviewer, one).call(job_page)[0] == 200
            wait_for_file(via(reviewer, one), job_page)
            book = wait_for_file(reviewer, job_page)
            assert book == wait_for_file(via(reviewer, one), job_page)
            assert job_row(database_url, job_page.rsplit("/", 1)[1])["attempts"] == 1

            # A worker killed in the middle of an export: the other takes it and it finishes once.
            job_page = export(via(reviewer, one), 2)
            job_id = job_page.rsplit("/", 1)[1]
            give_up = time.monotonic() + 20
            while (row := job_row(database_url, job_id))["state"] != "running":
                assert time.monotonic() < give_up, "no worker took the export"
                time.sleep(0.1)
            holder = int(row["lease_owner"].split(":")[1])
            victim = next(w for w in workers if w.process.pid == holder)
            victim.kill()
            workers.remove(victim)
            workers.append(Worker(instance, "worker-3"))  # its replacement
            wait_for_file(reviewer, job_page)
            done = job_row(database_url, job_id)
            assert (done["state"], done["attempts"]) == ("done", 2)
            assert done["lease_owner"] is None and done["active_key"] is None
        finally:
            for worker in workers:
                worker.stop()
            for server in servers:
                server.stop()
            store.flushdb()
