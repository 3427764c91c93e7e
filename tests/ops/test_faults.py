"""Faults: the server killed mid-upload, the database locked or gone, the media disk full.

Whatever happens, nothing is half-stored (no row without its files, no file left that fsck
would not find), the client is told to try again, and its retry with the same client_uuid
lands exactly once.
"""

import os
import socket
import sqlite3
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

import wardapp.media.storage
from support.app import database_settings, make_app
from support.evidence import Officer, photo, task_id
from support.faults import FullDisk, TcpProxy, sqlite_write_lock, unread_bytes, wait_for, write_lock
from support.review import Reviewer, status
from support.servers import HttpUser, Server, site_photo_submission, submit
from wardapp.evidence.models import Evidence
from wardapp.extensions import db

UUID = "5f0c2b7e-8d4a-4e6b-9c1d-2a3b4c5d6e7f"


def rows_with(instance, client_uuid: str) -> int:
    with sqlite3.connect(instance.database) as conn:
        return conn.execute(
            "SELECT count(*) FROM evidence WHERE client_uuid = ?", (client_uuid,)
        ).fetchone()[0]


def attempt(user, body, headers) -> str | int:
    try:
        return submit(user, body, headers)[0]
    except OSError:  # the connection died with the server: the outbox keeps the item
        return "network error"


def retry_lands_once(server, user, body, headers, client_uuid, instance) -> None:
    first, second = submit(user, body, headers), submit(user, body, headers)
    assert (first[0], second[0]) == (201, 200)
    assert first[1] == second[1]  # the replay is answered with the same evidence
    assert rows_with(instance, client_uuid) == 1


def test_a_server_killed_after_storing_the_files_leaves_no_row_and_the_retry_lands_once(
    kill_instance,
):
    server = Server(kill_instance)
    try:
        officer = HttpUser(server.base, "tho-xuong")
        task = next(t["id"] for t in officer.tasks() if "site_photo" in t["kinds"])
        key = str(uuid.uuid4())
        body, headers = site_photo_submission(key, task, photo(71))
        before, answers = kill_instance.files(), []
        # Another writer holds the database: the request stores its files, then waits to
        # insert its row, and is killed there, between the two.
        with sqlite_write_lock(kill_instance.database):
            sending = threading.Thread(
                target=lambda: answers.append(attempt(officer, body, headers))
            )
            sending.start()
            wait_for(
                lambda: len(kill_instance.files() - before) == 3, "original, copy and thumbnail"
            )
            server.kill()
            sending.join(60)
        assert answers == ["network error"]
        left = kill_instance.files() - before
        assert not [f for f in left if "/.tmp-" in f]  # every file whole, or not there
        assert rows_with(kill_instance, key) == 0
        for name in left:  # an hour later, fsck names each of them
            os.utime(kill_instance.media / name, (time.time() - 7200,) * 2)
        found = kill_instance.flask("wardapp", "fsck")
        assert found.returncode == 1 and all(
            f"orphan file (no row points at it): {n}" in found.stdout for n in left
        )

        server = Server(kill_instance, port=server.port)
        retry_lands_once(server, officer, body, headers, key, kill_instance)
        assert kill_instance.files() - before == left  # the same bytes, now with their row
        assert kill_instance.flask("wardapp", "fsck").returncode == 0
    finally:
        server.kill()


def test_a_server_killed_while_the_photo_is_still_arriving_stores_nothing(kill_instance):
    server = Server(kill_instance)
    try:
        officer = HttpUser(server.base, "song-mai")
        task = next(t["id"] for t in officer.tasks() if "site_photo" in t["kinds"])
        key = str(uuid.uuid4())
        body, headers = site_photo_submission(key, task, photo(72, size=(1600, 1200)))
        before = kill_instance.files()
        cookie = officer.cookie_header()
        head = (
            f"POST /api/v1/evidence HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: {headers['Content-Type']}\r\nContent-Length: {len(body)}\r\n"
            f"X-CSRFToken: {officer.token}\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
        slow = socket.create_connection(("127.0.0.1", server.port))
        slow.sendall(head + body[: len(body) // 2])
        client_port = slow.getsockname()[1]
        # The worker has read all that was sent and waits for the rest of the photo.
        wait_for(lambda: unread_bytes(server.port, client_port) == 0, "the worker to read")
        server.kill()
        slow.close()
        assert kill_instance.files() == before
        assert rows_with(kill_instance, key) == 0
        server = Server(kill_instance, port=server.port)
        retry_lands_once(server, officer, body, headers, key, kill_instance)
    finally:
        server.kill()


def evidence_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Evidence.id)))


