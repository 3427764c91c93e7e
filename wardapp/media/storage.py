"""Where file bytes live: content-addressed, so the same bytes are stored once under one key.

A key is ``ab/cd/<sha256><suffix>``; it names the content, never the uploader's file name,
so no upload can choose where it lands. Keys coming back from the database or a URL are
checked against that shape before they touch the file system, so ``..``, absolute paths
and other tricks are refused with ValueError instead of reaching outside the root.
The S3 backend (``wardapp.media.s3``) implements the same ``Storage`` interface.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

_KEY = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})(\.[a-z0-9]{1,10})?")
_SUFFIX = re.compile(r"(\.[a-z0-9]{1,10})?")
_TEMP_PREFIX = ".tmp-"


class StorageUnavailable(OSError):
    """The store did not answer (an object store down, unreachable or refusing the app's
    credentials): the request is answered 503 and can be sent again; nothing was kept."""


def normalise_suffix(suffix: str) -> str:
    """``"JPG"`` or ``".jpg"`` → ``".jpg"``; ValueError for anything but a short extension."""
    suffix = suffix.lower()
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    if not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"invalid storage suffix {suffix!r}")
    return suffix


def key_for(data: bytes, suffix: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"{digest[:2]}/{digest[2:4]}/{digest}{normalise_suffix(suffix)}"


def check_key(key: str) -> str:
    """The key itself if it has the shape ``put`` makes; ValueError otherwise."""
    match = _KEY.fullmatch(key) if isinstance(key, str) else None
    if not match or match[3][:2] != match[1] or match[3][2:4] != match[2]:
        raise ValueError(f"invalid storage key {key!r}")
    return key


class Storage(ABC):
    """Content-addressed file store: ``put`` bytes, get a key back, read them by key."""

    @abstractmethod
    def put(self, data: bytes, suffix: str, *, durable: bool = True) -> str:
        """Store ``data`` and return its key; the same bytes again are a no-op.

        ``durable`` waits until the bytes are on disk; copies that can be made again from
        an original (``flask wardapp fsck --repair`` does) may skip that wait.
        """

    def put_file(self, source: BinaryIO, suffix: str) -> str:
        """Store the bytes of a file open for reading (a large export), durably; its key.

        This default reads it whole; a backend can send it in parts."""
        return self.put(source.read(), suffix)

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A binary file to read; FileNotFoundError when the key holds nothing."""

    def path(self, key: str) -> Path | None:
        """A local file for ``X-Accel-Redirect`` or ``send_file``; None for remote stores."""
        check_key(key)
        return None

    def url(
        self, key: str, *, content_type: str, filename: str, attachment: bool, expires: int
    ) -> str | None:
        """A short-lived link a browser can fetch the bytes from directly; None when the
        store has none (the app then sends the bytes itself)."""
        return None

    def origin(self) -> str | None:
        """The scheme and host such links point at."""
        return None

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def remove_orphans(
        self, keys: list[str], *, older_than: float, still_named: Callable[[list[str]], set[str]]
    ) -> list[str]:
        """Remove those of ``keys`` that are still unused at the moment of removal; the ones
        removed.

        A key found unused a moment ago may be named again since: a submission carrying the
        same bytes stores them (``put`` refreshes the time of bytes already there) and then
        commits a row naming the key. So each key is taken out of reach first, and only
        then checked again: touched since ``older_than``, or named by a row
        (``still_named`` returns the keys some row names), it is put back.
        """

    @abstractmethod
    def modified_at(self, key: str) -> float:
        """When the bytes were stored, as a Unix time (to spare uploads still in flight)."""

    def remove_stale_temporaries(self, older_than: float) -> int:
        """Remove half-written files a crash left behind; how many were removed."""
        return 0

    @abstractmethod
    def iter_keys(self) -> Iterator[str]:
        """Every stored key, for a consistency check against the database."""

    def iter_entries(self) -> Iterator[tuple[str, float]]:
        """Every stored key with its ``modified_at``, in the order of ``iter_keys``; a key
        removed while this runs is left out."""
        for key in self.iter_keys():
            try:
                yield key, self.modified_at(key)
            except FileNotFoundError:
                continue


