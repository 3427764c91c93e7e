"""Small factories for compliance tests: a plan, units and tasks made directly, and evidence
for them in the city's local time."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from support.evidence import make_evidence
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

CITY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_serial = itertools.count(1)


def local(year, month, day, hour=9, minute=0) -> datetime:
    """A moment in the city, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=CITY_TZ)


def make_plan(year: int = 2024) -> Plan:
    plan = Plan(year=year, city=f"Thành phố {next(_serial)}", title=f"Kế hoạch năm {year}")
    db.session.add(plan)
    db.session.flush()
    return plan


def make_unit(name: str = "Phường Thọ Xương", kind: str = "ward", active: bool = True) -> Unit:
    n = next(_serial)
    unit = Unit(
        code=f"u{n}", kind=kind, name=name, short_name=name.split(" ", 1)[-1], active=active
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def make_task(
    plan: Plan,
    number: int,
    rule: str,
    *,
    leads=(),
    coordinating=(),
    deadline: date | None = None,
    min_count: int | None = None,
    period: str | None = None,
    kinds=("site_photo",),
) -> Task:
    task = Task(
        plan=plan,
        number=number,
        text=f"Nhiệm vụ {number}",
        short_title=f"Nhiệm vụ số {number}",
        rule=rule,
        deadline=deadline,
        min_count=min_count,
        period=period,
        kinds=list(kinds),
    )
    for unit in leads:
        task.assignments.append(TaskUnit(unit_id=unit.id, role="lead", scored=True))
    for unit in coordinating:
        task.assignments.append(TaskUnit(unit_id=unit.id, role="coordinating", scored=False))
    db.session.add(task)
    db.session.flush()
    return task


def weekly_from(task: Task, unit: Unit, first_monday: date, weeks: int, status="approved"):
    """One item on the Wednesday of each of ``weeks`` weeks from ``first_monday``."""
    for i in range(weeks):
        day = first_monday + timedelta(days=7 * i + 2)
        make_evidence(task, unit, local(day.year, day.month, day.day), status)


def plan_ids(app) -> dict:
    """The plan's id, its units' ids by code and its tasks' by number."""
    with app.app_context():
        units = {u.code: u.id for u in db.session.scalars(select(Unit))}
        tasks = {t.number: t.id for t in db.session.scalars(select(Task))}
        return {"plan": db.session.scalar(select(Plan.id)), "units": units, "tasks": tasks}
