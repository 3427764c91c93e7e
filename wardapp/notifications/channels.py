"""Carrying new notices to the phone, in the background: one job per transaction that wrote
notices, run once it commits. The notice is in the app whatever happens here."""

from sqlalchemy import select

from wardapp import jobs
from wardapp.extensions import db
from wardapp.notifications import push
from wardapp.notifications.models import Notification, PushSubscription


@jobs.task(retries=1, retry_delay=60)
def deliver(notification_ids: list[int]) -> None:
    """Push each notice to its user's browsers (those who have any)."""
    users = set(
        db.session.scalars(
            select(PushSubscription.user_id).where(
                PushSubscription.user_id.in_(
                    select(Notification.user_id).where(Notification.id.in_(notification_ids))
                )
            )
        )
    )
    if not users:
        return
    for notice in db.session.scalars(
        select(Notification).where(Notification.id.in_(notification_ids)).order_by(Notification.id)
    ):
        if notice.user_id in users:
            push.send(notice)


@jobs.periodic_task(jobs.crontab(minute="17"))
def mail_digests_hourly() -> None:
    """The day's e-mail digests, from MAIL_DIGEST_HOUR on; each user's once a day."""
    from wardapp.core.i18n import now_local
    from wardapp.notifications import mail

    mail.send_digests(now_local())
