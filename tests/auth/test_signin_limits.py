"""Sign-in limits through Flask-Limiter, in memory and in Redis; password rules; the audit of
every admin action."""

import base64
import io

import pytest
import redis
from sqlalchemy import select

from support.app import REDIS_URL, make_app
from support.client import AuthActions
from support.plans import good_plan_csv
from wardapp import demo
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit

SQLITE = pytest.mark.parametrize("backend", ["sqlite"])


def post_login(client, password="wardapp-demo", username="vhtt", **request):
    return AuthActions(client).login(username, password, **request)


@SQLITE
@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_sign_in_attempts_past_the_per_address_cap_get_429_in_vietnamese(seeded, client):
    assert [
        post_login(client, f"sai-mat-khau-{i}", username=f"u{i}").status_code for i in range(3)
    ] == [401, 401, 401]
    capped = post_login(client)  # the right password, but one attempt too many
    assert capped.status_code == 429
    assert "Bạn thao tác quá nhanh, vui lòng thử lại sau." in capped.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
    assert client.get("/login").status_code == 200  # reading the page is not an attempt


@SQLITE
@pytest.mark.app_config(LOGIN_RATE_LIMIT="2 per minute", PROXY_FIX=1)
def test_behind_a_proxy_the_cap_counts_each_officers_own_address(seeded, client):
    ward = {"X-Forwarded-For": "113.160.1.7"}
    for _ in range(2):
        post_login(client, "sai-mat-khau", username="nobody", headers=ward)
    assert post_login(client, headers=ward).status_code == 429
    other = {"X-Forwarded-For": "14.232.9.9"}
    assert post_login(client, headers=other).status_code == 302


def process(tmp_path, prefix: str, **config):
    """One app process of an installation whose processes share a database and a Redis."""
    return make_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}"},
        tmp_path,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        **config,
    )


def test_failures_counted_in_redis_hold_the_account_in_every_app_process(tmp_path, redis_prefix):
    first = process(tmp_path, redis_prefix)
    with first.app_context():
        db.create_all()
        demo.seed(with_evidence=False)
        db.session.commit()
    guesser = first.test_client()
    statuses = [post_login(guesser, f"doan-mat-khau-{i}").status_code for i in range(3)]
    assert statuses == [401, 401, 401]
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*")]
    assert any("login-fail:user:vhtt" in k for k in keys)
    # A second process, with storage of its own, starts after the failures: it sees them.
    second = process(tmp_path, redis_prefix)
    refused = post_login(second.test_client())
    assert refused.status_code == 429
    assert "Vui lòng thử lại sau" in refused.get_data(as_text=True)


def test_in_redis_a_name_typed_another_way_counts_against_the_same_account(tmp_path, redis_prefix):
    from wardapp.auth.models import LoginCounter

    app = process(tmp_path, redis_prefix)
    with app.app_context():
        db.create_all()
        demo.seed(with_evidence=False)
        db.session.commit()
    client = app.test_client()
    for typed in ("vhtt", " VHTT ", "Vhtt\t"):
        assert post_login(client, "doan-mat-khau", username=typed).status_code == 401
    assert post_login(client, username=" vhtt").status_code == 429
    with app.app_context():  # counted in Redis, not in the database
        assert db.session.scalars(select(LoginCounter)).all() == []


def test_the_per_address_cap_is_shared_through_redis_too(tmp_path, redis_prefix):
    first = process(tmp_path, redis_prefix, LOGIN_RATE_LIMIT="2 per minute")
    with first.app_context():
        db.create_all()
        demo.seed(with_evidence=False)
        db.session.commit()
    for i in range(2):
        post_login(first.test_client(), "sai", username=f"nobody{i}")
    second = process(tmp_path, redis_prefix, LOGIN_RATE_LIMIT="2 per minute")
    assert post_login(second.test_client()).status_code == 429


