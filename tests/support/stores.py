"""What the tests do to stored files behind the store's back, on either backend: make them
old (as left by a request that failed an hour ago) or lose them (a failed disk)."""

from __future__ import annotations

import os
import time

from wardapp.media.storage import LocalStorage, Storage

# The S3 variant's fsck grace (seconds): an object cannot be made older than it is, so the
# tests wait this long instead; LastModified counts whole seconds.
S3_GRACE_SECONDS = 3


def age(store: Storage, keys: list[str], *, past_grace: bool = True) -> None:
    """``keys`` older than fsck's grace period (or only older than now, ``past_grace=False``):
    backdated on disk, waited for in a bucket."""
    if isinstance(store, LocalStorage):
        past = time.time() - 7200
        for key in keys:
            os.utime(store.root / key, (past, past))
    else:
        time.sleep(S3_GRACE_SECONDS + 1.5 if past_grace else 1.1)


def lose(store: Storage, key: str) -> None:
    if isinstance(store, LocalStorage):
        (store.root / key).unlink()
    else:
        store.client.delete_object(Bucket=store.bucket, Key=store.prefix + key)


def stray(store: Storage, name: str, data: bytes) -> None:
    """A file in the store's place that ``put`` did not write (``name`` relative to it)."""
    if isinstance(store, LocalStorage):
        path = store.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.prefix + name, Body=data)
