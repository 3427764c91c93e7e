"""Fixtures in the shape of Flask's tutorial: ``app``, ``client``, ``runner``, ``auth``.

Every test that uses ``app`` runs on SQLite and, when ``WARDAPP_TEST_POSTGRES_URL`` names a
server, on PostgreSQL too (each test in a schema of its own, dropped afterwards). What the
fixtures are made with is in ``support/``.
"""

import os

import pytest

from support.app import BACKENDS, POSTGRES_URL, database_settings, make_app
from support.client import AuthActions
from support.security import two_meetings_world
from wardapp.extensions import db


def pytest_collection_modifyitems(config, items):
    """Without a PostgreSQL URL the PostgreSQL half is skipped (and CI, which has one, fails)."""
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="WARDAPP_TEST_POSTGRES_URL is not set")
    for item in items:
        if "[postgresql" in item.nodeid:
            item.add_marker(skip)


def pytest_sessionfinish(session, exitstatus):
    """With WARDAPP_TEST_NO_SKIP=1 (as in CI), a skipped test fails the run."""
    if os.environ.get("WARDAPP_TEST_NO_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"{skipped} test(s) skipped, and nothing may be skipped here", red=True)
        session.exitstatus = 1


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def app(backend, tmp_path, request):
    """An app on an empty, freshly created schema; ``@pytest.mark.app_config(...)`` adds
    settings."""
    marker = request.node.get_closest_marker("app_config")
    extra = marker.kwargs if marker else {}
    with database_settings(backend, tmp_path) as settings:
        app = make_app(settings, tmp_path, **extra)
        with app.app_context():
            db.create_all()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def bare_app(backend, tmp_path):
    """An app on an empty database with no tables at all (for migrations)."""
    with database_settings(backend, tmp_path) as settings:
        app = make_app(settings, tmp_path)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def seeded(app):
    """The shipped plan and the demo accounts (password ``wardapp-demo``), no evidence."""
    from wardapp import demo

    with app.app_context():
        demo.seed(with_evidence=False)
        db.session.commit()
    return app


@pytest.fixture
def world(seeded):
    """Two meetings of Thọ Xương with their attendance lists, one approved; a reviewer of Song
    Mai only; URL arguments for every route (``support.security``)."""
    return two_meetings_world(seeded)
