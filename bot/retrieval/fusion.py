"""Hybrid retrieval: dense (FAISS) plus BM25 on original and diacritic-folded text, fused as
the dense z-score plus BM25 scores with weights chosen by the form of the question."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.corpus.text import fold, words
from bot.embedding.language_shift import shifted
from bot.embedding.models import Embedder
from bot.store.generations import StoredIndex
from bot.store.lexical import Restorer
from bot.store.threads import one_core

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
# Approximate mode (HNSW, large corpora): each retriever proposes this many passages, the
# graph search looks this wide, and the dense z-score's mean and spread come from this many
# evenly spaced passages instead of all of them.
CANDIDATES = 300
EF_SEARCH = 1024
Z_SAMPLE = 2048


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
    with one_core():
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


def retrieve(index: StoredIndex, embedder: Embedder, form: QueryForm,
             candidates: int = CANDIDATES) -> Retrieval:
    """Rank the passages for the question (all of them, or with an approximate index the
    `candidates` best of each retriever); best first."""
    if not index.chunks:
        return Retrieval([], np.zeros(0, np.float32))
    query = embedder.embed_queries([form.search_text])
    if form.kind == "english":  # cross-lingual: move the question toward Vietnamese
        query = shifted(query, index.language_shift)
    weights = WEIGHTS[form.kind]
    lexical = (weights.plain * _normalized(index.lexical.plain_scores(form.search_text))
               + weights.folded * _normalized(index.lexical.folded_scores(form.search_text)))
    if index.approximate:
        return _retrieve_candidates(index, query, lexical, candidates)
    sentence_cosines = _all_scores(index.sentence_vectors, query)
    cosine = dense_scores(index, sentence_cosines, query)
    spread = float(cosine.std()) or 1.0
    z = (cosine - float(cosine.mean())) / spread
    rows = np.arange(len(index.chunks))
    return Retrieval(_ranked(index, rows, cosine, z, lexical), sentence_cosines)


def _ranked(index: StoredIndex, rows: npt.NDArray[np.int64], cosine: npt.NDArray[np.float32],
            z: npt.NDArray[np.float32], lexical: npt.NDArray[np.float32]) -> list[Ranked]:
    """`rows` ordered by fused score (z plus lexical); `cosine` and `z` are per row given."""
    fused = z + lexical[rows]
    order = np.argsort(-fused, kind="stable")
    ranked = [Ranked(int(rows[i]), float(fused[i]), float(cosine[i]), float(z[i]))
              for i in order]
    return _captions_below_body(index, ranked)


def vector_matrix(vectors: Any) -> npt.NDArray[np.float32]:
    """The stored vectors of a flat or HNSW index as an (n, dim) array, without a copy (the
    file is memory-mapped)."""
    import faiss

    flat: Any = faiss.downcast_index(vectors.storage) if hasattr(vectors, "hnsw") else vectors
    n, dim = int(flat.ntotal), int(flat.d)
    if n == 0:
        return np.zeros((0, dim), np.float32)
    return faiss.rev_swig_ptr(flat.get_xb(), n * dim).reshape(n, dim)


def exact_view(index: StoredIndex) -> StoredIndex:
    """The same index searched exactly: in-memory flat copies of its vectors (the baseline
    the approximate search is measured against)."""
    import faiss

    def flat(vectors: Any) -> Any:
        copy = faiss.IndexFlatIP(int(vectors.d))
        copy.add(np.ascontiguousarray(vector_matrix(vectors)))
        return copy

    return replace(index, vectors=flat(index.vectors),
                   sentence_vectors=flat(index.sentence_vectors),
                   manifest=replace(index.manifest, search="exact"), memo={})


@dataclass(frozen=True)
class _Gathered:
    """The vectors of some passages and of their sentences, copied out of the index."""

    passages: npt.NDArray[np.float32]
    sentences: npt.NDArray[np.float32]
    sentence_rows: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]  # sentences per passage


def _gather(index: StoredIndex, rows: npt.NDArray[np.int64]) -> _Gathered:
    owner = index.sentence_owner  # non-decreasing: sentences are stored passage by passage
    starts = np.searchsorted(owner, rows, "left")
    counts = np.searchsorted(owner, rows, "right") - starts
    sentence_rows = (np.repeat(starts - np.cumsum(counts) + counts, counts)
                     + np.arange(int(counts.sum())))
    return _Gathered(vector_matrix(index.vectors)[rows],
                     vector_matrix(index.sentence_vectors)[sentence_rows], sentence_rows,
                     counts)


def _dense(gathered: _Gathered, query: npt.NDArray[np.float32]
           ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Exact dense scores of gathered passages (passage/best-sentence mix) and the cosines
    of their sentences."""
    q = query[0]
    passage = gathered.passages @ q
    sentence = (gathered.sentences @ q if len(gathered.sentences)
                else np.zeros(0, np.float32))
    best = passage.copy()
    has = gathered.counts > 0
    if sentence.size:
        firsts = (np.cumsum(gathered.counts) - gathered.counts)[has]
        best[has] = np.maximum(best[has], np.maximum.reduceat(sentence, firsts))
    mixed = PASSAGE_SHARE * passage + (1 - PASSAGE_SHARE) * best
    return mixed.astype(np.float32), sentence.astype(np.float32)


def _candidate_rows(index: StoredIndex, query: npt.NDArray[np.float32],
                    lexical: npt.NDArray[np.float32], candidates: int) -> npt.NDArray[np.int64]:
    """Passages proposed by the HNSW graphs (passages and sentences) and by BM25."""
    import faiss

    n = len(index.chunks)
    k = min(candidates, n)
    params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]  # missing in stubs
    params.efSearch = max(EF_SEARCH, 2 * k)
    with one_core():
        _, passages = index.vectors.search(query, k, params=params)
        found = [passages[0][passages[0] >= 0]]
        if index.sentence_vectors.ntotal:
            _, sentences = index.sentence_vectors.search(
                query, min(2 * k, int(index.sentence_vectors.ntotal)), params=params)
            found.append(index.sentence_owner[sentences[0][sentences[0] >= 0]])
    if k < n:
        found.append(np.argpartition(-lexical, k)[:k])
    return np.unique(np.concatenate(found).astype(np.int64))


def _retrieve_candidates(index: StoredIndex, query: npt.NDArray[np.float32],
                         lexical: npt.NDArray[np.float32], candidates: int) -> Retrieval:
    rows = _candidate_rows(index, query, lexical, candidates)
    gathered = _gather(index, rows)
    cosine, sentence = _dense(gathered, query)
    if "z_sample" not in index.memo:  # the same passages every time: gather them once
        index.memo["z_sample"] = _gather(index, np.unique(
            np.linspace(0, len(index.chunks) - 1, Z_SAMPLE).astype(np.int64)))
    population = _dense(index.memo["z_sample"], query)[0]
    spread = float(population.std()) or 1.0
    z = ((cosine - float(population.mean())) / spread).astype(np.float32)
    sentence_cosines = np.full(len(index.sentence_owner), -1.0, np.float32)
    sentence_cosines[gathered.sentence_rows] = sentence
    return Retrieval(_ranked(index, rows, cosine, z, lexical), sentence_cosines)


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
