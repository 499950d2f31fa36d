"""Regression guards on retrieval quality, at the level reached (see README for the figures)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.config import Settings
from bot.corpus.text import clean_question
from bot.embedding.models import Embedder, Embeddings, SentenceTransformerEmbedder
from bot.engine import Engine
from bot.retrieval.answer import Answer
from bot.retrieval.conversation import Conversation
from bot.retrieval.evaluate import GroupScore, evaluate, read_questions
from bot.retrieval.question import classify
from tests.conftest import DATA, SEED, SHARED, XQUAD, xquad_copy_engine

DEV = SHARED / "eval" / "dev.jsonl"
# Measured with bot/data/verdict.json (README "No answer, the highlight and the short answer"):
# xquad-dev all indexed answered 0.966 (vi) / 0.882 (English), highlight 0.819 / 0.741,
# short answers right 0.92 / 0.91 / 0.81 (a shared number when the gold holds one) and shown
# for 0.51 / 0.50 of the numeric questions (vi / no diacritics); held-out seed near-topic
# refused 0.73, answerable answered 0.88.
# Each floor sits just under the measured value.
VI_ANSWERED, EN_ANSWERED = 0.95, 0.87
VI_HIGHLIGHT, EN_HIGHLIGHT = 0.79, 0.72
SHORT_PRECISION, SHORT_COVERAGE = 0.88, 0.48
SEED_REFUSED, SEED_ANSWERED = 0.65, 0.85
# Conversations (tests/data/conversations.jsonl), last turn's R@1 in conversation mode:
# measured 1.000 (vi), 1.000 (no diacritics), 0.905 (English; both misses are first turns the
# English retrieval already gets wrong).
CHAT_VI, CHAT_EN, CHAT_ANSWERED = 0.95, 0.90, 0.90
pytestmark = pytest.mark.slow  # all of it is the real model's quality


class BatchedQueries:
    """The model, with the vectors of known question texts computed in one batch up front:
    one call per question costs 10-20x more on a busy machine, most of it thread start-up.
    Other texts go to the model as usual, so a wrong guess only costs time."""

    def __init__(self, model: Embedder, texts: list[str]) -> None:
        self.model, self.model_id, self.dim = model, model.model_id, model.dim
        unique = sorted(set(texts))
        self._known = dict(zip(unique, model.embed_queries(unique), strict=True))

    def embed_queries(self, texts: list[str]) -> Embeddings:
        if all(text in self._known for text in texts):
            return np.stack([self._known[text] for text in texts])
        return self.model.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> Embeddings:
        return self.model.embed_passages(texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        return self.model.truncate(text)


def _report(engine: Engine, rows: list[dict[str, Any]]) -> dict[str, GroupScore]:
    """`qabot eval`'s figures for `rows`, from the engine's index, questions batched."""
    restorer = engine.index.lexical.restorer
    batched = BatchedQueries(engine.build_model(), [
        classify(clean_question(row["q"]), restorer).search_text for row in rows])
    reader = Engine(engine.settings, load_model=lambda name: batched)  # the same index
    reader.start()
    return evaluate(rows, lambda q, c: reader.answer(q, 3, c))


def _seed_report(engine: Engine, *files: Path) -> dict[str, GroupScore]:
    return _report(engine, [row for path in files for row in read_questions(path)])


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


def test_held_out_seed_questions_near_the_topic_are_refused(seed_engine: Engine) -> None:
    """tests/data/seed_heldout.jsonl was never fitted on: questions the article does not
    answer, though it shares their words (other provinces, other years, unnamed people)."""
    report = _seed_report(seed_engine, DATA / "seed_heldout.jsonl")
    refused = [g for name, g in report.items() if "unanswerable" in name]
    assert sum(g.rejected for g in refused) / sum(g.questions for g in refused) >= SEED_REFUSED
    answerable = [g for name, g in report.items() if "unanswerable" not in name]
    answered = sum(g.answered for g in answerable) / sum(g.questions for g in answerable)
    assert answered >= SEED_ANSWERED


def test_a_question_for_someone_s_post_is_answered_with_it(seed_engine: Engine) -> None:
    """"giữ chức vụ gì" asks for a post, which the article gives without the word "chức vụ":
    those words were counted as unseen and refused the question about the province's own
    party secretary."""
    for question, post in [("Ông Trần Quốc Cường giữ chức vụ gì?", "Bí thư Tỉnh ủy"),
                           ("ong le minh hung giu chuc vu gi", "Trưởng Ban Tổ chức"),
                           ("Trần Quang Phương đảm nhiệm cương vị nào?", "Phó Chủ tịch Quốc hội")]:
        found = seed_engine.answer(question, 3)
        assert found.answered, question
        assert post in found.passages[0].text, question


def test_a_figure_asked_of_a_province_no_article_names_is_refused(seed_engine: Engine) -> None:
    """The year and the measure match the article's sentence; the province does not, and no
    article writes its name: that counts against answering (a fitted feature)."""
    for province in ("Lai Châu", "Sơn La"):
        question = f"Tỉ lệ hộ nghèo của tỉnh {province} năm 2025 là bao nhiêu?"
        assert not seed_engine.answer(question, 3).answered, question
    # typed without marks or in English (red-team: "lai chau" was read "lại chau", and the
    # question answered with Điện Biên's 98 %)
    for question in ("ti le bao phu bhyt cua lai chau", "ti le ho ngheo cua son la",
                     "What is the poverty rate of Lai Chau?"):
        assert not seed_engine.answer(question, 3).answered, question
    assert seed_engine.answer("ti le ho ngheo dien bien", 3).answered
    # nationwide is a scope the passage must name too: no province's figure in bold for it
    for country in ("Tỉ lệ hộ nghèo đa chiều của cả nước năm 2025 là bao nhiêu?",
                    "ti le ho ngheo toan quoc"):
        assert not seed_engine.answer(country, 3).answered, country
    own = seed_engine.answer("Tỉ lệ hộ nghèo của tỉnh Điện Biên năm 2025 là bao nhiêu?", 3)
    assert own.answered and own.short is not None and own.short.text == "17,66%"
    # so is a figure per head: the province's total GRDP is none (red-team keyword query)
    for per_head in ("GRDP bình quân đầu người", "grdp binh quan dau nguoi dien bien",
                     "What is Dien Bien's GDP per capita?"):
        assert not seed_engine.answer(per_head, 3).answered, per_head
    total = seed_engine.answer("GRDP của Điện Biên năm 2025 là bao nhiêu?", 3)
    assert total.answered and total.short is not None and total.short.text == "17.970 tỷ đồng"


def test_a_count_of_what_the_article_never_names_is_refused(seed_engine: Engine) -> None:
    """The article counts communes ("45 đơn vị xã, phường"), never districts: its number is
    no count of them, though the question shares every other word."""
    for question in ("Tỉnh Điện Biên có bao nhiêu huyện?", "dien bien co bao nhieu huyen"):
        assert not seed_engine.answer(question, 3).answered, question
    found = seed_engine.answer("Điện Biên có mấy xã, phường?", 3)
    assert found.answered and found.short is not None and found.short.text.startswith("45")


def test_the_province_s_population_and_area_are_not_answered_by_its_other_counts(
        seed_engine: Engine) -> None:
    """The article counts communes, villages and ethnic groups, never people nor km²."""
    for question in ("Dân số tỉnh Điện Biên hiện nay là bao nhiêu người?",
                     "dan so dien bien bao nhieu nguoi", "diện tích Điện Biên",
                     "What is the population of Dien Bien province?",
                     # a count of people is no share: "năm 2025" found the poverty rate
                     "Dân số của tỉnh Điện Biên năm 2025 là bao nhiêu người?",
                     "How many people live in Dien Bien?"):
        assert not seed_engine.answer(question, 3).answered, question
    counted = seed_engine.answer("Điện Biên có bao nhiêu dân tộc?", 3)
    assert counted.answered and counted.short is not None and counted.short.text == "19 dân tộc"


def test_the_seed_as_it_ships_answers_of_its_province_in_every_paragraph(
        tmp_path: Path, cache_dir: Path, embedder: SentenceTransformerEmbedder) -> None:
    """The shared seed is a .txt with no title: the paragraph "tỉ lệ bao phủ bảo hiểm y tế
    đạt 98%" does not name Điện Biên, which the article names 20 times (it was refused)."""
    engine = Engine(Settings(sources=SHARED / "seed", index=tmp_path / "index",
                             cache=cache_dir), load_model=lambda name: embedder)
    engine.refresh()
    for question, short in (
            ("What percentage of people in Dien Bien have health insurance?", "98%"),
            ("Tỉ lệ người nghèo ở Điện Biên hiện còn bao nhiêu?", "17,66%")):
        found = engine.answer(question, 3)
        assert found.answered and found.short is not None and found.short.text == short, (
            question, found.short)
    assert not engine.answer("Dân số tỉnh Điện Biên hiện nay là bao nhiêu người?", 3).answered


