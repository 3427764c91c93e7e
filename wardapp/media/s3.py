"""The file store in an S3 bucket: the same content-addressed keys, under an optional prefix.

Only what every S3 implementation serves is used (MinIO, Ceph RGW, Garage, AWS and the
object stores of the Vietnamese clouds): PUT with a SHA-256 checksum, GET, HEAD, LIST v2,
DELETE, multipart upload for large files and presigned GET. Credentials are found the
standard boto3 way (environment, shared files, instance roles).

An object appears whole or not at all (a PUT, or a multipart upload once completed), so a
row committed after ``put`` returned never names half an object.

Files are shared by every row with the same bytes, and only ``flask wardapp fsck`` removes
orphans. S3 has no atomic rename, so taking an orphan out of reach is a small protocol
between ``remove_orphans`` and ``put``:

* fsck first writes a copy of the object beside it (``<prefix>.aside/<key>``), the sign
  that it is about to go; then looks at the object again and spares it if it was written
  since the grace time; then deletes it.
* ``put`` of bytes already there writes them again (the time refreshed, as the local store
  touches its file) and then looks for that sign. While fsck holds the key, ``put`` waits
  until the object is gone (and writes it again) or the sign is lifted; a last look
  catches an fsck that deleted the object and finished in between. ``put`` of bytes not
  there yet needs none of this: no fsck can be holding a key that does not exist.

So whenever ``put`` has returned a key, the object is there and stays until fsck finds
it unnamed afterwards. fsck then checks the rows again and puts back, from its copy, what
a row names meanwhile.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from wardapp.media.storage import (
    Storage,
    StorageUnavailable,
    check_key,
    key_for,
    normalise_suffix,
)

ASIDE = ".aside/"  # not a key's shape: never listed as a stored file
MISSING = {"404", "NoSuchKey", "NotFound"}
_session: Any = None
_session_lock = threading.Lock()


def connect(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    prefix: str = "",
    attempts: int = 3,
) -> S3Storage:
    """A store on ``bucket`` with a client configured for any S3 implementation."""
    import boto3
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        retries={"mode": "standard", "max_attempts": attempts},
        connect_timeout=5,
        read_timeout=60,
        max_pool_connections=32,
        # Only the checksums asked for: the SDK's default trailing CRC32 is refused by some
        # S3 implementations, while every one accepts the SHA-256 header sent with each PUT.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    global _session
    with _session_lock:  # one session per process: it reads the service's model once
        if _session is None:
            _session = boto3.session.Session()
        client = _session.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None, config=config
        )
    return S3Storage(client, bucket, prefix)


def _b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    return isinstance(response, dict) and str(response.get("Error", {}).get("Code")) in MISSING


def _guarded(method: Any) -> Any:
    """The SDK's errors (no connection, a timeout, a 5xx, refused credentials) as
    ``StorageUnavailable``; an object that is not there stays FileNotFoundError."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"object store: {exc}") from exc

    return call


