"""Signing in and out, throttling, locked accounts, CSRF and the admin's account pages."""

import pytest
from sqlalchemy import select

from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.extensions import db


def user(app, username) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_right_password_signs_in_and_shows_the_unit(seeded, auth, client):
    response = auth.login("tho-xuong")
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Phường Thọ Xương" in home.get_data(as_text=True)


def test_wrong_password_fails_with_a_message(seeded, auth, client):
    response = auth.login("tho-xuong", "not-the-password")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_message_as_a_wrong_password(seeded, auth):
    response = auth.login("nobody-here", "whatever-123")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(seeded, client):
    response = client.post("/login", data={"username": "admin", "password": "wardapp-demo"})
    assert response.status_code == 400
    assert "mã bảo mật" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_deactivated_account_cannot_sign_in(seeded, auth):
    with seeded.app_context():
        u = db.session.scalar(select(User).where(User.username == "song-mai"))
        u.active = False
        db.session.commit()
    response = auth.login("song-mai")
    assert response.status_code == 401
    assert "đã bị khóa" in response.get_data(as_text=True)


def test_deactivated_user_is_signed_out_on_the_next_request(seeded, auth, client):
    auth.login("song-mai")
    assert client.get("/").status_code == 200
    admin = seeded.test_client()
    from support.client import AuthActions

    admin_auth = AuthActions(admin)
    admin_auth.login("admin")
    target = user(seeded, "song-mai")
    response = admin.post(
        f"/admin/users/{target.id}",
        data={
            "csrf_token": admin_auth.token(),
            "display_name": target.display_name,
            "role": "officer",
            "unit_id": target.unit_id,
            "active": "",
        },
    )
    assert response.status_code == 302
    assert user(seeded, "song-mai").active is False
    after = client.get("/")
    assert after.status_code == 302 and "/login" in after.headers["Location"]


def test_repeated_failures_slow_down_then_lock_the_account(seeded, auth):
    statuses = [auth.login("vhtt", f"wrong-{i}").status_code for i in range(3)]
    assert statuses == [401, 401, 401]
    # The third failure starts a wait: even the right password is refused for now.
    refused = auth.login("vhtt")
    assert refused.status_code == 429
    assert "Vui lòng thử lại sau" in refused.get_data(as_text=True)


@pytest.mark.app_config(LOGIN_ADDRESS_FAILURES_BEFORE_DELAY=3)
def test_failures_from_one_address_against_many_accounts_are_throttled(seeded, auth):
    for name in ("tho-xuong", "song-mai", "da-mai"):
        auth.login(name, "wrong-password-1")
    assert auth.login("dinh-ke").status_code == 429


@pytest.mark.app_config(LOGIN_FAILURES_BEFORE_DELAY=100, LOGIN_FAILURES_BEFORE_LOCK=4)
def test_the_lock_holds_for_the_configured_time(seeded, auth):
    for i in range(4):
        auth.login("giamsat", f"wrong-{i}")
    refused = auth.login("giamsat")
    assert refused.status_code == 429
    assert "900 giây" in refused.get_data(as_text=True)


def test_sign_out_ends_the_session(seeded, auth, client):
    auth.login("vhtt")
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302


def test_admin_creates_an_officer_who_can_then_sign_in(seeded, auth, client):
    auth.login("admin")
    unit_id = user(seeded, "tho-xuong").unit_id
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": auth.token(),
            "username": "lan.nguyen",
            "display_name": "Nguyễn Thị Lan",
            "role": "officer",
            "unit_id": unit_id,
            "password": "hoa-sen-2024",
            "active": "y",
        },
    )
    assert response.status_code == 302
    created = user(seeded, "lan.nguyen")
    assert created.unit_id == unit_id and created.role == "officer"
    with seeded.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "user.create" in actions
    auth.logout()
    assert auth.login("lan.nguyen", "hoa-sen-2024").status_code == 302


def test_admin_form_explains_a_weak_password_and_an_officer_without_unit(seeded, auth, client):
    auth.login("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": auth.token(),
            "username": "weak",
            "display_name": "Weak",
            "role": "officer",
            "unit_id": 0,
            "password": "12345",
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Mật khẩu cần ít nhất 10 ký tự." in body
    assert "Cán bộ cần thuộc một đơn vị." in body
    assert user(seeded, "weak") is None


def test_password_reset_ends_the_users_sessions_and_sets_the_new_one(seeded, auth, client):
    officer = seeded.test_client()
    from support.client import AuthActions

    officer_auth = AuthActions(officer)
    officer_auth.login("da-mai")
    auth.login("admin")
    target = user(seeded, "da-mai")
    response = client.post(
        f"/admin/users/{target.id}/password",
        data={"csrf_token": auth.token(), "password": "mat-khau-moi-99"},
    )
    assert response.status_code == 302
    assert officer.get("/").status_code == 302
    assert officer_auth.login("da-mai").status_code == 401
    assert officer_auth.login("da-mai", "mat-khau-moi-99").status_code == 302


def test_state_changing_admin_request_without_csrf_is_refused(seeded, auth, client):
    auth.login("admin")
    target = user(seeded, "tho-xuong")
    response = client.post(f"/admin/users/{target.id}/password", data={"password": "x-123456789"})
    assert response.status_code == 400
    with seeded.app_context():
        assert db.session.get(User, target.id).check_password("wardapp-demo")
