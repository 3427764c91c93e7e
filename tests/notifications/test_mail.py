"""The e-mail digest, sent to an SMTP server on loopback (aiosmtpd): one a day to each user
who gave an address and has unread notices, with their links; none without SMTP."""

from datetime import datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from support.evidence import make_evidence, task_numbered, unit_coded
from support.servers import free_port
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.notifications import mail, services

PORT = free_port()
pytestmark = pytest.mark.app_config(
    MAIL_HOST="127.0.0.1", MAIL_PORT=PORT, MAIL_FROM="wardapp <noreply@example.vn>"
)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=PORT)
    controller.start()
    yield box
    controller.stop()


def at(day: int, hour: int) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def returned(app, reason: str) -> None:
    with app.app_context():
        evidence = make_evidence(task_numbered(6), unit_coded("tho-xuong"), status="returned")
        services.returned(evidence, reason)
        db.session.commit()


def give_address(app, username: str, email: str) -> None:
    with app.app_context():
        db.session.scalars(select(User).where(User.username == username)).one().email = email
        db.session.commit()


def digests(app, moment: datetime) -> int:
    with app.app_context(), app.test_request_context("/"):
        sent = mail.send_digests(moment)
        db.session.commit()
        return sent


def test_one_digest_a_day_to_those_with_an_address_and_unread_notices(seeded, inbox):
    give_address(seeded, "tho-xuong", "can-bo@tho-xuong.example.vn")
    give_address(seeded, "song-mai", "can-bo@song-mai.example.vn")  # nothing to tell
    returned(seeded, "Ảnh bị mờ")
    returned(seeded, "Sai địa điểm")
    assert digests(seeded, at(14, 16)) == 0 and inbox.messages == []  # before the hour
    assert digests(seeded, at(14, 17)) == 1
    [(to, message)] = inbox.messages
    assert to == ["can-bo@tho-xuong.example.vn"]
    assert message["Subject"].startswith("[Minh chứng CCHC] 2 thông báo mới")
    body = message.get_content()
    assert "Ảnh bị mờ" in body and "Sai địa điểm" in body
    assert "http://127.0.0.1:8000/tasks/" in body and "supersedes=" in body  # BASE_URL links
    assert digests(seeded, at(14, 20)) == 0 and len(inbox.messages) == 1  # once a day
    assert digests(seeded, at(15, 17)) == 0  # nothing new since
    returned(seeded, "Thiếu chữ ký")
    assert digests(seeded, at(15, 18)) == 1
    later = inbox.messages[-1][1].get_content()
    assert "Thiếu chữ ký" in later and "Ảnh bị mờ" not in later


@pytest.mark.app_config(MAIL_HOST=None)
def test_without_smtp_no_mail_is_sent(seeded, inbox):
    give_address(seeded, "tho-xuong", "can-bo@tho-xuong.example.vn")
    returned(seeded, "Ảnh bị mờ")
    assert digests(seeded, at(14, 18)) == 0 and inbox.messages == []


def test_a_refused_digest_is_tried_again_at_the_next_pass(seeded):
    give_address(seeded, "tho-xuong", "can-bo@tho-xuong.example.vn")
    returned(seeded, "Ảnh bị mờ")
    assert digests(seeded, at(14, 17)) == 0  # no server listening on the port yet
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=PORT)
    controller.start()
    try:
        assert digests(seeded, at(14, 18)) == 1 and len(box.messages) == 1
    finally:
        controller.stop()