@pytest.fixture(scope="module")
def xquad_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                 embedder: SentenceTransformerEmbedder) -> Engine:
    return xquad_copy_engine(tmp_path_factory.mktemp("xquad"), cache_dir, embedder)


def test_xquad_dev_recall_highlight_and_short_answer_floors(xquad_engine: Engine) -> None:
    """On 24 articles, all indexed: R@1 per question form, the share answered, the highlight
    and the short answer; the floors sit just under the measured values (README)."""
    report = _report(xquad_engine, read_questions(XQUAD / "questions.jsonl"))
    row = {group: score.row() for group, score in report.items()}
    assert row["vi"]["R@1"] >= 0.96, row
    assert row["no_diacritics"]["R@1"] >= 0.95, row
    assert row["english"]["R@1"] >= 0.85, row
    assert row["vi"]["answered"] >= VI_ANSWERED and row["english"]["answered"] >= EN_ANSWERED
    assert min(row[g]["H@1"] for g in ("vi", "no_diacritics")) >= VI_HIGHLIGHT, row
    assert row["english"]["H@1"] >= EN_HIGHLIGHT, row
    shown = sum(score.short_shown for score in report.values())
    right = sum(score.short_right for score in report.values())
    assert right / shown >= SHORT_PRECISION, (right, shown)
    assert min(row[g]["SA coverage"] for g in ("vi", "no_diacritics")) >= SHORT_COVERAGE, row


