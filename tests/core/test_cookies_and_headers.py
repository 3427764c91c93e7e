"""Cookies that scripts cannot read and that HTTPS keeps secret; headers on every answer.

Run on SQLite only: nothing here depends on the database.
"""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from support.client import AuthActions, csrf_token
from support.evidence import Officer
from wardapp.audit.models import AuditEvent
from wardapp.core.access import public
from wardapp.extensions import db

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def sign_in(client, **request):
    """Sign in as an officer with "remember me", the way the login page does."""
    return AuthActions(client).login("tho-xuong", remember=True, **request)


def cookies(response) -> dict[str, set[str]]:
    """Each cookie set by the answer, with its attributes in lower case."""
    return {
        header.split("=", 1)[0]: {part.strip().lower() for part in header.split(";")[1:]}
        for header in response.headers.getlist("Set-Cookie")
    }


def test_over_plain_http_the_session_cookie_is_httponly_and_lax_but_not_secure(seeded):
    response = sign_in(seeded.test_client())
    assert response.status_code == 302
    set_cookies = cookies(response)
    assert {"httponly", "samesite=lax"} <= set_cookies["session"]
    assert {"httponly", "samesite=lax"} <= set_cookies["remember_token"]
    assert "secure" not in set_cookies["session"] | set_cookies["remember_token"]


def test_over_https_the_session_and_remember_me_cookies_are_secure(seeded):
    response = sign_in(seeded.test_client(), base_url="https://wardapp.test")
    assert response.status_code == 302
    set_cookies = cookies(response)
    assert {"secure", "httponly", "samesite=lax"} <= set_cookies["session"]
    assert {"secure", "httponly", "samesite=lax"} <= set_cookies["remember_token"]


@pytest.mark.app_config(PROXY_FIX=1)
def test_behind_a_trusted_proxy_a_forwarded_https_request_gets_secure_cookies(seeded):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "113.160.1.7"}
    response = sign_in(seeded.test_client(), headers=forwarded)
    assert response.status_code == 302
    set_cookies = cookies(response)
    assert "secure" in set_cookies["session"] and "secure" in set_cookies["remember_token"]
    with seeded.app_context():  # and the officer's own address is recorded, not the proxy's
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).one()
        assert event.address == "113.160.1.7"


def test_without_a_trusted_proxy_a_forged_forwarded_proto_is_ignored(seeded):
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "113.160.1.7"}
    response = sign_in(seeded.test_client(), headers=forged)
    assert "secure" not in cookies(response)["session"]
    with seeded.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).one()
        assert event.address == "127.0.0.1"


@pytest.mark.app_config(SESSION_COOKIE_SECURE=True)
def test_behind_https_the_remember_me_cookie_is_as_secure_as_the_session_cookie(seeded):
    # The proxy ends TLS and PROXY_FIX is not set: the app sees plain HTTP, the setting knows.
    set_cookies = cookies(sign_in(seeded.test_client()))
    assert "secure" in set_cookies["session"]
    assert "secure" in set_cookies["remember_token"]


HSTS = "max-age=31536000; includeSubDomains"


def test_over_https_every_answer_tells_the_browser_to_keep_to_https(seeded):
    client = seeded.test_client()
    for path in ("/login", "/static/css/app.css", "/no/such/page"):
        response = client.get(path, base_url="https://wardapp.test")
        assert response.headers.get("Strict-Transport-Security") == HSTS, path


@pytest.mark.app_config(SESSION_COOKIE_SECURE=True)
def test_an_installation_served_over_https_sends_hsts_even_through_a_plain_proxy_hop(seeded):
    response = seeded.test_client().get("/login")
    assert response.headers.get("Strict-Transport-Security") == HSTS


def test_over_plain_http_no_hsts_is_sent(seeded):
    for path in ("/login", "/static/css/app.css"):
        assert "Strict-Transport-Security" not in seeded.test_client().get(path).headers


def boom():
    raise RuntimeError("a bug")


def database_gone():
    raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))


def answers(app) -> dict[str, object]:
    """One answer of every sort: pages, API, files, static, and each kind of error page."""
    app.add_url_rule("/_test/boom", "boom", public(boom))
    app.add_url_rule("/_test/database-gone", "database_gone", public(database_gone))
    officer = Officer(app, "tho-xuong")
    media = officer.site_photo().json["media"][0]
    anonymous = app.test_client()
    got = {
        "login page": anonymous.get("/login"),
        "home page": officer.client.get("/"),
        "API answer": officer.client.get("/api/v1/tasks"),
        "photo": officer.client.get(media["urls"]["display"]),
        "original file": officer.client.get(media["urls"]["original"]),
        "static file": anonymous.get("/static/css/app.css"),
        "service worker": anonymous.get("/sw.js"),
        "404 page": officer.client.get("/no/such/page"),
        "404 JSON": officer.client.get("/api/v1/evidence/999999"),
        "401 JSON": anonymous.get("/api/v1/tasks"),
        "403 page": officer.client.get("/admin/users"),
        "405 page": officer.client.get("/logout"),
        "400 CSRF": officer.client.post("/api/v1/evidence", data={}),
        "500 page": anonymous.get("/_test/boom"),
        "503 JSON": anonymous.get("/_test/database-gone", headers={"Accept": "application/json"}),
    }
    for _ in range(3):
        got["429 page"] = anonymous.post("/login", data={"csrf_token": csrf_token(anonymous)})
    return got


@pytest.mark.app_config(LOGIN_RATE_LIMIT="2 per minute")
def test_every_answer_carries_the_strict_policy_and_the_other_security_headers(seeded):
    got = answers(seeded)
    statuses = {name: r.status_code for name, r in got.items()}
    assert statuses["500 page"] == 500 and statuses["503 JSON"] == 503
    assert statuses["429 page"] == 429 and statuses["400 CSRF"] == 400
    missing = {}
    for name, response in got.items():
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict(
            (d.split(" ", 1) + [""])[:2] for d in (p.strip() for p in policy.split(";")) if d
        )
        problems = [
            directives.get("script-src") != "'self'",
            directives.get("frame-ancestors") != "'none'",
            "unsafe-inline" in directives.get("script-src", "") or "unsafe-eval" in policy,
            response.headers.get("X-Content-Type-Options") != "nosniff",
            response.headers.get("Referrer-Policy")
            not in ("same-origin", "no-referrer", "strict-origin-when-cross-origin"),
        ]
        if any(problems):
            missing[name] = problems
    assert missing == {}


def test_an_error_page_shows_no_stack_trace(seeded):
    seeded.add_url_rule("/_test/boom", "boom", public(boom))
    body = seeded.test_client().get("/_test/boom").get_data(as_text=True)
    assert "Đã có lỗi ở máy chủ" in body
    assert "Traceback" not in body and "RuntimeError" not in body and "a bug" not in body
