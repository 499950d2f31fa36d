"""The answer to one question: ranked verbatim passages with their place in the text, the
best sentence in each, and whether the evidence is strong enough to call it answered."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from bot.embedding import Embedder
from bot.errors import QuestionError
from bot.retrieval import ENGLISH_FUNCTION_WORDS, QueryForm, Ranked, classify, retrieve
from bot.sentences import sentence_spans
from bot.store import StoredIndex
from bot.text import clean_question, fold, words

MAX_QUESTION_CHARS = 2000  # far beyond any real question; the model reads ~500 tokens anyway


@dataclass(frozen=True)
class Passage:
    """One quoted passage: `text` is exactly `source_text[start:end]` of `source`."""

    text: str
    source: str
    paragraph: int
    start: int
    end: int
    score: float
    highlight: str
    caption: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("caption")
        return data


@dataclass(frozen=True)
class Answer:
    """What every front end renders: the question, the verdict and the ranked passages."""

    question: str
    answered: bool
    passages: list[Passage]
    searched_for: str | None = None  # the question with diacritics restored, when it was
    note: str | None = None  # e.g. that an over-long question was cut

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answered": self.answered,
                "passages": [p.to_json() for p in self.passages]}


def _evidence_words(text: str) -> set[str]:
    return {w for w in words(fold(text)) if w not in ENGLISH_FUNCTION_WORDS}


def _best_sentence(passage: str, question: str, index: StoredIndex, embedder: Embedder) -> str:
    """The sentence of `passage` sharing the rarest words with the question (or, with no
    shared words, the one closest in meaning)."""
    sentences = [passage[s:e] for s, e in sentence_spans(passage)]
    if len(sentences) <= 1:
        return passage
    unigrams = index.lexical.restorer.unigrams
    asked = _evidence_words(question)

    def overlap(sentence: str) -> float:
        return sum(1.0 / math.log(2 + sum(unigrams.get(w, {}).values()))
                   for w in asked & _evidence_words(sentence))

    scores = [overlap(s) for s in sentences]
    if max(scores) > 0:
        return sentences[int(np.argmax(scores))]
    vectors = embedder.embed_passages(sentences)
    return sentences[int(np.argmax(vectors @ embedder.embed_queries([question])[0]))]


def is_answered(form: QueryForm, ranked: list[Ranked]) -> bool:
    """Whether the evidence for the top passage is strong enough (see README, "No answer")."""
    if not ranked:
        return False
    top = ranked[0]
    return top.cosine > 0 or top.lexical > 0


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
    ranked = retrieve(index, embedder, form)
    passages = []
    for item in ranked[:top_k]:
        chunk = index.chunks[item.row]
        passages.append(Passage(chunk.text, chunk.source, chunk.paragraph, chunk.start,
                                chunk.end, round(item.score, 6),
                                _best_sentence(chunk.text, form.search_text, index, embedder),
                                chunk.caption))
    return Answer(question, is_answered(form, ranked), passages,
                  form.search_text if form.restored else None, note)
