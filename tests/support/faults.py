"""Faults made on purpose: a database that goes away, a disk that fills up, a held lock."""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from wardapp.extensions import db


def wait_for(condition, what: str, patience: float = 60.0) -> None:
    """Until ``condition()`` holds; a fault test waits for a state, never for a time."""
    give_up = time.monotonic() + patience
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


@contextmanager
def sqlite_write_lock(path: Path):
    """Another process's write transaction: every other writer waits for it, then gives up."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def unread_bytes(server_port: int, client_port: int) -> int | None:
    """Bytes the client sent that the server has not read yet (Linux /proc/net/tcp), or None
    while the connection is not there."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if local.endswith(f":{server_port:04X}") and remote.endswith(f":{client_port:04X}"):
            return int(fields[4].split(":")[1], 16)
    return None


class TcpProxy:
    """A loopback door to a server that can be shut, cutting every open connection, and
    opened again on the same port: a database server going away and coming back."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = 0
        self.listener: socket.socket | None = None
        self.open_sockets: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> TcpProxy:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # shut
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.open_sockets |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone won't)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for s in self.open_sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.open_sockets.clear()


class FullDisk:
    """Stands in for the ``os`` module of the storage code: files opened for writing get
    ``free`` bytes between them, and a write past that fails with ENOSPC after writing what
    fit, as the kernel's does."""

    def __init__(self, free: int):
        self.free = free
        self.failures = 0

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, fd, mode="r", *args, **kwargs):
        return _FillingFile(self, os.fdopen(fd, mode, *args, **kwargs))


class _FillingFile:
    def __init__(self, disk: FullDisk, real):
        self.disk, self.real = disk, real

    def write(self, data: bytes) -> int:
        fits = min(len(data), self.disk.free)
        self.real.write(data[:fits])
        self.real.flush()
        self.disk.free -= fits
        if fits < len(data):
            self.disk.failures += 1
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fits

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


@contextmanager
def write_lock(app, backend):
    """Another connection holding the evidence table for writing, as a long job would."""
    if backend == "sqlite":
        with sqlite_write_lock(sqlite_path(app)):
            yield
        return
    with app.app_context():
        with db.engine.connect() as conn:
            conn.execute(text("LOCK TABLE evidence IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                conn.rollback()


def sqlite_path(app) -> str:
    with app.app_context():
        return db.engine.url.database
