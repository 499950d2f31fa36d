"""The English-to-Vietnamese shift of question vectors: the mean difference between English
questions and their Vietnamese translations (a bundled sample), part of which is taken off an
English question's vector so it lands nearer the Vietnamese passages it asks about."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from bot.embedding.models import Embedder

# Multilingual embeddings keep a language component that every English question shares and no
# Vietnamese passage has. Removing 70 % of it put 5 more English questions at rank 1 on
# xquad-dev (519 -> 524 of 612); 10 random 70-pair halves of the sample gave 522-526 each.
SHIFT_SHARE = 0.7
SAMPLE_FILE = "parallel_questions.tsv"


def sample_text() -> str:
    """The bundled sample: one "English<TAB>Vietnamese" pair per line, '#' lines are comments."""
    return resources.files("bot").joinpath("data", SAMPLE_FILE).read_text(encoding="utf-8")


def sample_pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            english, vietnamese = line.split("\t")
            pairs.append((english.strip(), vietnamese.strip()))
    return pairs


@cache  # freshness is checked before every question; the file never changes under us
def sample_digest() -> str:
    """Identifies the sample in the manifest: a changed sample means a new shift."""
    return hashlib.sha256(sample_text().encode("utf-8")).hexdigest()[:16]


def compute_shift(embedder: Embedder) -> npt.NDArray[np.float32]:
    """Mean English question vector minus mean Vietnamese question vector."""
    pairs = sample_pairs(sample_text())
    english = embedder.embed_queries([e for e, _ in pairs])
    vietnamese = embedder.embed_queries([v for _, v in pairs])
    difference: npt.NDArray[np.float32] = np.asarray(
        english.mean(axis=0) - vietnamese.mean(axis=0), dtype=np.float32)
    return difference


def shifted(query: npt.NDArray[np.float32],
            shift: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The question vector(s) moved toward Vietnamese, normalized again (cosines stay cosines)."""
    moved = query - SHIFT_SHARE * shift
    norms = np.linalg.norm(moved, axis=-1, keepdims=True)
    return (moved / np.where(norms > 0, norms, 1.0)).astype(np.float32)
