"""Small factories for compliance tests: a plan, units, tasks and evidence rows made directly.

Rule tests need exact statuses and times, not the submission pipeline; rows are inserted as
the pipeline would leave them (and as a reviewer's decision would change them).
"""

import itertools
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from wardapp.auth.models import User
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

CITY = ZoneInfo("Asia/Ho_Chi_Minh")
_serial = itertools.count(1)


def local(year, month, day, hour=9, minute=0) -> datetime:
    """A moment in the city, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=CITY)


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


def officer_of(unit: Unit) -> User:
    user = User(
        username=f"{unit.code}-officer",
        password_hash="x",
        display_name="Cán bộ",
        role="officer",
        unit_id=unit.id,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_evidence(
    task: Task,
    unit: Unit,
    occurred_at: datetime,
    status: str = "approved",
    *,
    user: User | None = None,
    reviewed_at: datetime | None = None,
    supersedes: Evidence | None = None,
    kind: str = "site_photo",
    fields: dict | None = None,
) -> Evidence:
    if user is None:
        user = db.session.query(User).filter_by(unit_id=unit.id).first() or officer_of(unit)
    evidence = Evidence(
        client_uuid=str(uuid.uuid4()),
        task_id=task.id,
        unit_id=unit.id,
        submitted_by_id=user.id,
        kind=kind,
        occurred_at=occurred_at.astimezone(UTC),
        fields=fields
        or {"place": "Dải phân cách đường Hùng Vương", "installed": "Pano", "quantity": 1},
        status=status,
        fingerprint="f" * 64,
        reviewed_at=reviewed_at or (occurred_at if status in ("approved", "returned") else None),
        supersedes_id=supersedes.id if supersedes else None,
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence


def weekly_from(task: Task, unit: Unit, first_monday: date, weeks: int, status="approved"):
    """One item on the Wednesday of each of ``weeks`` weeks from ``first_monday``."""
    from datetime import timedelta

    for i in range(weeks):
        day = first_monday + timedelta(days=7 * i + 2)
        make_evidence(task, unit, local(day.year, day.month, day.day), status)
