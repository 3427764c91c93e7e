"""The content-addressed file store: idempotent puts, no half files, keys that stay inside."""

from __future__ import annotations

import hashlib
import os

import pytest

from support import images as make
from wardapp.media import LocalStorage

# --- Storage --------------------------------------------------------------------------------


def test_put_is_content_addressed_and_idempotent(tmp_path):
    storage = LocalStorage(tmp_path)
    data = make.pdf()
    digest = hashlib.sha256(data).hexdigest()

    key = storage.put(data, ".pdf")
    first_write = (tmp_path / key).stat()
    os.utime(tmp_path / key, (first_write.st_atime - 7200, first_write.st_mtime - 7200))
    again = storage.put(data, "pdf")

    assert key == again == f"{digest[:2]}/{digest[2:4]}/{digest}.pdf"
    reused = (tmp_path / key).stat()
    assert reused.st_ino == first_write.st_ino  # not written again: the same file
    assert reused.st_mtime >= first_write.st_mtime  # its time refreshed (fsck spares it)
    with storage.open(key) as stored:
        assert stored.read() == data
    assert storage.exists(key) and (tmp_path / key).stat().st_size == len(data)
    assert storage.path(key) == tmp_path / key


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


def test_iter_keys_lists_stored_files_and_nothing_else(tmp_path):
    storage = LocalStorage(tmp_path)
    keys = sorted([storage.put(b"one", ".jpg"), storage.put(b"two", ".pdf")])
    folder = (tmp_path / keys[0]).parent
    (folder / ".tmp-abandoned").write_bytes(b"half")
    (folder / "notes.txt").write_bytes(b"stray")

    assert list(storage.iter_keys()) == keys


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
def test_key_that_could_escape_the_root_is_refused(tmp_path, key, method):
    storage = LocalStorage(tmp_path / "media")

    with pytest.raises(ValueError):
        getattr(storage, method)(key)


def test_unsafe_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).put(b"x", "/../../evil")
