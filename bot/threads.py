"""How many cores native code may use: every core while building, one while answering.
FAISS and torch share one OpenMP runtime, so FAISS's thread setting is torch's too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


def one_core() -> None:
    """For questions: parallel regions would only leave spinning threads that steal a core
    from the next question's embedding (measured: 2x slower at 25k passages)."""
    import faiss

    faiss.omp_set_num_threads(1)


@contextmanager
def all_cores() -> Iterator[None]:
    """For a build (embedding, graph construction), then back to the previous setting: a
    build after an index was loaded would otherwise embed on one core (measured: 2x slower)."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
