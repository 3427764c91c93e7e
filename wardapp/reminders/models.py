"""Which reminders were sent: one row per unit, task and period (or reviewer and week)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wardapp.db import Base, UTCDateTime, now_utc

KEY_LENGTH = 120


class ReminderSent(Base):
    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    # kind:task:unit:period (or digest:user:week): never the same reminder twice.
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    period: Mapped[str] = mapped_column(String(16))
    notified: Mapped[int] = mapped_column(Integer, default=0)  # notices it made
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
