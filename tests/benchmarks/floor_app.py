"""The floor ``bench_api.py`` measures the app against: the least any server does with a
submission, and nothing more.

A bare Flask app with one endpoint: parse the same multipart body, hash the photo, write it
with fsync beside its final name and rename it, insert one row into SQLite (WAL,
``synchronous=FULL``, as the app's), answer 201. No session, CSRF, checks of the bytes,
photo copies, warnings, audit record or template. Served by gunicorn as the app is:
``gunicorn --chdir tests/benchmarks floor_app:app`` with ``FLOOR_DIR`` set.
"""

import hashlib
import json
import os
import sqlite3
import tempfile
import threading

from flask import Flask, jsonify, request

app = Flask(__name__)
FOLDER = os.environ.get("FLOOR_DIR") or tempfile.mkdtemp()
_local = threading.local()


def connection() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(os.path.join(FOLDER, "floor.sqlite3"), timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS evidence (id INTEGER PRIMARY KEY, client_uuid TEXT "
            "UNIQUE, task_id INTEGER, fields TEXT, photo_key TEXT)"
        )
        _local.conn = conn
    return conn


@app.post("/api/v1/evidence")
def submit():
    photo = request.files["photo"]
    data = photo.read()
    digest = hashlib.sha256(data).hexdigest()
    target = os.path.join(FOLDER, digest + ".jpg")
    fd, temp = tempfile.mkstemp(dir=FOLDER)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, target)
    fields = {k: v for k, v in request.form.items() if k not in ("client_uuid", "task_id")}
    conn = connection()
    cursor = conn.execute(
        "INSERT INTO evidence (client_uuid, task_id, fields, photo_key) VALUES (?, ?, ?, ?)",
        (request.form["client_uuid"], int(request.form["task_id"]), json.dumps(fields), digest),
    )
    conn.commit()
    return jsonify(id=cursor.lastrowid), 201
