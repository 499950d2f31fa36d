"""The vector index interface: exact and HNSW implementations written, memory-mapped back and
searched (random unit vectors, no model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from bot.store.vectors import ExactIndex, HnswIndex, exact_copy, read, write

DIM = 32


def unit_rows(count: int, seed: int) -> npt.NDArray[np.float32]:
    rows = np.random.default_rng(seed).standard_normal((count, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("approximate", [False, True])
def test_written_rows_come_back_unchanged_and_score_as_cosines(
        tmp_path: Path, approximate: bool) -> None:
    rows = unit_rows(300, seed=1)
    write(tmp_path / "v.faiss", rows, DIM, approximate)
    loaded = read(tmp_path / "v.faiss")
    assert isinstance(loaded, HnswIndex if approximate else ExactIndex)
    assert loaded.approximate is approximate and (loaded.size, loaded.dim) == (300, DIM)
    np.testing.assert_array_equal(loaded.matrix(), rows)
    query = unit_rows(1, seed=2)
    np.testing.assert_allclose(loaded.cosines(query), rows @ query[0], atol=1e-6)


def test_the_graph_finds_the_exact_nearest_rows(tmp_path: Path) -> None:
    write(tmp_path / "v.faiss", unit_rows(2000, seed=3), DIM, approximate=True)
    graph = read(tmp_path / "v.faiss")
    exact = exact_copy(graph)
    queries = unit_rows(20, seed=4)
    found = [len(set(graph.nearest(q[None], 10)) & set(exact.nearest(q[None], 10)))
             for q in queries]
    assert sum(found) / (10 * len(queries)) >= 0.95
    best = exact.nearest(queries[:1], 5)
    scores = exact.cosines(queries[:1])
    assert list(best) == list(np.argsort(-scores)[:5])


def test_an_empty_index_has_no_rows_and_no_neighbours(tmp_path: Path) -> None:
    for approximate in (False, True):
        write(tmp_path / "v.faiss", np.zeros((0, DIM), np.float32), DIM, approximate)
        empty = read(tmp_path / "v.faiss")
        assert empty.size == 0 and empty.matrix().shape == (0, DIM)
        assert len(empty.nearest(unit_rows(1, seed=5), 3)) == 0
