"""CSRF on every state-changing request: found from the URL map, refused with 400, and nothing
changes (no row, no file, no change to the session); the same requests with their token do
change something, so the check can fail."""

import io
import os

import pytest
from flask import url_for

from support.access import ACCOUNTS, EXPECTED
from support.client import AuthActions
from support.evidence import photo, task_id
from support.plans import good_plan_csv
from support.security import OTHER_UNIT, OWNER
from wardapp.extensions import db

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def requests_that_would_change_something(app, world) -> dict[str, tuple]:
    """For each state-changing route: who sends it, URL arguments and a body that, with a valid
    token, changes something a person would notice. Routes not listed get an empty body."""
    plan_file = good_plan_csv()
    site = {
        "client_uuid": "9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e",
        "kind": "site_photo",
        "task_id": str(task_id(app, 6)),
        "occurred_at": "2024-03-20T09:00",
        "place": "Đường Hùng Vương",
        "installed": "Pano",
        "quantity": "1",
        "photo": (photo(9), "anh.jpg"),
    }
    task6, unit = task_id(app, 6), world["unit_id"]
    waiting = {"evidence_id": world["waiting"]["id"]}
    return {
        "auth.login": (None, {}, {"username": "vhtt", "password": "wardapp-demo"}),
        "auth.logout": (OWNER, {}, {}),
        "core.set_language": (OWNER, {"code": "en"}, {"next": "/"}),
        "auth.user_new": (
            "admin",
            {},
            {
                "username": "lan.nguyen",
                "display_name": "Lan",
                "role": "officer",
                "unit_id": unit,
                "password": "hoa-sen-2024",
                "active": "y",
            },
        ),
        "auth.user_edit": (
            "admin",
            {},
            {"display_name": "Đổi tên", "role": "officer", "unit_id": unit, "active": ""},
        ),
        "auth.user_password": ("admin", {}, {"password": "mat-khau-moi-99"}),
        "plans.plan_import": (
            "admin",
            {},
            {"year": "2025", "city": "Bắc Giang", "file": (plan_file, "2025.csv")},
        ),
        "evidence.api_submit": (OTHER_UNIT, {}, site),
        "evidence.capture": (
            OTHER_UNIT,
            {"task_id": task6, "kind": "site_photo"},
            {**site, "client_uuid": "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5"},
        ),
        "review.approve": ("vhtt", waiting, {}),
        "review.return_evidence": ("vhtt", waiting, {"reason": "Ảnh không rõ"}),
        "review.bulk": ("vhtt", {}, {"confirm": "yes", "shown": str(world["waiting"]["id"])}),
        "compliance.save_task_rule": (
            "vhtt",
            {"task_id": task6},
            {f"t{task6}-min_count": "5", f"t{task6}-period": "quarter"},
        ),
    }


def with_files(body: dict) -> dict:
    """A fresh file object for each request: the test client reads and closes them."""
    return {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in body.items()}


def database_state(app) -> dict[str, list[str]]:
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(table.select()).all()))
            for table in db.metadata.sorted_tables
        }


def session_state(client) -> dict:
    """Who is signed in and the chosen language; not the token or Flask-Login's freshness."""
    with client.session_transaction() as session:
        return {k: v for k, v in session.items() if k not in ("csrf_token", "_fresh")}


@pytest.mark.parametrize("token", ["none", "another session's"])
def test_every_state_changing_route_refuses_a_request_without_its_csrf_token(world, seeded, token):
    known = requests_that_would_change_something(seeded, world)
    with seeded.test_request_context():
        rules = [
            (rule, method)
            for rule in seeded.url_map.iter_rules()
            for method in sorted(rule.methods & STATE_CHANGING)
        ]
    assert {rule.endpoint for rule, _ in rules} >= {"evidence.api_submit", "review.approve"}
    wrong = []
    for rule, method in rules:
        default_account = ACCOUNTS.get(sorted(EXPECTED[rule.endpoint][1])[0])
        account, args, body = known.get(rule.endpoint, (default_account, {}, {}))
        client = seeded.test_client()
        if account:
            assert AuthActions(client).login(account).status_code == 302
        elif token != "none":
            client.get("/login")  # a session of its own, for "another session's" token
        with seeded.test_request_context():
            url = url_for(
                rule.endpoint, **{**{a: world["args"][a] for a in rule.arguments}, **args}
            )
        form = with_files(body)
        headers = {}
        if token != "none":
            stolen = AuthActions(seeded.test_client()).token("/login")
            form["csrf_token"] = stolen
            headers["X-CSRFToken"] = stolen
        before = (database_state(seeded), session_state(client), media_listing(seeded))
        response = client.open(
            url, method=method, data=form, headers=headers, content_type="multipart/form-data"
        )
        after = (database_state(seeded), session_state(client), media_listing(seeded))
        if response.status_code != 400 or before != after:
            wrong.append((rule.endpoint, response.status_code, before == after))
    assert wrong == []


def media_listing(app) -> list[str]:
    root = app.config["MEDIA_DIR"]
    return sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_same_requests_with_their_token_do_change_something(world, seeded):
    """The check above can fail: with a valid token, each listed request changes state."""
    unchanged = []
    for endpoint, (account, args, body) in requests_that_would_change_something(
        seeded, world
    ).items():
        client = seeded.test_client()
        auth = AuthActions(client)
        if account:
            auth.login(account)
        rule = next(r for r in seeded.url_map.iter_rules() if r.endpoint == endpoint)
        with seeded.test_request_context():
            url = url_for(endpoint, **{**{a: world["args"][a] for a in rule.arguments}, **args})
        token = auth.token("/login" if account is None else "/")
        before = (database_state(seeded), session_state(client), media_listing(seeded))
        tokens = {"csrf_token": token, f"t{task_id(seeded, 6)}-csrf_token": token}
        client.post(
            url,
            data={**with_files(body), **tokens},
            headers={"X-CSRFToken": token},
            content_type="multipart/form-data",
        )
        if (database_state(seeded), session_state(client), media_listing(seeded)) == before:
            unchanged.append(endpoint)
    assert unchanged == []
