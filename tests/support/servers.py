"""A throw-away installation served by real gunicorn, and clients that speak to it over HTTP.

For what the test client cannot show: a worker killed mid-request, many processes writing at
once. Loopback only; every process started here is ended by the code that started it.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from support.client import PASSWORD, page_token, sign_in_form

ROOT = Path(__file__).resolve().parents[2]  # the repository


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """An instance folder with a migrated database, the plan and the demo accounts."""

    def __init__(self, folder: Path, database_url: str | None = None, **settings: str):
        self.folder = Path(folder)
        self.media = self.folder / "media"
        self.database = self.folder / "wardapp.sqlite3"
        self.env = {
            **os.environ,
            "FLASK_APP": str(ROOT / "wsgi.py"),
            "WARDAPP_DATABASE_URL": database_url or f"sqlite:///{self.database}",
            "WARDAPP_MEDIA_DIR": str(self.media),
            "WARDAPP_JOBS_SQLITE_PATH": str(self.folder / "jobs.sqlite3"),
            "WARDAPP_SECRET_KEY": "throw-away",
            # Demo accounts are made fast; the hash of a real installation is scrypt.
            "WARDAPP_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **{f"WARDAPP_{k}": str(v) for k, v in settings.items()},
        }

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode not in (0, 1):
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr}")
        return result

    def set_up(self) -> Instance:
        self.flask("db", "upgrade", "-d", str(ROOT / "migrations")).check_returncode()
        self.flask("wardapp", "demo", "--no-evidence").check_returncode()
        return self

    def files(self) -> set[str]:
        """Every file under the media folder, temporaries included, relative to it."""
        return (
            {p.relative_to(self.media).as_posix() for p in self.media.rglob("*") if p.is_file()}
            if self.media.is_dir()
            else set()
        )


class Server:
    """gunicorn on a free loopback port, in a process group of its own so it can be killed
    whole, the way a crash or an OOM kill takes a server down."""

    def __init__(
        self,
        instance: Instance,
        *,
        port: int | None = None,
        workers: int = 2,
        threads: int = 1,
        timeout: int = 120,
        config: Path | None = None,
        **environment: str,
    ):
        """gunicorn with these settings, or with the configuration file ``config`` and
        ``environment`` (GUNICORN_TIMEOUT=…) for it to read; it binds to ``port`` either way."""
        self.instance = instance
        self.port = port or free_port()  # the same port again: a restart clients don't notice
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = instance.folder / "gunicorn.log"
        self.log = open(self.log_path, "ab")
        if config is None:
            command = [
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                str(timeout),
                "--bind",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ]
        else:
            command = ["-c", str(config)]
        env = {**instance.env, **environment, "PORT": str(self.port)}
        env.pop("GUNICORN_BIND", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *command],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        self._wait_until_healthy()

    def _wait_until_healthy(self, patience: float = 60.0) -> None:
        give_up = time.monotonic() + patience
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start; see gunicorn.log")
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=5)
                return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not answer /healthz")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(30)
        self.log.close()


class HttpUser:
    """A person's browser or phone: a cookie jar, a CSRF token, the real pages and API; signed in
    through the login page as ``AuthActions`` signs in, over real HTTP."""

    def __init__(
        self,
        base: str,
        username: str,
        password: str = PASSWORD,
        timeout: float = 120,
        tls: ssl.SSLContext | None = None,
    ):
        """``tls``: how to trust an HTTPS ``base`` (a test's own certificate)."""
        self.base = base
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        handlers: list = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if tls is not None:
            handlers.append(urllib.request.HTTPSHandler(context=tls))
        self.opener = urllib.request.build_opener(*handlers)
        page = self.open("/login").read().decode()
        body = urllib.parse.urlencode(sign_in_form(page, username, password)).encode()
        home = self.open("/login", body).read().decode()
        self.token = page_token(home)

    def open(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        return self.opener.open(request, timeout=self.timeout)

    def call(
        self, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        """Status and body; an HTTP error is an answer like any other."""
        try:
            with self.open(path, data, headers) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)

    def tasks(self) -> list[dict]:
        return json.loads(self.call("/api/v1/tasks")[1])["tasks"]


def site_photo_submission(
    client_uuid: str, task_id: int, photo: bytes, *, place: str = "Dải phân cách đường Hùng Vương"
) -> tuple[bytes, dict]:
    """A site-photo submission encoded as the outbox sends it: body and headers."""
    boundary, body = encode_multipart(
        {
            "client_uuid": client_uuid,
            "task_id": str(task_id),
            "kind": "site_photo",
            "occurred_at": "2024-03-20T09:00",
            "place": place,
            "installed": "Pano tuyên truyền",
            "quantity": "1",
            "lat": "21.2731",
            "lon": "106.1946",
            "photo": FileStorage(io.BytesIO(photo), "anh.jpg", content_type="image/jpeg"),
        }
    )
    return body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Idempotency-Key": client_uuid,
    }


def submit(user: HttpUser, body: bytes, headers: dict) -> tuple[int, bytes]:
    return user.call("/api/v1/evidence", body, {**headers, "X-CSRFToken": user.token})
