"""Photo work is bounded per process, so pages and the health check are answered meanwhile."""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from support import images
from support.servers import HttpUser, site_photo_submission, submit
from wardapp.media import MediaError, upload, work
from wardapp.media.work import WorkGate


@contextmanager
def held(gate: WorkGate, wait_seconds: float = 5):
    """A turn taken in another thread and kept until the block ends."""
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with gate.turn(wait_seconds):
            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(30)
    try:
        yield
    finally:
        leave.set()
        thread.join(30)


def test_with_every_slot_taken_and_no_waiting_room_the_next_is_turned_away_at_once():
    gate = WorkGate(slots=1, queue=0)
    with held(gate):
        with pytest.raises(MediaError) as caught, gate.turn(wait_seconds=30):
            pass
    assert caught.value.status == 503 and "gửi lại sau" in caught.value.message
    with gate.turn(wait_seconds=0):  # free again once the holder left
        pass


def test_a_request_waits_for_its_turn_only_as_long_as_it_is_allowed():
    gate = WorkGate(slots=1, queue=1)
    with held(gate):
        with pytest.raises(MediaError) as caught, gate.turn(wait_seconds=0.05):
            pass
    assert caught.value.status == 503


def test_two_slots_let_two_work_at_once_and_turn_away_a_third():
    gate = WorkGate(slots=2, queue=0)
    with held(gate), held(gate):
        with pytest.raises(MediaError), gate.turn(wait_seconds=30):
            pass


@contextmanager
def threaded_server(app):
    """The app served by a real server with a thread per request, on loopback."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(10)


@pytest.mark.app_config(MEDIA_WORK_SLOTS=1, MEDIA_WORK_QUEUE=0)
def test_while_one_submission_decodes_photos_health_and_pages_answer_and_another_waits(
    seeded, monkeypatch
):
    decoding, finish = threading.Event(), threading.Event()
    at_work = []
    real = upload.process_photo

    def slow_photo(data, **kwargs):
        at_work.append(threading.get_ident())
        decoding.set()
        assert finish.wait(60), "the test never let the photo finish"
        return real(data, **kwargs)

    monkeypatch.setattr(upload, "process_photo", slow_photo)
    with threaded_server(seeded) as base:
        first, second = HttpUser(base, "tho-xuong"), HttpUser(base, "song-mai")
        task = next(t["id"] for t in first.tasks() if "site_photo" in t["kinds"])
        answers = {}

        def send_first():
            answers["first"] = submit(
                first,
                *site_photo_submission(str(uuid.uuid4()), task, images.jpeg(640, 480, seed=1)),
            )

        sender = threading.Thread(target=send_first)
        sender.start()
        try:
            assert decoding.wait(60)
            status, body = first.call("/healthz")
            assert status == 200 and json.loads(body)["status"] == "ok"
            assert first.call("/mine")[0] == 200
            status, body = submit(
                second,
                *site_photo_submission(str(uuid.uuid4()), task, images.jpeg(640, 480, seed=2)),
            )
            assert status == 503 and "photo" in json.loads(body)["fields"]
            assert len(at_work) == 1  # the second never started decoding
        finally:
            finish.set()
            sender.join(60)
    assert answers["first"][0] == 201


def test_the_gate_of_a_process_is_one_per_size():
    assert work.gate(1, 4) is work.gate(1, 4)
    assert work.gate(2, 4) is not work.gate(1, 4)
