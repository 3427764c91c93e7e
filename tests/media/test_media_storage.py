"""The content-addressed file store: idempotent puts, no half files, keys that stay inside."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time

import pytest

from support import images as make
from support.stores import age, lose, stray
from wardapp.media import LocalStorage
from wardapp.media.storage import key_for

# --- Storage --------------------------------------------------------------------------------


def test_put_is_content_addressed_and_idempotent(any_store):
    store = any_store
    data = make.pdf()
    digest = hashlib.sha256(data).hexdigest()

    key = store.put(data, ".pdf")
    age(store, [key], past_grace=False)
    first = store.modified_at(key)
    again = store.put(data, "pdf")

    assert key == again == f"{digest[:2]}/{digest[2:4]}/{digest}.pdf"
    assert store.modified_at(key) > first  # its time refreshed (fsck spares it)
    with store.open(key) as stored:
        assert stored.read() == data
    assert store.exists(key) and not store.exists(key_for(b"never stored", ".pdf"))
    if isinstance(store, LocalStorage):
        assert store.path(key) == store.root / key  # nginx can send it


def test_put_leaves_no_temporary_files_even_when_the_rename_fails(tmp_path, monkeypatch):
    storage = LocalStorage(tmp_path)
    kept = storage.put(b"first", ".txt")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        storage.put(b"second", ".txt")

    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == [kept]


def test_iter_keys_lists_stored_files_and_nothing_else(any_store):
    keys = sorted([any_store.put(b"one", ".jpg"), any_store.put(b"two", ".pdf")])
    folder = keys[0].rsplit("/", 1)[0]
    stray(any_store, f"{folder}/.tmp-abandoned", b"half")
    stray(any_store, f"{folder}/notes.txt", b"stray")
    stray(any_store, f".aside/{keys[0]}", b"one")

    assert list(any_store.iter_keys()) == keys
    entries = dict(any_store.iter_entries())  # what fsck reads: one listing, with the times
    assert list(entries) == keys
    assert all(abs(entries[k] - any_store.modified_at(k)) < 1 for k in keys)


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "ab/cd/../../../etc/passwd",
        "ab/cd/" + "ab" * 32 + "/../x",
        "ab/cd/" + "ff" * 32 + ".jpg",  # the folders do not match the hash
        "AB/CD/" + "ab" * 32,
        "",
    ],
)
@pytest.mark.parametrize("method", ["open", "exists", "modified_at", "path"])
def test_key_that_could_escape_the_root_is_refused(any_store, key, method):
    with pytest.raises(ValueError):
        getattr(any_store, method)(key)


def test_unsafe_suffix_is_refused(any_store):
    with pytest.raises(ValueError):
        any_store.put(b"x", "/../../evil")


# --- The S3 bucket --------------------------------------------------------------------------


def test_a_large_file_goes_up_in_parts_and_appears_only_whole(s3_server, monkeypatch):
    store = s3_server.store()
    store.MULTIPART_BYTES, store.PART_BYTES = 6 * 2**20, 5 * 2**20
    data = os.urandom(11 * 2**20)

    key = store.put(data, ".zip")
    with store.open(key) as stored:
        assert stored.read() == data
    head = store.client.head_object(Bucket=store.bucket, Key=store.prefix + key)
    assert head["ETag"].strip('"').endswith("-3")  # three parts, completed as one object

    # A file open on disk (an export) goes up in parts too, never read whole.
    exported = io.BytesIO(data[::-1])
    exported.seek(0)
    from_file = store.put_file(exported, ".zip")
    assert from_file == key_for(data[::-1], ".zip")
    with store.open(from_file) as stored:
        assert stored.read() == data[::-1]
    small = store.put_file(io.BytesIO(b"a small report"), ".docx")
    assert small == key_for(b"a small report", ".docx") and store.exists(small)
    # Set aside and put back by fsck in parts as well.
    assert (
        store.remove_orphans(
            [from_file], older_than=time.time() + 60, still_named=lambda keys: set(keys)
        )
        == []
    )
    with store.open(from_file) as stored:
        assert stored.read() == data[::-1]

    real = store.client.upload_part
    calls = []

    def failing_second_part(**kwargs):
        calls.append(kwargs["PartNumber"])
        if kwargs["PartNumber"] == 2:
            raise OSError("connection reset")
        return real(**kwargs)

    monkeypatch.setattr(store.client, "upload_part", failing_second_part)
    other = os.urandom(11 * 2**20)
    with pytest.raises(OSError):
        store.put(other, ".zip")
    assert calls == [1, 2] and not store.exists(key_for(other, ".zip"))
    pending = store.client.list_multipart_uploads(Bucket=store.bucket, Prefix=store.prefix)
    assert pending.get("Uploads", []) == []  # aborted, not left to fill the bucket


def test_bytes_stored_while_fsck_is_removing_them_are_there_when_put_returns(s3_server):
    """fsck has set its copy aside and is about to delete the object when a request stores
    the same bytes: the request waits for the delete and writes them again."""
    store = s3_server.store()
    data = b"an old orphan that a new submission carries again"
    key = store.put(data, ".jpg")
    about_to_delete, go_on = threading.Event(), threading.Event()
    real_delete = store._delete

    def slow_delete(name):
        if name == store.prefix + key:
            about_to_delete.set()
            assert go_on.wait(30)
        real_delete(name)

    store._delete = slow_delete
    removing = {}
    fsck = threading.Thread(
        target=lambda: removing.setdefault(
            "removed",
            store.remove_orphans([key], older_than=time.time() + 60, still_named=lambda k: set()),
        )
    )
    fsck.start()
    assert about_to_delete.wait(30)
    storing = {}
    request = threading.Thread(target=lambda: storing.setdefault("key", store.put(data, ".jpg")))
    request.start()
    time.sleep(1)
    assert "key" not in storing  # it saw fsck's copy aside and waits
    go_on.set()
    fsck.join(30)
    request.join(30)
    assert storing["key"] == key and removing["removed"] == [key]  # fsck's copy went
    with store.open(key) as handle:
        assert handle.read() == data
    assert list(store.iter_keys()) == [key]


def test_the_store_is_chosen_by_settings_from_the_environment(s3_server, tmp_path, monkeypatch):
    from support.app import make_app
    from wardapp.media.app_store import storage
    from wardapp.media.s3 import S3Storage

    for name, value in {
        "STORAGE": "s3",
        "S3_BUCKET": s3_server.settings()["S3_BUCKET"],
        "S3_ENDPOINT_URL": s3_server.endpoint,
        "S3_REGION": "ap-southeast-1",
        "S3_PREFIX": "2024",  # a name, not the number JSON would make of it
        "S3_PRESIGN": "true",
    }.items():
        monkeypatch.setenv(f"WARDAPP_{name}", value)
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    app = make_app(database, tmp_path)
    assert app.config["S3_PREFIX"] == "2024" and app.config["S3_PRESIGN"] is True
    with app.app_context():
        store = storage()
        assert isinstance(store, S3Storage) and store.prefix == "2024/"
        key = store.put(b"chosen by the environment", ".txt")
        listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix="2024/")
        assert [o["Key"] for o in listed["Contents"]] == [f"2024/{key}"]

    monkeypatch.setenv("WARDAPP_STORAGE", "ftp")
    monkeypatch.setenv("WARDAPP_S3_PRESIGN", "false")
    wrong = make_app(database, tmp_path)
    with wrong.app_context(), pytest.raises(RuntimeError, match="local, s3"):
        storage()


def test_a_copy_an_interrupted_fsck_left_aside_holds_no_put_up_and_goes_back(s3_server):
    store = s3_server.store()
    data = b"an orphan fsck was removing when it was killed"
    key = store.put(data, ".jpg")
    stray(store, f".aside/{key}", data)  # what a killed fsck leaves: its copy
    store.STALE_ASIDE_SECONDS = 0  # (a copy left ten minutes ago)
    started = time.monotonic()
    assert store.put(data, ".jpg") == key  # the bytes were there: it looks aside, and goes on
    assert time.monotonic() - started < store.HELD_WAIT_SECONDS / 10
    store.put(b"something else", ".jpg")

    lose(store, key)  # killed after deleting the object

    assert store.remove_stale_temporaries(older_than=time.time() + 60) == 1
    assert store.exists(key)  # put back: the next fsck decides about it again
    with store.open(key) as handle:
        assert handle.read() == data
    assert sorted(store.iter_keys()) == sorted([key, key_for(b"something else", ".jpg")])
