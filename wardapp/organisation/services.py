"""Units: add, rename, deactivate, merge. Every change is audited; services only flush.

A merge ("A and B became C on 01/07/2025") never rewrites the past: A and B keep their rows,
their evidence and their place in every plan period before the day; they end on the day and
name C. C takes over from the day: every account of A and B moves to C (a reviewer scoped to
A or B is scoped to C too), and C is given A's and B's part in every task of the plans whose
year reaches the day, so a period after it lists C and judges C's evidence.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.core.text import clean_text, fold
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import UNIT_KINDS, Unit
from wardapp.units.names import unit_code


class UnitError(ValueError):
    """A unit change that cannot be made; the message says why, in Vietnamese."""


def _line(text: str | None) -> str:
    return " ".join(clean_text(text or "").split())


def kind_from_name(name: str, default: str = "agency") -> str:
    """A ward for "Phường …", a commune for "Xã …", else ``default``."""
    first = fold(name.split()[0]) if name.split() else ""
    return {"phuong": "ward", "xa": "commune"}.get(first, default)


def short_name_of(name: str) -> str:
    words = name.split()
    if words and fold(words[0]) in ("phuong", "xa") and len(words) > 1:
        return " ".join(words[1:])
    return name


def find_unit(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code.strip().lower()))


def create_unit(
    actor: User | None,
    *,
    name: str,
    kind: str | None = None,
    code: str | None = None,
    short_name: str | None = None,
    started_on: date | None = None,
) -> Unit:
    name = _line(name)
    if not name:
        raise UnitError("Hãy nhập tên đơn vị.")
    kind = kind or kind_from_name(name)
    if kind not in UNIT_KINDS:
        raise UnitError(f'Loại đơn vị "{kind}" không hợp lệ.')
    code = (code or "").strip().lower() or unit_code(name)
    if not code:
        raise UnitError("Không tạo được mã đơn vị từ tên này; hãy nhập mã.")
    if find_unit(code) is not None:
        raise UnitError(f'Đã có đơn vị mã "{code}".')
    unit = Unit(
        code=code,
        kind=kind,
        name=name[:200],
        short_name=(_line(short_name) or short_name_of(name))[:100],
        active=True,
        started_on=started_on,
    )
    db.session.add(unit)
    db.session.flush()
    record(actor, "unit.create", unit, code=code, name=unit.name, kind=kind)
    return unit


def update_unit(
    actor: User, unit: Unit, *, name: str, short_name: str, kind: str, active: bool
) -> Unit:
    """Rename, change the kind, deactivate or reactivate (a merged unit stays merged)."""
    name, short_name = _line(name), _line(short_name)
    if not name:
        raise UnitError("Hãy nhập tên đơn vị.")
    if kind not in UNIT_KINDS:
        raise UnitError(f'Loại đơn vị "{kind}" không hợp lệ.')
    if unit.ended_on is not None and active:
        raise UnitError("Đơn vị đã được sáp nhập, không thể hoạt động lại.")
    before: dict[str, object] = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "active": unit.active,
    }
    unit.name, unit.short_name = name[:200], (short_name or short_name_of(name))[:100]
    unit.kind, unit.active = kind, active
    after = {"name": unit.name, "short_name": unit.short_name, "kind": kind, "active": active}
    if before != after:
        record(actor, "unit.update", unit, before=before, after=after)
    return unit


def merge_units(actor: User | None, sources: list[Unit], into: Unit, on: date) -> dict:
    """Merge ``sources`` into ``into`` from ``on``; what moved, for the audit row and the page.

    Raises ``UnitError`` (nothing changed) for a merge that makes no sense: fewer than one
    source, a unit merged into itself, a unit already merged, a target that has ended.
    """
    if not sources:
        raise UnitError("Hãy chọn ít nhất một đơn vị được sáp nhập.")
    if len({u.id for u in sources}) != len(sources):
        raise UnitError("Một đơn vị được chọn hai lần.")
    if any(u.id == into.id for u in sources):
        raise UnitError(f"Không thể sáp nhập {into.name} vào chính nó.")
    for unit in sources:
        if unit.ended_on is not None:
            raise UnitError(f"{unit.name} đã được sáp nhập ngày {unit.ended_on:%d/%m/%Y}.")
        if unit.started_on is not None and unit.started_on >= on:
            raise UnitError(
                f"{unit.name} bắt đầu từ {unit.started_on:%d/%m/%Y}, sau ngày sáp nhập."
            )
    if into.ended_on is not None:
        raise UnitError(f"{into.name} đã được sáp nhập vào đơn vị khác.")
    if not into.active:
        raise UnitError(f"{into.name} đang ngừng hoạt động.")
    source_ids = [u.id for u in sources]
    for unit in sources:
        unit.ended_on, unit.merged_into, unit.active = on, into, False

    accounts = list(db.session.scalars(select(User).where(User.unit_id.in_(source_ids))))
    for user in accounts:
        user.unit = into
    scoped = [
        u for u in db.session.scalars(select(User).where(User.role == "reviewer")) if u.scoped_units
    ]
    for reviewer in scoped:
        if (
            any(s.id in source_ids for s in reviewer.scoped_units)
            and into not in reviewer.scoped_units
        ):
            reviewer.scoped_units.append(into)

    tasks = list(
        db.session.scalars(
            select(Task)
            .join(Plan)
            .where(Plan.year >= on.year)
            .where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(source_ids))))
        )
    )
    assigned = 0
    for task in tasks:
        theirs = [a for a in task.assignments if a.unit_id in source_ids]
        lead = any(a.role == "lead" for a in theirs)
        scored = any(a.scored for a in theirs)
        mine = next((a for a in task.assignments if a.unit_id == into.id), None)
        if mine is None:
            task.assignments.append(
                TaskUnit(unit_id=into.id, role="lead" if lead else "coordinating", scored=scored)
            )
            assigned += 1
        elif lead and mine.role != "lead":
            mine.role, mine.scored = "lead", mine.scored or scored
    db.session.flush()
    moved: dict = {
        "sources": [u.code for u in sources],
        "into": into.code,
        "on": on.isoformat(),
        "accounts": [u.username for u in accounts],
        "tasks": assigned,
    }
    record(actor, "unit.merge", into, **dict(moved))
    return moved
