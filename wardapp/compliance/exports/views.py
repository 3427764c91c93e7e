"""The exports: ``/compliance/export.<xlsx|csv|docx|zip>?plan=<id>&quarter=<1-4>``.

CSV and ZIP stream from the first row; the workbook is written row by row to an anonymous
temporary file (write-only openpyxl) and then sent from it (the dashboard builds it in the
background instead, see ``job_views``); the report is small. Each export covers the units the
user may see and is recorded in the audit log.
"""

import io
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Response, abort, current_app, redirect, request, send_file, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from wardapp.audit.services import record
from wardapp.compliance.blueprint import bp
from wardapp.compliance.choice import choice_from_request
from wardapp.compliance.exports.csv_file import SEPARATORS, csv_chunks
from wardapp.compliance.exports.docx_report import Author, write_docx
from wardapp.compliance.exports.rows import Labels, Links
from wardapp.compliance.exports.xlsx_workbook import write_xlsx
from wardapp.compliance.exports.zip_photos import zip_chunks
from wardapp.compliance.picture import Picture, compliance_for
from wardapp.core import i18n
from wardapp.core.access import allow
from wardapp.core.hooks import error_response
from wardapp.core.i18n import city_tz, fmt_datetime, now_local
from wardapp.core.periods import Period
from wardapp.core.roles import READERS, SIGNED_IN, Role
from wardapp.extensions import db
from wardapp.media.app_store import storage
from wardapp.plans.models import Plan
from wardapp.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Asked:
    """What an export was asked for, as plain values: a streamed body runs after the request
    has committed and closed its session, when the request's objects can no longer load."""

    plan_id: int
    period: Period
    as_of: date
    unit_ids: list[int] | None


def _asked(fmt: str) -> Asked:
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
    return Asked(choice.plan.id, choice.period, choice.today, unit_ids)


def _picture(asked: Asked, session=None, tz=None) -> Picture:
    session = session or db.session
    return compliance_for(
        session.get(Plan, asked.plan_id),
        asked.period,
        as_of=asked.as_of,
        unit_ids=asked.unit_ids,
        tz=tz,
        session=session,
    )


def _name(period: Period, ext: str) -> str:
    return f"cchc-{period.slug}.{ext}"


def _streamed(asked: Asked, write, mimetype: str, ext: str) -> Response:
    """A body made after the request is over, holding no Flask context (a response left
    half-read must not leave one pushed): its own database session, and everything that
    needs the request (the engine, the zone, link templates, translations) taken now."""
    engine, tz = db.engine, city_tz()
    prepared = write(tz)
    settings = {"COUNT_WORK_MEM": current_app.config["COUNT_WORK_MEM"]}

    def chunks():
        with Session(engine, info=settings) as session:
            yield from prepared(_picture(asked, session, tz), session)

    response = Response(chunks(), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{_name(asked.period, ext)}"'
    response.headers["X-Accel-Buffering"] = "no"  # let a front proxy pass chunks on at once
    return response


@bp.get("/compliance/export.csv")
@allow(*READERS)
def export_csv():
    separator = SEPARATORS.get(request.args.get("sep", "comma"))
    if separator is None:
        return error_response(400, _("Dấu phân cách không hợp lệ: chọn comma hoặc semicolon."))

    def write(tz):
        links, labels = Links(), Labels.resolve()
        return lambda picture, session: csv_chunks(picture, tz, links, labels, session, separator)

    return _streamed(_asked("csv"), write, "text/csv", "csv")


@bp.get("/compliance/export.zip")
@allow(*READERS)
def export_zip():
    def write(tz):
        store, logger = storage(), current_app.logger
        note = (_("anh-bi-thieu.txt"), _("Các ảnh sau không còn trong kho lưu trữ:"))
        return lambda picture, session: zip_chunks(
            picture, tz, store, session, missing_note=note, logger=logger
        )

    return _streamed(_asked("zip"), write, "application/zip", "zip")


@bp.get("/compliance/export.xlsx")
@allow(*READERS)
def export_xlsx():
    picture = _picture(_asked("xlsx"))
    workbook = tempfile.TemporaryFile(suffix=".xlsx")  # gone from disk when closed
    try:
        generated = fmt_datetime(now_local())
        write_xlsx(picture, city_tz(), workbook, generated=generated)
        workbook.seek(0)
    except BaseException:
        workbook.close()
        raise
    return send_file(
        workbook, mimetype=XLSX, as_attachment=True, download_name=_name(picture.period, "xlsx")
    )


@bp.get("/compliance/export.docx")
@allow(*READERS)
def export_docx():
    return _report(_picture(_asked("docx")))


@bp.get("/compliance/unit/report.docx")
@allow(*SIGNED_IN)
def unit_report():
    """One unit's own report for the period: an officer's unit, or any unit the user sees."""
    asked = request.args.get("unit", type=int)
    if current_user.role == Role.OFFICER:
        if asked not in (None, current_user.unit_id):
            abort(404)
        asked = current_user.unit_id
    elif asked is None:
        return redirect(
            url_for("compliance.dashboard", **choice_from_request(i18n.today_local()).args())
        )
    unit = db.get_or_404(Unit, asked or 0)
    if not current_user.sees_unit(unit.id):
        abort(404)
    choice = choice_from_request(i18n.today_local())
    record(
        current_user,
        "compliance.export",
        choice.plan,
        format="docx",
        period=choice.period.slug,
        units=1,
    )
    picture = compliance_for(choice.plan, choice.period, as_of=choice.today, unit_ids=[unit.id])
    return _report(picture, Author.unit(unit), f"{unit.code}-")


def _report(picture: Picture, author: Author | None = None, prefix: str = ""):
    today = i18n.today_local()
    period = picture.period
    # Dated today while the report is current; a draft for a long-past period is left blank.
    issued_on = today if period.start <= today <= period.end + timedelta(days=92) else None
    document = io.BytesIO()
    with force_locale("vi"):  # an administrative document is in Vietnamese, whatever the UI
        write_docx(
            picture,
            document,
            issued_on=issued_on,
            accepted_total=sum(c.accepted for c in picture.cells.values()),
            author=author,
        )
    document.seek(0)
    return send_file(
        document, mimetype=DOCX, as_attachment=True, download_name=prefix + _name(period, "docx")
    )
