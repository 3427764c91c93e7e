"""Fixtures in the shape of Flask's tutorial: ``app``, ``client``, ``runner``, ``auth``.

Every test that uses ``app`` runs on SQLite and, when ``WARDAPP_TEST_POSTGRES_URL`` names a
server, on PostgreSQL too (each test in a schema of its own, dropped afterwards). What the
fixtures are made with is in ``support/``.
"""

import os

import pytest

from support.app import BACKENDS, POSTGRES_URL, database_settings, make_app
from support.client import AuthActions
from support.s3 import CREDENTIALS, S3Server
from support.security import two_meetings_world
from support.stores import S3_GRACE_SECONDS
from wardapp.extensions import db
from wardapp.media.storage import LocalStorage

# Tests marked ``both_stores`` run on the local folder and on an S3 bucket; the bucket half
# on SQLite only (its database is no different from the local folder's).
STORE_CASES = [("sqlite", "local"), ("postgresql", "local"), ("sqlite", "s3")]


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc):
    """As a parametrize mark, so the ``backend`` fixture's own parameters give way to it."""
    chosen = {
        name
        for mark in metafunc.definition.iter_markers("parametrize")
        for name in (mark.args[0].split(",") if isinstance(mark.args[0], str) else mark.args[0])
    }
    if (
        metafunc.definition.get_closest_marker("both_stores")
        and "backend" in metafunc.fixturenames
        and not {"backend", "store_kind"} & {n.strip() for n in chosen}
    ):
        metafunc.definition.add_marker(
            pytest.mark.parametrize(
                ["backend", "store_kind"], STORE_CASES, ids=[f"{b}-{s}" for b, s in STORE_CASES]
            )
        )


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
def store_kind():
    """Where the app keeps files: the local folder unless the test is marked ``both_stores``."""
    return "local"


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on loopback for the whole session, with the credentials in the
    environment the way boto3 finds them."""
    saved = {k: os.environ.get(k) for k in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    server = S3Server()
    yield server
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(params=["local", "s3"])
def any_store(request, tmp_path):
    """A store of each kind, empty."""
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return request.getfixturevalue("s3_server").store()


@pytest.fixture
def app(backend, store_kind, tmp_path, request):
    """An app on an empty, freshly created schema; ``@pytest.mark.app_config(...)`` adds
    settings."""
    marker = request.node.get_closest_marker("app_config")
    extra = marker.kwargs if marker else {}
    if store_kind == "s3":
        s3 = request.getfixturevalue("s3_server")
        extra = {**s3.settings(), "FSCK_GRACE_SECONDS": S3_GRACE_SECONDS, **extra}
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
