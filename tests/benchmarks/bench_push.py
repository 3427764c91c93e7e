"""How long from a reviewer's return to the push arriving at the officer's push service.

Run from the repository root:  python tests/benchmarks/bench_push.py [--redis URL] [--returns 8]
gunicorn with the shipped defaults and one ``flask wardapp worker`` serve a fresh instance; a
push service of the tests' own listens on loopback; the officer subscribes over HTTP, sends a
photo report, and the reviewer returns it, again and again, with idle pauses between. Each
push is decrypted and checked. The job queue is SQLite by default (the worker polls it,
idling up to Huey's longest pause), Redis with ``--redis`` (a blocking read). It prints
figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from support import images
from support.push import Browser, PushService
from support.servers import HttpUser, Instance, Server, site_photo_submission, submit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--redis", help="a Redis URL for the job queue (e.g. redis://127.0.0.1:6379/13)"
    )
    parser.add_argument("--returns", type=int, default=8)
    args = parser.parse_args()
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings = {
        "PUSH_INSECURE_ENDPOINTS": '["http://127.0.0.1"]',
        "VAPID_PRIVATE_KEY": key.decode(),
        "JOBS_IMMEDIATE": "false",
    }
    if args.redis:
        settings["REDIS_URL"] = args.redis
    service = PushService()
    with tempfile.TemporaryDirectory() as folder:
        instance = Instance(Path(folder), **settings).set_up()
        server = Server(instance)
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "wardapp", "worker", "--threads", "2", "--no-periodic"],
            env=instance.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            officer = HttpUser(server.base, "tho-xuong")
            reviewer = HttpUser(server.base, "vhtt")
            browser = Browser(f"{service.url}/push/bench")
            status, _ = officer.call(
                "/api/v1/push/subscriptions",
                json.dumps(browser.subscription()).encode(),
                {"Content-Type": "application/json", "X-CSRFToken": officer.token},
            )
            assert status == 201, status
            task = next(t["id"] for t in officer.tasks() if "site_photo" in t["kinds"])
            waits = []
            for n in range(args.returns):
                body, headers = site_photo_submission(
                    str(uuid.uuid4()), task, images.jpeg(640, 480, seed=n)
                )
                status, answer = submit(officer, body, headers)
                assert status == 201, answer
                evidence_id = json.loads(answer)["id"]
                time.sleep(random.uniform(0.5, 3.0))  # the queue idles, as between decisions
                service.arrived.clear()
                before = len(service.received)
                form = urllib.parse.urlencode(
                    {"csrf_token": reviewer.token, "reason": "Ảnh chưa rõ, chụp lại gần hơn"}
                ).encode()
                started = time.perf_counter()
                status, _ = reviewer.call(f"/review/{evidence_id}/return", form)
                assert status in (200, 303), status
                while len(service.received) == before:
                    if not service.arrived.wait(30):
                        raise SystemExit("no push within 30 s")
                    service.arrived.clear()
                pushed = service.received[before]
                waits.append(pushed["at"] - started)
                message = json.loads(browser.decrypt(pushed["body"]))
                assert f"supersedes={evidence_id}" in message["url"], message
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
            server.stop()
            service.close()
    queue = "redis" if args.redis else "sqlite"
    ms = sorted(w * 1000 for w in waits)
    print(
        f"return -> push arrival, {queue} queue, {len(ms)} returns: "
        f"min {ms[0]:.0f} ms, median {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
