"""Two-factor sign-in: a TOTP app's code (pyotp) after the password, or one of ten one-time
recovery codes. Required for the roles in ``MFA_REQUIRED_ROLES`` (none in demo mode),
optional for everyone else; a wrong code is throttled and recorded like a wrong password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select, update

from wardapp.audit.services import record
from wardapp.auth import throttle
from wardapp.auth.models import RecoveryCode, User
from wardapp.auth.security_events import own_transaction, record_security_event
from wardapp.auth.services import end_sessions
from wardapp.db import now_utc
from wardapp.extensions import db

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
TOTP_DIGITS = re.compile(r"^[0-9]{6}$")


def required_for(user: User) -> bool:
    if current_app.config.get("DEMO"):
        return False
    return user.role in current_app.config["MFA_REQUIRED_ROLES"]


def enabled(user: User) -> bool:
    return bool(user.totp_secret)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=current_app.config["MFA_ISSUER"]
    )


def qr_data_uri(uri: str) -> str:
    """The enrolment QR code as an SVG ``data:`` URI (the page's CSP allows data: images)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _step_accepted(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step a TOTP code matches (this one or either neighbour, for a phone's clock
    half a minute off), if it is later than the last one accepted."""
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now, now - 1, now + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _hash(code: str) -> str:
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def confirm_enrolment(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor sign-in on with ``secret`` if ``code`` is its current code; the ten
    recovery codes to show once, or None for a wrong code."""
    typed = "".join(code.split())
    if not secret or not TOTP_DIGITS.fullmatch(typed):
        return None
    step = _step_accepted(secret, typed, None)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    codes = new_recovery_codes(user)
    record(user, "user.mfa_enrol", user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes (the old ones stop working), shown to the user once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def check_code(user: User, code: str, address: str) -> tuple[bool, int]:
    """The second step of a sign-in: (accepted, seconds to wait). A TOTP code is accepted
    once; a recovery code once, ever. Failures count against the account and the address
    with the password's counters, and are recorded where a 401 cannot roll them back."""
    verdict = throttle.check(user.username, address)
    if not verdict.allowed:
        return False, verdict.wait_seconds
    typed = "".join(code.split())
    accepted, how = False, "recovery_code"
    # Spent in a transaction of its own, committed at once: two requests with one code, one
    # wins; and the counters written next (their own transactions too) wait for no lock of
    # this request's.
    with own_transaction() as spend:
        if TOTP_DIGITS.fullmatch(typed) and user.totp_secret:
            how = "totp"
            step = _step_accepted(user.totp_secret, typed, user.totp_last_step)
            if step is not None:
                won = spend.execute(
                    update(User)
                    .where(User.id == user.id)
                    .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
                    .values(totp_last_step=step)
                )
                accepted = won.rowcount == 1  # type: ignore[attr-defined]
        elif typed:
            spent = spend.execute(
                update(RecoveryCode)
                .where(
                    RecoveryCode.user_id == user.id,
                    RecoveryCode.code_hash == _hash(typed),
                    RecoveryCode.used_at.is_(None),
                )
                .values(used_at=now_utc())
            )
            accepted = spent.rowcount == 1  # type: ignore[attr-defined]
    if not accepted:
        locked = throttle.record_failure(user.username, address)
        record_security_event(user, "login.mfa_failed", user)
        if locked:
            record_security_event(
                user, "login.locked", user, seconds=current_app.config["LOGIN_LOCK_SECONDS"]
            )
        return False, 0
    db.session.expire(user)
    throttle.record_success(user.username, address)
    record(user, "login.mfa", user, method=how)
    return True, 0


def turn_off(actor: User, user: User) -> None:
    """Two-factor sign-in off for ``user``: by the user (where their role allows it) or by an
    admin for a lost phone (audited as a reset). Every session of the account ends."""
    user.totp_secret, user.totp_last_step = None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user)
    record(actor, "user.mfa_reset" if actor.id != user.id else "user.mfa_off", user)
