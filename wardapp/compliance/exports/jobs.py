"""Large exports built by a worker: the quarter's workbook, its photos as a ZIP, its report.

A workbook is only written once all its rows are (openpyxl zips it at the end), so a national
quarter would keep a request waiting past a proxy's or gunicorn's timeout before its first
byte. Instead the request queues a job (``wardapp.jobs.leases``) and the page polls a small
status partial (Contact.app's archive_ui pattern) until its download link shows. The job's
state is a database row and its file is in the file store, so any app process answers the
poll and the download, and any worker builds it. A job belongs to the user who asked; the
same export asked again while it is being built is that same job.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from wardapp.compliance.exports.docx_report import write_docx
from wardapp.compliance.exports.xlsx_workbook import write_xlsx
from wardapp.compliance.exports.zip_photos import zip_chunks
from wardapp.compliance.picture import Picture, compliance_for
from wardapp.core import i18n
from wardapp.core.i18n import city_tz, fmt_datetime, now_local
from wardapp.core.periods import Period
from wardapp.db import now_utc
from wardapp.extensions import db
from wardapp.jobs import leases
from wardapp.jobs.models import Job
from wardapp.media.app_store import storage
from wardapp.plans.models import Plan

KIND = "compliance.export"
FORMATS = ("xlsx", "zip", "docx")
STALE_SECONDS = 300  # queued or held this long with no worker about: none is running
JOB_ID = 22  # characters of a token_urlsafe(16)


@dataclass(frozen=True)
class Status:
    """What the status partial shows of a job."""

    id: str
    filename: str
    state: str  # queued | running | done | failed
    done: int
    total: int
    percent: int
    stale: bool
    result_key: str | None

    @classmethod
    def of(cls, job: Job) -> Status:
        now = now_utc()
        waited = now - timedelta(seconds=STALE_SECONDS)
        stale = (job.state == "queued" and job.queued_at < waited) or (
            job.state == "running" and job.lease_until is not None and job.lease_until < waited
        )
        state = "running" if job.state == "queued" else job.state
        return cls(
            job.id,
            job.result_name or job.params.get("filename", ""),
            state,
            job.done,
            job.total,
            job.percent,
            stale,
            job.result_key,
        )


def start(
    owner_id: int,
    plan_id: int,
    period: Period,
    as_of: date,
    unit_ids: list[int] | None,
    fmt: str,
    language: str,
) -> Job:
    """The job building this export for this user: the one under way, or a new one queued
    when the request commits."""
    units = None if unit_ids is None else sorted(unit_ids)
    params = {
        "format": fmt,
        "plan_id": plan_id,
        "period": [period.kind, period.year, period.number],
        "as_of": as_of.isoformat(),
        "unit_ids": units,
        "language": language,
        "filename": f"cchc-{period.slug}.{fmt}",
    }
    scope = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:32]
    return leases.submit(KIND, f"{KIND}:{owner_id}:{scope}", params, owner_id=owner_id)


def find(job_id: str, owner_id: int) -> Status | None:
    """The job if it exists and is the user's; None otherwise (the same answer for both)."""
    if len(job_id) != JOB_ID or not job_id.replace("-", "").replace("_", "").isalnum():
        return None
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or job.owner_id != owner_id:
        return None
    return Status.of(job)


@leases.kind(KIND)
def build(run: leases.Run) -> leases.Made:
    params = run.params
    fmt = params["format"]
    kind, year, number = params["period"]
    with force_locale(params["language"]):
        picture = compliance_for(
            db.session.get_one(Plan, params["plan_id"]),
            Period(kind, year, number),
            as_of=date.fromisoformat(params["as_of"]),
            unit_ids=params["unit_ids"],
        )
        accepted = sum(c.accepted for c in picture.cells.values())
        run.progress(0, accepted)
        path = run.folder / params["filename"]
        with path.open("wb") as target:
            if fmt == "xlsx":
                done = write_xlsx(
                    picture,
                    city_tz(),
                    target,
                    generated=fmt_datetime(now_local()),
                    progress=run.progress,
                )
            elif fmt == "zip":
                done = _write_zip(picture, target, run)
            else:
                done = _write_docx(picture, target, accepted)
        run.progress(done, accepted)
    return leases.Made(path, f".{fmt}", params["filename"])


def _write_zip(picture: Picture, target, run: leases.Run) -> int:
    app = cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    note = (_("anh-bi-thieu.txt"), _("Các ảnh sau không còn trong kho lưu trữ:"))
    for chunk in zip_chunks(
        picture, city_tz(), storage(), db.session(), missing_note=note, logger=app.logger
    ):
        target.write(chunk)
        run.check()
    return sum(c.accepted for c in picture.cells.values())


def _write_docx(picture: Picture, target, accepted: int) -> int:
    today = i18n.today_local()
    period = picture.period
    issued_on = today if period.start <= today <= period.end + timedelta(days=92) else None
    with force_locale("vi"):  # an administrative document is in Vietnamese, whatever the UI
        write_docx(picture, target, issued_on=issued_on, accepted_total=accepted)
    return accepted
