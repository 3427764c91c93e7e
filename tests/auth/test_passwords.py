"""One password policy, on the admin's pages and on the command line alike."""

import unicodedata

import pytest
from sqlalchemy import select

from wardapp.auth.models import User
from wardapp.auth.passwords import common_passwords, password_problem
from wardapp.demo import DEMO_PASSWORD
from wardapp.extensions import db

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])

REFUSED = {
    "ten spaces and a letter": ("          a", "ít nhất 10 ký tự"),
    "spaces around a short one": ("   abc12   ", "ít nhất 10 ký tự"),
    "only whitespace": ("\t" * 12, "ít nhất 10 ký tự"),
    "a common one": ("1qaz2wsx3edc", "quá phổ biến"),
    "a common one in capitals": ("Password123", "quá phổ biến"),
    "a common Vietnamese one": ("matkhau123", "quá phổ biến"),
    "another common Vietnamese one": ("123456789a", "quá phổ biến"),
    "a common one with spaces in it": ("mat khau 123", "quá phổ biến"),
    "the username": ("tho-xuong-2", "tên đăng nhập"),
    "the username inside it": ("Tho.Xuong@2024", "tên đăng nhập"),
}


@pytest.mark.parametrize("password,expected", REFUSED.values(), ids=REFUSED.keys())
def test_the_policy_refuses_weak_passwords_with_a_reason(password, expected):
    problem = password_problem(password, "tho-xuong")
    assert problem is not None and expected in str(problem)


@pytest.mark.parametrize(
    "password",
    [
        DEMO_PASSWORD,
        "hoa-sen-2024",
        "mat-khau-moi-99",
        "Cây đa giếng nước 1975",
        "vp-ubnd-bac-giang",
    ],
)
def test_the_policy_accepts_long_uncommon_passwords(password):
    assert password_problem(password, "tho-xuong") is None


def test_the_length_is_counted_in_the_characters_a_person_sees():
    decomposed = unicodedata.normalize("NFD", "Đổi mật-k9")  # ten letters, fourteen code points
    assert len(decomposed) > 10
    assert password_problem(decomposed[:-1]) is not None  # nine seen characters
    assert password_problem(decomposed) is None


def test_a_very_short_account_name_may_appear_inside_a_password():
    assert password_problem("xa1-huong-duong", "xa1") is None
    assert "tên đăng nhập" in str(password_problem("huong-duong-VHTT", "vhtt"))


def test_the_shipped_list_holds_hundreds_of_long_entries_and_not_the_demo_password():
    common = common_passwords()
    assert len(common) > 400
    assert all(len(p) >= 10 and p == p.casefold() for p in common)
    assert DEMO_PASSWORD not in common


@SQLITE
@pytest.mark.parametrize("password", ["          a", "matkhau123", "lan.nguyen", "LanNguyen2024"])
def test_the_admin_cannot_give_a_new_account_a_weak_password(seeded, auth, client, password):
    auth.login("admin")
    with seeded.app_context():
        unit_id = db.session.scalar(select(User.unit_id).where(User.username == "tho-xuong"))
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": auth.token(),
            "username": "lan.nguyen",
            "display_name": "Nguyễn Thị Lan",
            "role": "officer",
            "unit_id": unit_id,
            "password": password,
            "active": "y",
        },
    )
    assert response.status_code == 422
    with seeded.app_context():
        assert db.session.scalar(select(User).where(User.username == "lan.nguyen")) is None


@SQLITE
@pytest.mark.parametrize("password", ["          a", "iloveyou123", "song-mai-2024"])
def test_the_admin_cannot_reset_a_password_to_a_weak_one(seeded, auth, client, password):
    auth.login("admin")
    with seeded.app_context():
        target = db.session.scalar(select(User.id).where(User.username == "song-mai"))
    response = client.post(
        f"/admin/users/{target}/password", data={"csrf_token": auth.token(), "password": password}
    )
    assert response.status_code == 422
    with seeded.app_context():
        assert db.session.get(User, target).check_password(DEMO_PASSWORD)


@SQLITE
@pytest.mark.parametrize(
    "password,reason",
    [
        ("          a", "ít nhất 10 ký tự"),
        ("matkhau123", "quá phổ biến"),
        ("quantri-hai", "tên đăng nhập"),
        ("1234567890123", "cả chữ và số"),
    ],
)
def test_create_user_on_the_command_line_applies_the_same_policy(app, runner, password, reason):
    result = runner.invoke(
        args=["wardapp", "create-user", "quantri-hai", "--role", "admin", "--password", password]
    )
    assert result.exit_code != 0
    assert reason in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "quantri-hai")) is None


@SQLITE
def test_create_user_on_the_command_line_accepts_a_good_password(app, runner):
    result = runner.invoke(
        args=[
            "wardapp",
            "create-user",
            "quantri-hai",
            "--role",
            "admin",
            "--password",
            "hoa-sen-nam-2024",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "quantri-hai"))
        assert user.check_password("hoa-sen-nam-2024")


def test_a_password_typed_with_decomposed_accents_signs_in_as_the_same_password(seeded):
    from support.client import AuthActions
    from wardapp.auth import services

    with seeded.app_context():
        user = services.find_user("vhtt")
        services.reset_password(None, user, "Mật khẩu mới 2024")
        db.session.commit()
    typed = unicodedata.normalize("NFD", "Mật khẩu mới 2024")
    assert AuthActions(seeded.test_client()).login("vhtt", typed).status_code == 302
