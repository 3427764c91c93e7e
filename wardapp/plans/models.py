"""Plans, their tasks and which units report on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardapp.db import Base, UTCDateTime, now_utc
from wardapp.units.models import Unit

RULES = ("weekly", "deadline", "per_period", "on_change")
PERIODS = ("month", "quarter")


class Plan(Base):
    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("year", "city", name="uq_plan_year_city"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    city: Mapped[str] = mapped_column(String(100))
    number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", order_by="Task.number", cascade="all, delete-orphan"
    )


class Task(Base):
    """One row of the plan's appendix: what must be done, by whom, how often."""

    __tablename__ = "task"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_task_plan_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    short_title: Mapped[str] = mapped_column(String(200))
    lead_text: Mapped[str] = mapped_column(Text, default="")
    coordinating_text: Mapped[str] = mapped_column(Text, default="")
    when_text: Mapped[str] = mapped_column(Text, default="")
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    rule: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date | None] = mapped_column(Date)
    min_count: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[str | None] = mapped_column(String(16))
    places: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Retired in the app: off the capture form and the compliance picture, its evidence kept.
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    assignments: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan"
    )

    def units(self, role: str | None = None) -> list[Unit]:
        return [a.unit for a in self.assignments if role is None or a.role == role]


class TaskUnit(Base):
    """A unit responsible for a task, as lead (chủ trì) or coordinating (phối hợp)."""

    __tablename__ = "task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", name="uq_task_unit_task_id_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # lead | coordinating
    scored: Mapped[bool] = mapped_column(Boolean, default=True)

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
