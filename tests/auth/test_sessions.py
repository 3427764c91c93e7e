"""Sessions end where the officer expects them to: at sign-out, at a password change, at a
lock, on every copy of the cookie; "remember me" only when asked for, and not for long."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import select

from support.client import AuthActions, csrf_token
from wardapp.audit.models import AuditEvent
from wardapp.auth import services
from wardapp.auth.models import User
from wardapp.extensions import db


def sign_in(app, username: str = "tho-xuong", *, remember: bool = False):
    """A browser signed in through the login page, ticking "remember me" or not."""
    client = app.test_client()
    assert AuthActions(client).login(username, remember=remember).status_code == 302
    return client


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def browser_with(app, **cookies):
    """Another browser (a thief's, say) holding copies of these cookies and nothing else."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def still_signed_in(client) -> bool:
    return client.get("/api/v1/tasks").status_code == 200


def test_a_copied_session_cookie_stops_working_when_its_owner_signs_out(seeded):
    owner = sign_in(seeded)
    copied = cookie(owner, "session")
    assert still_signed_in(browser_with(seeded, session=copied))  # the copy works, for now
    assert AuthActions(owner).logout().status_code == 302
    thief = browser_with(seeded, session=copied)
    assert thief.get("/api/v1/tasks").status_code == 401
    page = thief.get("/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_a_copied_remember_me_cookie_stops_working_when_its_owner_signs_out(seeded):
    owner = sign_in(seeded, remember=True)
    copied = cookie(owner, "remember_token")
    assert copied and still_signed_in(browser_with(seeded, remember_token=copied))
    AuthActions(owner).logout()
    assert not still_signed_in(browser_with(seeded, remember_token=copied))
    assert not still_signed_in(owner)


def test_signing_out_is_recorded(seeded):
    owner = sign_in(seeded)
    AuthActions(owner).logout()
    with seeded.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "logout")).one()
        assert db.session.get(User, event.actor_id).username == "tho-xuong"


def test_remember_me_is_off_unless_ticked(seeded):
    page = seeded.test_client().get("/login").get_data(as_text=True)
    [box] = re.findall(r'<input[^>]*name="remember"[^>]*>', page)
    assert 'type="checkbox"' in box and "checked" not in box
    assert cookie(sign_in(seeded), "remember_token") is None
    assert cookie(sign_in(seeded, remember=True), "remember_token")


def test_a_remembered_sign_in_lasts_fourteen_days_not_a_year(seeded):
    response = AuthActions(seeded.test_client()).login("tho-xuong", remember=True)
    [header] = [
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    ]
    expires = parsedate_to_datetime(
        next(p for p in header.split("; ") if p.lower().startswith("expires=")).split("=", 1)[1]
    )
    lasts = expires - datetime.now(UTC)
    assert timedelta(days=13, hours=23) < lasts <= timedelta(days=14)
    assert "Giữ đăng nhập 14 ngày" in seeded.test_client().get("/login").get_data(as_text=True)


def test_changing_ones_own_password_keeps_this_session_and_ends_every_other(seeded):
    here = sign_in(seeded, "admin")
    laptop = sign_in(seeded, "admin", remember=True)
    copied_remember = cookie(laptop, "remember_token")
    with seeded.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    response = here.post(
        f"/admin/users/{admin_id}/password",
        data={"csrf_token": csrf_token(here, "/"), "password": "hoa-sen-nam-2024"},
    )
    assert response.status_code == 302
    assert still_signed_in(here)
    assert not still_signed_in(laptop)
    assert not still_signed_in(browser_with(seeded, remember_token=copied_remember))


def test_a_password_reset_by_the_admin_ends_the_users_remembered_sessions(seeded):
    officer = sign_in(seeded, "da-mai", remember=True)
    copied = cookie(officer, "remember_token")
    admin = sign_in(seeded, "admin")
    with seeded.app_context():
        target = db.session.scalar(select(User.id).where(User.username == "da-mai"))
    admin.post(
        f"/admin/users/{target}/password",
        data={"csrf_token": csrf_token(admin, "/"), "password": "mat-khau-moi-99"},
    )
    assert not still_signed_in(officer)
    assert not still_signed_in(browser_with(seeded, remember_token=copied))
    assert still_signed_in(admin)  # the admin's own session is not the one that changed


def test_ending_sessions_moves_the_generation_on_even_when_two_requests_do_it_at_once(seeded):
    from support.races import at_once

    with seeded.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "vhtt"))
        before = db.session.get(User, user_id).session_version

    def end():
        with seeded.app_context():
            services.end_sessions(db.session.get(User, user_id))
            db.session.commit()

    at_once(end, end, end, end)
    with seeded.app_context():
        assert db.session.get(User, user_id).session_version == before + 4