class LocalStorage(Storage):
    """Files under one folder (``MEDIA_DIR``), written so a crash never leaves a half file."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _file(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, data: bytes, suffix: str, *, durable: bool = True) -> str:
        key = key_for(data, suffix)
        target = self._file(key)
        if target.is_file() and target.stat().st_size == len(data):
            try:
                # Bytes already there are reused, and their time refreshed: fsck spares a
                # file touched within its grace period, so it cannot take this one away
                # between now and the commit of the row that names it.
                os.utime(target)
                return key
            except FileNotFoundError:  # removed as an orphan a moment ago: written again
                pass
        new_dirs = not target.parent.is_dir()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed over it: readers see no file or the whole one.
        fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.chmod(temp, 0o644)  # a front proxy serving X-Accel-Redirect must read it
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        # The rename (and any new folders) are durable only once their folders are synced.
        if durable:
            for folder in (target.parent, target.parent.parent, self.root)[: 3 if new_dirs else 1]:
                _fsync_dir(folder)
        return key

    def put_file(self, source: BinaryIO, suffix: str) -> str:
        """Read twice, never whole in memory: once for the key, once to copy it in."""
        digest = hashlib.sha256()
        start = source.tell()
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
        name = digest.hexdigest()
        key = check_key(f"{name[:2]}/{name[2:4]}/{name}{normalise_suffix(suffix)}")
        target = self._file(key)
        if target.is_file():
            os.utime(target)
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                source.seek(start)
                shutil.copyfileobj(source, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        for folder in (target.parent, target.parent.parent, self.root):
            _fsync_dir(folder)
        return key

    def open(self, key: str) -> BinaryIO:
        return self._file(key).open("rb")

    def path(self, key: str) -> Path | None:
        return self._file(key)

    def exists(self, key: str) -> bool:
        return self._file(key).is_file()

    def modified_at(self, key: str) -> float:
        return self._file(key).stat().st_mtime

    def remove_orphans(
        self, keys: list[str], *, older_than: float, still_named: Callable[[list[str]], set[str]]
    ) -> list[str]:
        """Each file is renamed aside (atomic: a ``put`` from then on writes it anew), then
        checked again and either deleted or renamed back (its bytes are its name, so putting
        back over a copy just written changes nothing)."""
        aside: dict[str, Path] = {}
        for key in keys:
            target = self._file(key)
            hidden = target.with_name(f"{_TEMP_PREFIX}orphan-{target.name}")
            try:
                os.rename(target, hidden)
            except FileNotFoundError:
                continue
            aside[key] = hidden
        named = still_named(list(aside)) if aside else set()
        removed = []
        for key, hidden in aside.items():
            if key in named or hidden.stat().st_mtime >= older_than:
                os.replace(hidden, self._file(key))
            else:
                hidden.unlink()
                removed.append(key)
        return removed

    def remove_stale_temporaries(self, older_than: float) -> int:
        removed = 0
        for temp in self.root.glob(f"*/*/{_TEMP_PREFIX}*") if self.root.is_dir() else []:
            if temp.stat().st_mtime < older_than:
                temp.unlink(missing_ok=True)
                removed += 1
        return removed

    def iter_keys(self) -> Iterator[str]:
        """Keys in sorted order; temporary files of writes in progress are not keys."""
        if not self.root.is_dir():
            return
        for first in sorted(_subdirs(self.root)):
            for second in sorted(_subdirs(self.root / first)):
                with os.scandir(self.root / first / second) as entries:
                    names = sorted(e.name for e in entries if e.is_file(follow_symlinks=False))
                for name in names:
                    key = f"{first}/{second}/{name}"
                    if _is_key(key):
                        yield key


def _is_key(key: str) -> bool:
    try:
        check_key(key)
    except ValueError:
        return False
    return True


def _subdirs(folder: Path) -> list[str]:
    with os.scandir(folder) as entries:
        return [e.name for e in entries if e.is_dir(follow_symlinks=False) and len(e.name) == 2]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
