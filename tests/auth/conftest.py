"""Fixtures for the sign-in and account tests."""

import secrets

import pytest
import redis

from support.app import REDIS_URL


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in Redis database 15, removed afterwards."""
    prefix = f"wardapp-test-{secrets.token_hex(4)}:"
    yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"*{prefix}*"):
        server.delete(key)
    server.close()
