"""The shipped gunicorn configuration: threaded workers that slow clients cannot stall."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from support.evidence import photo
from support.servers import ROOT, HttpUser, Instance, Server, site_photo_submission

CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def gunicorn(instance: Instance, *args: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), *args],
        env={**instance.env, **environment},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings(printed: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in printed.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_the_shipped_configuration_loads_the_app_with_threaded_workers(instance):
    checked = gunicorn(instance, "--check-config")
    assert checked.returncode == 0, checked.stderr

    shown = settings(gunicorn(instance, "--print-config", PORT="8123").stdout)
    assert shown["worker_class"] == "gthread" and int(shown["threads"]) >= 4
    assert shown["bind"] == "['127.0.0.1:8123']" and shown["wsgi_app"] == "wsgi:app"
    assert shown["accesslog"] == "None" and shown["control_socket_disable"] == "True"

    asked = settings(
        gunicorn(
            instance,
            "--print-config",
            GUNICORN_WORKERS="3",
            GUNICORN_TIMEOUT="90",
            GUNICORN_ACCESS_LOG="-",
        ).stdout
    )
    assert (asked["workers"], asked["timeout"], asked["accesslog"]) == ("3", "90", "-")


def healthy(base: str) -> bool:
    with urllib.request.urlopen(base + "/healthz", timeout=20) as answer:
        return answer.status == 200 and json.load(answer)["status"] == "ok"


@pytest.mark.slow
def test_a_photo_sent_slowly_for_longer_than_the_worker_timeout_lands_and_health_answers(instance):
    """Slow on purpose: the photo trickles in over about 10 s against a 5 s timeout."""
    server = Server(instance, config=CONFIG, GUNICORN_WORKERS="1", GUNICORN_TIMEOUT="5")
    try:
        officer = HttpUser(server.base, "tho-xuong")
        task = next(t["id"] for t in officer.tasks() if "site_photo" in t["kinds"])
        body, headers = site_photo_submission(str(uuid.uuid4()), task, photo(81))
        head = (
            f"POST /api/v1/evidence HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: {headers['Content-Type']}\r\nContent-Length: {len(body)}\r\n"
            f"Idempotency-Key: {headers['Idempotency-Key']}\r\n"
            f"X-CSRFToken: {officer.token}\r\nCookie: {officer.cookie_header()}\r\n\r\n"
        )
        upload = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        # Someone not signed in, sending a request a few bytes at a time the whole while.
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        idle_request = b"GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40
        upload.sendall(head.encode())
        step = -(-len(body) // 20)
        pieces = [body[i : i + step] for i in range(0, len(body), step)]
        for number, piece in enumerate(pieces):
            upload.sendall(piece)
            idle.sendall(idle_request[2 * number : 2 * number + 2])
            if number == len(pieces) // 2:
                # The only worker is reading two slow requests and still answers this one.
                assert healthy(server.base)
            time.sleep(0.5)  # a 3G phone's pace, not a wait for anything
        answer = http.client.HTTPResponse(upload)
        answer.begin()
        assert answer.status == 201, answer.read()
        upload.close()
        idle.close()
        assert healthy(server.base)
    finally:
        server.stop()
    log = server.log_path.read_text()
    assert "WORKER TIMEOUT" not in log and log.count("Booting worker") == 1


def test_make_serve_says_where_and_as_whom_once_ready_and_nothing_otherwise(monkeypatch, capsys):
    import runpy

    class Server:  # when_ready is given the arbiter; the hook reads nothing of it
        pass

    monkeypatch.setenv("PORT", "8124")
    monkeypatch.delenv("GUNICORN_READY_MESSAGE", raising=False)
    runpy.run_path(str(CONFIG))["when_ready"](Server())
    assert capsys.readouterr().out == ""  # production: not a word

    monkeypatch.setenv("GUNICORN_READY_MESSAGE", "demo")
    runpy.run_path(str(CONFIG))["when_ready"](Server())
    said = capsys.readouterr().out
    assert "wardapp demo is ready at http://127.0.0.1:8124" in said
    assert "password wardapp-demo" in said
    for account in ("admin", "vhtt", "giamsat", "tho-xuong", "noi-vu"):
        assert account in said
    assert "noivu" not in said
    assert "ACCESS_LOG=-" in said


def test_make_serve_keeps_the_access_log_out_of_the_terminal_unless_asked():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    serve = makefile[makefile.index("\nserve:") : makefile.index("\nchromium:")]
    assert "GUNICORN_ACCESS_LOG=$(ACCESS_LOG)" in serve and "\nACCESS_LOG ?=\n" in makefile
