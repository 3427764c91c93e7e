"""Background jobs: tasks the domains declare, run by ``flask wardapp worker`` processes.

This package knows no domain. A domain declares its tasks at import time::

    from wardapp import jobs

    @jobs.task(retries=2, retry_delay=60)
    def remake_copies(media_id: int) -> None: ...

    @jobs.periodic_task(jobs.crontab(minute="*/15"))
    def send_reminders() -> None: ...

and asks for one to run with ``jobs.enqueue(remake_copies, media_id)``: it is queued when the
request's (or the job's) transaction commits, and dropped if it rolls back, so a worker never
looks for a row that was not saved. A task runs in an app context of its own; what it does
through ``db.session`` is committed when it returns and rolled back when it raises.

The queue is Huey's: a SQLite file in the instance folder by default, Redis when
``REDIS_URL`` is set (then any number of workers on any number of hosts share it). With
``JOBS_IMMEDIATE`` (the default under ``TESTING``) a task runs at once in the process that
enqueued it, as Huey's immediate mode does. Huey takes a task off the queue when it starts it,
so a worker killed mid-task loses it: work that must finish once whatever happens keeps its
state in the database with a lease (``wardapp.jobs.leases``).
"""

from huey import crontab

from wardapp.jobs import leases
from wardapp.jobs.queue import (
    Declared,
    enqueue,
    init_app,
    periodic_task,
    queue,
    run_worker,
    send,
    task,
)

__all__ = [
    "Declared",
    "leases",
    "crontab",
    "enqueue",
    "init_app",
    "periodic_task",
    "queue",
    "run_worker",
    "send",
    "task",
]
