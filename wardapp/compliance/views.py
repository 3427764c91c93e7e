"""The compliance pages: the matrix, the evidence behind a cell, one unit's progress.

Reviewers scoped to some units see only those units' rows; overseers and admins see all;
an officer sees only their own unit's page and cells. A cell or unit the user may not see
is "not found", the same answer as one that does not exist.
"""

from dataclasses import dataclass

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from wardapp.compliance.blueprint import bp
from wardapp.compliance.chart import charts_for
from wardapp.compliance.choice import Choice, choice_from_request
from wardapp.compliance.head import head_summary
from wardapp.compliance.picture import compliance_for, evidence_behind
from wardapp.compliance.progress import due_now, unit_lines
from wardapp.compliance.rows_page import rows_page
from wardapp.compliance.rules import VERDICT_LABELS, VERDICTS
from wardapp.core import i18n
from wardapp.core.access import allow
from wardapp.core.gc_pause import gc_paused
from wardapp.core.labels import KIND_LABELS, RULE_LABELS, STATUS_LABELS
from wardapp.core.periods import Period
from wardapp.core.roles import READERS, RULE_EDITORS, SIGNED_IN, Role
from wardapp.extensions import db, htmx
from wardapp.plans import lookup
from wardapp.plans.models import Task
from wardapp.units.models import Unit


def _choice() -> Choice:
    return choice_from_request(i18n.today_local())


@bp.home_section
def due_on_home(user, today) -> dict:
    """What an officer's unit is due, now and this quarter."""
    plan = lookup.current_plan()
    if user.role != Role.OFFICER or plan is None:
        return {}
    return {"due": due_now(plan, user.unit_id, today)}


@bp.home_section
def head_on_home(user, today) -> dict:
    """For the reviewers and overseers: how the units are doing this quarter."""
    plan = lookup.current_plan()
    if user.role not in (Role.REVIEWER, Role.OVERSEER) or plan is None:
        return {}
    with gc_paused():  # two pictures: see core.gc_pause
        return {"head": head_summary(plan, user, today)}


def _periods(choice: Choice) -> dict:
    """The periods a page offers to switch to, for the chooser."""
    year = choice.plan.year
    return {
        "quarters": [Period.quarter(year, q) for q in range(1, 5)],
        "months": [Period.month(year, m) for m in range(1, 13)],
        "year": Period.whole_year(year),
    }


def _labels() -> dict:
    return {
        "verdict_labels": VERDICT_LABELS,
        "verdicts": VERDICTS,
        "rule_labels": RULE_LABELS,
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
    }


@dataclass
class Columns:
    """The matrix's task columns: those scored in the period first, then those only recorded,
    and why each of those is not scored (tasks sharing a reason together)."""

    scored: list[Task]
    recorded: list[Task]
    reasons: list[tuple[str, list[Task]]]
    needs_minimum: bool

    @property
    def all(self) -> list[Task]:
        return self.scored + self.recorded

    @classmethod
    def of(cls, picture) -> "Columns":
        scored, recorded = [], []
        reasons: dict[str, list[Task]] = {}
        for task in picture.tasks:
            expectation = picture.expectations[task.id]
            if expectation.slots:
                scored.append(task)
            else:
                recorded.append(task)
                reasons.setdefault(str(expectation.reason), []).append(task)
        needs_minimum = any(t.rule == "per_period" and not t.min_count for t in recorded)
        return cls(scored, recorded, list(reasons.items()), needs_minimum)


@bp.get("/compliance")
@allow(*READERS)
def dashboard():
    with gc_paused():  # the picture and its page are 200,000 objects: see core.gc_pause
        return _dashboard(_choice())


def _dashboard(choice: Choice) -> str:
    picture = compliance_for(
        choice.plan, choice.period, as_of=choice.today, unit_ids=current_user.seen_unit_ids
    )
    return render_template(
        "compliance/dashboard.html",
        choice=choice,
        picture=picture,
        rows=rows_page(picture, request.args),
        columns=Columns.of(picture),
        may_set_rules=current_user.role in RULE_EDITORS,
        charts=charts_for(picture),
        plans=lookup.all_plans(),
        periods=_periods(choice),
        **_labels(),
    )


@bp.get("/compliance/cell")
@allow(*SIGNED_IN)
def cell():
    """The evidence behind one cell: a page of its own, or the dashboard's panel (htmx)."""
    choice = _choice()
    task = db.get_or_404(Task, request.args.get("task", type=int) or 0)
    unit = db.get_or_404(Unit, request.args.get("unit", type=int) or 0)
    if task.plan_id != choice.plan.id or not current_user.sees_unit(unit.id):
        abort(404)
    picture = compliance_for(choice.plan, choice.period, as_of=choice.today, unit_ids=[unit.id])
    judged = picture.cell(task.id, unit.id)
    if judged is None:
        abort(404)
    context = {
        "choice": choice,
        "task": task,
        "unit": unit,
        "cell": judged,
        "items": evidence_behind(task, unit.id, choice.period),
        "urge": picture.urged(task.id, unit.id),
        **_labels(),
    }
    if htmx and not htmx.boosted:
        return render_block("compliance/cell.html", "cell_detail", **context)
    return render_template("compliance/cell.html", **context)


@bp.get("/compliance/unit")
@allow(*SIGNED_IN)
def unit_page():
    """What a unit is missing in the period: an officer's own unit, or any the user sees."""
    choice = _choice()
    asked = request.args.get("unit", type=int)
    if current_user.role == Role.OFFICER:
        if asked not in (None, current_user.unit_id):
            abort(404)
        asked = current_user.unit_id
    elif asked is None:
        return redirect(url_for("compliance.dashboard", **choice.args()))
    unit = db.get_or_404(Unit, asked or 0)
    if not current_user.sees_unit(unit.id):
        abort(404)
    picture = compliance_for(choice.plan, choice.period, as_of=choice.today, unit_ids=[unit.id])
    return render_template(
        "compliance/unit.html",
        choice=choice,
        unit=unit,
        picture=picture,
        lines=unit_lines(picture, unit.id),
        charts=charts_for(picture, unit.id),
        periods=_periods(choice),
        **_labels(),
    )
