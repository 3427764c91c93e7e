"""Web Push end to end on our side: a push service written here, on loopback, checks the VAPID
JWT (RFC 8292) against the key the app serves, decrypts the aes128gcm body (RFC 8291, 8188)
with the subscription's private key and finds the returned item's link; a 410 removes the
subscription. The time from the return to the push's arrival is printed."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select

from support.client import SignedIn
from support.evidence import Officer, photo
from support.review import Reviewer
from wardapp.extensions import db
from wardapp.notifications.models import PushSubscription

pytestmark = pytest.mark.app_config(PUSH_INSECURE_ENDPOINTS=["http://127.0.0.1"])


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A push service on loopback: keeps every POST and answers with the status set per path."""

    def __init__(self):
        self.received: list[dict] = []
        self.status: dict[str, int] = {}
        self.arrived = threading.Event()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.received.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                        "at": time.perf_counter(),
                    }
                )
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()
                service.arrived.set()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


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


class Browser:
    """A browser's side of a subscription: its P-256 key pair and auth secret (RFC 8291)."""

    def __init__(self, endpoint: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    @property
    def public(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def subscription(self) -> dict:
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64(self.public), "auth": b64(self.auth)},
        }

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8188's aes128gcm record, keyed as RFC 8291 says."""
        salt, record_size, id_length = body[:16], int.from_bytes(body[16:20]), body[20]
        sender = body[21 : 21 + id_length]
        ciphertext = body[21 + id_length :]
        assert id_length == 65 and record_size >= len(ciphertext)
        shared = self.key.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        )
        ikm = HKDF(
            hashes.SHA256(), 32, salt=self.auth, info=b"WebPush: info\0" + self.public + sender
        ).derive(shared)
        key = HKDF(hashes.SHA256(), 16, salt=salt, info=b"Content-Encoding: aes128gcm\0").derive(
            ikm
        )
        nonce = HKDF(hashes.SHA256(), 12, salt=salt, info=b"Content-Encoding: nonce\0").derive(ikm)
        padded = AESGCM(key).decrypt(nonce, ciphertext, None)
        return padded[: padded.rindex(b"\x02")]  # the last record's delimiter, then padding


def check_vapid(headers: dict, server_key: str, audience: str) -> dict:
    """RFC 8292: ``vapid t=<JWT>, k=<key>``, the JWT ES256-signed by the key the app serves."""
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(p.strip().split("=", 1) for p in params.split(","))
    assert fields["k"] == server_key
    head, claims, signature = fields["t"].split(".")
    assert json.loads(unb64(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(server_key))
    public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):  # the check would catch a forged token
        public.verify(der, f"{head}.{claims}x".encode(), ec.ECDSA(hashes.SHA256()))
    payload = json.loads(unb64(claims))
    assert payload["aud"] == audience and payload["sub"]
    assert time.time() < payload["exp"] <= time.time() + 24 * 3600
    return payload


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
