"""Races made to happen every time: calls started together, or one request held at a chosen
point while another runs."""

from __future__ import annotations

import threading


def at_once(*calls, timeout: float = 30) -> list:
    """Run each call in its own thread, all started together; their results, in order.

    For races (two replays of one submission, two reviewers on one item). A call that
    raised raises here, instead of leaving a None for the assertion to trip over."""
    results, errors = [None] * len(calls), []

    def run(i):
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # noqa: BLE001  (handed to the test below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing call did not finish"
    if errors:
        raise errors[0]
    return results


class Gate:
    """Wraps ``module.name`` so that a call for which ``stops(*args)`` is true waits at the gate
    (``reached`` set) until it is opened; every other call passes straight through."""

    def __init__(self, monkeypatch, module, name: str, stops):
        self.reached, self.opened = threading.Event(), threading.Event()
        real = getattr(module, name)

        def gated(*args, **kwargs):
            if stops(*args, **kwargs):
                self.reached.set()
                assert self.opened.wait(30), "the gate was never opened"
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, gated)

    def wait(self) -> None:
        assert self.reached.wait(30), "nothing reached the gate"

    def open(self) -> None:
        self.opened.set()


class Running:
    """A call in a thread of its own, its result or error kept for ``result``."""

    def __init__(self, call):
        self.value, self.error = None, None
        self.thread = threading.Thread(target=self._run, args=(call,))
        self.thread.start()

    def _run(self, call) -> None:
        try:
            self.value = call()
        except BaseException as exc:  # noqa: BLE001  (re-raised by result)
            self.error = exc

    def finished_within(self, seconds: float) -> bool:
        """Gives the call that long to finish on its own (it may be waiting for a lock)."""
        self.thread.join(seconds)
        return not self.thread.is_alive()

    def result(self):
        self.thread.join(30)
        assert not self.thread.is_alive(), "the call did not finish"
        if self.error is not None:
            raise self.error
        return self.value
