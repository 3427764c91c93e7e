"""Building a large result without the cyclic garbage collector's pauses.

A national compliance picture makes some 200,000 objects (33,000 cells and tallies, their
lists, 76,000 counted rows) that all live until the page is drawn. Python's collector runs
every few hundred allocations and each pass walks the young objects, and now and then all of
them: half the picture's CPU time went to passes that found nothing to free. Reference
counting still frees whatever is dropped meanwhile; only cycles wait for the collector, which
runs again once the result is built. ``gc.disable`` is process-wide, so another thread of the
same worker runs without it for that second too, which only delays its cycles.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; on again after it, if it was on before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