@SQLITE
@pytest.mark.parametrize("password", ["ngan-1", "1234567890123", "matkhaudaichi", "MATKHAUDAICHI"])
def test_a_password_that_breaks_the_rules_is_refused_and_the_old_one_kept(
    seeded, auth, client, password
):
    auth.login("admin")
    with seeded.app_context():
        target = db.session.scalar(select(User).where(User.username == "song-mai")).id
    response = client.post(
        f"/admin/users/{target}/password", data={"csrf_token": auth.token(), "password": password}
    )
    assert response.status_code == 422
    with seeded.app_context():
        assert db.session.get(User, target).check_password("wardapp-demo")


def admin_actions(app) -> dict[str, tuple[str, dict, str]]:
    """Every state-changing route an admin may use (sign-in, sign-out and the language switch
    aside): URL, a valid form, and the audit action it must leave."""
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "song-mai"))
        unit_id, user_id = officer.unit_id, officer.id
        task = db.session.scalar(select(Task).where(Task.number == 6))
        plan_id, task_id = task.plan_id, task.id
        other_unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "dinh-tri"))
        first_task_id = db.session.scalar(select(Task.id).where(Task.number == 1))
        from wardapp.places.models import Place

        place = Place(unit_id=unit_id, name="Cổng chào", kind="panel", street="", active=True)
        db.session.add(place)
        db.session.commit()
        place_id = place.id
    plan_file = good_plan_csv()
    accounts_file = (
        "Tên đăng nhập,Họ và tên,Vai trò,Mã đơn vị\nsm-lan,Lan,cán bộ,song-mai\n".encode()
    )
    return {
        "auth.user_new": (
            "/admin/users/new",
            {
                "username": "lan.nguyen",
                "display_name": "Nguyễn Thị Lan",
                "role": "officer",
                "unit_id": unit_id,
                "password": "hoa-sen-2024",
                "active": "y",
            },
            "user.create",
        ),
        "auth.user_edit": (
            f"/admin/users/{user_id}",
            {
                "display_name": "Cán bộ Song Mai (mới)",
                "role": "officer",
                "unit_id": unit_id,
                "active": "y",
            },
            "user.update",
        ),
        "auth.user_password": (
            f"/admin/users/{user_id}/password",
            {"password": "mat-khau-moi-99"},
            "user.password_reset",
        ),
        # Before the account import, which issues links of its own.
        "auth.user_sign_in_link": (
            f"/admin/users/{user_id}/sign-in-link",
            {},
            "user.sign_in_link",
        ),
        "plans.plan_import": (
            "/plans/import",
            {
                "year": "2025",
                "city": "Bắc Giang",
                "title": "",
                "file": (io.BytesIO(plan_file), "ke-hoach-2025.csv"),
            },
            "plan.import",
        ),
        "compliance.save_task_rule": (
            f"/compliance/plans/{plan_id}/tasks/{task_id}/rules",
            {
                f"t{task_id}-csrf_token": None,
                f"t{task_id}-min_count": "4",
                f"t{task_id}-period": "quarter",
            },
            "task.rule_settings",
        ),
        "compliance.start_export": (
            "/compliance/exports",
            {"plan": plan_id, "quarter": "1"},
            "compliance.export",
        ),
        "organisation.unit_new": (
            "/admin/units/new",
            {"name": "Xã Mới", "kind": "commune", "active": "y"},
            "unit.create",
        ),
        "organisation.unit_edit": (
            f"/admin/units/{unit_id}",
            {"name": "Xã Song Mai mới", "short_name": "", "kind": "commune", "active": "y"},
            "unit.update",
        ),
        "organisation.unit_merge": (
            "/admin/units/merge",
            {"source_ids": str(other_unit_id), "into_id": str(unit_id), "on": "2024-07-01"},
            "unit.merge",
        ),
        "organisation.unit_import": (
            "/admin/units/import",
            {"file": (io.BytesIO("Tên đơn vị\nXã Thêm Mới\n".encode()), "don-vi.csv")},
            "unit.import",
        ),
        "organisation.account_import_confirm": (
            "/admin/users/import/confirm",
            {"content": base64.b64encode(accounts_file).decode(), "filename": "can-bo.csv"},
            "user.import",
        ),
        "plans.plan_copy": (
            f"/plans/{plan_id}/copy",
            {"year": "2026", "number": "12/KH-UBND", "decision_date": "2026-01-15"},
            "plan.copy",
        ),
        "places.place_new": (
            "/places/new",
            {"unit_id": str(unit_id), "name": "Nhà văn hóa", "kind": "notice_board", "active": "y"},
            "place.create",
        ),
        "places.place_edit": (
            f"/places/{place_id}/edit",
            {"unit_id": str(unit_id), "name": "Cổng chào mới", "kind": "panel", "active": "y"},
            "place.update",
        ),
        "organisation.task_edit": (
            f"/plans/{plan_id}/tasks/{task_id}/edit",
            {
                "text": "Nhiệm vụ số 6, sửa",
                "kinds": "site_photo",
                "lead_ids": str(unit_id),
                "rule": "per_period",
            },
            "task.update",
        ),
        "organisation.task_new": (
            f"/plans/{plan_id}/tasks/new",
            {
                "text": "Nhiệm vụ mới",
                "kinds": "meeting",
                "lead_ids": str(unit_id),
                "rule": "weekly",
            },
            "task.create",
        ),
        "organisation.task_retire": (
            f"/plans/{plan_id}/tasks/{task_id}/retire",
            {"retired": "1"},
            "task.retire",
        ),
        "organisation.task_delete": (
            f"/plans/{plan_id}/tasks/{first_task_id}/delete",
            {},
            "task.delete",
        ),
        "auth.user_two_factor_reset": (
            f"/admin/users/{user_id}/two-factor/reset",
            {},
            "user.mfa_reset",
        ),
        "auth.account_preferences": (
            "/account/preferences",
            {"language": "vi", "email": "admin@example.vn"},
            "user.preferences",
        ),
        "auth.account_sessions": ("/account/sessions", {}, "user.sessions_end"),
        "auth.account_password": (
            "/account/password",
            {
                "old_password": "wardapp-demo",
                "password": "hoa-sen-moi-2025",
                "confirm": "hoa-sen-moi-2025",
            },
            "user.password_change",
        ),
    }


