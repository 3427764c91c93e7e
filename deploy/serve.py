"""One host, one command: gunicorn (``deploy/gunicorn.conf.py``) and one job worker beside it.

``python deploy/serve.py`` (what ``make serve`` runs) starts both with the environment it was
given and keeps them together: Ctrl-C or SIGTERM stops both (each finishing what it is doing),
and if either one exits the other is stopped too, so nothing is left serving without its
worker. Larger installations run gunicorn and ``flask wardapp worker`` as services of their
own instead (see the README).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 40  # gunicorn's graceful timeout is 30 s


def main() -> int:
    env = {"FLASK_APP": str(ROOT / "wsgi.py"), **os.environ}
    # Each in a process group of its own: a Ctrl-C reaches this process alone, which passes
    # each child the one signal that stops it gracefully (a second would hurry it).
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        process_group=0,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "wardapp", "worker"], cwd=ROOT, env=env, process_group=0
    )
    children = {"gunicorn": web, "worker": worker}
    asked = []

    def stop(signum, _frame):
        asked.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not asked and all(p.poll() is None for p in children.values()):
        time.sleep(0.2)
    gone = [name for name, p in children.items() if p.poll() is not None]
    if gone and not asked:
        print(f"serve: {', '.join(gone)} exited; stopping the rest", file=sys.stderr, flush=True)
    # SIGTERM is gunicorn's graceful stop, SIGINT the worker's (it finishes its jobs).
    for process, graceful in ((web, signal.SIGTERM), (worker, signal.SIGINT)):
        if process.poll() is None:
            process.send_signal(graceful)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in children.values():
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return 0 if asked else max(p.returncode or 0 for p in children.values()) or 1


if __name__ == "__main__":
    sys.exit(main())