def media_files(app) -> list[str]:
    root = app.config["MEDIA_DIR"]
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


@pytest.mark.app_config(LOCK_TIMEOUT_MS=300)
def test_while_another_writer_holds_the_database_the_api_answers_503_then_recovers(seeded, backend):
    officer = Officer(seeded, "tho-xuong")
    with write_lock(seeded, backend):
        refused = officer.site_photo(client_uuid=UUID, photos=[photo(73)])
    assert refused.status_code == 503 and refused.is_json
    assert "thử lại" in refused.json["error"] and refused.headers["Retry-After"]
    assert evidence_count(seeded) == 0
    left = media_files(seeded)  # whole files, kept for fsck: another request may share them
    assert len(left) == 3 and not [f for f in left if "/.tmp-" in f]
    assert officer.site_photo(client_uuid=UUID, photos=[photo(73)]).status_code == 201
    assert officer.site_photo(client_uuid=UUID, photos=[photo(73)]).status_code == 200
    assert evidence_count(seeded) == 1
    assert media_files(seeded) == left  # the retry's row names the very same files


@pytest.mark.app_config(LOCK_TIMEOUT_MS=300)
def test_while_another_writer_holds_the_database_a_page_answers_503_with_the_error_page(
    seeded, backend
):
    evidence_id = Officer(seeded, "tho-xuong").site_photo(photos=[photo(77)]).json["id"]
    reviewer = Reviewer(seeded)
    with write_lock(seeded, backend):
        refused = reviewer.approve(evidence_id, htmx=False)  # a plain form post: HTML
    assert refused.status_code == 503 and refused.mimetype == "text/html"
    assert "vui lòng thử lại sau ít phút" in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"] == "5"
    assert status(seeded, evidence_id) == ("submitted", None)
    assert reviewer.approve(evidence_id, htmx=False).status_code == 303
    assert status(seeded, evidence_id) == ("approved", None)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_when_postgresql_goes_away_the_api_answers_503_and_comes_back_by_itself(backend, tmp_path):
    proxy = TcpProxy(("127.0.0.1", 5432)).start()
    from wardapp import demo

    with database_settings("postgresql", tmp_path) as settings:
        settings["SQLALCHEMY_DATABASE_URI"] = settings["SQLALCHEMY_DATABASE_URI"].replace(
            "127.0.0.1:5432", f"127.0.0.1:{proxy.port}"
        )
        app = make_app(settings, tmp_path)
        try:
            with app.app_context():
                db.create_all()
                demo.seed(with_evidence=False)
                db.session.commit()
            officer = Officer(app, "tho-xuong")
            fields = {
                "client_uuid": UUID,
                "task_id": str(task_id(app, 6)),
                "kind": "site_photo",
                "occurred_at": "2024-03-20T09:00",
                "place": "Đường Hùng Vương",
                "installed": "Pano",
                "quantity": "1",
            }
            proxy.stop()
            refused = officer.post(fields, photos=[photo(74)])
            assert refused.status_code == 503 and refused.is_json and refused.json["error"]
            assert officer.client.get("/healthz").status_code == 503
            page = officer.client.get("/mine")  # not even who is signed in can be read
            assert page.status_code == 503 and page.headers["Retry-After"] == "5"
            assert "vui lòng thử lại sau ít phút" in page.get_data(as_text=True)
            assert media_files(app) == []
            proxy.start()
            assert officer.post(fields, photos=[photo(74)]).status_code == 201
            assert evidence_count(app) == 1
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            proxy.stop()


def test_a_full_media_disk_stores_nothing_answers_507_and_the_retry_succeeds(seeded, monkeypatch):
    officer = Officer(seeded, "tho-xuong")
    photos = [photo(75), photo(76)]
    disk = FullDisk(free=len(photos[0]) + 100)  # the first original fits, nothing after it
    monkeypatch.setattr(wardapp.media.storage, "os", disk)
    refused = officer.site_photo(client_uuid=UUID, photos=photos)
    assert disk.failures == 1
    assert refused.status_code == 507 and refused.is_json
    assert "hết chỗ lưu tệp" in refused.json["error"]
    assert evidence_count(seeded) == 0
    kept = media_files(seeded)  # the first original, whole, left for fsck; no half file
    assert len(kept) == 1 and "/.tmp-" not in kept[0]
    monkeypatch.undo()  # space freed
    created = officer.site_photo(client_uuid=UUID, photos=photos)
    assert created.status_code == 201 and len(created.json["media"]) == 2
    assert officer.site_photo(client_uuid=UUID, photos=photos).status_code == 200
    assert evidence_count(seeded) == 1
