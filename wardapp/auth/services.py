"""Signing in and out and managing accounts; every change to an account is audited."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from wardapp.audit.services import record
from wardapp.auth import throttle
from wardapp.auth.models import SignInLink, User, canonical_username
from wardapp.auth.passwords import require_acceptable
from wardapp.auth.security_events import record_security_event
from wardapp.core.roles import Role
from wardapp.core.text import clean_text
from wardapp.db import now_utc
from wardapp.extensions import db
from wardapp.units.models import Unit


@dataclass
class SignIn:
    user: User | None
    message: str | None = None
    wait_seconds: int = 0


def find_user(username: str) -> User | None:
    name = canonical_username(username)
    return db.session.scalar(select(User).where(func.lower(User.username) == name))


def authenticate(username: str, password: str, address: str) -> SignIn:
    """Check a sign-in. A failure and a lock are recorded in transactions of their own, so the
    401 or 429 that follows, which rolls the request back, keeps them."""
    verdict = throttle.check(username, address)
    if not verdict.allowed:
        return SignIn(
            None,
            _(
                "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(s)s giây.",
                s=verdict.wait_seconds,
            ),
            verdict.wait_seconds,
        )
    user = find_user(username)
    if user is None:
        _spend_a_password_check(password)
    if user is None or not user.check_password(password):
        locked = throttle.record_failure(username, address)
        about = {
            "object_type": "user",
            "object_id": user.id if user else None,
            "username": username[:64],
        }
        record_security_event(user, "login.failed", **about)
        if locked:
            record_security_event(
                user, "login.locked", **about, seconds=current_app.config["LOGIN_LOCK_SECONDS"]
            )
        return SignIn(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
    if not user.active:
        return SignIn(None, _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên."))
    throttle.record_success(username, address)
    record(user, "login", user)
    return SignIn(user)


def _spend_a_password_check(password: str) -> None:
    """As long as checking a real account's password: an unknown name answers no faster than
    a known one, so timing tells a guesser nothing about which names exist."""
    check_password_hash(
        _dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password
    )


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def end_sessions(user: User) -> None:
    """End every session of this user, on every device and every app process, at its next
    request: each session and remember-me cookie names the user's session generation, and
    this moves it on. Sign-out, a password change and a lock call it.

    To keep the caller's own session (after changing one's own password, or for "sign out my
    other sessions"), sign the user in again after this with ``flask_login.login_user``: the
    new cookie carries the new generation.
    """
    # Counted in SQL, so two requests ending sessions at once cannot both write one value.
    user.session_version = User.session_version + 1
    db.session.flush()


def sign_out(user: User) -> None:
    """Signing out ends the user's sessions everywhere: a copied session or remember-me cookie
    must not outlive the sign-out that the officer trusted to end it."""
    end_sessions(user)
    record(user, "logout", user)


def create_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    display_name: str,
    role: str,
    unit: Unit | None = None,
    scoped_units: list[Unit] | None = None,
) -> User:
    """Raises ``WeakPassword`` for a password the policy refuses."""
    if role not in tuple(Role):
        raise ValueError(f"unknown role {role!r}")
    username = canonical_username(username)
    require_acceptable(password, username)
    user = User(
        username=username,
        display_name=_nfc(display_name),
        role=role,
        unit=unit,
        scoped_units=scoped_units or [],
        active=True,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(
        actor,
        "user.create",
        user,
        username=user.username,
        role=role,
        unit_id=unit.id if unit else None,
    )
    return user


def update_user(
    actor: User,
    user: User,
    *,
    display_name: str,
    role: str,
    unit: Unit | None,
    scoped_units: list[Unit],
    active: bool,
) -> User:
    before = {
        "display_name": user.display_name,
        "role": user.role,
        "unit_id": user.unit_id,
        "active": user.active,
        "scoped": [u.id for u in user.scoped_units],
    }
    user.display_name = _nfc(display_name)
    user.role = role
    user.unit = unit
    user.scoped_units = scoped_units if role == Role.REVIEWER else []
    locking = user.active and not active
    user.active = active
    if locking:
        end_sessions(user)
    after = {
        "display_name": user.display_name,
        "role": role,
        "unit_id": unit.id if unit else None,
        "active": active,
        "scoped": [u.id for u in user.scoped_units],
    }
    record(actor, "user.update", user, before=before, after=after)
    return user


def reset_password(actor: User, user: User, password: str) -> None:
    """Sets a new password and ends every session the old one opened. Raises
    ``WeakPassword`` for a password the policy refuses."""
    require_acceptable(password, user.username)
    user.set_password(password)
    end_sessions(user)
    record(actor, "user.password_reset", user)


def _nfc(text: str) -> str:
    """On one line, cleaned by the house's text policy (``wardapp.core.text``): NFC, and no
    control, bidi control or non-character (PostgreSQL refuses NUL outright)."""
    return " ".join(clean_text(text).split())


class WrongPassword(ValueError):
    """The current password, asked before a change, was not the account's."""


