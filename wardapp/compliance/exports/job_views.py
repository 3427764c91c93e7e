"""The Excel export as a background job: start it, watch it (a self-replacing partial), fetch it.

The dashboard's Excel button posts here; the answer is a status partial that polls itself
every second while the workbook is built and turns into a download link when it is done.
Without JavaScript the same status is a page that refreshes itself.
"""

from flask import abort, redirect, render_template, send_file, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from wardapp.audit.services import record
from wardapp.compliance.blueprint import bp
from wardapp.compliance.choice import choice_from_request
from wardapp.compliance.exports import jobs as export_jobs
from wardapp.core import i18n
from wardapp.core.access import allow
from wardapp.core.roles import READERS
from wardapp.extensions import htmx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status(job, status: int = 200):
    if htmx and not htmx.boosted:
        return render_block("compliance/export_job.html", "job_status", job=job), status
    return render_template("compliance/export_job.html", job=job), status


@bp.post("/compliance/exports")
@allow(*READERS)
def start_export():
    choice = choice_from_request(i18n.today_local())
    unit_ids = current_user.seen_unit_ids
    record(
        current_user,
        "compliance.export",
        choice.plan,
        format="xlsx",
        period=choice.period.slug,
        units="all" if unit_ids is None else len(unit_ids),
    )
    job = export_jobs.start(
        current_user.id,
        choice.plan.id,
        choice.period,
        choice.today,
        unit_ids,
        f"cchc-{choice.period.slug}.xlsx",
    )
    if htmx and not htmx.boosted:
        return _status(job, 202)
    return redirect(url_for("compliance.export_job", job_id=job.id), code=303)


def _job(job_id: str):
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
    if job.state != "done":
        abort(404)
    return send_file(
        export_jobs.file_of(job), mimetype=XLSX, as_attachment=True, download_name=job.filename
    )
