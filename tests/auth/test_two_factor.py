"""Two-factor sign-in: enrolment with a QR code, a TOTP code or a recovery code after the
password (each accepted once), required for the roles the setting names and not in demo mode,
throttled like passwords, reset by an admin on the record."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from support.client import AuthActions, csrf_token
from wardapp.audit.models import AuditEvent
from wardapp.extensions import db

REQUIRED = pytest.mark.app_config(MFA_REQUIRED_ROLES=["admin"])
SECRET = re.compile(r'<code class="secret">([A-Z2-7]+)</code>')
CODES = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def signed_in(client) -> bool:
    return client.get("/api/v1/tasks").status_code == 200


def password_step(client, username):
    response = AuthActions(client).login(username)
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def code_step(client, code, path="/login/code"):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "code": code})


def next_code(secret) -> str:
    """The code of the next time step: accepted (a phone's clock may run ahead), and not
    the one just used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enrol_at_sign_in(client, username="admin"):
    assert password_step(client, username) == "/login/enrol"
    page = client.get("/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code
    secret = SECRET.search(page)[1]
    wrong = code_step(
        client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111", "/login/enrol"
    )
    assert wrong.status_code == 422 and not signed_in(client)
    done = code_step(client, pyotp.TOTP(secret).now(), "/login/enrol")
    assert done.status_code == 200
    codes = CODES.findall(done.get_data(as_text=True))
    assert len(set(codes)) == 10
    return secret, codes


def events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@REQUIRED
def test_a_required_role_enrols_at_sign_in_then_signs_in_with_a_code(seeded):
    client = seeded.test_client()
    secret, _codes = enrol_at_sign_in(client)
    assert signed_in(client)
    AuthActions(client).logout()

    again = seeded.test_client()
    assert password_step(again, "admin") == "/login/code"
    assert not signed_in(again)
    reused = code_step(again, pyotp.TOTP(secret).now())  # the code enrolment just used
    assert reused.status_code == 401 and not signed_in(again)
    accepted = code_step(again, next_code(secret))
    assert accepted.status_code == 303 and signed_in(again)
    assert len(events(seeded, "login.mfa")) == 1 and len(events(seeded, "user.mfa_enrol")) == 1


@REQUIRED
def test_each_recovery_code_works_once(seeded):
    _secret, codes = enrol_at_sign_in(seeded.test_client())
    first = seeded.test_client()
    password_step(first, "admin")
    assert code_step(first, codes[0].upper().replace("-", " ")).status_code == 303
    assert signed_in(first)
    second = seeded.test_client()
    password_step(second, "admin")
    assert code_step(second, codes[0]).status_code == 401 and not signed_in(second)
    assert code_step(second, codes[1]).status_code == 303 and signed_in(second)
    page = second.get("/account/two-factor").get_data(as_text=True)
    assert "Còn 8 mã khôi phục" in page


@REQUIRED
def test_the_required_roles_cannot_skip_it(seeded):
    client = seeded.test_client()
    assert password_step(client, "admin") == "/login/enrol"
    for path in ("/", "/admin/users", "/account", "/login/code"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert client.get("/api/v1/tasks").status_code == 401
    # A reviewer, whose role does not require it, signs in with the password alone.
    reviewer = seeded.test_client()
    assert AuthActions(reviewer).login("vhtt").status_code == 302 and signed_in(reviewer)


def test_a_session_opened_before_the_rule_enrols_before_anything_else(seeded):
    client = seeded.test_client()
    assert AuthActions(client).login("admin").status_code == 302
    seeded.config["MFA_REQUIRED_ROLES"] = ["admin"]
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    assert client.get("/api/v1/tasks").status_code == 403
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = SECRET.search(page)[1]
    assert code_step(client, pyotp.TOTP(secret).now(), "/account/two-factor").status_code == 200
    assert client.get("/admin/users").status_code == 200


@pytest.mark.app_config(MFA_REQUIRED_ROLES=["admin"], DEMO=True)
def test_in_demo_mode_no_role_requires_it(seeded):
    client = seeded.test_client()
    assert AuthActions(client).login("admin").status_code == 302
    assert signed_in(client)


@REQUIRED
def test_wrong_codes_are_throttled_like_passwords_and_recorded(seeded):
    enrol_at_sign_in(seeded.test_client())
    client = seeded.test_client()
    password_step(client, "admin")
    limit = seeded.config["LOGIN_FAILURES_BEFORE_DELAY"]
    answers = [code_step(client, "12345").status_code for _ in range(limit + 1)]
    assert answers[:limit] == [401] * limit
    assert code_step(client, "123456").status_code == 429
    assert len(events(seeded, "login.mfa_failed")) >= limit
    assert not signed_in(client)


def test_an_officer_may_turn_it_on_and_an_admin_resets_it_on_the_record(seeded):
    officer = seeded.test_client()
    assert AuthActions(officer).login("tho-xuong").status_code == 302
    page = officer.get("/account/two-factor").get_data(as_text=True)
    secret = SECRET.search(page)[1]
    assert code_step(officer, pyotp.TOTP(secret).now(), "/account/two-factor").status_code == 200
    later = seeded.test_client()
    assert password_step(later, "tho-xuong") == "/login/code"

    admin = seeded.test_client()
    assert AuthActions(admin).login("admin").status_code == 302
    with seeded.app_context():
        from wardapp.auth.models import User

        officer_id = db.session.scalar(select(User.id).where(User.username == "tho-xuong"))
    reset = admin.post(
        f"/admin/users/{officer_id}/two-factor/reset", data={"csrf_token": csrf_token(admin, "/")}
    )
    assert reset.status_code == 303
    assert not signed_in(officer)  # every session of the account ended
    [event] = events(seeded, "user.mfa_reset")
    assert event.object_id == officer_id
    assert AuthActions(seeded.test_client()).login("tho-xuong").status_code == 302


def test_new_recovery_codes_and_turning_it_off_are_recorded(seeded):
    officer = seeded.test_client()
    assert AuthActions(officer).login("tho-xuong").status_code == 302
    secret = SECRET.search(officer.get("/account/two-factor").get_data(as_text=True))[1]
    first = code_step(officer, pyotp.TOTP(secret).now(), "/account/two-factor")
    old_codes = CODES.findall(first.get_data(as_text=True))
    token = csrf_token(officer, "/account/two-factor")
    fresh = officer.post("/account/two-factor/codes", data={"csrf_token": token})
    new_codes = CODES.findall(fresh.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert len(events(seeded, "user.mfa_codes")) == 1
    wrong = officer.post(
        "/account/two-factor/off", data={"csrf_token": token, "password": "not-it-at-all"}
    )
    assert wrong.status_code == 303 and not events(seeded, "user.mfa_off")
    off = officer.post(
        "/account/two-factor/off", data={"csrf_token": token, "password": "wardapp-demo"}
    )
    assert off.status_code == 303 and len(events(seeded, "user.mfa_off")) == 1
    assert signed_in(officer)
    assert AuthActions(seeded.test_client()).login("tho-xuong").status_code == 302


@REQUIRED
def test_a_required_role_cannot_turn_it_off(seeded):
    client = seeded.test_client()
    enrol_at_sign_in(client)
    token = csrf_token(client, "/account/two-factor")
    client.post("/account/two-factor/off", data={"csrf_token": token, "password": "wardapp-demo"})
    assert not events(seeded, "user.mfa_off")
    assert password_step(seeded.test_client(), "admin") == "/login/code"
