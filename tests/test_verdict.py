"""The fitted verdict file: every weight it holds names evidence qabot computes, so a refit
that adds a feature cannot ship without the code that measures it."""

from __future__ import annotations

import math

from bot.retrieval.evidence import PassageSignals, Population, SentenceView, features
from bot.retrieval.verdict import FORMS, HIGHLIGHT_FEATURES, coefficients, strength


def _evidence() -> dict[str, float]:
    signals = PassageSignals(2.0, 1.0, 0.5, 0.6, 0.3, 0.1, 0.2, 0.0, 0.0)
    best = SentenceView(0, 10, 0.85, 0.5, 0.2, True)
    return features(signals, best, Population(0.8, 0.02), "number")


def test_every_weight_names_a_computed_feature() -> None:
    computed = _evidence()
    model = coefficients()
    for form in FORMS:
        assert set(model["forms"][form]["weights"]) <= set(computed), form
        assert set(model["highlight"][form]) == set(HIGHLIGHT_FEATURES), form


def test_a_mixed_question_is_judged_by_the_vietnamese_model() -> None:
    evidence = _evidence()
    assert math.isfinite(strength("english", evidence))
    assert strength("mixed", evidence) == strength("vietnamese", evidence)
