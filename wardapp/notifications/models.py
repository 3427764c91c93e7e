"""A notice for one user: what happened, in a sentence, and where to go about it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class PushSubscription(Base):
    """A browser's Web Push subscription for one user (the phone the officer turned it on)."""

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The endpoint can be long; its SHA-256 is what keeps one row per browser.
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MailDigest(Base):
    """A day's e-mail digest sent to one user: at most one a day."""

    __tablename__ = "mail_digest"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_mail_digest_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    day: Mapped[date] = mapped_column(Date)  # local
    notices: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
