"""People who sign in, their role and the unit they belong to."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from wardapp.db import Base, UTCDateTime, now_utc
from wardapp.plans.models import Unit

ROLES = ("officer", "reviewer", "overseer", "admin")

reviewer_unit = Table(
    "reviewer_unit",
    Base.metadata,
    Column("user_id", Integer, ForeignKey("user.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), primary_key=True),
)


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes or the account is deactivated: it is part of the
    # session's identity, so old sessions stop working at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    unit: Mapped[Unit | None] = relationship()
    # A reviewer with scoped units sees only their evidence; none means all units.
    scoped_units: Mapped[list[Unit]] = relationship(secondary=reviewer_unit, order_by="Unit.id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def sees_unit(self, unit_id: int) -> bool:
        if self.role == "officer":
            return self.unit_id == unit_id
        if self.role == "reviewer" and self.scoped_units:
            return any(u.id == unit_id for u in self.scoped_units)
        return self.role in ("reviewer", "overseer", "admin")
