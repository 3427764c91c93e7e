"""The compliance picture as data, for any client that may see the dashboard (a provincial
system, a Zalo mini app): ``GET /api/v1/compliance?plan=<id>&quarter=<1-4>`` (or ``month``,
or ``year``), the same numbers the matrix shows; ``unit=<code>`` for one unit's alone (the
nation's whole picture is 10 MB)."""

from typing import NoReturn

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wardapp.compliance.blueprint import bp
from wardapp.compliance.picture import compliance_for
from wardapp.core import i18n
from wardapp.core.access import allow
from wardapp.core.periods import Period
from wardapp.core.roles import READERS
from wardapp.extensions import db
from wardapp.plans import lookup
from wardapp.plans.periods import view_for
from wardapp.units.models import Unit


def _refuse(message: str, field: str) -> NoReturn:
    response = jsonify(error=message, fields={field: message})
    response.status_code = 422
    abort(response)


def _period(plan_year: int, today) -> tuple[Period, str | None]:
    args = request.args
    if "month" in args:
        month = args.get("month", type=int)
        if month is None or not 1 <= month <= 12:
            _refuse(_("Tháng phải từ 1 đến 12."), "month")
        return Period.month(plan_year, month), None
    if "quarter" in args:
        quarter = args.get("quarter", type=int)
        if quarter not in (1, 2, 3, 4):
            _refuse(_("Quý phải từ 1 đến 4."), "quarter")
        return Period.quarter(plan_year, quarter), None
    if "year" in args or args.get("period") == "year":
        year = args.get("year", type=int)
        if args.get("year") and year != plan_year:
            _refuse(_("Kế hoạch này là của năm %(y)s.", y=plan_year), "year")
        return Period.whole_year(plan_year), None
    view = view_for(plan_year, today)
    return view.period, view.note


def _units() -> list[int] | None:
    """The units the caller sees, or the one ``unit`` names among them."""
    seen = current_user.seen_unit_ids
    if "unit" not in request.args:
        return seen
    code = request.args.get("unit", "")
    found = db.session.scalar(select(Unit.id).where(Unit.code == code)) if code else None
    if found is None or (seen is not None and found not in seen):
        # The same answer for a unit that does not exist and one the caller may not see.
        _refuse(_("Không có đơn vị mã này trong các đơn vị bạn được xem."), "unit")
    return [found]


@bp.get("/api/v1/compliance")
@allow(*READERS)
def api_compliance():
    raw_plan = request.args.get("plan")
    plan_id = request.args.get("plan", type=int)
    if raw_plan is not None and (plan_id is None or not 0 < plan_id < 2**31):
        _refuse(_("Mã kế hoạch phải là số."), "plan")
    plan = lookup.current_plan(plan_id)
    if plan is None or (plan_id is not None and plan.id != plan_id):
        abort(404)
    today = i18n.today_local()
    period, note = _period(plan.year, today)
    picture = compliance_for(plan, period, as_of=today, unit_ids=_units())
    cells = []
    for unit, row in picture.rows():
        for task, cell in zip(picture.tasks, row, strict=True):
            if cell is None:
                continue
            urged = picture.urged_at(task.id, unit.id)
            cells.append(
                {
                    "unit_id": unit.id,
                    "task_id": task.id,
                    "verdict": cell.verdict,
                    "role": cell.role,
                    "scored": cell.scored,
                    "expected": cell.expected,
                    "done": cell.done,
                    "accepted": cell.accepted,
                    "pending_count": cell.pending,
                    "returned": cell.returned,
                    "missing": [s.label for s in cell.missing],
                    "explained_parts": [s.label for s in cell.explained],
                    "explanations": [
                        {"id": x.id, "period": x.period, "reason": x.reason}
                        for x in cell.explanations
                    ],
                    "urged_at": urged.isoformat() if urged else None,
                    "reason": str(cell.reason) if cell.reason else None,
                }
            )
    response = jsonify(
        plan={"id": plan.id, "year": plan.year, "city": plan.city, "title": plan.title},
        period={
            "kind": period.kind,
            "number": period.number,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "counted_to": picture.counted_to.isoformat(),
            "note": note,
        },
        units=[
            {"id": u.id, "code": u.code, "name": u.name, "short_name": u.short_name, "kind": u.kind}
            for u in picture.units
        ],
        tasks=[
            {"id": t.id, "number": t.number, "title": t.short_title, "rule": t.rule}
            for t in picture.tasks
        ],
        cells=cells,
        counts={v: picture.count(v) for v in ("met", "unmet", "pending", "explained", "unscored")},
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
