"""People who sign in, their role and the unit they belong to."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from wardapp.core.roles import READERS, Role
from wardapp.db import Base, UTCDateTime, now_utc
from wardapp.units.models import Unit


def canonical_username(name: str) -> str:
    """The one form of a typed account name that sign-in, throttling and new accounts share:
    NFC, no surrounding whitespace, case folded, so " Tan-Tien " is the account tan-tien."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


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
    # Where digests are sent, set by the officer on /account; None until then.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    # Two-factor sign-in (auth/two_factor.py): the TOTP secret once enrolment is confirmed,
    # and the last time step a code was accepted for, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # The language the officer chose on /account; None follows the app's default.
    language: Mapped[str | None] = mapped_column(String(8))
    # The session generation: part of every session's and remember-me cookie's identity, so
    # bumping it (sign-out, a password change, a lock: services.end_sessions) ends them all.
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
        """Hashed in NFC: a Vietnamese password typed on a keyboard that sends decomposed
        accents is the same password as one typed precomposed."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(
            unicodedata.normalize("NFC", password), method=method
        )

    def check_password(self, password: str) -> bool:
        nfc = unicodedata.normalize("NFC", password)
        if check_password_hash(self.password_hash, nfc):
            return True
        # A hash made before passwords were normalised, of a password typed decomposed.
        return nfc != password and check_password_hash(self.password_hash, password)

    @property
    def seen_unit_ids(self) -> list[int] | None:
        """The units whose evidence and results this user may read; None for every unit.

        The one rule, for every query, page and export: an officer sees their own unit, a
        reviewer scoped to some units sees those, any other reviewer, an overseer and an
        admin see every unit.
        """
        if self.role == Role.OFFICER:
            return [self.unit_id] if self.unit_id else []
        if self.role == Role.REVIEWER and self.scoped_units:
            return [u.id for u in self.scoped_units]
        return None if self.role in READERS else []

    def sees_unit(self, unit_id: int) -> bool:
        seen = self.seen_unit_ids
        return seen is None or unit_id in seen


COUNTER_KEY_LENGTH = 200  # a counter key past it is cut (auth/counters.py)


class LoginCounter(Base):
    """Failed sign-ins against one account name or from one address, when no Redis holds them.

    In the database every app process sees the same counts, and a restart forgets none; one row
    per key, written in a transaction of its own (auth/counters.py).
    """

    __tablename__ = "login_counter"

    key: Mapped[str] = mapped_column(String(COUNTER_KEY_LENGTH), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    # The failures count within a fixed window from the first; after it they start again.
    window_ends: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Until then a sign-in against this key is refused without looking at the password.
    wait_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInLink(Base):
    """A one-time sign-in link for a new account: it opens the page where the officer sets
    their password, once, within its validity (72 hours by default). Only the token's SHA-256
    is kept, so the table cannot be read back into working links."""

    __tablename__ = "sign_in_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """One of an account's ten one-time recovery codes, for a lost phone; kept as a hash."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
