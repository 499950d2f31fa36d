"""Hybrid retrieval: dense (FAISS) plus BM25 on original and diacritic-folded text, fused by
reciprocal rank fusion with weights chosen by the form of the question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.embedding import Embedder
from bot.lexical import Restorer
from bot.store import StoredIndex
from bot.text import fold, words

# Dense similarity mixes the whole passage with its best-matching sentence: a question usually
# asks about one sentence, and the sentence vector is not diluted by the rest of the paragraph.
PASSAGE_SHARE = 0.3
# A Vietnamese syllable, written without marks: optional onset, vowel nucleus, optional coda.
_VI_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|uyu|ieu|yeu|oai|oay|oeo|uay|uoi|uou|ươi|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|"
    r"ue|ui|uo|uu|uy|ye|[aeiouy])"
    r"(ch|ng|nh|[cmnpt])?$")
# Words that mark an English question and are not also common Vietnamese syllables without
# marks ("to", "the", "do", "that" are: tô, thể, do, thật).
ENGLISH_MARKERS = frozenset(
    "what who whom whose how which when where why is are was were did does of and for with from "
    "many much this these those their its has have had been there not or by at as she they "
    "his her would could should will into about".split())
ENGLISH_FUNCTION_WORDS = ENGLISH_MARKERS | {"the", "to", "in", "on", "an", "a", "do", "that"}
_VIETNAMESE_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
ENGLISH_MARKER_SHARE = 0.15
FOLDED_SYLLABLE_SHARE = 0.5


@dataclass(frozen=True)
class QueryForm:
    """How the question is written, and the text each retriever should search for."""

    kind: str  # "vietnamese", "no_diacritics" or "english"
    search_text: str  # diacritics restored for "no_diacritics", else the question
    restored: bool


@dataclass(frozen=True)
class Weights:
    """How much each BM25 score (scaled to 0..1) adds to the dense z-score."""

    plain: float
    folded: float


# Tuned on xquad-dev (see README): Vietnamese leans on exact spelling, a query typed without
# marks on the folded index, an English query on the dense (cross-lingual) side.
WEIGHTS = {
    "vietnamese": Weights(plain=2.0, folded=1.0),
    "no_diacritics": Weights(plain=0.2, folded=3.0),
    "english": Weights(plain=0.2, folded=0.2),
}


def _english_marker_share(question: str) -> float:
    """Share of English function words; a capitalized one inside the question is part of a
    name ("Doctor Who") and does not count."""
    raw = re.findall(r"\w+", question)
    markers = sum(word.lower() in ENGLISH_MARKERS and (i == 0 or not word[0].isupper())
                  for i, word in enumerate(raw))
    return markers / len(raw) if raw else 0.0


def _folded_syllable_share(tokens: list[str], restorer: Restorer) -> float:
    return sum(bool(_VI_SYLLABLE.match(t)) and t in restorer.unigrams
               and t not in ENGLISH_MARKERS for t in tokens) / len(tokens)


def classify(question: str, restorer: Restorer) -> QueryForm:
    """Tell Vietnamese, Vietnamese typed without marks, and English (or other) questions apart."""
    if _english_marker_share(question) >= ENGLISH_MARKER_SHARE:
        return QueryForm("english", question, False)
    if any(ch in _VIETNAMESE_LETTERS for ch in question.lower()):
        return QueryForm("vietnamese", question, False)
    tokens = [t for t in words(question) if not t.isdigit()]
    if tokens and _folded_syllable_share(tokens, restorer) >= FOLDED_SYLLABLE_SHARE:
        restored = restorer.restore(question)
        return QueryForm("no_diacritics", restored or question, restored != question.lower())
    return QueryForm("english" if tokens else "vietnamese", question, False)


@dataclass(frozen=True)
class Ranked:
    """A passage's row in the index, its fused score and the evidence behind it."""

    row: int
    score: float
    cosine: float
    dense_z: float  # how far the cosine stands above this question's cosines with all passages


def _normalized(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _all_scores(vectors: Any, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Cosine of the query with every stored row, in row order."""
    n = int(vectors.ntotal)
    found, rows = vectors.search(query, n)
    scores = np.full(n, -1.0, dtype=np.float32)
    valid = rows[0] >= 0
    scores[rows[0][valid]] = found[0][valid]
    return scores


@dataclass(frozen=True)
class Retrieval:
    """Passages best first, and the cosine of every stored sentence (row order) for
    picking the sentence to highlight."""

    ranked: list[Ranked]
    sentence_cosines: npt.NDArray[np.float32]


def dense_scores(index: StoredIndex, sentence_cosines: npt.NDArray[np.float32],
                 query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Per passage: a mix of its own cosine and its best sentence's cosine."""
    passage = _all_scores(index.vectors, query)
    best_sentence = passage.copy()
    if sentence_cosines.size:
        np.maximum.at(best_sentence, index.sentence_owner, sentence_cosines)
    return PASSAGE_SHARE * passage + (1 - PASSAGE_SHARE) * best_sentence


def retrieve(index: StoredIndex, embedder: Embedder, form: QueryForm) -> Retrieval:
    """Rank all passages for the question; best first."""
    if not index.chunks:
        return Retrieval([], np.zeros(0, np.float32))
    query = embedder.embed_queries([form.search_text])
    sentence_cosines = _all_scores(index.sentence_vectors, query)
    cosine = dense_scores(index, sentence_cosines, query)
    spread = float(cosine.std()) or 1.0
    z = (cosine - float(cosine.mean())) / spread
    plain = _normalized(index.lexical.plain_scores(form.search_text))
    folded = _normalized(index.lexical.folded_scores(form.search_text))
    weights = WEIGHTS[form.kind]
    fused = z + weights.plain * plain + weights.folded * folded
    order = np.argsort(-fused, kind="stable")
    ranked = [Ranked(int(row), float(fused[row]), float(cosine[row]), float(z[row]))
              for row in order]
    return Retrieval(_captions_below_body(index, ranked), sentence_cosines)


def _captions_below_body(index: StoredIndex, ranked: list[Ranked]) -> list[Ranked]:
    """A caption never outranks a body passage that says the same thing."""
    result = list(ranked)
    for caption in [r for r in ranked if index.chunks[r.row].caption]:
        words_of_caption = set(words(fold(index.chunks[caption.row].text))) - {"anh"}
        position = result.index(caption)
        for later in range(len(result) - 1, position, -1):
            chunk = index.chunks[result[later].row]
            if not chunk.caption and words_of_caption and len(
                    words_of_caption & set(words(fold(chunk.text)))) >= 0.8 * len(words_of_caption):
                result.insert(later, result.pop(position))
                break
    return result
