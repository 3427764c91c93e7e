"""The weekly chart: accepted evidence per task and ISO week, as geometry for an inline SVG.

Drawn on the server (no chart library, no script): the template turns these numbers into
``<rect>`` elements with presentation attributes, which the strict CSP allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from wardapp.compliance.picture import Picture
from wardapp.core.periods import Week
from wardapp.plans.models import Task

BAR, GAP, HEIGHT, LEFT, BOTTOM, TOP = 12, 3, 90, 28, 18, 8


@dataclass(frozen=True)
class Bar:
    week: Week
    count: int
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class Chart:
    task: Task
    bars: list[Bar]
    top: int  # the count the full height stands for
    target_y: float | None  # where "every scored unit, every week" lies, for weekly tasks
    target: int | None
    width: int
    height: int = HEIGHT + TOP + BOTTOM
    baseline: float = HEIGHT + TOP

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


def weekly_chart(picture: Picture, task: Task, unit_id: int | None = None) -> Chart:
    weeks = picture.weekly_accepted(task.id, unit_id)
    target = None
    if task.rule == "weekly":
        target = sum(
            1
            for c in picture.cells.values()
            if c.task_id == task.id and c.scored and unit_id in (None, c.unit_id)
        )
    top = max([n for _, n in weeks] + [target or 0, 1])
    scale = HEIGHT / top
    bars = [
        Bar(week, n, LEFT + i * (BAR + GAP), TOP + HEIGHT - n * scale, n * scale)
        for i, (week, n) in enumerate(weeks)
    ]
    return Chart(
        task=task,
        bars=bars,
        top=top,
        target=target,
        target_y=TOP + HEIGHT - target * scale if target else None,
        width=LEFT + len(weeks) * (BAR + GAP) + GAP,
    )


def charts_for(picture: Picture, unit_id: int | None = None) -> list[Chart]:
    """One small chart per task the picture shows (for one unit: its own tasks)."""
    tasks = [t for t in picture.tasks if unit_id is None or picture.cell(t.id, unit_id) is not None]
    return [weekly_chart(picture, t, unit_id) for t in tasks]
