"""What the service worker keeps for offline use, and the version that names its caches.

The version is a digest of the static files and of the worker's own template: a release that
changes any of them gives the worker new bytes, so the browser installs it, it fills new
caches and deletes the old ones. The outbox lives in IndexedDB and is never touched by this.
"""

import hashlib
import re
from pathlib import Path

from flask import current_app, url_for

# Static files the shell is made of; licences and anything else stay on the server.
SHELL_SUFFIXES = (".css", ".js", ".png", ".svg", ".woff2")
WORKER_TEMPLATE = "offline/sw.js"
CAPTURE_PLACEHOLDER = 987654321
# The map is a reviewer's page on a desk or a connected phone; a field officer's phone need not
# keep its 165 KB offline.
NOT_KEPT = ("vendor/leaflet", "js/map.js")


def shell_files(static_folder: str) -> list[str]:
    root = Path(static_folder)
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in SHELL_SUFFIXES
        and not p.relative_to(root).as_posix().startswith(NOT_KEPT)
    )


def _digest(app) -> str:
    digest = hashlib.sha256()
    root = Path(app.static_folder)
    for name in shell_files(app.static_folder):
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    template = Path(app.template_folder) / WORKER_TEMPLATE
    digest.update(template.read_bytes())
    return digest.hexdigest()[:16]


def shell_version() -> str:
    """Computed once per process (each request while debugging, when files change under it)."""
    app = current_app
    if app.debug:
        return _digest(app)
    version = app.extensions.get("wardapp.shell_version")
    if version is None:
        version = app.extensions["wardapp.shell_version"] = _digest(app)
    return version


def shell_urls() -> list[str]:
    folder = current_app.static_folder
    assert folder is not None  # create_app always gives one
    urls = [url_for("static", filename=name) for name in shell_files(folder)]
    return urls + [url_for("offline.manifest")]


def page_urls() -> list[str]:
    """Pages every officer gets offline; the capture pages come from ``/api/v1/tasks``."""
    return [
        url_for("core.home"),
        url_for("offline.outbox"),
        url_for("evidence.mine"),
        url_for("notifications.page"),
    ]


def capture_pattern() -> str:
    """A JavaScript regular expression for the path of any capture page, built from its route."""
    path = url_for("evidence.capture", task_id=CAPTURE_PLACEHOLDER)
    return "^" + re.escape(path).replace(str(CAPTURE_PLACEHOLDER), r"\d+") + "$"
