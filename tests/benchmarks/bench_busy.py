"""How fast ``/healthz`` answers while officers send submissions of large photos.

Run from the repository root:  python tests/benchmarks/bench_busy.py [--sync] [--senders 3]
Three officers each send six flat 24 MP PNGs (just under the 25 MP a PNG may have, about
1 s each to decode) at once, against gunicorn with the shipped configuration (two threaded
workers), or with ``--sync`` two sync workers as before it; meanwhile ``/healthz`` is asked
every 0.1 s. Then one submission of ten such photos, which the decoding budget refuses.
It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from support import images
from support.servers import HttpUser, Instance, Server, submit

OFFICERS = ("tho-xuong", "song-mai", "dinh-ke", "my-do", "le-loi")


def send(user: HttpUser, task: int, photo: bytes, count: int) -> tuple[int, float]:
    fields = {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task),
        "kind": "meeting",
        "occurred_at": "2024-03-21T14:00",
        "meeting_type": "Hội nghị",
        "place": "Hội trường",
        "organiser": "UBND phường",
        "attendees": "40",
        "photo": [FileStorage(io.BytesIO(photo), f"anh-{n}.png") for n in range(count)],
    }
    boundary, body = encode_multipart(fields)
    started = time.perf_counter()
    status, _ = submit(user, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sync", action="store_true", help="two sync workers instead")
    parser.add_argument("--senders", type=int, default=3, choices=range(1, len(OFFICERS) + 1))
    args = parser.parse_args()
    photo = images.flat_png(5657, 4243)
    instance = Instance(Path(tempfile.mkdtemp(prefix="bench-busy-"))).set_up()
    server = (
        Server(instance, workers=2, threads=1)
        if args.sync
        else Server(instance, config=ROOT / "deploy" / "gunicorn.conf.py", GUNICORN_WORKERS="2")
    )
    try:
        users = [HttpUser(server.base, name) for name in OFFICERS[: args.senders]]
        task = next(t["id"] for t in users[0].tasks() if "meeting" in t["kinds"])
        answers: list[tuple[int, float]] = []
        senders = [
            threading.Thread(target=lambda u=u: answers.append(send(u, task, photo, 6)))
            for u in users
        ]
        for thread in senders:
            thread.start()
        waits = []
        while any(thread.is_alive() for thread in senders):
            started = time.perf_counter()
            urllib.request.urlopen(server.base + "/healthz", timeout=120).read()
            waits.append(time.perf_counter() - started)
            time.sleep(0.1)
        for thread in senders:
            thread.join()
        kind = "two sync workers" if args.sync else "shipped configuration, two gthread workers"
        print(f"{kind}, {args.senders} submissions of 6 × 24 MP PNG at once:")
        for status, seconds in sorted(answers, key=lambda a: a[1]):
            print(f"  answered {status} in {seconds:.1f} s")
        print(
            f"  /healthz meanwhile: {len(waits)} answers, median "
            f"{statistics.median(waits) * 1000:.0f} ms, slowest {max(waits) * 1000:.0f} ms"
        )
        status, seconds = send(users[0], task, photo, 10)
        print(f"10 × 24 MP PNG in one submission: answered {status} in {seconds:.2f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
