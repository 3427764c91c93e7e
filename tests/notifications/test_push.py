"""Web Push end to end on our side: a push service of the tests (support/push.py), on loopback,
checks the VAPID JWT (RFC 8292) against the key the app serves, decrypts the aes128gcm body
(RFC 8291, 8188) with the subscription's private key and finds the returned item's link; a 410
removes the subscription. The time from the return to the push's arrival is printed."""

import json
import os
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from support.client import SignedIn
from support.evidence import Officer, photo
from support.push import Browser, PushService, b64, check_vapid, unb64
from support.review import Reviewer
from wardapp.extensions import db
from wardapp.notifications.models import PushSubscription

pytestmark = pytest.mark.app_config(PUSH_INSECURE_ENDPOINTS=["http://127.0.0.1"])


@pytest.fixture(autouse=True)
def own_instance_folder(app, tmp_path):
    """The key is made in the instance folder: this test's own, never the repository's."""
    folder = tmp_path / "instance-of-push-test"
    folder.mkdir()
    app.instance_path = str(folder)


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


def subscribe(app, browser: Browser, username="tho-xuong"):
    person = SignedIn(app, username)
    response = person.client.post(
        "/api/v1/push/subscriptions",
        json=browser.subscription(),
        headers={"X-CSRFToken": person.token},
    )
    return person, response


def subscriptions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PushSubscription.endpoint)))


def test_a_return_is_pushed_signed_and_encrypted_and_a_410_removes_the_subscription(
    seeded, push_service
):
    browser = Browser(f"{push_service.url}/push/phone-1")
    officer, answer = subscribe(seeded, browser)
    assert answer.status_code == 201
    server_key = officer.client.get("/api/v1/push/key").json["public_key"]
    assert len(unb64(server_key)) == 65
    evidence_id = Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=3)]).json["id"]
    assert push_service.received == []  # sending evidence notifies nobody

    reviewer = Reviewer(seeded)
    started = time.perf_counter()
    done = reviewer.return_(evidence_id, pick="Ảnh không rõ", reason="Nguyễn Văn A ký sai")
    assert done.status_code == 200
    assert push_service.arrived.wait(10)
    took = push_service.received[0]["at"] - started
    print(f"\nreturn -> push arrival on loopback: {took * 1000:.0f} ms")
    [pushed] = push_service.received
    assert pushed["path"] == "/push/phone-1"
    assert (
        pushed["headers"]["content-encoding"] == "aes128gcm" and int(pushed["headers"]["ttl"]) > 0
    )
    check_vapid(pushed["headers"], server_key, push_service.url)
    message = json.loads(browser.decrypt(pushed["body"]))
    assert message["title"] == "Minh chứng bị trả lại"
    assert f"supersedes={evidence_id}" in message["url"] and message["url"].startswith("/tasks/")
    assert "Nguyễn" not in json.dumps(message, ensure_ascii=False)  # no reason, no names

    # The phone was reset: the push service says the subscription is gone, and so it is.
    push_service.status["/push/phone-1"] = 410
    push_service.arrived.clear()
    second = Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=4)]).json["id"]
    assert reviewer.return_(second, reason="mờ").status_code == 200
    assert push_service.arrived.wait(10) and len(push_service.received) == 2
    assert subscriptions(seeded) == []


def test_subscriptions_are_checked_kept_once_and_removed(seeded, push_service):
    browser = Browser(f"{push_service.url}/push/phone-2")
    officer, first = subscribe(seeded, browser)
    assert first.status_code == 201
    assert subscribe(seeded, browser)[1].status_code == 200  # the same browser again: one row
    assert subscriptions(seeded) == [browser.endpoint]
    headers = {"X-CSRFToken": officer.token}
    bad = [
        {"endpoint": "http://10.1.2.3/push/x", "keys": browser.subscription()["keys"]},
        {"endpoint": "http://127.0.0.1.example.com/x", "keys": browser.subscription()["keys"]},
        {"endpoint": browser.endpoint, "keys": {"p256dh": "AAAA", "auth": b64(os.urandom(16))}},
        {"endpoint": browser.endpoint, "keys": {"p256dh": b64(b"\x04" + bytes(64)), "auth": "x"}},
        {"endpoint": browser.endpoint},
        ["not", "an", "object"],
    ]
    for body in bad:
        response = officer.client.post("/api/v1/push/subscriptions", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json["error"]
    gone = officer.client.delete(
        "/api/v1/push/subscriptions", json={"endpoint": browser.endpoint}, headers=headers
    )
    assert gone.status_code == 200 and gone.json == {"removed": 1}
    assert subscriptions(seeded) == []


@pytest.mark.app_config(PUSH_INSECURE_ENDPOINTS=[])
def test_plain_http_endpoints_are_refused_unless_listed(seeded, push_service):
    _officer, answer = subscribe(seeded, Browser(f"{push_service.url}/push/phone-3"))
    assert answer.status_code == 422 and "https" in answer.json["error"]


def test_the_key_is_made_once_into_the_instance_folder(seeded):
    first = SignedIn(seeded, "tho-xuong").client.get("/api/v1/push/key").json["public_key"]
    kept = Path(seeded.instance_path) / "vapid_private.pem"
    assert kept.exists() and kept.stat().st_mode & 0o777 == 0o600
    seeded.extensions.pop("wardapp.vapid")  # a new process reads the same file
    assert SignedIn(seeded, "tho-xuong").client.get("/api/v1/push/key").json["public_key"] == first


def test_a_configured_key_is_used_as_given(app):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    app.config["VAPID_PRIVATE_KEY"] = pem
    with app.app_context():
        from wardapp.notifications import push

        expected = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        assert push.public_key() == b64(expected)
    assert not (Path(app.instance_path) / "vapid_private.pem").exists()
