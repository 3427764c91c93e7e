"""The shipped nginx configuration in front of the shipped gunicorn one, over HTTPS on loopback.

Debian's nginx runs deploy/nginx.conf as a city would use it; only what names this machine is
changed (ports, the certificate made here, the folders), and each change must find its line,
so the file tested is the file shipped.
"""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import json
import os
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from support.evidence import photo
from support.servers import (
    ROOT,
    HttpUser,
    Instance,
    Server,
    free_port,
    site_photo_submission,
    submit,
)

SHIPPED = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def configuration(folder: Path, *, http: int, https: int, upstream: int, media: Path) -> Path:
    """The shipped server blocks with this machine's names, inside a whole nginx.conf."""
    cert, key = certificate(folder)
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
        ("/etc/letsencrypt/live/minhchung.example.vn/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/minhchung.example.vn/privkey.pem", str(key)),
        ("alias /srv/wardapp/instance/media/;", f"alias {media}/;"),
    ]:
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    temp = folder / "temp"
    temp.mkdir()
    whole = f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{text}
}}
"""
    path = folder / "nginx.conf"
    path.write_text(whole, encoding="utf-8")
    return path


class Nginx:
    def __init__(self, folder: Path, upstream: int, media: Path):
        folder.mkdir()
        self.folder = folder
        self.http, self.https = free_port(), free_port()
        self.config = configuration(
            folder, http=self.http, https=self.https, upstream=upstream, media=media
        )
        self.base = f"https://127.0.0.1:{self.https}"
        self.tls = ssl.create_default_context(cafile=str(folder / "cert.pem"))
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(folder), "-c", str(self.config)], capture_output=True
        )
        assert checked.returncode == 0, checked.stderr.decode()
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        give_up = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=5, context=self.tls)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > give_up:
                    self.stop()
                    raise RuntimeError((folder / "error.log").read_text()) from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)  # finish what is in flight, then go
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(15)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """gunicorn (the shipped configuration) behind nginx (the shipped configuration)."""
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "instance").mkdir()
    instance = Instance(
        folder / "instance",
        ACCEL_REDIRECT="/_media/",
        PROXY_FIX=1,
        SESSION_COOKIE_SECURE="true",
    ).set_up()
    app = Server(instance, config=ROOT / "deploy" / "gunicorn.conf.py", GUNICORN_WORKERS="1")
    try:
        front = Nginx(folder / "front", app.port, instance.media)
    except BaseException:
        app.stop()
        raise
    yield app, front
    front.stop()
    app.stop()


def test_a_photo_sent_through_nginx_is_downloaded_from_the_media_folder_by_nginx(stack):
    app, front = stack
    image = photo(seed=61)
    officer = HttpUser(front.base, "tho-xuong", tls=front.tls)
    task = next(t["id"] for t in officer.tasks() if "site_photo" in t["kinds"])
    status, body = submit(officer, *site_photo_submission(str(uuid.uuid4()), task, image))
    assert status == 201, body
    url = json.loads(body)["media"][0]["urls"]["original"]

    # The app itself only checks who asks and names the file...
    direct = urllib.request.Request(
        app.base + url,
        headers={"Cookie": officer.cookie_header(), "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(direct, timeout=30) as answer:
        accel = answer.headers["X-Accel-Redirect"]
        assert answer.read() == b"" and accel.startswith("/_media/")
    assert (app.instance.media / accel.removeprefix("/_media/")).read_bytes() == image

    # ...and nginx sends it, typed and cached as the app said, with its own security headers.
    with officer.open(url) as answer:
        assert answer.read() == image
        headers = answer.headers
    assert headers["Server"].startswith("nginx") and "X-Accel-Redirect" not in headers
    assert headers["Content-Type"] == "image/jpeg"
    assert "private" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

    # The internal location is not a way around the check.
    stranger = HttpUser(front.base, "dinh-ke", tls=front.tls)
    assert stranger.call(url)[0] == 404
    assert stranger.call(accel)[0] == 404
    assert officer.call(accel)[0] == 404


def test_nginx_speaks_https_only_compresses_pages_and_refuses_too_large_a_body(stack):
    _, front = stack
    plain = urllib.request.build_opener(NoRedirect)
    try:
        plain.open(f"http://127.0.0.1:{front.http}/login", timeout=10)
        raise AssertionError("plain HTTP was answered")
    except urllib.error.HTTPError as moved:
        assert moved.code == 301 and moved.headers["Location"].startswith("https://")

    asked = urllib.request.Request(front.base + "/login", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(asked, timeout=10, context=front.tls) as page:
        assert page.headers["Content-Encoding"] == "gzip"
        assert "<form" in gzip.decompress(page.read()).decode()
        assert page.headers.get_all("Strict-Transport-Security") == [
            "max-age=31536000; includeSubDomains"
        ]

    too_large = urllib.request.Request(
        front.base + "/api/v1/evidence",
        data=b"x" * 1024,
        headers={"Content-Length": str(65 * 2**20), "Content-Type": "multipart/form-data"},
    )
    try:
        urllib.request.urlopen(too_large, timeout=10, context=front.tls)
        raise AssertionError("a body over 64 MB was taken")
    except urllib.error.HTTPError as refused:
        assert refused.code == 413 and "64 MB" in json.loads(refused.read())["error"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