def change_own_password(user: User, old: str, new: str, address: str) -> None:
    """The officer's own change: the old password first, throttled like a sign-in (a stolen,
    unlocked phone must not become a way to guess it), then the policy; every session of the
    account ends (the caller keeps its own with ``views.keep_this_session``).

    Raises ``WrongPassword`` (or a throttled ``WrongPassword`` with the wait in its message)
    and ``WeakPassword``.
    """
    verdict = throttle.check(user.username, address)
    if not verdict.allowed:
        raise WrongPassword(
            _(
                "Nhập sai quá nhiều lần. Vui lòng thử lại sau %(s)s giây.",
                s=verdict.wait_seconds,
            )
        )
    if not user.check_password(old):
        throttle.record_failure(user.username, address)
        record_security_event(user, "user.password_change_failed", user)
        raise WrongPassword(_("Mật khẩu hiện tại không đúng."))
    require_acceptable(new, user.username)
    throttle.record_success(user.username, address)
    user.set_password(new)
    end_sessions(user)
    record(user, "user.password_change", user)


def end_other_sessions(user: User) -> None:
    """Sign out my other devices: every session ends; the caller keeps its own."""
    end_sessions(user)
    record(user, "user.sessions_end", user)


def set_preferences(user: User, *, language: str | None, email: str | None) -> None:
    before = {"language": user.language, "email": user.email}
    user.language = language or None
    user.email = _nfc(email).lower() if email and email.strip() else None
    after = {"language": user.language, "email": user.email}
    if before != after:
        record(user, "user.preferences", user, before=before, after=after)


@dataclass
class Invitation:
    """An account to make without a password: its owner sets one through a sign-in link."""

    username: str
    display_name: str
    role: str
    unit: Unit | None = None
    email: str | None = None
    phone: str | None = None


def create_invited_users(
    actor: User | None, invitations: list[Invitation], via: str = "import"
) -> list[User]:
    """Accounts with no password yet, in one flush: until the link is used (see
    :func:`issue_sign_in_links`) no password opens them."""
    users = []
    for spec in invitations:
        if spec.role not in tuple(Role):
            raise ValueError(f"unknown role {spec.role!r}")
        users.append(
            User(
                username=canonical_username(spec.username),
                display_name=_nfc(spec.display_name),
                role=spec.role,
                unit=spec.unit,
                email=spec.email or None,
                phone=spec.phone or None,
                active=True,
                # Not a hash of anything: werkzeug's check refuses every password against it.
                password_hash="!unset",
            )
        )
    db.session.add_all(users)
    db.session.flush()
    for user in users:
        record(
            actor,
            "user.create",
            user,
            username=user.username,
            role=user.role,
            unit_id=user.unit_id,
            via=via,
        )
    return users


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_sign_in_link(actor: User | None, user: User) -> str:
    """A new one-time sign-in token for ``user``, valid ``SIGN_IN_LINK_HOURS``; the links
    issued before it stop working. Only its hash is kept."""
    return issue_sign_in_links(actor, [user])[0]


def issue_sign_in_links(actor: User | None, users: list[User]) -> list[str]:
    """:func:`issue_sign_in_link` for many accounts at once (an import's hundreds), in one
    statement and one flush."""
    now = now_utc()
    hours = current_app.config["SIGN_IN_LINK_HOURS"]
    db.session.execute(
        update(SignInLink)
        .where(SignInLink.user_id.in_([u.id for u in users]), SignInLink.used_at.is_(None))
        .values(used_at=now)
    )
    tokens = []
    for user in users:
        token = secrets.token_urlsafe(32)
        db.session.add(
            SignInLink(
                user_id=user.id,
                token_hash=_token_hash(token),
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
        record(actor, "user.sign_in_link", user, hours=hours)
        tokens.append(token)
    db.session.flush()
    return tokens


def sign_in_link(token: str) -> SignInLink | None:
    """The link this token opens, if it still may: not used, not expired, account active."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(select(SignInLink).where(SignInLink.token_hash == _token_hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= now_utc():
        return None
    return link if link.user.active else None


def use_sign_in_link(link: SignInLink, password: str) -> User:
    """Set the account's first password and spend the link. Raises ``WeakPassword``, or
    ``LinkSpent`` when another request spent it first (the link works once, even for two
    taps at once)."""
    user = link.user
    require_acceptable(password, user.username)
    spent = db.session.execute(
        update(SignInLink)
        .where(SignInLink.id == link.id, SignInLink.used_at.is_(None))
        .values(used_at=now_utc())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkSpent()
    user.set_password(password)
    end_sessions(user)
    record(user, "user.first_password", user)
    return user


class LinkSpent(Exception):
    """The sign-in link was used by another request a moment ago."""
