"""gunicorn as wardapp runs: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app`` (``make serve``).

A city can use it as it is, behind nginx (``deploy/nginx.conf``), which takes each upload in
whole before it passes it on, so a phone sending a photo over 3G for a minute holds nginx,
not a worker. Each value can be changed from the environment, as below.

Threaded workers, because the sync worker serves one request at a time: two clients sending
slowly (or two submissions of large photos) held both sync workers and ``/healthz`` waited
10–31 s, and a sync worker busy with one request for longer than ``timeout`` was killed,
upload and all. A threaded worker serves ``threads`` requests at once; photo decoding is kept
to one submission a process at a time (``WARDAPP_MEDIA_WORK_SLOTS``), so the other threads
keep answering pages and the health check.
"""

import os
from pathlib import Path

wsgi_app = "wsgi:app"
chdir = str(Path(__file__).resolve().parent.parent)  # where wsgi.py is, wherever started from
proc_name = "wardapp"

# Loopback by default: nginx on the same machine is the only one that should reach it.
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

# One process a core (at least 2, so one can restart while the other serves; at most 4, as
# each holds its own copy of the app and of the photos it decodes).
workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or os.environ.get("WEB_CONCURRENCY")
    or min(max(os.cpu_count() or 2, 2), 4)
)
worker_class = "gthread"
# Eight: one decoding photos, up to four waiting their turn (WARDAPP_MEDIA_WORK_QUEUE), and
# still three for pages and /healthz. A thread waiting for a client or the database costs
# next to nothing.
threads = int(os.environ.get("GUNICORN_THREADS", 8))

# For a threaded worker this is how long its main loop may go silent before the master
# restarts it (the loop checks in every second whatever its threads are doing), not how long
# a request may take: a slow upload runs as long as the client keeps sending.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On a restart or a deploy, what is in flight gets this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# An idle kept-alive connection waits in the worker's loop, not in a thread.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# The heartbeat file in memory, so a slow disk cannot look like a stuck worker.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# nginx logs every request already; GUNICORN_ACCESS_LOG=- writes gunicorn's to stdout too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def when_ready(server):
    """`make serve` (GUNICORN_READY_MESSAGE=demo) says where the demo answers and as whom to
    sign in, once it does, rather than leaving its address among the start-up lines."""
    if os.environ.get("GUNICORN_READY_MESSAGE") != "demo":
        return
    from wardapp.demo.accounts import ready_message

    host = bind[0] if bind[0].startswith("unix:") else f"http://{bind[0]}"
    print("\n" + ready_message(host) + "\n", flush=True)


# The control socket (gunicornc) is off: its default path is one per user, which two
# installations on one machine would share. GUNICORN_CONTROL_SOCKET=/run/wardapp/gunicorn.ctl
# turns it on at a path of this installation's own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
