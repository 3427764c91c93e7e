"""Where sign-in failures are counted: Redis when one is configured, else the database.

Either way every app process sees the same counts and a restart forgets none. (Flask-Limiter's
``memory://`` storage, the default, is neither: each gunicorn worker counted alone, from zero
after each restart, so a guesser had as many tries as there were workers and restarts.)

A counter holds the failures within a fixed window from the first one, and a wait: until it
ends, sign-in against that key is refused without looking at the password.
"""

import math
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import cast

from flask import current_app
from sqlalchemy import Table, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from wardapp.auth.models import COUNTER_KEY_LENGTH, LoginCounter
from wardapp.auth.security_events import own_transaction
from wardapp.db import now_utc
from wardapp.extensions import db, limiter

DelayFor = Callable[[int], int]  # failures so far -> seconds to wait (0: none)


class DatabaseCounters:
    """One row per key; each failure is one upsert, so processes racing on a key all count."""

    # Declarative types ``__table__`` as any FromClause (a class may be mapped to a join);
    # this one is a Table, which is what insert(), update() and delete() take.
    table = cast(Table, LoginCounter.__table__)

    def wait_seconds(self, keys: Iterable[str]) -> int:
        now = now_utc()
        waits = db.session.scalars(
            select(self.table.c.wait_until).where(
                self.table.c.key.in_([k[:COUNTER_KEY_LENGTH] for k in keys]),
                self.table.c.wait_until > now,
            )
        ).all()
        return max((_whole_seconds((w - now).total_seconds()) for w in waits), default=0)

    def add_failure(self, key: str, window_seconds: int, delay_for: DelayFor) -> int:
        """Count one failure (a new window if the last one ended); start the wait it earns.

        Returns the failures in the window, this one included.
        """
        key, now, t = key[:COUNTER_KEY_LENGTH], now_utc(), self.table
        with own_transaction() as session:
            insert = (
                postgresql.insert
                if session.get_bind().dialect.name == "postgresql"
                else sqlite.insert
            )(t)
            running = t.c.window_ends > now
            upsert = insert.values(
                key=key, failures=1, window_ends=now + timedelta(seconds=window_seconds)
            )
            counted = upsert.on_conflict_do_update(
                index_elements=[t.c.key],
                set_={
                    "failures": case((running, t.c.failures + 1), else_=1),
                    "window_ends": case(
                        (running, t.c.window_ends), else_=upsert.excluded.window_ends
                    ),
                },
            ).returning(t.c.failures)
            failures = session.execute(counted).scalar_one()
            delay = delay_for(failures)
            if delay:
                until = now + timedelta(seconds=delay)
                # Never shortens a wait another process has just started.
                session.execute(
                    update(t)
                    .where(t.c.key == key, or_(t.c.wait_until.is_(None), t.c.wait_until < until))
                    .values(wait_until=until)
                )
            # Rows whose window and wait are over hold nothing: the table stays small.
            session.execute(
                delete(t).where(
                    t.c.window_ends < now, or_(t.c.wait_until.is_(None), t.c.wait_until < now)
                )
            )
        return failures

    def clear(self, key: str) -> None:
        with own_transaction() as session:
            session.execute(delete(self.table).where(self.table.c.key == key[:COUNTER_KEY_LENGTH]))


class RedisCounters:
    """Flask-Limiter's storage (Redis): a counter key that expires with its window, and a
    ``:wait`` key that expires with the wait. Keys carry ``RATELIMIT_KEY_PREFIX``, so
    installations sharing one Redis stay apart."""

    def __init__(self, storage, prefix: str):
        self.storage, self.prefix = storage, prefix

    def wait_seconds(self, keys: Iterable[str]) -> int:
        wait = 0
        for key in keys:
            wait_key = self.prefix + key + ":wait"
            if self.storage.get(wait_key) > 0:
                wait = max(wait, _whole_seconds(self.storage.get_expiry(wait_key) - time.time()))
        return wait

    def add_failure(self, key: str, window_seconds: int, delay_for: DelayFor) -> int:
        failures = self.storage.incr(self.prefix + key, window_seconds)
        delay = delay_for(failures)
        if delay:
            wait_key = self.prefix + key + ":wait"
            if self.wait_seconds([key]) < delay:
                self.storage.clear(wait_key)
                self.storage.incr(wait_key, int(delay))
        return failures

    def clear(self, key: str) -> None:
        self.storage.clear(self.prefix + key)
        self.storage.clear(self.prefix + key + ":wait")


def counters() -> DatabaseCounters | RedisCounters:
    """Redis (``REDIS_URL``, or any shared storage given to Flask-Limiter) when there is one."""
    config = current_app.config
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return DatabaseCounters()
    return RedisCounters(limiter.storage, config.get("RATELIMIT_KEY_PREFIX", ""))


def _whole_seconds(seconds: float) -> int:
    """A wait shown to a person: whole seconds, rounded up, never zero while it runs."""
    return max(1, math.ceil(seconds))
