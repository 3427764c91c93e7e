"""/account: an officer changes their own password (the old one asked), ends their other
sessions, chooses the language and the e-mail address digests go to."""

from sqlalchemy import select

from support.client import PASSWORD, AuthActions, csrf_token
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.extensions import db

NEW = "hoa-sen-nam-2025"


def sign_in(app, username="tho-xuong", password=PASSWORD, *, remember=False):
    client = app.test_client()
    assert AuthActions(client).login(username, password, remember=remember).status_code == 302
    return client


def signed_in(client) -> bool:
    return client.get("/api/v1/tasks").status_code == 200


def change(client, old, new, confirm=None):
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "old_password": old,
            "password": new,
            "confirm": new if confirm is None else confirm,
        },
    )


def actions(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_account_page_is_every_signed_in_persons(seeded):
    for username in ("tho-xuong", "vhtt", "noivu", "admin"):
        page = sign_in(seeded, username).get("/account")
        assert page.status_code == 200
        assert "Đổi mật khẩu" in page.get_data(as_text=True)
    assert seeded.test_client().get("/account").status_code == 302


def test_a_password_change_asks_the_old_password_and_changes_nothing_without_it(seeded):
    here = sign_in(seeded)
    response = change(here, "not-the-password-1", NEW)
    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    assert AuthActions(seeded.test_client()).login("tho-xuong", NEW).status_code == 401
    assert signed_in(here)
    assert len(actions(seeded, "user.password_change_failed")) == 1  # kept despite the 422


def test_a_password_change_keeps_the_policy_and_the_confirmation(seeded):
    here = sign_in(seeded)
    weak = change(here, PASSWORD, "1234567890")
    assert weak.status_code == 422 and "cả chữ và số" in weak.get_data(as_text=True)
    mismatch = change(here, PASSWORD, NEW, confirm=NEW + "x")
    assert mismatch.status_code == 422
    assert "không giống nhau" in mismatch.get_data(as_text=True)
    assert AuthActions(seeded.test_client()).login("tho-xuong").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(seeded):
    here = sign_in(seeded)
    phone = sign_in(seeded, remember=True)
    response = change(here, PASSWORD, NEW)
    assert response.status_code == 303
    assert signed_in(here)
    assert not signed_in(phone)
    assert AuthActions(seeded.test_client()).login("tho-xuong").status_code == 401
    assert AuthActions(seeded.test_client()).login("tho-xuong", NEW).status_code == 302
    assert len(actions(seeded, "user.password_change")) == 1


def test_wrong_old_passwords_are_throttled_like_sign_ins(seeded):
    here = sign_in(seeded)
    limit = seeded.config["LOGIN_FAILURES_BEFORE_DELAY"]
    for _ in range(limit + 1):
        change(here, "not-the-password-1", NEW)
    answer = change(here, PASSWORD, NEW)  # even the right one waits now
    assert answer.status_code == 422 and "thử lại sau" in answer.get_data(as_text=True)
    assert AuthActions(seeded.test_client()).login("tho-xuong", NEW).status_code in (401, 429)


def test_signing_out_the_other_sessions(seeded):
    here = sign_in(seeded, "vhtt")
    laptop = sign_in(seeded, "vhtt", remember=True)
    response = here.post("/account/sessions", data={"csrf_token": csrf_token(here, "/account")})
    assert response.status_code == 303
    assert signed_in(here) and not signed_in(laptop)
    assert len(actions(seeded, "user.sessions_end")) == 1
    assert here.post("/account/sessions", data={}).status_code == 400  # no CSRF token


def test_language_and_email_are_kept_and_the_language_follows_the_next_sign_in(seeded):
    here = sign_in(seeded)
    response = here.post(
        "/account/preferences",
        data={
            "csrf_token": csrf_token(here, "/account"),
            "language": "en",
            "email": " Tho.Xuong@Example.VN ",
        },
    )
    assert response.status_code == 303
    with seeded.app_context():
        user = db.session.scalar(select(User).where(User.username == "tho-xuong"))
        assert (user.language, user.email) == ("en", "tho.xuong@example.vn")
    assert 'lang="en"' in here.get("/account").get_data(as_text=True)
    elsewhere = sign_in(seeded)
    assert 'lang="en"' in elsewhere.get("/").get_data(as_text=True)
    [event] = actions(seeded, "user.preferences")
    assert event.details["before"] == {"language": None, "email": None}


def test_a_bad_email_is_refused_and_nothing_changes(seeded):
    here = sign_in(seeded)
    response = here.post(
        "/account/preferences",
        data={"csrf_token": csrf_token(here, "/account"), "language": "", "email": "not an email"},
    )
    assert response.status_code == 422
    assert "không hợp lệ" in response.get_data(as_text=True)
    with seeded.app_context():
        user = db.session.scalar(select(User).where(User.username == "tho-xuong"))
        assert user.email is None
