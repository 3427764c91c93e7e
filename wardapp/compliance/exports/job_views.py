"""The large exports as background jobs: start one, watch it (a self-replacing partial), fetch it.

The dashboard's Excel button posts here (``format`` xlsx, the default; zip or docx too); the
answer is a status partial that polls itself every second while a worker builds the file and
turns into a download link when it is done. Without JavaScript the same status is a page that
refreshes itself. Any app process answers: the job is a database row, its file is in the
file store.
"""

import io

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user
from jinja2_fragments.flask import render_block

from wardapp.audit.services import record
from wardapp.compliance.blueprint import bp
from wardapp.compliance.choice import choice_from_request
from wardapp.compliance.exports import jobs as export_jobs
from wardapp.core import i18n
from wardapp.core.access import allow
from wardapp.core.roles import READERS
from wardapp.extensions import db, htmx
from wardapp.media.app_store import storage

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}


def _status(job, status: int = 200):
    if htmx and not htmx.boosted:
        return render_block("compliance/export_job.html", "job_status", job=job), status
    return render_template("compliance/export_job.html", job=job), status


@bp.post("/compliance/exports")
@allow(*READERS)
def start_export():
    fmt = request.values.get("format", "xlsx")
    if fmt not in export_jobs.FORMATS:
        abort(400)
    choice = choice_from_request(i18n.today_local())
    unit_ids = current_user.seen_unit_ids
    record(
        current_user,
        "compliance.export",
        choice.plan,
        format=fmt,
        period=choice.period.slug,
        units="all" if unit_ids is None else len(unit_ids),
    )
    job = export_jobs.start(
        current_user.id,
        choice.plan.id,
        choice.period,
        choice.today,
        unit_ids,
        fmt,
        str(get_locale() or "vi"),
    )
    job_id = job.id
    # Committed here rather than after the view: the job is queued on commit, and a worker
    # (or, under JOBS_IMMEDIATE, this very process) may finish it before the answer is drawn.
    db.session.commit()
    if htmx and not htmx.boosted:
        return _status(_job(job_id), 202)
    return redirect(url_for("compliance.export_job", job_id=job_id), code=303)


def _job(job_id: str) -> export_jobs.Status:
    job = export_jobs.find(job_id, current_user.id)
    if job is None:
        abort(404)
    return job


@bp.get("/compliance/exports/<job_id>")
@allow(*READERS)
def export_job(job_id: str):
    return _status(_job(job_id))


@bp.get("/compliance/exports/<job_id>/file")
@allow(*READERS)
def export_job_file(job_id: str):
    job = _job(job_id)
    if job.state != "done" or job.result_key is None:
        abort(404)
    fmt = job.filename.rsplit(".", 1)[-1]
    mimetype = MIMETYPES.get(fmt, "application/octet-stream")
    store, config = storage(), current_app.config
    try:
        if config["S3_PRESIGN"]:  # the bucket sends it, for a moment, to whoever was let in
            link = store.url(
                job.result_key,
                content_type=mimetype,
                filename=job.filename,
                attachment=True,
                expires=int(config["S3_PRESIGN_SECONDS"]),
            )
            if link:
                response = redirect(link, 302)
                response.cache_control.private = True
                response.cache_control.no_store = True
                return response
        path = store.path(job.result_key) if config["ACCEL_REDIRECT"] else None
        if path is not None and path.is_file():  # nginx sends it from its internal location
            response = send_file(
                io.BytesIO(b""), mimetype=mimetype, as_attachment=True, download_name=job.filename
            )
            response.headers["X-Accel-Redirect"] = (
                config["ACCEL_REDIRECT"].rstrip("/") + "/" + job.result_key
            )
            return response
        handle = store.open(job.result_key)
    except (FileNotFoundError, ValueError):  # swept, or lost with the disk
        abort(404)
    return send_file(
        handle,
        mimetype=mimetype,
        as_attachment=True,
        download_name=job.filename,
        etag=job.result_key.rsplit("/", 1)[-1],
    )
