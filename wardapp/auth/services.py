"""Signing in and managing accounts; every change to an account is audited."""
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from wardapp.audit.services import record
from wardapp.auth import throttle
from wardapp.auth.models import ROLES, User
from wardapp.core.text import clean_text
from wardapp.extensions import db
from wardapp.plans.models import Unit


@dataclass
class SignIn:
    user: User | None
    message: str | None = None
    wait_seconds: int = 0


def find_user(username: str) -> User | None:
    name = unicodedata.normalize("NFC", username.strip()).casefold()
    return db.session.scalar(select(User).where(func.lower(User.username) == name))


def authenticate(username: str, password: str, address: str) -> SignIn:
    verdict = throttle.check(username, address)
    if not verdict.allowed:
        return SignIn(None, _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(s)s giây.",
                              s=verdict.wait_seconds), verdict.wait_seconds)
    user = find_user(username)
    if user is None or not user.check_password(password):
        throttle.record_failure(username, address)
        record(user, "login.failed", object_type="user", object_id=user.id if user else None,
               username=username[:64])
        return SignIn(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
    if not user.active:
        return SignIn(None, _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên."))
    throttle.record_success(username, address)
    record(user, "login", user)
    return SignIn(user)


def create_user(actor, *, username: str, password: str, display_name: str, role: str,
                unit: Unit | None = None, scoped_units: list[Unit] | None = None) -> User:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    user = User(username=username.strip().lower(), display_name=_nfc(display_name), role=role,
                unit=unit, scoped_units=scoped_units or [], active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", user, username=user.username, role=role,
           unit_id=unit.id if unit else None)
    return user


def update_user(actor, user: User, *, display_name: str, role: str, unit: Unit | None,
                scoped_units: list[Unit], active: bool) -> User:
    before = {"display_name": user.display_name, "role": user.role, "unit_id": user.unit_id,
              "active": user.active, "scoped": [u.id for u in user.scoped_units]}
    user.display_name = _nfc(display_name)
    user.role = role
    user.unit = unit
    user.scoped_units = scoped_units if role == "reviewer" else []
    if user.active and not active:
        user.session_version += 1
    user.active = active
    after = {"display_name": user.display_name, "role": role, "unit_id": unit.id if unit else None,
             "active": active, "scoped": [u.id for u in user.scoped_units]}
    record(actor, "user.update", user, before=before, after=after)
    return user


def reset_password(actor, user: User, password: str) -> None:
    user.set_password(password)
    user.session_version += 1
    record(actor, "user.password_reset", user)


def _nfc(text: str) -> str:
    """On one line, cleaned by the house's text policy (``wardapp.core.text``): NFC, and no
    control, bidi control or non-character (PostgreSQL refuses NUL outright)."""
    return " ".join(clean_text(text).split())
