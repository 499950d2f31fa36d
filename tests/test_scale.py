"""Large-corpus search: above `ann_min_passages` the vectors go into HNSW graphs and a
question is scored exactly on the candidates the graphs and BM25 propose. Search, not the
model, is under test: the vectors are the hashing embedder's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.text import nfc
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.retrieval.fusion import exact_view, retrieve
from bot.retrieval.question import classify
from bot.store.vectors import exact_copy
from tests.conftest import XQUAD, xquad_copy_engine
from tests.fake_embedder import FAKE_MODEL


@pytest.fixture(scope="module")
def hnsw_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                fake_embedder: Embedder) -> Engine:
    return xquad_copy_engine(tmp_path_factory.mktemp("hnsw"), cache_dir, fake_embedder,
                             ann_min_passages=50, model=FAKE_MODEL)


def test_the_search_kind_follows_the_corpus_size(hnsw_engine: Engine,
                                                 fake_seed_engine: Engine) -> None:
    assert hnsw_engine.index.approximate and hnsw_engine.index.manifest.search == "hnsw"
    assert hnsw_engine.index.vectors.approximate and hnsw_engine.index.sentence_vectors.approximate
    assert not fake_seed_engine.index.approximate  # 20 passages, under the default 10,000


def test_the_graphs_find_the_nearest_rows_exact_search_finds(hnsw_engine: Engine) -> None:
    index = hnsw_engine.index
    questions = [nfc(json.loads(line)["q"]) for line in
                 (XQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()[::20]]
    queries = hnsw_engine.build_model().embed_queries(questions)
    for graph in (index.vectors, index.sentence_vectors):
        exact = exact_copy(graph)
        recall = np.mean([len(set(graph.nearest(q[None], 10)) & set(exact.nearest(q[None], 10)))
                          / 10 for q in queries])
        assert recall >= 0.95, recall


def test_few_candidates_still_find_what_exact_search_finds(hnsw_engine: Engine) -> None:
    """With only 5 candidates per retriever out of 128 passages, the top passage is still
    the one exact search ranks first for nearly every question."""
    index, embedder = hnsw_engine.index, hnsw_engine.build_model()
    exact = exact_view(index)
    same = []
    for line in (XQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()[::3]:
        question = nfc(json.loads(line)["q"])
        form = classify(question, index.lexical.restorer)
        approximate = retrieve(index, embedder, form, candidates=5).ranked
        assert len(approximate) < len(index.chunks)  # only candidates were scored
        same.append(approximate[0].row == retrieve(exact, embedder, form).ranked[0].row)
    assert sum(same) / len(same) >= 0.97


def test_hnsw_index_answers_and_reuses_its_vectors_on_rebuild(hnsw_engine: Engine) -> None:
    result = hnsw_engine.answer("Đội thủ Panthers đã thua bao nhiêu điểm?", 3)
    assert result.answered and "308" in result.passages[0].text
    assert result.passages[0].highlight in result.passages[0].text
    extra = hnsw_engine.settings.sources / "note.txt"
    extra.write_text("Cầu Long Biên dài 2.290 mét và bắc qua sông Hồng.\n", encoding="utf-8")
    changes = hnsw_engine.refresh()
    assert changes.added == ["note.txt"] and changes.embedded <= 3 and changes.reused > 500
    assert "2.290" in hnsw_engine.answer("Cầu Long Biên dài bao nhiêu?", 1).passages[0].text
