"""Đôn đốc: a reviewer or overseer urges the units behind on a task (or on anything in the
period), with a message prefilled from what is missing, edited as they like."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from wardapp.compliance.blueprint import bp
from wardapp.compliance.choice import Choice, choice_from_request
from wardapp.compliance.picture import Picture, compliance_for
from wardapp.core import i18n
from wardapp.core.access import allow
from wardapp.core.roles import URGERS
from wardapp.extensions import db
from wardapp.followup.services import ExplanationError, send_urge
from wardapp.plans.models import Task
from wardapp.units.models import Unit


def behind(picture: Picture, task: Task | None) -> list[tuple[Unit, list[tuple[Task, list]]]]:
    """The units with a missing part (on ``task``, or on any task), and what each misses."""
    found = []
    tasks = [task] if task else picture.tasks
    for unit in picture.units:
        missing = []
        for t in tasks:
            cell = picture.cell(t.id, unit.id)
            if cell is not None and cell.missing:
                missing.append((t, cell.missing))
        if missing:
            found.append((unit, missing))
    return found


def prefilled(choice: Choice, task: Task | None, rows) -> str:
    """The message as proposed: the period, the task, and for one unit what it misses."""
    period = choice.period.label
    if len(rows) == 1:
        unit, missing = rows[0]
        parts = "; ".join(
            _("nhiệm vụ %(n)s (%(s)s)", n=t.number, s=", ".join(s.label for s in slots[:6]))
            + ("…" if len(slots) > 6 else "")
            for t, slots in missing
        )
        return _(
            "Đề nghị %(u)s khẩn trương thực hiện và gửi minh chứng còn thiếu %(p)s: %(parts)s.",
            u=unit.name,
            p=period,
            parts=parts,
        )
    if task is not None:
        return _(
            "Đề nghị các đơn vị khẩn trương thực hiện và gửi minh chứng còn thiếu của nhiệm vụ "
            "%(n)s (%(t)s) %(p)s.",
            n=task.number,
            t=task.short_title,
            p=period,
        )
    return _(
        "Đề nghị các đơn vị khẩn trương thực hiện và gửi minh chứng các nhiệm vụ còn thiếu %(p)s.",
        p=period,
    )


def _asked() -> tuple[Choice, Task | None, Picture]:
    choice = choice_from_request(i18n.today_local())
    task_id = request.values.get("task", type=int)
    task = db.session.get(Task, task_id) if task_id and 0 < task_id < 2**31 else None
    if task_id and (task is None or task.plan_id != choice.plan.id):
        abort(404)
    picture = compliance_for(
        choice.plan, choice.period, as_of=choice.today, unit_ids=current_user.seen_unit_ids
    )
    return choice, task, picture


@bp.route("/compliance/urge", methods=["GET", "POST"])
@allow(*URGERS)
def urge():
    """GET: the units behind, ticked, and the message to edit. POST: send it to those ticked
    (only units still behind among those the user may see)."""
    choice, task, picture = _asked()
    rows = behind(picture, task)
    only = request.values.get("unit", type=int)
    if request.method == "GET" and only is not None:
        rows = [r for r in rows if r[0].id == only] or rows
    context = {"choice": choice, "task": task, "rows": rows, "picture": picture}
    if request.method == "GET":
        ticked = {r[0].id for r in rows}
        message = prefilled(choice, task, rows) if rows else ""
        return render_template("compliance/urge.html", ticked=ticked, message=message, **context)
    chosen = set(request.form.getlist("units", type=int))
    units = [unit for unit, _missing in rows if unit.id in chosen]
    message = request.form.get("message", "")
    try:
        if chosen and not units:
            raise ExplanationError(
                422, _("Các đơn vị được chọn không còn thiếu phần việc nào."), "units"
            )
        send_urge(current_user, choice.plan, choice.period, task, units, message)
    except ExplanationError as refused:
        db.session.rollback()
        return render_template(
            "compliance/urge.html", ticked=chosen, message=message, error=refused.message, **context
        ), refused.status
    flash(
        ngettext("Đã đôn đốc %(num)s đơn vị.", "Đã đôn đốc %(num)s đơn vị.", len(units)), "success"
    )
    return redirect(url_for("compliance.dashboard", **choice.args()), code=303)
