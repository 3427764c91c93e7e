"""The queue of one app: Huey built from the settings, the declared tasks registered on it.

Tasks are declared once per process (module import), while apps are made many times (one per
test, one per command): each app gets a Huey of its own on first use, and every declared task
is registered on it wrapped in that app's context.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from huey.consumer import Consumer, Scheduler
from huey.storage import RedisStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from wardapp.extensions import db

log = logging.getLogger("wardapp.jobs")

_PENDING = "wardapp.jobs.pending"  # Session.info: tasks to send when the transaction commits
_EXTENSION = "wardapp.jobs"


@dataclass(frozen=True)
class Declared:
    """A task as a domain declared it: its function and how it is run. Calling it runs the
    function here and now (no queue, no app context of its own)."""

    func: Callable[..., Any]
    name: str
    retries: int = 0
    retry_delay: int = 0
    schedule: Callable[[datetime], bool] | None = None  # a crontab: a periodic task

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)


DECLARED: dict[str, Declared] = {}


def _declare(declared: Declared) -> Declared:
    known = DECLARED.get(declared.name)
    if known is not None and known.func.__qualname__ != declared.func.__qualname__:
        raise ValueError(f"two tasks are named {declared.name!r}")
    DECLARED[declared.name] = declared
    return declared


def task(
    *, retries: int = 0, retry_delay: int = 0, name: str | None = None
) -> Callable[[Callable[..., Any]], Declared]:
    """Declare a task: ``@jobs.task()`` over a function whose arguments pickle (ids, not rows).

    ``retries`` more tries ``retry_delay`` seconds apart when it raises."""

    def decorate(func: Callable[..., Any]) -> Declared:
        return _declare(
            Declared(func, name or f"{func.__module__}.{func.__qualname__}", retries, retry_delay)
        )

    return decorate


def periodic_task(
    schedule: Callable[[datetime], bool],
    *,
    retries: int = 0,
    retry_delay: int = 0,
    name: str | None = None,
) -> Callable[[Callable[..., Any]], Declared]:
    """Declare a task the workers run on a schedule (``jobs.crontab(...)``, in UTC), taking no
    arguments. However many workers run, each matching minute runs it once."""

    def decorate(func: Callable[..., Any]) -> Declared:
        qualified = name or f"{func.__module__}.{func.__qualname__}"
        return _declare(Declared(func, qualified, retries, retry_delay, schedule))

    return decorate


class JobQueue:
    """One app's Huey and its registered tasks."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._huey: Huey | None = None
        self._wrappers: dict[str, TaskWrapper] = {}
        self._lock = threading.Lock()

    @property
    def immediate(self) -> bool:
        setting = self.app.config.get("JOBS_IMMEDIATE")
        return self.app.testing if setting is None else bool(setting)

    @property
    def huey(self) -> Huey:
        with self._lock:
            if self._huey is None:
                self._huey = self._make_huey()
            for declared in list(DECLARED.values()):
                if declared.name not in self._wrappers:
                    self._wrappers[declared.name] = self._register(self._huey, declared)
            return self._huey

    def _make_huey(self) -> Huey:
        config = self.app.config
        name = config.get("JOBS_QUEUE_NAME") or "wardapp"
        options: dict[str, Any] = {"results": False, "immediate": self.immediate}
        if config.get("REDIS_URL"):
            return RedisHuey(name, url=config["REDIS_URL"], **options)
        path = config.get("JOBS_SQLITE_PATH") or str(Path(self.app.instance_path) / "jobs.sqlite3")
        return SqliteHuey(name, filename=path, **options)

    def _register(self, huey: Huey, declared: Declared) -> TaskWrapper:
        app = self.app

        @functools.wraps(declared.func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                try:
                    result = declared.func(*args, **kwargs)
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
                return result

        # Huey names a task by its module and name: those of the declared name, exactly.
        run.__module__, _, name = declared.name.rpartition(".")
        options = {"retries": declared.retries, "retry_delay": declared.retry_delay, "name": name}
        if declared.schedule is None:
            return huey.task(**options)(run)
        return huey.periodic_task(declared.schedule, **options)(run)

    def describe(self) -> str:
        """Where the queue lives, for a log line (no password)."""
        config = self.app.config
        if self.immediate:
            return "immediate (no worker)"
        if config.get("REDIS_URL"):
            from redis.connection import parse_url

            where = parse_url(config["REDIS_URL"])
            return f"redis {where.get('host', '')}:{where.get('port', 6379)}/{where.get('db', 0)}"
        return f"sqlite {self.huey.storage.filename}"

    def wrapper(self, declared: Declared) -> TaskWrapper:
        self.huey  # noqa: B018 (registers what was declared since)
        return self._wrappers[declared.name]

    def send(self, declared: Declared, args: tuple, kwargs: dict) -> None:
        self.wrapper(declared)(*args, **kwargs)


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = JobQueue(app)


def queue(app: Flask | None = None) -> JobQueue:
    return (app or current_app).extensions[_EXTENSION]


def enqueue(declared: Declared, *args: Any, **kwargs: Any) -> None:
    """Run ``declared`` in a worker once the current transaction commits (at once if none is
    open); nothing is sent if it rolls back."""
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(_PENDING, []).append((queue(), declared, args, kwargs))
    else:
        queue().send(declared, args, kwargs)


def send(declared: Declared, *args: Any, **kwargs: Any) -> None:
    """Queue ``declared`` now, whatever becomes of the current transaction (for a task that
    needs nothing this transaction writes: a request answered 404 still asks for it)."""
    queue().send(declared, args, kwargs)


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    for job_queue, declared, args, kwargs in session.info.pop(_PENDING, ()):
        try:
            job_queue.send(declared, args, kwargs)
        except Exception:  # the commit stands; a lost message is found again (leases)
            log.exception("could not queue %s", declared.name)


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost: committed (sent above) or rolled back
        session.info.pop(_PENDING, None)


class _OncePerMinute(Scheduler):
    """Each worker's scheduler looks at the periodic tasks once a minute; the first to claim
    a task's minute in the queue's storage queues it, the others let it be."""

    def enqueue_periodic_tasks(self, now: datetime | None) -> None:
        huey = self.huey
        now = now or huey._get_timestamp()
        for periodic in huey.read_periodic(now):
            name = huey._registry.task_to_string(type(periodic))
            if _claim_minute(huey, name, now):
                self._logger.info("Enqueueing periodic task %s.", periodic)
                huey.enqueue(periodic)


def _claim_minute(huey: Huey, name: str, now: datetime) -> bool:
    def key(moment: datetime) -> str:
        return f"periodic:{name}:{moment:%Y%m%d%H%M}"

    storage = huey.storage
    if isinstance(storage, RedisStorage):
        return bool(storage.conn.set(f"{huey.name}:{key(now)}", 1, nx=True, ex=7200))
    storage.pop_data(key(now - timedelta(hours=2)))  # keys of long ago are kept no longer
    return bool(storage.put_if_empty(key(now), b"1"))


class _Consumer(Consumer):
    scheduler_class = _OncePerMinute


def run_worker(app: Flask, threads: int = 1, periodic: bool = True) -> None:
    """Take tasks off the queue until SIGINT (finishing those running) or SIGTERM."""
    job_queue = queue(app)
    if job_queue.immediate:
        raise RuntimeError("JOBS_IMMEDIATE is set: tasks run where they are queued")
    consumer = _Consumer(job_queue.huey, workers=threads, worker_type="thread", periodic=periodic)
    for start in _worker_starts:
        start(app, consumer.stop_flag)
    consumer.run()


# Loops that run beside the consumer in every worker process (``on_worker_start``).
_worker_starts: list[Callable[[Flask, Any], None]] = []


def on_worker_start(start: Callable[[Flask, Any], None]) -> Callable[[Flask, Any], None]:
    """Call ``start(app, stop_flag)`` when a worker process starts (it starts its threads)."""
    _worker_starts.append(start)
    return start
