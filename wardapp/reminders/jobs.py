"""The reminder pass as a periodic job: every hour, as of the city's local time. Sending what
is due again is harmless (each reminder is kept once), so a missed hour is made up by the next.
"""

import logging

from wardapp import jobs
from wardapp.core.i18n import now_local
from wardapp.reminders.services import run_pass

log = logging.getLogger("wardapp.reminders")


@jobs.periodic_task(jobs.crontab(minute="7"))
def remind_hourly() -> None:
    result = run_pass(now_local())
    log.info("reminder pass: %s", result.line())
