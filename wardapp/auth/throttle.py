"""Sign-in throttling: an account that keeps failing waits, then is locked; an address that
keeps failing is only slowed down.

An account is counted under its canonical name (the one sign-in looks up), so " Tan-Tien "
and tan-tien share one counter. After ``LOGIN_FAILURES_BEFORE_DELAY`` failures each one more
earns a wait (2, 4, 8 … seconds: slow for a guesser, nothing for a person who mistyped), and
``LOGIN_FAILURES_BEFORE_LOCK`` locks the account for ``LOGIN_LOCK_SECONDS``.

An address is never locked: a mobile operator's NAT puts a whole ward behind one address, and
one guesser there must not keep every officer out. After
``LOGIN_ADDRESS_FAILURES_BEFORE_DELAY`` failures each one more earns a wait that grows the
same way but stops at ``LOGIN_ADDRESS_MAX_WAIT_SECONDS``: a guesser behind that address gets a
couple of tries a minute, an officer waits at most that long and is then let in.
"""

from dataclasses import dataclass

from flask import current_app

from wardapp.auth.counters import counters
from wardapp.auth.models import canonical_username


@dataclass
class Verdict:
    allowed: bool
    wait_seconds: int = 0


def account_key(username: str) -> str:
    return f"login-fail:user:{canonical_username(username)}"


def address_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def check(username: str, address: str) -> Verdict:
    """May this sign-in be tried now? Refused while a wait or a lock is running."""
    wait = counters().wait_seconds([account_key(username), address_key(address)])
    return Verdict(allowed=wait == 0, wait_seconds=wait)


def record_failure(username: str, address: str) -> bool:
    """Count a failed sign-in against the account name and the address; True if it was the
    failure that locked the account."""
    config = current_app.config
    store, window = counters(), config["LOGIN_LOCK_SECONDS"]
    failures = store.add_failure(account_key(username), window, _account_delay)
    store.add_failure(address_key(address), window, _address_delay)
    return failures == config["LOGIN_FAILURES_BEFORE_LOCK"]


def record_success(username: str, address: str) -> None:
    """The account starts afresh; the address keeps its count (one success behind a NAT says
    nothing of the other people there)."""
    counters().clear(account_key(username))


def _account_delay(failures: int) -> int:
    config = current_app.config
    if failures >= config["LOGIN_FAILURES_BEFORE_LOCK"]:
        return config["LOGIN_LOCK_SECONDS"]
    return _growing(failures, config["LOGIN_FAILURES_BEFORE_DELAY"], config["LOGIN_LOCK_SECONDS"])


def _address_delay(failures: int) -> int:
    config = current_app.config
    return _growing(
        failures,
        config["LOGIN_ADDRESS_FAILURES_BEFORE_DELAY"],
        config["LOGIN_ADDRESS_MAX_WAIT_SECONDS"],
    )


def _growing(failures: int, free: int, cap: int) -> int:
    """0 before ``free`` failures, then 2, 4, 8 … seconds, never more than ``cap``."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free + 1, 30), cap)
