"""``make serve``'s one command: gunicorn and a job worker, together, on the embedded default
(SQLite database, local media folder, the queue in a SQLite file)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from support.servers import ROOT, HttpUser, Instance, free_port

SERVE = ROOT / "deploy" / "serve.py"


def children(pid: int) -> tuple[int, int]:
    """The gunicorn master and the worker that ``serve.py`` started."""
    pids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    named = {Path(f"/proc/{p}/cmdline").read_bytes(): p for p in pids}
    web = next(p for line, p in named.items() if b"gunicorn" in line)
    worker = next(p for line, p in named.items() if b"worker" in line)
    return web, worker


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][0] != "Z"


def serve(instance: Instance, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(SERVE)],
        env={**instance.env, "PORT": str(port), "WARDAPP_BASE_URL": f"http://127.0.0.1:{port}"},
        cwd=ROOT,
        stdout=open(instance.folder / "serve.log", "ab"),
        stderr=subprocess.STDOUT,
    )
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        assert process.poll() is None, (instance.folder / "serve.log").read_text()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("serve did not answer /healthz")


def test_one_command_serves_and_builds_exports_and_ctrl_c_stops_both(instance):
    # No Redis, no other database: the embedded default's kinds (SQLite, a folder, a file).
    tmp_path = instance.folder
    port = free_port()
    process = serve(instance, port)
    try:
        web, worker = children(process.pid)
        reviewer = HttpUser(f"http://127.0.0.1:{port}", "vhtt")
        with reviewer.open(
            "/compliance/exports?quarter=1", f"csrf_token={reviewer.token}".encode()
        ) as answer:
            job_page = urllib.request.urlparse(answer.url).path
        assert re.fullmatch(r"/compliance/exports/[\w-]{22}", job_page)
        give_up = time.monotonic() + 30
        while f'href="{job_page}/file"' not in reviewer.call(job_page)[1].decode():
            assert time.monotonic() < give_up, "the worker never built the export"
            time.sleep(0.3)
        status, book = reviewer.call(job_page + "/file")
        assert status == 200 and book[:2] == b"PK"
        assert (tmp_path / "jobs.sqlite3").is_file()  # the queue it went through
        log = (tmp_path / "serve.log").read_text()
        assert f"queue sqlite {tmp_path / 'jobs.sqlite3'}" in log

        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert process.wait(60) == 0
        assert not alive(web) and not alive(worker)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_when_the_worker_dies_the_server_is_stopped_with_it(instance):
    process = serve(instance, free_port())
    try:
        web, worker = children(process.pid)
        os.kill(worker, signal.SIGKILL)
        assert process.wait(60) != 0
        assert not alive(web)
        assert "worker exited; stopping the rest" in (instance.folder / "serve.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
