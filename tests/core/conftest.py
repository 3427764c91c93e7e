"""Fixtures for the tests of what every page shares."""

import pytest

from support.walk import walked_routes


@pytest.fixture
def routes(seeded):
    """Every route, with the names its view reads and the roles that reach it."""
    return walked_routes(seeded)
