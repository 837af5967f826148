"""Pausing Python's cyclic garbage collector while building many objects that form no cycles.

Composing a story allocates a YAML node for every value, all alive until the story is built;
while they are, every run of the collector walks them all again. The loader, the compiled cache,
the playtester and the story map build inside `gc_paused()` and let go of their temporary objects
before it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block (reference counting
    still frees what is no longer used); it resumes afterwards if it was running before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
