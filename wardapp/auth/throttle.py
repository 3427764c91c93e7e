"""Sign-in throttling: after a few failures an account or address must wait, then is locked.

Counters live in Flask-Limiter's storage (memory by default, Redis when configured), so
they are shared by every app process that shares that storage.
"""
import time
from dataclasses import dataclass

from flask import current_app

from wardapp.extensions import limiter


@dataclass
class Verdict:
    allowed: bool
    wait_seconds: int = 0


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    """The counters a sign-in touches, with the prefix of their settings.

    An address gets more room than an account: many officers reach the server from behind
    one mobile operator's NAT.
    """
    # Prefixed like Flask-Limiter's own keys, so installations sharing a Redis stay apart.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return [(f"{prefix}login-fail:user:{username.casefold()}", "LOGIN_"),
            (f"{prefix}login-fail:addr:{address}", "LOGIN_ADDRESS_")]


def check(username: str, address: str) -> Verdict:
    """May this sign-in be tried now? Refused while a wait or a lock is running."""
    storage = limiter.storage
    wait = 0
    for key, _prefix in _keys(username, address):
        if storage.get(key + ":wait") > 0:
            wait = max(wait, _remaining(key + ":wait"))
    return Verdict(allowed=wait == 0, wait_seconds=wait)


def record_failure(username: str, address: str) -> None:
    config = current_app.config
    storage = limiter.storage
    for key, prefix in _keys(username, address):
        failures = storage.incr(key, config["LOGIN_LOCK_SECONDS"])
        if failures >= config[prefix + "FAILURES_BEFORE_LOCK"]:
            delay = config["LOGIN_LOCK_SECONDS"]
        elif failures >= config[prefix + "FAILURES_BEFORE_DELAY"]:
            # 2, 4, 8 … seconds: slow for a guesser, nothing for a person who mistyped.
            delay = min(2 ** (failures - config[prefix + "FAILURES_BEFORE_DELAY"] + 1),
                        config["LOGIN_LOCK_SECONDS"])
        else:
            continue
        storage.clear(key + ":wait")
        storage.incr(key + ":wait", int(delay))


def record_success(username: str, address: str) -> None:
    key = _keys(username, address)[0][0]
    limiter.storage.clear(key)
    limiter.storage.clear(key + ":wait")


def _remaining(key: str) -> int:
    expiry = limiter.storage.get_expiry(key)
    return max(1, int(expiry - time.time() + 0.999))
