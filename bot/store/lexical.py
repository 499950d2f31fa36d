"""The lexical side: BM25 (bm25s) over syllables and syllable bigrams, on the original text and
on a diacritic-folded copy, plus the corpus vocabulary used to restore a folded query's marks."""

from __future__ import annotations

import functools
import json
import logging
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.corpus.text import fold, with_bigrams, words

logger = logging.getLogger(__name__)

Scores = npt.NDArray[np.float32]


def plain_tokens(text: str) -> list[str]:
    return with_bigrams(words(text))


def folded_tokens(text: str) -> list[str]:
    return with_bigrams(words(fold(text)))


# Question words, which news text seldom uses: restored from the articles alone, "bao nhieu"
# came back as "bảo nhiều" (bảo hiểm, nhiều) and was searched and shown so. Each pair weighs as
# if the articles used it this often.
QUESTION_PHRASES = (
    "bao nhiêu", "bao lâu", "bao giờ", "là gì", "là ai", "ở đâu", "khi nào", "lúc nào",
    "như thế nào", "ra sao", "tại sao", "vì sao", "có phải", "hay không", "điều gì", "cái gì",
    "những gì", "làm gì", "năm nào", "ngày nào", "tháng nào", "nơi nào", "người nào",
    "tỉnh nào", "nước nào", "nói gì", "có mấy", "mấy", "lần thứ", "thứ mấy", "mỗi năm",
    "hàng năm", "phần trăm", "thì sao", "cách đây", "bắt đầu", "ban hành", "ngày mấy",
    "tháng mấy", "năm mấy", "mấy năm", "ông ấy", "bà ấy", "từ đâu", "đến đâu", "đi đâu",
    # money asked: "bao nhieu tien" came back "bao nhiêu tiên" (đầu tiên), "gia ve" "giá về"
    # (rt21)
    "bao nhiêu tiền", "số tiền", "giá vé", "vé vào cửa")
QUESTION_PAIR_WEIGHT = 10
# A question word is read as one at least this often: typed first, "ai" came back as "ái" (who)
# in 76 of 927 xquad-dev questions, since articles seldom ask "who". Only the words that ask,
# not the rest of the phrases ("cái" of "cái gì" made "cai thien" "cái thiện").
QUESTION_WORD_COUNT = 20
QUESTION_WORDS = frozenset({"ai", "gì", "nào", "đâu", "sao", "mấy", "nhiêu", "lâu", "giờ"})
# The weight of the pair's own evidence against the syllable's frequency alone (interpolated
# bigram model). Measured on xquad-dev's questions typed without marks, their restored
# syllables against the same questions typed with them (three halvings of the articles): 95.8 %
# right with the earlier additive score, 96.7 % with this model and QUESTION_WORD_COUNT.
PAIR_SHARE = 0.9


def _question_vocabulary() -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    unigrams: dict[str, dict[str, int]] = defaultdict(dict)
    bigrams: Counter[str] = Counter()
    for phrase in QUESTION_PHRASES:
        tokens = phrase.split()
        for token in tokens:
            unigrams[fold(token)][token] = QUESTION_WORD_COUNT if token in QUESTION_WORDS else 1
        bigrams.update({f"{a} {b}": QUESTION_PAIR_WEIGHT
                        for a, b in zip(tokens, tokens[1:], strict=False)})
    return dict(unigrams), dict(bigrams)


_QUESTION_UNIGRAMS, _QUESTION_BIGRAMS = _question_vocabulary()


