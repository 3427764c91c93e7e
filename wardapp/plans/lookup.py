"""Reading plans and tasks for pages: which plan is current, which tasks a unit has."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit


def current_plan(plan_id: int | None = None) -> Plan | None:
    """The plan asked for, else the newest active one."""
    if plan_id:
        return db.session.get(Plan, plan_id)
    return db.session.scalar(
        select(Plan).where(Plan.active.is_(True)).order_by(Plan.year.desc(), Plan.id.desc())
    )


def all_plans() -> list[Plan]:
    return list(db.session.scalars(select(Plan).order_by(Plan.year.desc(), Plan.id.desc())))


def tasks_of_plan(plan: Plan, *, with_units: bool = False) -> list[Task]:
    """The plan's tasks in order; ``with_units`` loads who has a part in each too (a
    national plan has 33,000 parts: only the pages that show them ask)."""
    query = select(Task).where(Task.plan_id == plan.id).order_by(Task.number)
    if with_units:
        query = query.options(selectinload(Task.assignments).selectinload(TaskUnit.unit))
    return list(db.session.scalars(query))


def assignments_for_unit(plan: Plan, unit_id: int) -> list[TaskUnit]:
    """The unit's tasks in the plan, each with whether the unit leads or coordinates it."""
    return list(
        db.session.scalars(
            select(TaskUnit)
            .join(Task)
            .where(Task.plan_id == plan.id, TaskUnit.unit_id == unit_id, Task.retired.is_(False))
            .order_by(Task.number)
            .options(selectinload(TaskUnit.task))
        )
    )
