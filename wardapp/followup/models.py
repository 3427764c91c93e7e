"""An explanation a unit files for a task and period it could not fulfil, and the urges sent to
units behind."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardapp.auth.models import User
from wardapp.db import Base, UTCDateTime, now_utc
from wardapp.plans.models import Task
from wardapp.units.models import Unit

EXPLANATION_STATUSES = ("submitted", "accepted", "refused")


class Explanation(Base):
    __tablename__ = "explanation"
    __table_args__ = (
        # A picture's accepted explanations: by task and unit, then by the dates they cover.
        Index("ix_explanation_task_unit", "task_id", "unit_id", "status"),
        # The reviewer's queue: what waits, oldest first.
        Index("ix_explanation_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    # As filed: "2024-Q1", "2024-03" or "2024-W11"; and the local days it stands for.
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    attachment_key: Mapped[str | None] = mapped_column(String(200))
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    task: Mapped[Task] = relationship()
    unit: Mapped[Unit] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


urge_unit = Table(
    "urge_unit",
    Base.metadata,
    Column("urge_id", Integer, ForeignKey("urge.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), primary_key=True, index=True),
)


class Urge(Base):
    """A reviewer's or overseer's urge (đôn đốc) to units behind: on one task, or on every task
    they are behind on (``task_id`` None), in a period."""

    __tablename__ = "urge"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    period: Mapped[str] = mapped_column(String(10))  # "2024-Q1", "2024-03" or "2024"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text)
    sender_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    sender: Mapped[User] = relationship()
    task: Mapped[Task | None] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=urge_unit, order_by="Unit.id")
