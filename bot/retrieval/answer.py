"""The answer to one question: ranked verbatim passages with their place in the text, the
best sentence in each, and whether the evidence is strong enough to call it answered."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.corpus.sentences import unit_spans
from bot.corpus.text import clean_question, encodable, fold, words
from bot.embedding.models import Embedder
from bot.errors import QuestionError
from bot.retrieval.fusion import Ranked, retrieve
from bot.retrieval.question import ENGLISH_FUNCTION_WORDS, QueryForm, classify
from bot.store.generations import StoredIndex

MAX_QUESTION_CHARS = 2000  # far beyond any real question; the model reads ~500 tokens anyway


@dataclass(frozen=True)
class Passage:
    """One quoted passage: `text` is exactly `source_text[start:end]` of `source`, and
    `highlight` is `source_text[highlight_start:highlight_end]`, inside it."""

    text: str
    source: str
    paragraph: int
    start: int
    end: int
    score: float
    highlight: str
    highlight_start: int
    highlight_end: int
    caption: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("caption")
        return data


@dataclass(frozen=True)
class ShortAnswer:
    """The few words that answer the question: `source_text[start:end]` of the first
    passage's source."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """Everything a front end shows: the question, what was searched, the verdict, the short
    answer and the ranked passages."""

    question: str
    answered: bool
    passages: list[Passage]
    searched: str  # the text actually searched: the question, or with diacritics restored
    note: str | None = None  # e.g. that an over-long question was cut
    short: ShortAnswer | None = None
    context: bool = False  # whether earlier questions of the conversation were used

    @property
    def searched_for(self) -> str | None:
        """The searched text when it differs from the question beyond spacing, case and a cut
        (the "tìm theo" line), else None."""
        asked, searched = clean_question(self.question), " ".join(self.searched.split())
        if searched.casefold() == asked.casefold() or asked.startswith(searched):
            return None
        return self.searched

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answered": self.answered,
                "answer": asdict(self.short) if self.short else None,
                "searched": self.searched, "context": self.context,
                "passages": [p.to_json() for p in self.passages]}


def _evidence_words(text: str) -> set[str]:
    return {w for w in words(fold(text)) if w not in ENGLISH_FUNCTION_WORDS}


def _best_sentence(row: int, form: QueryForm, index: StoredIndex,
                   sentence_cosines: npt.NDArray[np.float32]) -> tuple[int, int]:
    """The span (within the passage) of the sentence or clause of passage `row` that answers
    best: the one sharing the rarest words with a Vietnamese question, else the one closest in
    meaning."""
    passage = index.chunks[row].text
    spans = unit_spans(passage)
    if len(spans) <= 1:
        return 0, len(passage)
    first, stop = np.searchsorted(index.sentence_owner, [row, row + 1])
    cosines = (sentence_cosines[first:stop] if stop - first == len(spans)
               else np.zeros(len(spans), np.float32))
    unigrams = index.lexical.restorer.unigrams
    asked = _evidence_words(form.search_text) if form.kind != "english" else set()

    def overlap(span: tuple[int, int]) -> float:
        return sum(1.0 / math.log(2 + sum(unigrams.get(w, {}).values()))
                   for w in asked & _evidence_words(passage[span[0]:span[1]]))

    best = max(range(len(spans)), key=lambda i: (round(overlap(spans[i]), 6), cosines[i]))
    return spans[best]


@dataclass(frozen=True)
class Evidence:
    """How strongly the top passage answers the question."""

    dense_z: float  # the top passage's cosine, in standard deviations above all passages'
    coverage: float  # share of the question's syllable weight found in the passage
    pair_coverage: float  # the same for adjacent syllable pairs (Vietnamese words)


def _weighted_share(asked: set[Any], found: set[Any], counts: Counter[Any], total: int) -> float:
    # A word the corpus never uses weighs most: asking about it is asking about something else.
    weights = {w: math.log(1 + total / (1 + counts[w])) for w in asked}
    mass = sum(weights.values())
    return sum(weights[w] for w in asked & found) / mass if mass else 0.0


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


def evidence(form: QueryForm, top: Ranked, index: StoredIndex) -> Evidence:
    """Measure the evidence behind the top-ranked passage."""
    syllables, pairs = index.lexical.restorer.folded_counts
    asked = words(fold(form.search_text))
    found = words(fold(index.chunks[top.row].search_text))
    content = {w for w in asked if w not in ENGLISH_FUNCTION_WORDS}
    return Evidence(
        top.dense_z,
        _weighted_share(content, set(found), syllables, syllables.total()),
        _weighted_share(_pairs(asked), _pairs(found), pairs, pairs.total()))


# Calibrated on tests/data/seed_*.jsonl and xquad-dev (see README, "No answer"). Vietnamese
# words are mostly two syllables, so shared syllable pairs say more than shared syllables; an
# English question shares no words with Vietnamese text, so only the dense evidence counts.
COVERAGE_WEIGHT = {"vietnamese": 3.0, "no_diacritics": 3.0, "english": 0.0}
PAIR_COVERAGE_WEIGHT = {"vietnamese": 2.0, "no_diacritics": 2.0, "english": 0.0}
MIN_STRENGTH = {"vietnamese": 3.6, "no_diacritics": 3.6, "english": 2.4}


def is_answered(form: QueryForm, found: Evidence) -> bool:
    """Whether the evidence is strong enough to present the passage as the answer."""
    strength = (found.dense_z + COVERAGE_WEIGHT[form.kind] * found.coverage
                + PAIR_COVERAGE_WEIGHT[form.kind] * found.pair_coverage)
    return strength >= MIN_STRENGTH[form.kind]


def _prepare(question: str, embedder: Embedder) -> tuple[str, str | None]:
    text = clean_question(question)
    if not text or not any(ch.isalnum() for ch in text):
        raise QuestionError("the question is empty; type a question about the articles")
    note = None
    if len(text) > MAX_QUESTION_CHARS:
        text, note = text[:MAX_QUESTION_CHARS], "the question was cut"
    text, cut = embedder.truncate(text)
    if cut or note:
        note = f"the question was cut to its first {len(text)} characters (the model's limit)"
    return text, note


def answer(question: str, index: StoredIndex, embedder: Embedder, top_k: int = 3) -> Answer:
    """Answer `question` from `index` with up to `top_k` quoted passages.

    Raises:
        QuestionError: the question is empty or holds no letters or digits.
    """
    text, note = _prepare(question, embedder)
    form = classify(text, index.lexical.restorer)
    found = retrieve(index, embedder, form)
    ranked = found.ranked
    passages = []
    for item in ranked[:top_k]:
        chunk = index.chunks[item.row]
        first, stop = _best_sentence(item.row, form, index, found.sentence_cosines)
        passages.append(Passage(
            chunk.text, chunk.source, chunk.paragraph, chunk.start, chunk.end,
            round(item.score, 6), highlight=chunk.text[first:stop],
            highlight_start=chunk.start + first, highlight_end=chunk.start + stop,
            caption=chunk.caption))
    answered = bool(ranked) and is_answered(form, evidence(form, ranked[0], index))
    return Answer(encodable(question), answered, passages, form.search_text, note)
