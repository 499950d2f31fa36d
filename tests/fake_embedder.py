"""A deterministic stand-in for the embedding model: hashed syllables, syllable pairs and
character trigrams of the diacritic-folded text, L2-normalized. Texts that share words get
close vectors, so lexical questions find their passage; meaning across languages does not."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.corpus.text import fold, nfc
from bot.embedding.models import Embeddings as Vectors

# What `--model` / QABOT_MODEL take to load it in a `python -m bot` process (README "The
# embedding model": MODULE:NAME names an embedder written in Python).
FAKE_MODEL = "tests.fake_embedder:HashingEmbedder"
DIM = 256
WIDE_DIM = 320  # `WideHashingEmbedder`: another model, whose vectors must never be mixed in
MAX_WORDS = 512  # plays the model's token limit for `truncate`
_WORD = re.compile(r"\w+")
_WEIGHTS = {"syllable": 1.0, "accented": 0.5, "pair": 1.0, "trigram": 0.25}


@lru_cache(maxsize=1 << 16)  # words repeat; hashing dominates the time of a build
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    """A stable (across processes, unlike `hash`) slot and sign for one feature."""
    digest = int.from_bytes(hashlib.blake2b(feature.encode("utf-8", "replace"),
                                            digest_size=8).digest(), "little")
    return digest % dim, 1.0 if digest >> 63 else -1.0


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    return fold(word)


def _features(text: str) -> list[tuple[str, str]]:
    accented = [w.lower() for w in _WORD.findall(nfc(text))]
    folded = [_fold(w) for w in accented]
    found = [("syllable", w) for w in folded] + [("accented", w) for w in accented]
    found += [("pair", f"{a} {b}") for a, b in zip(folded, folded[1:], strict=False)]
    found += [("trigram", w[i:i + 3]) for w in folded if len(w) > 3
              for i in range(len(w) - 2)]
    return found


class HashingEmbedder:
    """The `Embedder` protocol without a model: same vector for a query and a passage."""

    def __init__(self, model_id: str = f"python:{FAKE_MODEL}", dim: int = DIM) -> None:
        self.model_id = model_id
        self.dim = dim

    def _embed(self, texts: list[str]) -> Vectors:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for kind, feature in _features(text):
                slot, sign = _bucket(f"{kind}:{feature}", self.dim)
                vectors[row, slot] += sign * _WEIGHTS[kind]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms > 0, norms, 1.0)
        vectors[norms[:, 0] == 0, 0] = 1.0  # a text without words still gets a unit vector
        return vectors

    def embed_queries(self, texts: list[str]) -> Vectors:
        return self._embed(texts)

    def embed_passages(self, texts: list[str]) -> Vectors:
        return self._embed(texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        """Cut `text` after its MAX_WORDS-th word; True when something was cut."""
        for count, match in enumerate(_WORD.finditer(text), start=1):
            if count == MAX_WORDS:
                end = match.end()
                return text[:end], bool(_WORD.search(text, end))
        return text, False


class WideHashingEmbedder(HashingEmbedder):
    """The same features in more dimensions: a different model for model-switch tests."""

    def __init__(self, model_id: str) -> None:
        super().__init__(model_id, WIDE_DIM)


class StallingEmbedder(HashingEmbedder):
    """Creates the file named by $FAKE_EMBEDDER_STARTED when asked to embed passages, then
    blocks for good: a `qabot index` process that a test can kill in the middle of a build."""

    def embed_passages(self, texts: list[str]) -> Vectors:
        Path(os.environ["FAKE_EMBEDDER_STARTED"]).touch()
        threading.Event().wait()
        raise AssertionError("unreachable")