@pytest.fixture(scope="module")
def chat_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                embedder: SentenceTransformerEmbedder) -> Engine:
    """xquad-dev's 24 articles and the seed article in one index, as the conversations ask."""
    root = tmp_path_factory.mktemp("chat")
    shutil.copytree(XQUAD / "source_text", root / "source_text")
    for article in SEED.iterdir():
        shutil.copy(article, root / "source_text" / article.name)
    engine = Engine(Settings(sources=root / "source_text", index=root / "index",
                             cache=cache_dir), load_model=lambda name: embedder)
    engine.refresh()
    return engine


def _recall(engine: Engine, rows: list[dict[str, Any]], chat: bool,
            figure: str = "R@1") -> dict[str, float]:
    def ask(question: str, conversation: Conversation | None) -> Answer:
        return engine.answer(question, 3, conversation if chat else None)
    return {group: score.row()[figure] for group, score in evaluate(rows, ask).items()}


def test_follow_ups_find_their_passage_with_the_conversation(chat_engine: Engine) -> None:
    """Conversation mode beats the last turn alone and the naive concatenation of the turns,
    and leaves topic switches exactly as good as asked alone."""
    rows = read_questions(DATA / "conversations.jsonl")
    chat = _recall(chat_engine, rows, chat=True)
    alone = _recall(chat_engine, [{**row, "turns": row["turns"][-1:]} for row in rows], False)
    joined = _recall(chat_engine, [{**row, "turns": [" ".join(row["turns"])]} for row in rows],
                     False)
    assert chat["followup-vi"] >= CHAT_VI and chat["followup-nd"] >= CHAT_VI, chat
    assert chat["followup-en"] >= CHAT_EN, chat
    for group in ("followup-vi", "followup-nd", "followup-en"):
        assert chat[group] >= joined[group] and chat[group] > alone[group], (chat, joined, alone)
    assert chat["switch"] == alone["switch"], (chat, alone)
    # a follow-up's passage must hold the carried topic too (measured 1.000 in every form)
    answered = _recall(chat_engine, rows, chat=True, figure="answered")
    assert min(answered.values()) >= CHAT_ANSWERED, answered


def test_a_vietnamese_question_with_english_terms_searches_and_counts_them_in_vietnamese(
        seed_engine: Engine) -> None:
    """Red-team: "ethnic groups" was the thing counted, which no passage names (refused), and
    an English office in a Vietnamese question was not translated (the photo caption came
    first)."""
    counted = seed_engine.answer("Điện Biên có bao nhiêu ethnic groups?", 3)
    assert counted.answered and "19 dân tộc" in counted.passages[0].highlight
    office = seed_engine.answer("Minister of Public Security dự buổi làm việc tên là gì?", 3)
    assert "Lương Tam Quang" in office.passages[0].text
