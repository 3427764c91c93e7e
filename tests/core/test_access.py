"""Who may reach what: every registered route, for anonymous and every role.

The table in ``support/access.py`` is the decision. A route added to the app without a line
there fails ``test_every_route_has_an_access_decision``; a view whose guard disagrees with its
line fails ``test_each_role_reaches_exactly_its_routes``.
"""

import re

import pytest

from support.access import (
    ACCOUNTS,
    ADMIN,
    ANON,
    EXPECTED,
    OFFICER,
    OVERSEER,
    REVIEWER,
    reached,
    url_args,
)


def test_every_route_has_an_access_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - EXPECTED.keys() == set(), "routes without a decision in EXPECTED"
    assert EXPECTED.keys() - endpoints == set(), "EXPECTED names routes that no longer exist"


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
