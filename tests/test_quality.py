"""Regression guards on retrieval quality, at the level reached (see README for the figures)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.text import clean_question, nfc
from bot.embedding.models import Embedder, SentenceTransformerEmbedder, Vectors
from bot.engine import Engine
from bot.retrieval.answer import evidence, is_answered
from bot.retrieval.evaluate import GroupScore, evaluate, read_questions
from bot.retrieval.fusion import classify, retrieve
from tests.conftest import DATA, SHARED, XQUAD, xquad_copy_engine

DEV = SHARED / "eval" / "dev.jsonl"
pytestmark = pytest.mark.slow  # all of it is the real model's quality


class BatchedQueries:
    """The model, with the vectors of known question texts computed in one batch up front:
    one call per question costs 10-20x more, most of it thread start-up. Other texts go to
    the model as usual, so a wrong guess only costs time."""

    def __init__(self, model: Embedder, texts: list[str]) -> None:
        self.model, self.model_id, self.dim = model, model.model_id, model.dim
        unique = sorted(set(texts))
        self._known = dict(zip(unique, model.embed_queries(unique), strict=True))

    def embed_queries(self, texts: list[str]) -> Vectors:
        if all(text in self._known for text in texts):
            return np.stack([self._known[text] for text in texts])
        return self.model.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> Vectors:
        return self.model.embed_passages(texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        return self.model.truncate(text)


def _seed_report(engine: Engine, *files: Path) -> dict[str, GroupScore]:
    rows = [row for path in files for row in read_questions(path)]
    restorer = engine.index.lexical.restorer
    batched = BatchedQueries(engine.embedder, [
        classify(clean_question(row["q"]), restorer).search_text for row in rows])
    reader = Engine(engine.settings, load_model=lambda name: batched)  # the same index
    return evaluate(rows, lambda q: reader.answer(q, 3))


def test_every_vietnamese_dev_question_is_answered_at_rank_1(seed_engine: Engine) -> None:
    report = _seed_report(seed_engine, DEV)
    assert report["vi"].hit_at_1 == report["vi"].questions == 8
    assert report["no_diacritics"].hit_at_1 == 3
    assert report["paraphrase"].hit_at_3 == 2
    assert report["english"].hit_at_3 >= 2


def test_seed_questions_of_every_form_find_their_passage(seed_engine: Engine) -> None:
    report = _seed_report(seed_engine, DEV, DATA / "seed_answerable.jsonl")
    assert report["vi"].hit_at_1 / report["vi"].questions >= 0.95
    assert report["no_diacritics"].hit_at_1 / report["no_diacritics"].questions >= 0.9
    # 7 of 9: moving English questions toward Vietnamese (bot/embedding/language_shift.py) won
    # 5 of 612 on xquad-dev and pushed "Which sector ... driver of development?" from rank 3 to 4
    assert report["english"].hit_at_3 >= report["english"].questions - 2


def test_unanswerable_questions_are_mostly_rejected_and_answerable_ones_kept(
        seed_engine: Engine) -> None:
    report = _seed_report(seed_engine, DEV, DATA / "seed_answerable.jsonl",
                          DATA / "seed_unanswerable.jsonl")
    unanswerable = report["unanswerable"]
    assert unanswerable.questions >= 30
    assert unanswerable.rejected / unanswerable.questions >= 0.75
    answerable = [g for name, g in report.items() if name != "unanswerable"]
    answered = sum(g.answered for g in answerable) / sum(g.questions for g in answerable)
    # 3 of 48 are refused: two English questions whose top passage is wrong, one paraphrase
    assert answered >= 0.93


@pytest.fixture(scope="module")
def xquad_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                 embedder: SentenceTransformerEmbedder) -> Engine:
    return xquad_copy_engine(tmp_path_factory.mktemp("xquad"), cache_dir, embedder)


def test_xquad_dev_recall_at_1_floor(xquad_engine: Engine) -> None:
    """R@1 per question form on 24 articles; the floors sit just under the measured values."""
    index = xquad_engine.index
    rows = [json.loads(line)
            for line in (XQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    forms = [classify(nfc(row["q"]), index.lexical.restorer) for row in rows]
    embedder = BatchedQueries(xquad_engine.embedder, [form.search_text for form in forms])
    hits: dict[str, list[bool]] = {}
    answered = []
    for row, form in zip(rows, forms, strict=True):
        ranked = retrieve(index, embedder, form).ranked
        top = index.chunks[ranked[0].row]
        hits.setdefault(row["group"], []).append(
            nfc(row["gold"]) in top.text and top.source == row["source"])
        answered.append(is_answered(form, evidence(form, ranked[0], index)))
    assert sum(answered) / len(answered) >= 0.98
    recall = {group: sum(v) / len(v) for group, v in hits.items()}
    assert recall["vi"] >= 0.96, recall
    assert recall["no_diacritics"] >= 0.95, recall
    assert recall["english"] >= 0.85, recall
