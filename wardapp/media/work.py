"""How many requests of one process check files and decode photos at once.

Decoding is the heavy part of a submission: a 24 MP PNG or HEIC takes 0.85 s of a core and
70 MB, and a process served ten of them to a request used to hold both cores for as long as
they took. With threaded workers the other threads of the process go on answering pages and
``/healthz`` while one thread decodes (Pillow lets go of the interpreter lock while it
works), as long as the decoding threads are few: this gate lets ``slots`` submissions work
at a time, lets ``queue`` more wait their turn for at most ``wait_seconds``, and turns away
any beyond that at once with a 503, which the phone's outbox answers by trying again later.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from wardapp.media import errors


class WorkGate:
    """A counting gate with a bounded waiting room."""

    def __init__(self, slots: int, queue: int) -> None:
        if slots < 1 or queue < 0:
            raise ValueError(f"a gate needs a slot and a waiting room ≥ 0: {slots}, {queue}")
        self.slots = slots
        self.queue = queue
        self._turns = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._inside = 0  # working or waiting

    @contextmanager
    def turn(self, wait_seconds: float, field: str | None = "photo") -> Iterator[None]:
        """Hold a slot for the body; MediaError 503 when the waiting room is full or the
        wait runs out."""
        with self._lock:
            if self._inside >= self.slots + self.queue:
                raise errors.busy(field)
            self._inside += 1
        try:
            if not self._turns.acquire(timeout=wait_seconds):
                raise errors.busy(field)
            try:
                yield
            finally:
                self._turns.release()
        finally:
            with self._lock:
                self._inside -= 1


_gates: dict[tuple[int, int], WorkGate] = {}
_gates_lock = threading.Lock()


def gate(slots: int, queue: int) -> WorkGate:
    """The process's gate of that size, made on first use (one app per process has one)."""
    with _gates_lock:
        found = _gates.get((slots, queue))
        if found is None:
            found = _gates[(slots, queue)] = WorkGate(slots, queue)
        return found
