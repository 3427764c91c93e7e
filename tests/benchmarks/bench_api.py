"""Submissions per second through the real API: gunicorn, 2 workers, SQLite, ~400 KB photos.

Run from the repository root:  python tests/benchmarks/bench_api.py [--requests 300]
It sets up a throw-away instance (demo accounts, no evidence) in a temporary folder, starts
gunicorn on a free loopback port, signs in one officer per client thread, sends submissions
with a distinct phone-sized photo each, and prints throughput and latency. Target: ≥ 50/s.

In the same run it sends the same bodies to the floor (``floor_app.py``: a bare Flask
endpoint that parses the multipart body, hashes, writes with fsync and inserts one row),
served the same way, and prints the server CPU per submission of both and their ratio
(target ≤ 3×).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from support import images
from support.servers import HttpUser, free_port

OFFICERS = [
    "tho-xuong",
    "tran-nguyen-han",
    "ngo-quyen",
    "hoang-van-thu",
    "tran-phu",
    "my-do",
    "le-loi",
    "xuong-giang",
]


def server_cpu_seconds(master: int) -> float:
    """CPU time the gunicorn workers have used so far (Linux /proc), in seconds."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def photos(count: int) -> list[bytes]:
    """Distinct 2048×1536 phone photos of about 400 KB, as the outbox sends them.

    A few noisy scenes are drawn (slow), and each photo is a different crop of one of them, so
    every upload has its own bytes and sha256 while the set is made in seconds.
    """
    scenes = [images.photo_like(2048 + 64, 1536 + 64, seed=seed) for seed in range(4)]
    exif = images.exif(gps=(21.2731, 106.1946), taken_at=datetime(2024, 3, 20, 9), offset="+07:00")
    made = []
    for n in range(count):
        dx, dy = n // 4 % 64, n // 256 % 64
        out = io.BytesIO()
        scenes[n % 4].crop((dx, dy, dx + 2048, dy + 1536)).save(out, "JPEG", quality=74, exif=exif)
        made.append(out.getvalue())
    return made


class Client:
    def __init__(self, base: str, username: str):
        self.base = base
        user = HttpUser(base, username)  # through the login page, as a phone signs in
        self.opener, self.token = user.opener, user.token
        self.task_id = next(t["id"] for t in user.tasks() if "site_photo" in t["kinds"])

    def prepare(self, image: bytes) -> tuple[str, str, bytes]:
        """The request, encoded before the clock starts: the server is measured, not this."""
        key = str(uuid.uuid4())
        boundary, body = encode_multipart(
            {
                "client_uuid": key,
                "task_id": str(self.task_id),
                "kind": "site_photo",
                "occurred_at": "2024-03-20T09:00",
                "place": "Dải phân cách đường Hùng Vương",
                "installed": "Pano",
                "quantity": "1",
                "lat": "21.2731",
                "lon": "106.1946",
                "photo": FileStorage(io.BytesIO(image), "anh.jpg", content_type="image/jpeg"),
            }
        )
        return key, boundary, body

    def submit(self, prepared: tuple[str, str, bytes]) -> tuple[int, float]:
        key, boundary, body = prepared
        request = urllib.request.Request(
            self.base + "/api/v1/evidence",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-CSRFToken": self.token,
                "Idempotency-Key": key,
            },
        )
        started = time.perf_counter()
        try:
            status = self.opener.open(request).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        return status, time.perf_counter() - started


class FloorClient(Client):
    """The same bodies, sent to the floor: no session and no token to carry."""

    def __init__(self, base: str, task_id: int):
        self.base, self.task_id, self.token = base, task_id, ""
        self.opener = urllib.request.build_opener()


def gunicorn(app: list[str], port: int, env: dict) -> subprocess.Popen:
    """Two sync workers, as both servers are measured."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", *app],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(base: str, path: str = "/healthz") -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(base + path)
            return
        except urllib.error.HTTPError:
            return  # it answers (the floor has no page for a GET)
        except OSError:
            time.sleep(0.1)


def send_all(server, clients, images, requests: int):
    """Every prepared submission sent, each client in its thread; results, seconds, CPU."""
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    queue = [
        (clients[i % len(clients)], clients[i % len(clients)].prepare(images[i]))
        for i in range(requests)
    ]

    def work(client) -> None:
        mine = [p for c, p in queue if c is client]
        for prepared in mine:
            outcome = client.submit(prepared)
            with lock:
                results.append(outcome)

    cpu_before = server_cpu_seconds(server.pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return results, elapsed, server_cpu_seconds(server.pid) - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    images = photos(args.requests)
    print(
        f"photo size: median {statistics.median(map(len, images)) / 1024:.0f} KB, "
        f"{len(set(images))} distinct"
    )
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "FLASK_APP": str(ROOT / "wsgi.py"),
            "WARDAPP_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "WARDAPP_MEDIA_DIR": f"{folder}/media",
            "WARDAPP_SECRET_KEY": "bench",
        }
        flask = [sys.executable, "-m", "flask"]
        subprocess.run(
            flask + ["db", "upgrade", "-d", str(ROOT / "migrations")],
            env=env,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            flask + ["wardapp", "demo", "--no-evidence"], env=env, check=True, capture_output=True
        )
        port = free_port()
        server = gunicorn(["wsgi:app"], port, env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base)
            clients = [Client(base, OFFICERS[i % len(OFFICERS)]) for i in range(args.clients)]
            results, elapsed, cpu = send_all(server, clients, images, args.requests)
        finally:
            server.terminate()
            server.wait(10)
        floor_env = {**env, "FLOOR_DIR": folder}
        floor_port = free_port()
        floor = gunicorn(
            ["--chdir", str(ROOT / "tests" / "benchmarks"), "floor_app:app"], floor_port, floor_env
        )
        try:
            floor_base = f"http://127.0.0.1:{floor_port}"
            wait_for(floor_base, "/api/v1/evidence")
            floor_clients = [FloorClient(floor_base, c.task_id) for c in clients]
            floor_results, floor_elapsed, floor_cpu = send_all(
                floor, floor_clients, images, args.requests
            )
        finally:
            floor.terminate()
            floor.wait(10)
    latencies = sorted(r[1] * 1000 for r in results)
    statuses = {s: sum(1 for r in results if r[0] == s) for s in {r[0] for r in results}}
    print(
        f"{len(results)} submissions from {args.clients} clients in {elapsed:.1f} s: "
        f"{len(results) / elapsed:.1f} submissions/s (target ≥ 50)"
    )
    print(
        f"latency median {statistics.median(latencies):.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms; statuses {statuses}"
    )
    per = cpu / len(results)
    print(
        f"server CPU {per * 1000:.1f} ms per submission: two cores given to the app alone "
        f"would take about {2 / per:.0f} submissions/s (the load generator shares them here)"
    )
    floor_per = floor_cpu / len(floor_results)
    floor_ok = sum(1 for r in floor_results if r[0] == 201)
    print(
        f"floor (bare Flask: parse, hash, fsync write, one insert): {floor_ok} of "
        f"{len(floor_results)} stored in {floor_elapsed:.1f} s, server CPU "
        f"{floor_per * 1000:.1f} ms per submission"
    )
    print(f"app / floor, server CPU per submission: {per / floor_per:.1f}× (target ≤ 3×)")


if __name__ == "__main__":
    main()
