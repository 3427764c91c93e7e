"""Web Push (RFC 8030, 8291, 8292): the app's VAPID key, the browsers' subscriptions, and
sending a notice to a user's phones.

The VAPID key is ``VAPID_PRIVATE_KEY`` (PEM, or base64url of the raw or DER key) or, unset,
one made once into the instance folder, like the secret key. A push carries a short title and
the notice's link, nothing personal; a push service that answers 404 or 410 has forgotten the
subscription, which is removed. Endpoints must be ``https`` except those starting with an
entry of ``PUSH_INSECURE_ENDPOINTS`` (for tests on loopback).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from flask_babel import gettext as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, select

from wardapp.auth.models import User
from wardapp.db import now_utc
from wardapp.extensions import db
from wardapp.notifications.models import Notification, PushSubscription

log = logging.getLogger("wardapp.push")

KEY_FILE = "vapid_private.pem"
TITLES = {
    "returned": "Minh chứng bị trả lại",
    "approved": "Minh chứng đã được duyệt",
    "urge": "Đôn đốc thực hiện nhiệm vụ",
    "reminder": "Nhắc việc",
    "explanation": "Giải trình đã được xem xét",
}
TIMEOUT_SECONDS = 10
TTL_SECONDS = 24 * 3600


class SubscriptionError(Exception):
    def __init__(self, message: str, field: str = "endpoint"):
        super().__init__(message)
        self.message, self.field = str(message), field


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _instance_key(instance: Path) -> bytes:
    """The PEM of a P-256 key made once in the instance folder (two processes agree)."""
    path = instance / KEY_FILE
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_bytes(pem)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_bytes()


def vapid() -> Vapid:
    app = current_app
    cached = app.extensions.get("wardapp.vapid")
    if cached is not None:
        return cached
    configured = app.config.get("VAPID_PRIVATE_KEY")
    if configured:
        text = str(configured).strip()
        key = Vapid.from_pem(text.encode()) if "BEGIN" in text else Vapid.from_string(text)
    else:
        key = Vapid.from_pem(_instance_key(Path(app.instance_path)))
    app.extensions["wardapp.vapid"] = key
    return key


def public_key() -> str:
    """The applicationServerKey a browser subscribes with: the uncompressed P-256 point."""
    point = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def subject() -> str:
    configured = current_app.config.get("VAPID_SUBJECT")
    if configured:
        return str(configured)
    base = current_app.config["BASE_URL"]
    return base if base.startswith("https://") else "mailto:webpush@wardapp.invalid"


def endpoint_allowed(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.netloc:
        return True
    for prefix in current_app.config.get("PUSH_INSECURE_ENDPOINTS") or ():
        if endpoint.startswith(prefix) and endpoint[len(prefix) : len(prefix) + 1] in (":", "/"):
            return True
    return False


def _hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def _checked(body: object) -> tuple[str, str, str]:
    if not isinstance(body, dict):
        raise SubscriptionError(_("Hãy gửi đăng ký của trình duyệt (JSON)."))
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > 2000:
        raise SubscriptionError(_("Thiếu địa chỉ nhận thông báo (endpoint)."))
    if not endpoint_allowed(endpoint):
        raise SubscriptionError(_("Địa chỉ nhận thông báo phải dùng https."))
    keys = body.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionError(_("Thiếu khóa của đăng ký (keys)."), "keys")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    try:
        point = unb64url(p256dh) if isinstance(p256dh, str) and len(p256dh) < 200 else b""
        secret = unb64url(auth) if isinstance(auth, str) and len(auth) < 100 else b""
        if len(point) != 65 or point[0] != 4 or len(secret) != 16:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, binascii.Error):
        raise SubscriptionError(_("Khóa của đăng ký không hợp lệ."), "keys") from None
    return endpoint, b64url(point), b64url(secret)


def subscribe(user: User, body: object) -> tuple[PushSubscription, bool]:
    """Keep the browser's subscription for ``user`` (a browser that was another user's is
    theirs no more). Whether it is new."""
    endpoint, p256dh, auth = _checked(body)
    digest = _hash(endpoint)
    row = db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint_hash == digest)
    )
    created = row is None
    if row is None:
        row = PushSubscription(endpoint_hash=digest, endpoint=endpoint)
        db.session.add(row)
    row.user_id, row.p256dh, row.auth = user.id, p256dh, auth
    db.session.flush()
    return row, created


def unsubscribe(user: User, body: object) -> int:
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        raise SubscriptionError(_("Thiếu địa chỉ nhận thông báo (endpoint)."))
    result = db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user.id,
            PushSubscription.endpoint_hash == _hash(endpoint),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def payload(notice: Notification) -> str:
    """A short title and the link: nothing personal travels through the push service."""
    return json.dumps(
        {"title": TITLES.get(notice.kind, "Thông báo"), "url": notice.url, "id": notice.id},
        ensure_ascii=False,
    )


def send(notice: Notification) -> int:
    """Push ``notice`` to every browser of its user; how many took it."""
    rows = db.session.scalars(
        select(PushSubscription).where(PushSubscription.user_id == notice.user_id)
    ).all()
    delivered = 0
    for row in rows:
        info = {"endpoint": row.endpoint, "keys": {"p256dh": row.p256dh, "auth": row.auth}}
        try:
            webpush(
                info,
                data=payload(notice),
                vapid_private_key=vapid(),
                vapid_claims={"sub": subject()},
                timeout=TIMEOUT_SECONDS,
                ttl=TTL_SECONDS,
            )
        except WebPushException as failed:
            status = failed.response.status_code if failed.response is not None else None
            if status in (404, 410):
                log.info("push subscription %s is gone (%s): removed", row.id, status)
                db.session.delete(row)
            else:
                log.warning("push to subscription %s failed: %s", row.id, status or failed)
            continue
        except Exception as failed:  # a network error: the notice stays in the app
            log.warning("push to subscription %s failed: %s", row.id, failed)
            continue
        row.last_sent_at = now_utc()
        delivered += 1
    return delivered
