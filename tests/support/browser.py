"""A live app on loopback, for Debian's Chromium driven by Playwright: the server that notes
every answer it gave, and the browser's settings."""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select
from werkzeug.serving import make_server

from support.app import database_settings, make_app
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Task

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GEOLOCATION = {"latitude": 21.2712, "longitude": 106.1921, "accuracy": 14}
API = "/api/v1/evidence"


@dataclass
class Answered:
    method: str
    path: str
    status: int
    received: int = 0  # request body bytes
    sent: int = 0  # response body bytes


@dataclass
class LiveServer:
    """The app on a real socket, with every request it answered, in order."""

    app: object
    url: str = ""
    answered: list[Answered] = field(default_factory=list)

    def submissions(self) -> list[int]:
        """Statuses of the evidence POSTs the app answered."""
        return [a.status for a in self.answered if a.method == "POST" and a.path == API]

    def evidence_count(self) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count(Evidence.id)))

    def evidence(self) -> list[Evidence]:
        with self.app.app_context():
            rows = db.session.scalars(select(Evidence).order_by(Evidence.id)).all()
            for row in rows:
                _ = row.media  # loaded while the session is open
            db.session.expunge_all()
            return rows

    def task_id(self, number: int) -> int:
        with self.app.app_context():
            return db.session.scalar(select(Task.id).where(Task.number == number))

    def capture_path(self, number: int = 6, kind: str = "site_photo") -> str:
        return f"/tasks/{self.task_id(number)}/new?kind={kind}"


class Recorder:
    """WSGI middleware noting each answer, so a test can count what really reached the app."""

    def __init__(self, wsgi, server: LiveServer):
        self.wsgi, self.server, self.lock = wsgi, server, threading.Lock()

    def __call__(self, environ, start_response):
        answer = Answered(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", ""),
            0,
            received=int(environ.get("CONTENT_LENGTH") or 0),
        )

        def noting(status, headers, exc_info=None):
            answer.status = int(status.split()[0])
            with self.lock:
                self.server.answered.append(answer)
            return start_response(status, headers, exc_info)

        body = self.wsgi(environ, noting)
        try:
            for chunk in body:
                answer.sent += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()


@contextmanager
def serving(tmp_path, **config):
    """The app with the demo accounts on a fresh SQLite database, served on a loopback port."""
    from wardapp import demo

    tmp_path.mkdir(parents=True, exist_ok=True)
    with database_settings("sqlite", tmp_path) as settings:
        # Retries start at 50 ms here (1 s in production) so the suite needs no sleeps.
        app = make_app(
            settings,
            tmp_path,
            **{"OUTBOX_BACKOFF_START_MS": 50, "OUTBOX_BACKOFF_MAX_MS": 800, **config},
        )
        with app.app_context():
            db.create_all()
            demo.seed(with_evidence=False)
            db.session.commit()
        server = LiveServer(app)
        app.wsgi_app = Recorder(app.wsgi_app, server)
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        server.url = f"http://127.0.0.1:{httpd.server_port}"
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            httpd.shutdown()
            thread.join(5)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


# Chromium as a 360 px Android phone: touch, a phone's viewport, its user agent.
PHONE = {
    "is_mobile": True,
    "has_touch": True,
    "viewport": {"width": 360, "height": 740},
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}


def context_options(server: LiveServer, **extra) -> dict:
    return {
        "base_url": server.url,
        "geolocation": GEOLOCATION,
        "permissions": ["geolocation"],
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        **extra,
    }
