"""Who may submit for which task, and who may see which evidence."""

from sqlalchemy import Select, select

from wardapp.auth.models import User
from wardapp.core.roles import Role
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit


def may_submit(user: User, task: Task) -> bool:
    """An officer, for a task of an active plan that their unit leads or coordinates."""
    if user.role != Role.OFFICER or user.unit_id is None or not task.plan.active or task.retired:
        return False
    return (
        db.session.scalar(
            select(TaskUnit.id).where(TaskUnit.task_id == task.id, TaskUnit.unit_id == user.unit_id)
        )
        is not None
    )


def reportable_tasks(user: User) -> list[Task]:
    if user.role != Role.OFFICER or user.unit_id is None:
        return []
    return list(
        db.session.scalars(
            select(Task)
            .join(TaskUnit)
            .join(Plan)
            .where(TaskUnit.unit_id == user.unit_id, Plan.active.is_(True), Task.retired.is_(False))
            .order_by(Plan.year.desc(), Task.number)
        )
    )


def visible(user: User, query: Select | None = None) -> Select:
    """Evidence the user may read: their unit's, a scoped reviewer's units', or all."""
    query = query if query is not None else select(Evidence)
    seen = user.seen_unit_ids  # the rule is the user's (auth.models)
    return query if seen is None else query.where(Evidence.unit_id.in_(seen))


def may_see(user: User, evidence: Evidence) -> bool:
    return user.sees_unit(evidence.unit_id)
