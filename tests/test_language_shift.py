"""The English-to-Vietnamese question shift, with the real model."""

from __future__ import annotations

import numpy as np
import pytest

from bot.embedding.language_shift import compute_shift, sample_pairs, sample_text, shifted
from bot.embedding.models import SentenceTransformerEmbedder

# Not in the bundled sample: the shift must generalize to questions it never saw.
HELD_OUT = [
    ("Who is the mayor of the city?", "Ai là thị trưởng của thành phố?"),
    ("How many bridges cross the river?", "Có bao nhiêu cây cầu bắc qua sông?"),
    ("When did the school open?", "Trường học mở cửa khi nào?"),
    ("What is the main crop of the farmers?", "Cây trồng chính của nông dân là gì?"),
    ("Why did the factory close?", "Tại sao nhà máy đóng cửa?"),
    ("Which river is the longest in the region?", "Con sông nào dài nhất trong vùng?"),
]


def test_the_bundled_sample_is_well_formed() -> None:
    pairs = sample_pairs(sample_text())
    assert len(pairs) >= 100
    assert all(english and vietnamese and english != vietnamese for english, vietnamese in pairs)
    assert not {e for e, _ in HELD_OUT} & {e for e, _ in pairs}


@pytest.mark.slow
def test_shifted_english_questions_come_closer_to_their_vietnamese_translation(
        embedder: SentenceTransformerEmbedder) -> None:
    shift = compute_shift(embedder)
    english = embedder.embed_queries([e for e, _ in HELD_OUT])
    vietnamese = embedder.embed_queries([v for _, v in HELD_OUT])
    moved = shifted(english, shift)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5)
    before = np.sum(english * vietnamese, axis=1)
    after = np.sum(moved * vietnamese, axis=1)
    assert (after > before).all(), (before, after)
    # and the translation stays the nearest of the Vietnamese questions
    assert (np.argmax(moved @ vietnamese.T, axis=1) == np.arange(len(HELD_OUT))).all()
