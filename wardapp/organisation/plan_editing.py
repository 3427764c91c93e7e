"""Plans corrected over the year, in the app: a task's words, kinds, places, units and rule;
a task added, retired, or (with no evidence at all) deleted. Every change is audited with
what the task was before and after; services only flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.core.text import clean_text
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import RULES, Plan, Task, TaskUnit
from wardapp.plans.vocabulary import short_title as make_short_title
from wardapp.units.models import Unit

WHEN_WORDS = {
    "weekly": "Hằng tuần",
    "per_period": "Thường xuyên",
    "on_change": "Khi có thay đổi",
}


class TaskError(ValueError):
    """A task change that cannot be made; the message says why, in Vietnamese."""


class TaskInUse(TaskError):
    """The task has evidence: it may be retired, never deleted."""


@dataclass
class TaskValues:
    text: str
    short_title: str
    kinds: list[str]
    places: list[str]
    lead_ids: list[int]
    coordinating_ids: list[int]
    rule: str
    deadline: date | None
    when_text: str = ""


def snapshot(task: Task) -> dict:
    """What the audit row keeps of a task, before and after a change."""
    return {
        "number": task.number,
        "text": task.text,
        "short_title": task.short_title,
        "kinds": list(task.kinds),
        "places": list(task.places),
        "lead": sorted(a.unit_id for a in task.assignments if a.role == "lead"),
        "coordinating": sorted(a.unit_id for a in task.assignments if a.role != "lead"),
        "rule": task.rule,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "when_text": task.when_text,
        "retired": bool(task.retired),
    }


def when_words(rule: str, deadline: date | None) -> str:
    if rule == "deadline" and deadline:
        return f"Trước ngày {deadline:%d/%m/%Y}"
    return WHEN_WORDS.get(rule, "")


def _check(plan: Plan, values: TaskValues) -> TaskValues:
    text = clean_text(values.text).strip()
    if not text:
        raise TaskError("Hãy nhập nội dung nhiệm vụ.")
    if values.rule not in RULES:
        raise TaskError("Cách tính không hợp lệ.")
    if values.rule == "deadline":
        if values.deadline is None:
            raise TaskError("Nhiệm vụ có hạn cần ngày hạn.")
        if values.deadline.year != plan.year:
            raise TaskError(f"Hạn phải nằm trong năm {plan.year} của kế hoạch.")
    if not values.kinds:
        raise TaskError("Hãy chọn ít nhất một loại minh chứng.")
    if not values.lead_ids:
        raise TaskError("Hãy chọn ít nhất một đơn vị chủ trì.")
    places = [" ".join(clean_text(p).split())[:200] for p in values.places]
    return TaskValues(
        text=text,
        short_title=" ".join(clean_text(values.short_title).split())[:200]
        or make_short_title(text),
        kinds=list(dict.fromkeys(values.kinds)),
        places=[p for p in dict.fromkeys(places) if p],
        lead_ids=list(dict.fromkeys(values.lead_ids)),
        coordinating_ids=[
            u for u in dict.fromkeys(values.coordinating_ids) if u not in values.lead_ids
        ],
        rule=values.rule,
        deadline=values.deadline if values.rule == "deadline" else None,
        when_text=" ".join(clean_text(values.when_text).split()),
    )


def _unit_names(ids: list[int]) -> str:
    names = {u.id: u.name for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return "; ".join(names[i] for i in ids if i in names)


def _apply(task: Task, values: TaskValues) -> None:
    leads_before = sorted(a.unit_id for a in task.assignments if a.role == "lead")
    coord_before = sorted(a.unit_id for a in task.assignments if a.role != "lead")
    rule_before = (task.rule, task.deadline)
    task.text, task.short_title = values.text, values.short_title
    task.kinds, task.places = values.kinds, values.places
    task.rule, task.deadline = values.rule, values.deadline
    if task.rule != "per_period":
        task.min_count, task.period = None, None
    wanted = {u: "lead" for u in values.lead_ids} | {
        u: "coordinating" for u in values.coordinating_ids
    }
    kept = []
    for assignment in task.assignments:
        role = wanted.pop(assignment.unit_id, None)
        if role is None:
            continue
        if role != assignment.role:
            assignment.role, assignment.scored = role, role == "lead"
        kept.append(assignment)
    kept += [TaskUnit(unit_id=u, role=r, scored=r == "lead") for u, r in wanted.items()]
    task.assignments = kept
    # The words people read follow the units chosen, where they changed.
    if sorted(values.lead_ids) != leads_before or not task.lead_text:
        task.lead_text = _unit_names(values.lead_ids)
    if sorted(values.coordinating_ids) != coord_before:
        task.coordinating_text = _unit_names(values.coordinating_ids)
    if values.when_text:
        task.when_text = values.when_text
    elif (task.rule, task.deadline) != rule_before or not task.when_text:
        task.when_text = when_words(task.rule, task.deadline)


def update_task(actor: User, task: Task, values: TaskValues) -> bool:
    """Change the task; True, and audited with before and after, if anything changed."""
    checked = _check(task.plan, values)
    before = snapshot(task)
    _apply(task, checked)
    db.session.flush()
    after = snapshot(task)
    if after == before:
        return False
    record(actor, "task.update", task, plan_id=task.plan_id, before=before, after=after)
    return True


def add_task(actor: User, plan: Plan, values: TaskValues) -> Task:
    checked = _check(plan, values)
    number = (
        db.session.scalar(select(func.max(Task.number)).where(Task.plan_id == plan.id)) or 0
    ) + 1
    task = Task(
        plan=plan, number=number, text="", short_title="", kinds=[], places=[], rule="weekly"
    )
    task.lead_text = task.coordinating_text = task.when_text = task.notes = ""
    db.session.add(task)
    _apply(task, checked)
    db.session.flush()
    record(actor, "task.create", task, plan_id=plan.id, before=None, after=snapshot(task))
    return task


def evidence_count(task: Task) -> int:
    return db.session.scalar(select(func.count()).where(Evidence.task_id == task.id)) or 0


def set_retired(actor: User, task: Task, retired: bool) -> None:
    if bool(task.retired) == retired:
        return
    before = snapshot(task)
    task.retired = retired
    db.session.flush()
    record(
        actor,
        "task.retire" if retired else "task.restore",
        task,
        plan_id=task.plan_id,
        before=before,
        after=snapshot(task),
    )


def delete_task(actor: User, task: Task) -> None:
    """Only a task nothing was ever recorded for; one with evidence raises ``TaskInUse``."""
    if evidence_count(task):
        raise TaskInUse(
            "Nhiệm vụ đã có minh chứng nên không thể xóa; hãy cho nhiệm vụ ngừng áp dụng."
        )
    before = snapshot(task)
    record(actor, "task.delete", task, plan_id=task.plan_id, before=before, after=None)
    db.session.delete(task)
    db.session.flush()
