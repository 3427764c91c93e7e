"""The daily e-mail digest, for users who gave an address, when SMTP is configured.

``MAIL_HOST`` unset means no mail at all. Once a day, from ``MAIL_DIGEST_HOUR`` (local time),
each active user with an address and unread notices since their last digest gets one plain
message listing them with their links. A ``MailDigest`` row per user and day (unique) is
claimed before sending and given back if the server refuses, so a digest goes out once and a
failed one is tried again at the next pass.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wardapp.auth.models import User
from wardapp.core.i18n import fmt_date, fmt_datetime
from wardapp.extensions import db
from wardapp.notifications.models import MailDigest, Notification

log = logging.getLogger("wardapp.mail")
MAX_LISTED = 50


def configured() -> bool:
    return bool(current_app.config.get("MAIL_HOST"))


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    host, port = config["MAIL_HOST"], int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 20)
    if config.get("MAIL_SSL"):
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
        if config.get("MAIL_STARTTLS"):
            server.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        server.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return server


def _message(user: User, notices: list[Notification], now: datetime) -> EmailMessage:
    config = current_app.config
    base = config["BASE_URL"].rstrip("/")
    with force_locale(user.language or "vi"):
        subject = _("[Minh chứng CCHC] %(n)s thông báo mới, %(d)s", n=len(notices), d=fmt_date(now))
        lines = [_("Chào %(name)s,", name=user.display_name), ""]
        lines.append(_("Các thông báo chưa đọc của bạn:"))
        lines.append("")
        for notice in notices[:MAX_LISTED]:
            lines.append(f"- {fmt_datetime(notice.created_at)}: {notice.text}")
            lines.append(f"  {base}{notice.url}")
        if len(notices) > MAX_LISTED:
            lines.append(_("… và %(n)s thông báo khác.", n=len(notices) - MAX_LISTED))
        lines += ["", _("Xem tất cả: %(url)s", url=f"{base}/notifications")]
        lines.append(_("Để thôi nhận thư này, hãy xóa địa chỉ e-mail trong trang tài khoản."))
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("MAIL_FROM") or "wardapp@localhost"
    message["To"] = formataddr((user.display_name, user.email or ""))
    message["Message-ID"] = make_msgid(domain="wardapp")
    message.set_content("\n".join(lines))
    return message


def send_digests(now: datetime) -> int:
    """Send the day's digests due as of ``now`` (local, aware); how many went out."""
    config = current_app.config
    if not configured() or now.hour < int(config.get("MAIL_DIGEST_HOUR", 17)):
        return 0
    day = now.date()
    users = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.email.is_not(None), User.email != "")
        .order_by(User.id)
    ).all()
    sent = 0
    server: smtplib.SMTP | None = None
    try:
        for user in users:
            if db.session.scalar(
                select(MailDigest.id).where(MailDigest.user_id == user.id, MailDigest.day == day)
            ):
                continue
            since = db.session.scalar(
                select(MailDigest.sent_at)
                .where(MailDigest.user_id == user.id)
                .order_by(MailDigest.sent_at.desc())
                .limit(1)
            ) or (now - timedelta(days=1))
            notices = list(
                db.session.scalars(
                    select(Notification)
                    .where(
                        Notification.user_id == user.id,
                        Notification.read_at.is_(None),
                        Notification.created_at > since,
                    )
                    .order_by(Notification.id.desc())
                )
            )
            if not notices:
                continue
            savepoint = db.session.begin_nested()
            try:
                db.session.add(MailDigest(user_id=user.id, day=day, notices=len(notices)))
                db.session.flush()
            except IntegrityError:  # another pass claimed it
                savepoint.rollback()
                continue
            try:
                server = server or _smtp()
                server.send_message(_message(user, notices, now))
            except (smtplib.SMTPException, OSError) as failed:
                log.warning("digest to user %s not sent: %s", user.id, failed)
                savepoint.rollback()
                server = None
                continue
            savepoint.commit()
            sent += 1
    finally:
        if server is not None:
            try:
                server.quit()
            except (smtplib.SMTPException, OSError):
                pass
    return sent
