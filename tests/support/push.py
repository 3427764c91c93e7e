"""A Web Push service of the tests' own, on loopback, and a browser's side of a subscription:
what checks the VAPID JWT (RFC 8292) and decrypts the aes128gcm body (RFC 8291, 8188) the app
sends. Only ``cryptography``: nothing of the library the app sends with."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


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
    try:  # the check would catch a forged token
        public.verify(der, f"{head}.{claims}x".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        pass
    else:
        raise AssertionError("a changed token verified")
    payload = json.loads(unb64(claims))
    assert payload["aud"] == audience and payload["sub"]
    assert time.time() < payload["exp"] <= time.time() + 24 * 3600
    return payload
