"""Building a large workbook in the background, with its progress on disk for any worker to read.

A workbook is only written once all its rows are (openpyxl zips it at the end), so a national
quarter would keep a request waiting past a proxy's or gunicorn's timeout before its first
byte. Instead a thread builds it while the page polls a small status partial (Contact.app's
archive_ui pattern). State lives in ``<EXPORT_DIR>/<job>/status.json`` beside the file,
so whichever app process answers the poll can read it. A job belongs to the user who started
it; jobs older than a day are removed when a new one starts. A job whose status has not moved
for ``STALE`` (its process was restarted) is reported as interrupted.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import cast

from flask import Flask, current_app
from werkzeug.local import LocalProxy

from wardapp.compliance.exports.xlsx_workbook import write_xlsx
from wardapp.compliance.picture import compliance_for
from wardapp.core.i18n import city_tz, fmt_datetime, now_local
from wardapp.core.periods import Period
from wardapp.extensions import db
from wardapp.plans.models import Plan

KEEP_SECONDS = 24 * 3600
STALE_SECONDS = 300
JOB_ID = 22  # characters of a token_urlsafe(16)


@dataclass
class Job:
    id: str
    owner_id: int
    filename: str
    state: str = "running"  # running | done | failed
    done: int = 0
    total: int = 0
    updated: float = 0.0

    @property
    def percent(self) -> int:
        return 100 if self.state == "done" else min(99, self.done * 100 // max(self.total, 1))

    @property
    def stale(self) -> bool:
        return self.state == "running" and time.time() - self.updated > STALE_SECONDS


def _root() -> Path:
    """``EXPORT_DIR``, else an ``exports`` folder beside the media folder (both on one disk)."""
    configured = current_app.config.get("EXPORT_DIR")
    return (
        Path(configured) if configured else Path(current_app.config["MEDIA_DIR"]).parent / "exports"
    )


def _save(folder: Path, job: Job) -> None:
    job.updated = time.time()
    tmp = folder / f".status.{os.getpid()}.{threading.get_ident()}"
    tmp.write_text(json.dumps(asdict(job)), encoding="utf-8")
    os.replace(tmp, folder / "status.json")


def find(job_id: str, owner_id: int) -> Job | None:
    """The job if it exists and is the user's; None otherwise (the same answer for both)."""
    if len(job_id) != JOB_ID or not job_id.replace("-", "").replace("_", "").isalnum():
        return None
    try:
        data = json.loads((_root() / job_id / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    job = Job(**data)
    return job if job.owner_id == owner_id else None


def file_of(job: Job) -> Path:
    return _root() / job.id / "export.xlsx"


def _sweep(root: Path) -> None:
    for folder in root.iterdir() if root.exists() else ():
        if time.time() - folder.stat().st_mtime > KEEP_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)


def start(
    owner_id: int,
    plan_id: int,
    period: Period,
    as_of: date,
    unit_ids: list[int] | None,
    filename: str,
) -> Job:
    """Start building the workbook in a thread; returns at once."""
    root = _root()
    _sweep(root)
    job = Job(secrets.token_urlsafe(16), owner_id, filename)
    folder = root / job.id
    folder.mkdir(parents=True)
    _save(folder, job)
    # The app itself, not the proxy: the thread runs outside this request's context. Flask
    # types ``current_app`` as the app it stands for, so the proxy's own method needs a cast.
    app = cast("LocalProxy[Flask]", current_app)._get_current_object()
    base_url = app.config["BASE_URL"]  # never the request's Host (see core.urls)
    thread = threading.Thread(
        target=_build,
        name=f"export-{job.id}",
        daemon=True,
        args=(app, base_url, job, plan_id, period, as_of, unit_ids),
    )
    thread.start()
    # Under TESTING the job finishes before the answer, so no thread outlives its test.
    if app.config.get("EXPORT_JOBS_WAIT", app.testing):
        thread.join()
    return job


def _build(
    app: Flask,
    base_url: str,
    job: Job,
    plan_id: int,
    period: Period,
    as_of: date,
    unit_ids: list[int] | None,
) -> None:
    with app.test_request_context("/", base_url=base_url):
        folder = _root() / job.id
        try:
            picture = compliance_for(
                db.session.get_one(Plan, plan_id), period, as_of=as_of, unit_ids=unit_ids
            )
            job.total = sum(c.accepted for c in picture.cells.values())

            def progress(done: int) -> None:
                job.done = done
                _save(folder, job)

            part = folder / "export.xlsx.part"
            with part.open("wb") as target:
                generated = fmt_datetime(now_local())
                job.done = write_xlsx(
                    picture, city_tz(), target, generated=generated, progress=progress
                )
            os.replace(part, folder / "export.xlsx")
            job.state = "done"
        except Exception:  # any failure: say so on the page, keep the details in the log
            app.logger.exception("export job %s failed", job.id)
            job.state = "failed"
        finally:
            db.session.remove()
        _save(folder, job)