def _guarded_iterator(method: Any) -> Any:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            yield from method(*args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable(f"object store: {exc}") from exc

    return call


class _Body(io.RawIOBase):
    """A GET's streamed body as a read-only file."""

    def __init__(self, body: Any, size: int) -> None:
        self._body = body
        self.size = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._body.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class _Reader(io.BufferedReader):
    """What ``open`` gives: a buffered file that also knows its size (for Content-Length)."""

    def __init__(self, got: dict) -> None:
        self.size = int(got["ContentLength"])
        super().__init__(_Body(got["Body"], self.size), 256 * 1024)


class S3Storage(Storage):
    # Above this a file goes up in parts (large exports); photos fit in one PUT.
    MULTIPART_BYTES = 64 * 1024 * 1024
    PART_BYTES = 16 * 1024 * 1024  # S3 wants at least 5 MiB a part, the last one aside
    HELD_WAIT_SECONDS = 60  # how long put waits for fsck to let go of a key
    HELD_POLL_SECONDS = 0.2
    STALE_ASIDE_SECONDS = 600  # fsck holds a key for seconds; a copy this old is a leftover

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = str(bucket)
        prefix = str(prefix or "").strip("/")
        self.prefix = f"{prefix}/" if prefix else ""

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _aside(self, key: str) -> str:
        return self.prefix + ASIDE + check_key(key)

    # --- reading -----------------------------------------------------------------------

    def _head(self, name: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            if _missing(exc):
                return None
            raise

    @_guarded
    def exists(self, key: str) -> bool:
        return self._head(self._name(key)) is not None

    @_guarded
    def modified_at(self, key: str) -> float:
        head = self._head(self._name(key))
        if head is None:
            raise FileNotFoundError(key)
        return head["LastModified"].timestamp()

    @_guarded
    def size(self, key: str) -> int:
        head = self._head(self._name(key))
        if head is None:
            raise FileNotFoundError(key)
        return int(head["ContentLength"])

    @_guarded
    def verified(self, key: str) -> bool:
        """Whether the object holds exactly the bytes its key names: by the SHA-256 the store
        kept with it, or, where it keeps none (or a multipart one, of the parts), by reading
        it back."""
        try:
            head = self.client.head_object(
                Bucket=self.bucket, Key=self._name(key), ChecksumMode="ENABLED"
            )
        except Exception as exc:
            if _missing(exc):
                return False
            raise
        digest = key.rsplit("/", 1)[-1].split(".", 1)[0]
        kept = head.get("ChecksumSHA256")
        if kept and "-" not in kept:
            return base64.b64decode(kept).hex() == digest
        hasher = hashlib.sha256()
        with self.open(key) as handle:
            while chunk := handle.read(1024 * 1024):
                hasher.update(chunk)
        return hasher.hexdigest() == digest

    @_guarded
    def open(self, key: str) -> BinaryIO:
        name = self._name(key)
        try:
            got = self.client.get_object(Bucket=self.bucket, Key=name)
        except Exception as exc:
            if _missing(exc):
                raise FileNotFoundError(key) from None
            raise
        return _Reader(got)

    @_guarded
    def url(
        self,
        key: str,
        *,
        content_type: str,
        filename: str,
        attachment: bool,
        expires: int,
    ) -> str | None:
        """A presigned GET for ``expires`` seconds, typed and named as the app serves it."""
        disposition = "attachment" if attachment else "inline"
        ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self._name(key),
                "ResponseContentType": content_type,
                "ResponseContentDisposition": (
                    f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
                ),
                "ResponseCacheControl": f"private, max-age={expires}",
            },
            ExpiresIn=expires,
        )

    @_guarded
    def origin(self) -> str:
        """Where presigned links point (scheme and host), for the pages' image policy."""
        parts = urlsplit(
            self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": "x"}, ExpiresIn=60
            )
        )
        return f"{parts.scheme}://{parts.netloc}"

    def iter_keys(self) -> Iterator[str]:
        """Keys in sorted order (LIST v2 returns names in byte order); the copies fsck
        keeps aside and anything else in the bucket are not keys."""
        for key, _ in self.iter_entries():
            yield key

    @_guarded_iterator
    def iter_entries(self) -> Iterator[tuple[str, float]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", ()):
                key = item["Key"][len(self.prefix) :]
                try:
                    check_key(key)
                except ValueError:
                    continue
                yield key, item["LastModified"].timestamp()

    # --- writing -----------------------------------------------------------------------

    @_guarded
    def put(self, data: bytes, suffix: str, *, durable: bool = True) -> str:
        # ``durable`` is the store's business here: S3 answers a PUT once the bytes are kept.
        key = key_for(data, suffix)
        name = self._name(key)
        there = self._head(name)
        self._write(name, data)
        if there is not None:
            self._wait_while_held(key, lambda: self._write(name, data))
        return key

    @_guarded
    def put_file(self, source: BinaryIO, suffix: str) -> str:
        """A file open for reading (a large export), never whole in memory: read once for
        its key, then sent in parts of ``PART_BYTES`` (one PUT if it is small)."""
        start = source.tell()
        digest, size = hashlib.sha256(), 0
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
        name_hash = digest.hexdigest()
        key = check_key(f"{name_hash[:2]}/{name_hash[2:4]}/{name_hash}{normalise_suffix(suffix)}")
        name = self._name(key)

        def write() -> None:
            source.seek(start)
            if size > self.MULTIPART_BYTES:
                self._write_parts(name, iter(lambda: source.read(self.PART_BYTES), b""))
            else:
                self._write(name, source.read())

        there = self._head(name)
        write()
        if there is not None:
            self._wait_while_held(key, write)
        return key

    def _write(self, name: str, data: bytes) -> None:
        if len(data) > self.MULTIPART_BYTES:
            step = self.PART_BYTES
            self._write_parts(name, (data[i : i + step] for i in range(0, len(data), step)))
            return
        answer = self.client.put_object(
            Bucket=self.bucket,
            Key=name,
            Body=data,
            ChecksumAlgorithm="SHA256",
            ChecksumSHA256=_b64_sha256(data),
        )
        _check_answer(answer, data)

    def _write_parts(self, name: str, chunks: Iterator[bytes]) -> None:
        """A multipart upload: invisible until completed, aborted if anything fails."""
        started = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=name, ChecksumAlgorithm="SHA256"
        )
        upload_id = started["UploadId"]
        try:
            parts = []
            for number, chunk in enumerate(chunks, 1):
                checksum = _b64_sha256(chunk)
                answer = self.client.upload_part(
                    Bucket=self.bucket,
                    Key=name,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=chunk,
                    ChecksumAlgorithm="SHA256",
                    ChecksumSHA256=checksum,
                )
                parts.append(
                    {"PartNumber": number, "ETag": answer["ETag"], "ChecksumSHA256": checksum}
                )
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=name,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
            except Exception:  # the upload's parts expire by the bucket's lifecycle rule
                pass
            raise

    def _held(self, aside: str) -> bool:
        """fsck's copy is there, and fresh: one an interrupted fsck left long ago (until the
        next ``fsck --repair`` drops it) holds nothing up."""
        head = self._head(aside)
        return head is not None and head["LastModified"].timestamp() > time.time() - (
            self.STALE_ASIDE_SECONDS
        )

    def _wait_while_held(self, key: str, write: Callable[[], None]) -> None:
        """Bytes that were there: make sure an fsck removing them does not take them away
        from under the row about to name them (see the module's note)."""
        name, aside = self._name(key), self._aside(key)
        give_up = time.monotonic() + self.HELD_WAIT_SECONDS
        while self._held(aside) and time.monotonic() < give_up:
            if self._head(name) is None:  # fsck has deleted it: from now on it stays
                write()
                return
            time.sleep(self.HELD_POLL_SECONDS)
        if self._head(name) is None:  # deleted by an fsck that let go meanwhile
            write()

    @_guarded
    def remove_orphans(
        self, keys: list[str], *, older_than: float, still_named: Callable[[list[str]], set[str]]
    ) -> list[str]:
        held: list[str] = []
        try:
            for key in keys:
                name, aside = self._name(key), self._aside(key)
                if not self._copy(name, aside):  # the sign, and the copy to put back
                    continue
                held.append(key)
                head = self._head(name)
                if head is None or head["LastModified"].timestamp() >= older_than:
                    self._delete(aside)  # gone already, or stored again: not ours to take
                    held.remove(key)
                    continue
                self._delete(name)
            named = still_named(list(held)) if held else set()
            removed = []
            for key in held:
                if key not in named:
                    removed.append(key)  # (a put since has written it anew, and it stays)
                elif not self.exists(key):
                    self._copy(self._aside(key), self._name(key))
            return removed
        finally:
            for key in held:
                self._delete(self._aside(key))

    @_guarded
    def remove_stale_temporaries(self, older_than: float) -> int:
        """Copies an interrupted fsck left aside: put back where the object is gone (the
        next check decides again), then dropped."""
        removed = 0
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + ASIDE
        )
        for page in pages:
            for item in page.get("Contents", ()):
                if item["LastModified"].timestamp() >= older_than:
                    continue
                key = item["Key"][len(self.prefix + ASIDE) :]
                try:
                    check_key(key)
                except ValueError:
                    continue
                if not self.exists(key):
                    self._copy(item["Key"], self._name(key))
                self._delete(item["Key"])
                removed += 1
        return removed

    def _copy(self, source: str, target: str) -> bool:
        """The object ``source`` written again as ``target`` by GET and PUT (or parts, for
        a large one), never whole in memory; False if ``source`` is not there."""
        try:
            got = self.client.get_object(Bucket=self.bucket, Key=source)
        except Exception as exc:
            if _missing(exc):
                return False
            raise
        with _Reader(got) as handle:
            if handle.size > self.MULTIPART_BYTES:
                self._write_parts(target, iter(lambda: handle.read(self.PART_BYTES), b""))
            else:
                self._write(target, handle.read())
        return True

    def _delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=name)


def _check_answer(answer: dict, data: bytes) -> None:
    """A store that keeps checksums says which one it kept: it must be ours."""
    kept = answer.get("ChecksumSHA256")
    if kept and kept != _b64_sha256(data):
        raise OSError(f"the object store kept a different checksum ({kept})")