class Restorer:
    """Puts diacritics back on a folded query, choosing the corpus' most likely spelling (the
    question words above known besides)."""

    def __init__(self, unigrams: dict[str, dict[str, int]], bigrams: dict[str, int]) -> None:
        self.unigrams, self.bigrams = unigrams, bigrams

    @classmethod
    def build(cls, texts: list[str]) -> Restorer:
        unigrams: dict[str, Counter[str]] = defaultdict(Counter)
        bigrams: Counter[str] = Counter()
        for text in texts:
            tokens = words(text)
            for token in tokens:
                unigrams[fold(token)][token] += 1
            bigrams.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
        return cls({k: dict(v) for k, v in unigrams.items()}, dict(bigrams))

    @functools.cached_property
    def folded_counts(self) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        """Corpus frequencies of folded syllables and folded syllable pairs."""
        unigrams: Counter[str] = Counter()
        for folded, forms in self.unigrams.items():
            unigrams[folded] += sum(forms.values())
        bigrams: Counter[tuple[str, str]] = Counter()
        for pair, count in self.bigrams.items():
            first, _, second = pair.partition(" ")
            bigrams[(fold(first), fold(second))] += count
        return unigrams, bigrams

    def says(self, phrase: str) -> bool:
        """Whether the articles use `phrase`, its syllables side by side (diacritics aside)."""
        tokens = words(fold(phrase))
        unigrams, bigrams = self.folded_counts
        return bool(tokens) and all(unigrams[t] for t in tokens) and all(
            bigrams[pair] for pair in zip(tokens, tokens[1:], strict=False))

    @functools.cached_property
    def _followers(self) -> Counter[str]:
        """How often each spelling is followed by anything (the pair model's denominator)."""
        counts: Counter[str] = Counter()
        for bigrams in (self.bigrams, _QUESTION_BIGRAMS):
            for pair, count in bigrams.items():
                counts[pair.partition(" ")[0]] += count
        return counts

    @functools.cached_property
    def _total(self) -> int:
        return sum(sum(forms.values()) for forms in self.unigrams.values()) or 1

    def restore(self, text: str) -> str:
        """Most likely accented spelling of the folded `text`: a Viterbi walk over an
        interpolated bigram model of the articles' spellings (question words known besides)."""
        tokens = words(text)
        if not tokens:
            return ""
        paths: dict[str, tuple[float, list[str]]] = {"": (0.0, [])}
        for token in tokens:
            options = self._spellings(token)
            step: dict[str, tuple[float, list[str]]] = {}
            for candidate, count in options.items():
                alone = (1 - PAIR_SHARE) * count / self._total
                best = max(
                    (score + math.log(PAIR_SHARE * self._pair_count(prev, candidate)
                                      / (self._followers[prev] + 1) + alone), path)
                    for prev, (score, path) in paths.items())
                step[candidate] = (best[0], [*best[1], candidate])
            paths = step
        return " ".join(max(paths.values())[1])

    def _spellings(self, token: str) -> dict[str, int]:
        """The spellings `token` may stand for, with how often each is used."""
        folded = fold(token)
        options = dict(self.unigrams.get(folded, {}))
        for spelling, count in _QUESTION_UNIGRAMS.get(folded, {}).items():
            options[spelling] = max(options.get(spelling, 0), count)
        return options or {token: 1}

    def _pair_count(self, first: str, second: str) -> int:
        pair = f"{first} {second}"
        return self.bigrams.get(pair, 0) + _QUESTION_BIGRAMS.get(pair, 0)

    def to_json(self) -> dict[str, object]:
        return {"unigrams": self.unigrams, "bigrams": self.bigrams}


class LexicalIndex:
    """Two BM25 indexes over the same passages: original spelling and diacritics folded."""

    def __init__(self, plain: object, folded: object, restorer: Restorer, size: int) -> None:
        self._plain, self._folded, self.restorer, self.size = plain, folded, restorer, size

    @classmethod
    def build(cls, texts: list[str], spelling: list[str] | None = None) -> LexicalIndex:
        """BM25 over `texts`; the vocabulary (spellings to restore, word counts) from
        `spelling`, the same passages as written with care (titles, not file names)."""
        return cls(_bm25([plain_tokens(t) for t in texts]),
                   _bm25([folded_tokens(t) for t in texts]),
                   Restorer.build(texts if spelling is None else spelling), len(texts))

    def plain_scores(self, query: str) -> Scores:
        return _scores(self._plain, plain_tokens(query), self.size)

    def folded_scores(self, query: str) -> Scores:
        return _scores(self._folded, folded_tokens(query), self.size)

    def save(self, folder: Path) -> None:
        self._plain.save(str(folder / "bm25-plain"), show_progress=False)  # type: ignore[attr-defined]
        self._folded.save(str(folder / "bm25-folded"), show_progress=False)  # type: ignore[attr-defined]
        (folder / "vocabulary.json").write_text(
            json.dumps({**self.restorer.to_json(), "size": self.size}, ensure_ascii=False),
            encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        bm25s = _import_bm25s()
        vocab = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        return cls(bm25s.BM25.load(str(folder / "bm25-plain"), show_progress=False),
                   bm25s.BM25.load(str(folder / "bm25-folded"), show_progress=False),
                   Restorer(vocab["unigrams"], vocab["bigrams"]), int(vocab["size"]))


def _import_bm25s() -> Any:
    import bm25s

    # bm25s sets its logger to DEBUG on import; its progress notes are not for our users.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _bm25(corpus: list[list[str]]) -> object:
    bm25s = _import_bm25s()
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    return model


def _scores(model: object, tokens: list[str], size: int) -> Scores:
    if not tokens or size == 0:
        return np.zeros(size, dtype=np.float32)
    return np.asarray(model.get_scores(tokens), dtype=np.float32)  # type: ignore[attr-defined]
