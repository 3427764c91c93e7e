"""The shipped plan as data, and loading a plan's data into the database without duplicates.

The 2024 plan lives in ``data/plan-2024.json`` rather than in code so that an admin (or the
next year's import) works with the same shapes the seed uses, and so re-running the seed on
a live database is safe: rows are matched by their natural keys (unit code, plan year and
city, task number) and only changed fields are written.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import select

from wardapp.db import DbSession
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

SHIPPED_PLAN = "plan-2024.json"


CITY_BODIES = "@city_bodies"


LOCAL_UNITS = "@local"


def nfc(value: Any) -> Any:
    """NFC-normalise every string in a JSON-like value, so lookups by name never miss on
    a decomposed "ệ" typed on a Mac or pasted from a PDF."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def load_shipped_plan() -> dict:
    """The 2024 plan shipped with the app, read from the package (works from a wheel too)."""
    source = resources.files("wardapp.plans").joinpath("data", SHIPPED_PLAN)
    return json.loads(source.read_text(encoding="utf-8"))


def group_codes(units: list[dict]) -> dict[str, list[str]]:
    """What the group tokens of a plan's data stand for, given its list of units."""
    return {
        CITY_BODIES: [u["code"] for u in units if u.get("city_body")],
        LOCAL_UNITS: [u["code"] for u in units if u["kind"] in ("ward", "commune")],
    }


def expand(tokens: list[str], groups: dict[str, list[str]]) -> list[str]:
    """Unit codes for a list of codes and group tokens, in order, without repeats."""
    out: list[str] = []
    for token in tokens:
        if token.startswith("@") and token not in groups:
            raise ValueError(f"unknown group {token!r}")
        for code in groups[token] if token.startswith("@") else [token]:
            if code not in out:
                out.append(code)
    return out


@dataclass
class SeedResult:
    """What a seed run did, per kind of row, so the command can say it and tests can check."""

    plan_id: int | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, table: str) -> None:
        bucket = getattr(self, what)
        bucket[table] = bucket.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return any(n for d in (self.created, self.updated, self.removed) for n in d.values())

    def summary(self) -> str:
        """One Vietnamese line per kind of row."""
        names = {
            "unit": "Đơn vị",
            "plan": "Kế hoạch",
            "task": "Nhiệm vụ",
            "assignment": "Phân công",
        }
        return "\n".join(
            f"{label}: tạo mới {self.created.get(k, 0)}, cập nhật {self.updated.get(k, 0)}"
            + (f", bỏ {self.removed[k]}" if self.removed.get(k) else "")
            for k, label in names.items()
        )


def _set(obj: object, values: dict[str, Any]) -> bool:
    """Assign only the values that differ; True if any did (no UPDATE for a no-op seed)."""
    changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
    for key, value in changed.items():
        setattr(obj, key, value)
    return bool(changed)


def _seed_units(session: DbSession, units: list[dict], result: SeedResult) -> dict[str, Unit]:
    existing = {
        u.code: u
        for u in session.scalars(select(Unit).where(Unit.code.in_([d["code"] for d in units])))
    }
    for d in units:
        values = {"kind": d["kind"], "name": d["name"], "short_name": d["short_name"]}
        unit = existing.get(d["code"])
        if unit is None:
            unit = Unit(code=d["code"], active=True, **values)
            session.add(unit)
            existing[d["code"]] = unit
            result.count("created", "unit")
        elif _set(unit, values):
            result.count("updated", "unit")
    return existing


def _seed_plan_row(session: DbSession, p: dict, result: SeedResult) -> Plan:
    values = {
        "number": p.get("number") or None,
        "decision_date": date.fromisoformat(p["decision_date"]) if p.get("decision_date") else None,
        "title": p["title"],
        "issuer": p.get("issuer") or None,
    }
    plan = session.scalar(select(Plan).where(Plan.year == p["year"], Plan.city == p["city"]))
    if plan is None:
        plan = Plan(year=p["year"], city=p["city"], active=True, **values)
        session.add(plan)
        result.count("created", "plan")
    elif _set(plan, values):
        result.count("updated", "plan")
    return plan


def _task_values(t: dict) -> dict[str, Any]:
    return {
        "text": t["text"],
        "short_title": t["short_title"],
        "lead_text": t.get("lead_text", ""),
        "coordinating_text": t.get("coordinating_text", ""),
        "when_text": t.get("when_text", ""),
        "kinds": list(t["kinds"]),
        "rule": t["rule"],
        "deadline": date.fromisoformat(t["deadline"]) if t.get("deadline") else None,
        "places": list(t.get("places", [])),
        "notes": t.get("notes", ""),
    }


def _seed_assignments(
    session: DbSession, task: Task, wanted: dict[int, str], result: SeedResult
) -> None:
    """Make the task's TaskUnit rows exactly ``wanted`` (unit id → role); leads are scored."""
    current = {a.unit_id: a for a in task.assignments}
    for unit_id, a in current.items():
        if unit_id not in wanted:
            task.assignments.remove(a)
            result.count("removed", "assignment")
    for unit_id, role in wanted.items():
        assignment = current.get(unit_id)
        if assignment is None:
            task.assignments.append(TaskUnit(unit_id=unit_id, role=role, scored=role == "lead"))
            result.count("created", "assignment")
        elif assignment.role != role:
            assignment.role, assignment.scored = role, role == "lead"
            result.count("updated", "assignment")


def seed_plan(session: DbSession, data: dict) -> SeedResult:
    """Upsert the data's units, plan, tasks and assignments; flush, never commit.

    Running it twice changes nothing the second time. Texts are updated when the data
    changed; a per-period minimum set by a reviewer survives a re-seed.
    """
    data = nfc(data)
    result = SeedResult()
    groups = group_codes(data["units"])
    units = _seed_units(session, data["units"], result)
    plan = _seed_plan_row(session, data["plan"], result)
    session.flush()
    result.plan_id = plan.id
    existing = {t.number: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    for t in data["tasks"]:
        values = _task_values(t)
        task = existing.get(t["number"])
        if task is None:
            task = Task(
                plan_id=plan.id,
                number=t["number"],
                min_count=t.get("min_count"),
                period=t.get("period"),
                **values,
            )
            session.add(task)
            result.count("created", "task")
        else:
            extra = {k: t[k] for k in ("min_count", "period") if t.get(k) is not None}
            if _set(task, {**values, **extra}):
                result.count("updated", "task")
        leads = expand(t["lead"], groups)
        coordinating = [c for c in expand(t.get("coordinating", []), groups) if c not in leads]
        for code in leads + coordinating:
            if code not in units:
                raise ValueError(f"task {t['number']}: unknown unit code {code!r}")
        wanted = {units[c].id: "lead" for c in leads}
        wanted.update({units[c].id: "coordinating" for c in coordinating})
        _seed_assignments(session, task, wanted, result)
    session.flush()
    return result
