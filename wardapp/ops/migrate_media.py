"""Copying the local media folder into an S3 bucket: ``flask wardapp migrate-media --to s3``.

Keys stay the same (a file's name is its SHA-256), so no row changes: once the copy is done
and the app is switched to ``WARDAPP_STORAGE=s3``, every row finds its file in the bucket.
The copy can be stopped and run again at any moment: an object appears in a bucket only
whole, and one already there is checked and left alone. Every file is checked twice: the
local bytes against the hash in their name before they are sent (a file damaged on disk is
reported, never copied), and the object in the bucket after, by the SHA-256 the store kept
or, where it keeps none, by reading it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wardapp.media.s3 import S3Storage
from wardapp.media.storage import LocalStorage


@dataclass
class Migration:
    copied: int = 0
    already_there: int = 0
    bytes_copied: int = 0
    damaged: list[str] = field(default_factory=list)  # local bytes no longer match their name
    unverified: list[str] = field(default_factory=list)  # the bucket's copy did not check out

    @property
    def clean(self) -> bool:
        return not (self.damaged or self.unverified)


def migrate(
    source: LocalStorage, target: S3Storage, *, progress: Callable[[Migration], None] | None = None
) -> Migration:
    result = Migration()
    for number, key in enumerate(source.iter_keys(), 1):
        digest = Path(key).stem
        with source.open(key) as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != digest:
            result.damaged.append(key)
            continue
        if target.verified(key):
            result.already_there += 1
        else:
            target.put(data, Path(key).suffix)
            if target.verified(key):
                result.copied += 1
                result.bytes_copied += len(data)
            else:
                result.unverified.append(key)
        if progress and number % 500 == 0:
            progress(result)
    return result
