"""Work over every person at once (a night's ranks, a community's report): Python's cycle collector paused
while it builds its hundreds of thousands of small objects.

Each object a collection would look at is one of the computation's own rows, tuples and lists, none of
which refer back to each other in a cycle; yet every few thousand new objects Python starts a collection,
and the oldest generation's collections walk everything the process holds (Django's own objects included)
again and again: measured at 100,000 people, half to two thirds of the Python time of the ranks and of the
outcomes report. Paused, the objects are freed by their reference counts as usual; anything cyclic is
collected once the collector is back."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector inside the block (restored as it was, even on an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
