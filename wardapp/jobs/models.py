"""A job that must finish once: its state in the database, held by one worker at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wardapp.db import Base, UTCDateTime, now_utc

STATES = ("queued", "running", "done", "failed")


class Job(Base):
    """One piece of background work and where it stands.

    ``active_key`` names what the job makes (the same export asked twice has the same key) and
    is unique while the job is queued or running, then cleared: a second identical request
    finds the first job instead of starting another, and a request after it finished makes a
    fresh one (the data may have changed since). A worker holds a job by its lease:
    ``lease_owner`` and ``lease_until``, renewed while it works; a lease that ran out (its
    worker was killed) lets another worker take the job again, and only the holder of the
    lease can mark it done.
    """

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_state_lease_until", "state", "lease_until"),
        Index("ix_job_finished_at", "finished_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    active_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # The user who asked, if anyone (no foreign key: jobs know no table of the domains).
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    result_key: Mapped[str | None] = mapped_column(String(128))
    result_name: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # When it was last put on the queue: a queued job nobody took for a lease is sent again.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def percent(self) -> int:
        return 100 if self.state == "done" else min(99, self.done * 100 // max(self.total, 1))
