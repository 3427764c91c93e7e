"""The content-addressed file store: idempotent puts, no half files, keys that stay inside."""

from __future__ import annotations

import hashlib
import os
import threading
import time

import pytest

from support import images as make
from support.stores import age, stray
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