# Admin POST routes that change nothing of the admin's doing or cannot be posted blind: the
# steps of a sign-in (public), the import's preview (it makes nothing), and the pages that need
# an enrolled second factor, whose audit rows auth/test_two_factor.py checks.
# Actions whose answer shows a secret once (a new sign-in link): a page, not a redirect.
SHOWN_ONCE = {"auth.user_sign_in_link"}

NOT_ADMIN_ACTIONS = {
    "auth.login",
    "auth.logout",
    "core.set_language",
    "auth.welcome",
    "auth.login_code",
    "auth.login_enrol",
    "organisation.account_import",
    "auth.account_two_factor",
    "auth.account_recovery_codes",
    "auth.account_two_factor_off",
    # Marking one's own notifications read is nobody else's business.
    "notifications.read_all",
    "notifications.api_read",
    "notifications.api_push_subscriptions",
}


@SQLITE
def test_every_admin_action_leaves_an_audit_event_naming_the_admin(seeded, auth, client):
    from support.access import ADMIN, EXPECTED

    actions = admin_actions(seeded)
    state_changing = {
        rule.endpoint
        for rule in seeded.url_map.iter_rules()
        if "POST" in rule.methods and ADMIN in EXPECTED.get(rule.endpoint, ("", ()))[1]
    }
    state_changing -= NOT_ADMIN_ACTIONS
    assert state_changing - actions.keys() == set(), "an admin action this test does not know"
    auth.login("admin")
    with seeded.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    unaudited = []
    for endpoint, (url, form, action) in actions.items():
        token = auth.token()
        form = {k: token if v is None else v for k, v in {**form, "csrf_token": None}.items()}
        response = client.post(url, data=form, content_type="multipart/form-data")
        with seeded.app_context():
            events = db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == action, AuditEvent.actor_id == admin_id
                )
            ).all()
        answered = (200,) if endpoint in SHOWN_ONCE else (302, 303)
        if response.status_code not in answered or len(events) != 1:
            unaudited.append((endpoint, response.status_code, len(events)))
    assert unaudited == []
