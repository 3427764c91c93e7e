"""Fixtures for the evidence tests."""

import pytest

from support.evidence import Officer


@pytest.fixture
def officer(seeded):
    """Thọ Xương's officer, signed in."""
    return Officer(seeded, "tho-xuong")
