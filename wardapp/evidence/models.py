"""A piece of evidence a unit submits against a task, and its photos and files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardapp.auth.models import User
from wardapp.db import Base, UTCDateTime, now_utc
from wardapp.places.models import Place
from wardapp.plans.models import Task
from wardapp.units.models import Unit

EVIDENCE_KINDS = ("site_photo", "broadcast", "meeting", "publication", "procedure_update")
STATUSES = ("submitted", "approved", "returned", "withdrawn")


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (
        # The reviewer's queue (status, oldest first) and each unit's list (newest first).
        Index("ix_evidence_status_created", "status", "created_at", "id"),
        Index("ix_evidence_status_warn_created", "status", "has_warnings", "created_at", "id"),
        Index("ix_evidence_unit_created", "unit_id", "created_at", "id"),
        Index("ix_evidence_task_unit_occurred", "task_id", "unit_id", "occurred_at"),
        # The queue's other filters, each led by what it narrows, so a page and its capped
        # counts read a range of an index instead of scanning for rows that may not exist.
        Index("ix_evidence_created", "created_at", "id"),
        Index("ix_evidence_task_status_created", "task_id", "status", "created_at", "id"),
        Index("ix_evidence_unit_status_created", "unit_id", "status", "created_at", "id"),
        Index("ix_evidence_kind_status_created", "kind", "status", "created_at", "id"),
        # A date range orders the queue by when things happened (see review.queue).
        Index("ix_evidence_occurred", "occurred_at", "id"),
        Index("ix_evidence_status_occurred", "status", "occurred_at", "id"),
        # At most one live correction of a returned item (see evidence.chains).
        Index(
            "uq_evidence_live_correction",
            "supersedes_id",
            unique=True,
            sqlite_where=text("status != 'withdrawn'"),
            postgresql_where=text("status != 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy: Mapped[float | None] = mapped_column(Float)
    located_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    # Kept beside ``warnings`` so the queue can filter on it with an index on any database.
    has_warnings: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Bumped on every decision and when a correction claims the item, so two reviewers
    # deciding at once, or a decision and a correction, cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    task: Mapped[Task] = relationship()
    unit: Mapped[Unit] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    supersedes: Mapped[Evidence | None] = relationship(remote_side=[id])
    place: Mapped[Place | None] = relationship()
    media: Mapped[list[Media]] = relationship(
        back_populates="evidence", order_by="Media.position", cascade="all, delete-orphan"
    )


class Media(Base):
    """A stored photo or attachment: the original, and for photos a display copy and a thumbnail."""

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # photo | attachment
    position: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_at_source: Mapped[str | None] = mapped_column(String(16))  # exif | phone
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_lon: Mapped[float | None] = mapped_column(Float)
    gps_source: Mapped[str | None] = mapped_column(String(16))  # exif | phone
    # Where the place (gps_lat/lon) came from: exif (the photo's own GPS, read by the server
    # or the phone), capture (the phone's fix as the camera took it), later (the phone's fix
    # after a gallery pick, which the officer confirmed), none; NULL before this was kept.
    place_source: Mapped[str | None] = mapped_column(String(16))
    phash: Mapped[str | None] = mapped_column(String(16), index=True)
    # The perceptual hash cut in four 16-bit bands, each indexed: two hashes within three
    # bits of each other share at least one band, so near-duplicates are found by index.
    phash_b0: Mapped[int | None] = mapped_column(Integer, index=True)
    phash_b1: Mapped[int | None] = mapped_column(Integer, index=True)
    phash_b2: Mapped[int | None] = mapped_column(Integer, index=True)
    phash_b3: Mapped[int | None] = mapped_column(Integer, index=True)
    original_key: Mapped[str] = mapped_column(String(200))
    display_key: Mapped[str | None] = mapped_column(String(200))
    thumb_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    evidence: Mapped[Evidence] = relationship(back_populates="media")
    # No columns: what ``process_photo`` made for a photo being submitted (media.nearcopy):
    # what it looks for among earlier photos, read by the duplicate check of the same request,
    # and what it will be found by, stored as ``copy_hashes`` once the row has an id
    # (``intake.store_copy_hashes``). Empty on a row read back from the database.
    probe_hashes: tuple[str, ...] = ()
    new_copy_hashes: tuple[str, ...] = ()
    copy_hashes: Mapped[list[PhotoHash]] = relationship(
        back_populates="media", cascade="all, delete-orphan"
    )

    def set_phash(self, value: str) -> None:
        self.phash = value
        self.phash_b0, self.phash_b1, self.phash_b2, self.phash_b3 = phash_bands(value)


def phash_bands(value: str) -> tuple[int, int, int, int]:
    return tuple(int(value[i : i + 4], 16) for i in range(0, 16, 4))  # type: ignore[return-value]


class PhotoHash(Base):
    """One of a photo's perceptual hashes (its picture, or a window of it cropped a little):
    what a later copy of it, cropped, turned or mirrored, finds it by (see media.nearcopy).
    Each 16-bit band is indexed, as for ``Media.phash``."""

    __tablename__ = "photo_hash"

    id: Mapped[int] = mapped_column(primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    value: Mapped[str] = mapped_column(String(16))
    b0: Mapped[int] = mapped_column(Integer, index=True)
    b1: Mapped[int] = mapped_column(Integer, index=True)
    b2: Mapped[int] = mapped_column(Integer, index=True)
    b3: Mapped[int] = mapped_column(Integer, index=True)

    media: Mapped[Media] = relationship(back_populates="copy_hashes")

    @staticmethod
    def columns(value: str) -> dict[str, str | int]:
        """A row's values for one hash, for a bulk insert."""
        b0, b1, b2, b3 = phash_bands(value)
        return {"value": value, "b0": b0, "b1": b1, "b2": b2, "b3": b3}
