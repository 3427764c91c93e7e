"""A notice for one user: what happened, in a sentence, and where to go about it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wardapp.db import Base, UTCDateTime, now_utc

KINDS = ("returned", "approved", "urge", "reminder", "explanation")
KEY_LENGTH = 160


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        # A user's list, newest first, and the bell's unread count.
        Index("ix_notification_user_id", "user_id", "id"),
        Index("ix_notification_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What makes a notice one of a kind, where it must be (the day's approvals of one user):
    # a second one updates the first instead of adding a row.
    key: Mapped[str | None] = mapped_column(String(KEY_LENGTH), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)

    @property
    def read(self) -> bool:
        return self.read_at is not None
