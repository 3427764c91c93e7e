"""Who may reach what: every registered route, for anonymous and every role.

The table below is the decision. A route added to the app without a line here fails
``test_every_route_has_an_access_decision``; a view whose guard disagrees with its line fails
``test_each_role_reaches_exactly_its_routes``.
"""

import re

import pytest
from evidencekit import Officer
from sqlalchemy import select

from wardapp.auth.models import User
from wardapp.core.roles import ADMINS, DECIDERS, OFFICERS, READERS, RULE_EDITORS, SIGNED_IN, Role
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task

ANON = "anonymous"
OFFICER, REVIEWER, OVERSEER, ADMIN = Role.OFFICER, Role.REVIEWER, Role.OVERSEER, Role.ADMIN
EVERYONE = SIGNED_IN | {ANON}

# endpoint: (method, who may reach it)
EXPECTED = {
    "auth.login": ("GET", EVERYONE),
    "core.healthz": ("GET", EVERYONE),
    "core.set_language": ("POST", EVERYONE),
    "core.home": ("GET", SIGNED_IN),
    "plans.plan_detail": ("GET", SIGNED_IN),
    "plans.plan_list": ("GET", READERS),
    "plans.plan_import": ("GET", ADMINS),
    "auth.users": ("GET", ADMINS),
    "auth.user_new": ("GET", ADMINS),
    "auth.user_edit": ("GET", ADMINS),
    "auth.user_password": ("POST", ADMINS),
    "evidence.api_tasks": ("GET", SIGNED_IN),
    "evidence.api_evidence_list": ("GET", SIGNED_IN),
    "evidence.api_evidence": ("GET", SIGNED_IN),
    "evidence.api_submit": ("POST", OFFICERS),
    "evidence.capture": ("GET", OFFICERS),
    "evidence.mine": ("GET", OFFICERS),
    "evidence.detail": ("GET", SIGNED_IN),
    "evidence.media_file": ("GET", SIGNED_IN),
    "offline.outbox": ("GET", OFFICERS),
    "offline.service_worker": ("GET", EVERYONE),
    "offline.manifest": ("GET", EVERYONE),
    "offline.api_session": ("GET", SIGNED_IN),
    "review.queue_page": ("GET", READERS),
    "review.gallery": ("GET", READERS),
    "review.bulk": ("GET", DECIDERS),
    "review.approve": ("POST", DECIDERS),
    "review.return_evidence": ("POST", DECIDERS),
    "compliance.dashboard": ("GET", READERS),
    "compliance.cell": ("GET", SIGNED_IN),
    "compliance.unit_page": ("GET", SIGNED_IN),
    "compliance.rule_settings": ("GET", RULE_EDITORS),
    "compliance.save_task_rule": ("POST", RULE_EDITORS),
    "compliance.export_xlsx": ("GET", READERS),
    "compliance.export_csv": ("GET", READERS),
    "compliance.export_docx": ("GET", READERS),
    "compliance.export_zip": ("GET", READERS),
    "compliance.start_export": ("POST", READERS),
    "compliance.export_job": ("GET", READERS),
    "compliance.export_job_file": ("GET", READERS),
    "auth.logout": ("POST", SIGNED_IN),  # last: it ends the session
}

ACCOUNTS = {OFFICER: "tho-xuong", REVIEWER: "vhtt", OVERSEER: "noivu", ADMIN: "admin"}


def url_args(app) -> dict:
    """Real objects for every URL argument: a ward's evidence with a photo, task 6, …"""
    Officer(app, "tho-xuong").site_photo()
    with app.app_context():
        evidence = db.session.scalars(select(Evidence)).one()
        return {
            "user_id": db.session.scalar(select(User.id).where(User.username == "tho-xuong")),
            "plan_id": db.session.scalar(select(Plan.id)),
            "code": "vi",
            "task_id": db.session.scalar(select(Task.id).where(Task.number == 6)),
            "evidence_id": evidence.id,
            "media_id": evidence.media[0].id,
            "variant": "thumb",
            "job_id": "no-such-export-job",
        }


def test_every_route_has_an_access_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - EXPECTED.keys() == set(), "routes without a decision in EXPECTED"
    assert EXPECTED.keys() - endpoints == set(), "EXPECTED names routes that no longer exist"


def reached(response) -> bool:
    if response.status_code in (401, 403):
        return False
    return not (
        response.status_code in (301, 302, 303)
        and "/login?next=" in response.headers.get("Location", "")
    )


@pytest.mark.parametrize("role", [ANON, OFFICER, REVIEWER, OVERSEER, ADMIN])
def test_each_role_reaches_exactly_its_routes(seeded, role, auth, client):
    args = url_args(seeded)
    if role != ANON:
        assert auth.login(ACCOUNTS[role]).status_code == 302
    with seeded.test_request_context():
        from flask import url_for

        urls = {}
        for rule in seeded.url_map.iter_rules():
            if rule.endpoint in EXPECTED:
                urls[rule.endpoint] = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
    wrong = []
    for endpoint, (method, allowed) in EXPECTED.items():
        if method == "GET":
            response = client.get(urls[endpoint])
        else:
            response = client.post(urls[endpoint], data={"csrf_token": auth.token()})
        if reached(response) != (role in allowed):
            wrong.append((endpoint, response.status_code))
    assert wrong == [], f"{role} reaches or is refused wrongly"


def test_a_refused_api_call_gets_json_not_a_login_page(client):
    response = client.get("/api/v1/anything", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.is_json and response.json["error"]


@pytest.mark.parametrize("role", [OFFICER, REVIEWER, OVERSEER, ADMIN])
def test_the_menu_offers_each_role_only_pages_its_views_open(seeded, role, auth, client):
    """The menu and the guards read one table: every entry opens, for the role that sees it."""
    assert auth.login(ACCOUNTS[role]).status_code == 302
    home = client.get("/").get_data(as_text=True)
    nav = home[home.index('<nav class="nav"') : home.index("</nav>")]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links, "no menu"
    for link in links:
        assert reached(client.get(link)), f"{role} is offered {link} and refused it"
