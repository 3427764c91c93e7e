"""The declarative base every model shares, and the clock they use."""

from datetime import UTC, datetime
from typing import Any, cast

from flask_sqlalchemy.session import Session as RequestSession
from sqlalchemy import CursorResult, DateTime, MetaData, Result, TypeDecorator
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# What a function that reads or flushes takes: the request's ``db.session`` (a scoped session),
# or a session of its own (a streamed export, a security event). Both answer the same calls.
DbSession = Session | scoped_session[RequestSession]


def rows_matched(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE run through a session matched. Its result is a
    ``CursorResult``, which has the count, but ``Session.execute`` types it as a ``Result``."""
    return cast("CursorResult[Any]", result).rowcount


def now_utc() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, PostgreSQL's ``timestamptz`` does; this makes both hand back the
    same aware datetime, so comparisons never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def sqlite_pragmas(dbapi_connection, _record, busy_timeout_ms: int = 10_000) -> None:
    """Per connection: write-ahead log, foreign keys enforced, wait rather than fail on a lock.

    ``synchronous=FULL``: a commit is on disk before the client is told 201 and drops the item
    from its outbox. In WAL mode ``NORMAL`` may lose the last commits to a power cut, and a
    report lost after its 201 is lost for good. It costs one fsync of the log per commit.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def postgres_engine_options(options: dict, lock_timeout_ms: int) -> dict:
    """Engine options for PostgreSQL: a pooled connection is checked before use, so the app
    comes back by itself after the server restarts; a lock is waited for only so long.

    Every statement is planned for its own values (``plan_cache_mode``): psycopg prepares a
    statement it has run five times, and PostgreSQL's generic plan for it then ignores the
    values, so the queue's capped counts for a narrow filter read the whole table (80 ms
    against 15 ms over 200,000 rows). The statements stay prepared; only the plan is fresh.
    """
    options = dict(options)
    options.setdefault("pool_pre_ping", True)
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = " ".join(
        filter(
            None,
            [
                connect_args.get("options", ""),
                f"-c lock_timeout={int(lock_timeout_ms)}",
                "-c plan_cache_mode=force_custom_plan",
            ],
        )
    )
    options["connect_args"] = connect_args
    return options


class not_an_index_key(FunctionElement):
    """A column the planner must not lead with: ``+column`` on SQLite, the column elsewhere.

    SQLite has no statistics unless ANALYZE was run, and then ranks indexes by how many of
    their columns a query pins. For the compliance queries (task, unit, a date window, status
    approved) that ties (status, occurred_at, id) with (task_id, unit_id, occurred_at), and
    picking the first reads every approved row of the window once per unit: an export of
    250,000 items took 85 s instead of 20. The unary plus is SQLite's documented way to keep
    a term out of index choice; PostgreSQL plans from the statistics it keeps by itself.
    """

    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(not_an_index_key)
def _plain(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[0], **kw)


@compiles(not_an_index_key, "sqlite")
def _unary_plus(element, compiler, **kw):
    return "+" + compiler.process(element.clauses.clauses[0], **kw)
