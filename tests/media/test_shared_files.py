"""Files are named by their bytes and shared by every row that carries the same bytes: a
request that fails never takes them away from one that committed, and neither does fsck."""

import threading
import time
import uuid

import pytest
from sqlalchemy import select

import wardapp.evidence.services
from support.evidence import Officer, photo
from support.faults import write_lock
from support.races import at_once
from support.stores import age
from wardapp.evidence.models import Media
from wardapp.extensions import db
from wardapp.media.app_store import storage

pytestmark = pytest.mark.both_stores


class HeldAfterStoring:
    """Holds the submission with the given key once its files are stored and before its row
    is written, until ``release``; every other submission passes."""

    def __init__(self, monkeypatch, client_uuid: str):
        self.client_uuid = client_uuid
        self.stored, self.go = threading.Event(), threading.Event()
        real = wardapp.evidence.services.warnings_for

        def held(evidence):
            if evidence.client_uuid == self.client_uuid:
                self.stored.set()
                assert self.go.wait(30), "never released"
            return real(evidence)

        monkeypatch.setattr(wardapp.evidence.services, "warnings_for", held)

    def release(self) -> None:
        self.go.set()


def files_answer(officer: Officer, body: dict) -> list[int]:
    return [
        officer.client.get(url).status_code for m in body["media"] for url in m["urls"].values()
    ]


@pytest.mark.app_config(LOCK_TIMEOUT_MS=300)
def test_a_submission_that_times_out_leaves_the_files_a_committed_one_shares(
    seeded, backend, monkeypatch
):
    image = photo(seed=90)
    first, second = Officer(seeded, "tho-xuong"), Officer(seeded, "song-mai")
    failing = str(uuid.uuid4())
    hold = HeldAfterStoring(monkeypatch, failing)
    answers = {}
    sending = threading.Thread(
        target=lambda: answers.setdefault(
            "failing", first.site_photo(client_uuid=failing, photos=[image])
        )
    )
    sending.start()
    assert hold.stored.wait(30)  # its original, copy and thumbnail are written, no row yet
    committed = second.site_photo(photos=[image])  # the same bytes: found there, reused
    assert committed.status_code == 201
    with write_lock(seeded, backend):  # the held one now waits past its lock timeout
        hold.release()
        sending.join(30)
    assert answers["failing"].status_code == 503
    assert files_answer(second, committed.json) == [200, 200, 200]


def test_a_submission_that_loses_the_race_for_its_key_leaves_the_winners_files(seeded):
    """The same key and bytes with another field: one lands, the other is a conflict."""
    image, key = photo(seed=91), str(uuid.uuid4())
    first, second = Officer(seeded, "tho-xuong"), Officer(seeded, "tho-xuong")
    results = at_once(
        lambda: first.site_photo(client_uuid=key, photos=[image], quantity="2"),
        lambda: second.site_photo(client_uuid=key, photos=[image], quantity="3"),
    )
    assert sorted(r.status_code for r in results) == [201, 409]
    winner = next(r for r in results if r.status_code == 201)
    assert files_answer(first, winner.json) == [200, 200, 200]


# Any moment from now on counts every file stored so far as old.
LATER = 60


def test_fsck_spares_an_old_orphan_that_a_submission_is_reusing(seeded, monkeypatch):
    image = photo(seed=92)
    officer = Officer(seeded, "tho-xuong")
    with seeded.app_context():
        from wardapp.media import process_photo

        processed = process_photo(image, max_pixels=50_000_000)
        store = storage()
        orphans = [
            store.put(image, ".jpg"),
            store.put(processed.display, ".jpg"),
            store.put(processed.thumb, ".jpg"),
        ]
        age(store, orphans)  # left by a request that failed an hour ago: fsck would remove them
    key = str(uuid.uuid4())
    hold = HeldAfterStoring(monkeypatch, key)
    answers = {}
    sending = threading.Thread(
        target=lambda: answers.setdefault(
            "reuse", officer.site_photo(client_uuid=key, photos=[image])
        )
    )
    sending.start()
    assert hold.stored.wait(30)  # it found the orphans there and is about to name them
    repaired = seeded.test_cli_runner().invoke(args=["wardapp", "fsck", "--repair"])
    assert "removed" not in repaired.output
    hold.release()
    sending.join(30)
    assert answers["reuse"].status_code == 201
    with seeded.app_context():
        named = {
            k
            for m in db.session.scalars(select(Media))
            for k in (m.original_key, m.display_key, m.thumb_key)
        }
    assert set(orphans) <= named
    assert files_answer(officer, answers["reuse"].json) == [200, 200, 200]


def test_an_orphan_named_by_a_row_after_the_scan_is_put_back(seeded):
    """The moment between fsck's scan and its delete: the row appears, the file stays."""
    with seeded.app_context():
        store = storage()
        data = b"bytes a row names a moment later"
        key = store.put(data, ".jpg")
        removed = store.remove_orphans(
            [key], older_than=time.time() + LATER, still_named=lambda keys: set(keys)
        )
        assert removed == [] and store.exists(key)
        with store.open(key) as handle:
            assert handle.read() == data
        removed = store.remove_orphans(
            [key], older_than=time.time() + LATER, still_named=lambda keys: set()
        )
        assert removed == [key] and not store.exists(key)
        assert list(store.iter_keys()) == []  # nothing left aside either


def test_bytes_stored_again_while_fsck_holds_them_aside_are_written_anew(seeded):
    with seeded.app_context():
        store = storage()
        data = b"bytes fsck is removing while a request stores them"
        key = store.put(data, ".jpg")
        stored_at = time.time()
        age(store, [key], past_grace=False)

        def stored_meanwhile(keys):
            assert not store.exists(key)  # aside: a put now cannot find it
            assert store.put(data, ".jpg") == key
            return set()

        store.remove_orphans([key], older_than=time.time() + LATER, still_named=stored_meanwhile)
        assert store.exists(key)
        with store.open(key) as handle:
            assert handle.read() == data
        assert store.modified_at(key) > stored_at  # the new copy, not the old one
