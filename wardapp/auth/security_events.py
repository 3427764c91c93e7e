"""Security events and counters written outside the request's transaction.

A failed sign-in is answered 401 (or 429), and the request's transaction is rolled back with
every 4xx (core/hooks.py). What sign-in defends itself with must survive that: the audit row
of the failure or the lock, and the failure counters. They are written here, in a session of
their own on the app's engine, committed at once.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from wardapp.audit.services import record
from wardapp.extensions import db


@contextmanager
def own_transaction() -> Iterator[Session]:
    """A transaction apart from the request's, committed when the block ends.

    Call it before the request's session has written anything: on SQLite a second writer
    would wait for the first, which is this very request.
    """
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        yield session


def record_security_event(actor, action: str, obj=None, **details) -> None:
    """An audit event that a 4xx answer cannot roll back.

    ``record`` builds it the one way audit events are built (actor, object, address); it is
    then moved from the request's session to a transaction of its own.
    """
    event = record(actor, action, obj, **details)
    db.session.expunge(event)
    with own_transaction() as session:
        session.add(event)
