"""Fixtures for the operations tests: throw-away installations that gunicorn serves."""

import pytest

from support.servers import Instance


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """A throw-away installation on SQLite, one for each test module that asks."""
    return Instance(tmp_path_factory.mktemp("gunicorn")).set_up()


@pytest.fixture(scope="module")
def kill_instance(tmp_path_factory):
    """One throw-away installation on SQLite for the kill tests; each test starts gunicorn."""
    # A long lock timeout: the test holding the write lock decides when the request dies.
    return Instance(tmp_path_factory.mktemp("killed"), LOCK_TIMEOUT_MS=60_000).set_up()
