"""Fit the highlight weights and the no-answer verdict (one small logistic model per question
form), and report them cross-validated beside the hand-set rule they replace, from the
evidence bench/verdict_data.py collected.

Folds are by article (xquad-dev) and by question (seed), so no fold is scored by a model that
saw its article's questions. Both regimes are fitted together: half of xquad-dev indexed (about
60 passages) and each article indexed alone (about 5), since a z-score over a few passages
says something else than over many (the seed article has 20). The held-out seed questions
(tests/data/seed_heldout.jsonl) are never fitted on. With --write, the models fitted on all
the training data go, readable, to bot/data/verdict.json (with a model-free fit, without the raw
cosine, for indexes built with another embedding model); the report shows only
cross-validated and held-out figures.

Usage: python bench/fit_verdict.py [--write]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import zlib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.retrieval.evaluate import short_answer_right  # noqa: E402
from bot.retrieval.evidence import PassageSignals, Population, SentenceView  # noqa: E402
from bot.retrieval.evidence import features as evidence_features  # noqa: E402
from bot.retrieval.judge import SURE_MARGIN, not_sure  # noqa: E402
from bot.retrieval.short_answer import SHORT_KINDS, short_span  # noqa: E402
from bot.retrieval.verdict import (  # noqa: E402
    FORM_FEATURES,
    FORMS,
    HIGHLIGHT_FEATURES,
    MODEL_FREE_FEATURES,
    form_of,
    highlight_choice,
    lacks_asked_kind,
    with_antecedent,
)

DATA = Path(os.environ.get("VERDICT_DATA", REPO / "bench" / "out" / "verdict_data.jsonl"))
OUT = REPO / "bot" / "data" / "verdict.json"
FOLDS = 6
L2 = 1.0
# The share of questions about other articles the threshold refuses in training. The target
# is 90 % on unseen ones: 0.90 gave 89–90 % cross-validated, 0.91 gives 90–91 % (a higher
# share refuses more answerable questions, see README).
REFUSE_TARGET = float(os.environ.get("REFUSE_TARGET", 0.91))
# The seed questions are few (87) but near-topic, unlike xquad's other-article questions:
# they weigh more so the model learns what a near miss looks like.
SEED_WEIGHT = float(os.environ.get("SEED_WEIGHT", 8.0))
HIGHLIGHT_GRID = {"cosine": [5, 10, 20, 40], "coverage": [0, 1, 2],
                  "pair_coverage": [0, 0.5, 1, 2], "fits": [0, 0.25, 0.5, 1]}
Record = dict[str, Any]


def views_of(record: Record) -> list[SentenceView]:
    if "_views" not in record:  # made once: the grid search asks for them many times
        fields = SentenceView.__dataclass_fields__
        record["_views"] = [SentenceView(**{k: v for k, v in view.items() if k in fields})
                            for view in record["views"]]
    views: list[SentenceView] = record["_views"]
    return views


def highlight_holds(record: Record, pick: int) -> bool:
    """Whether the highlight qabot shows (the picked sentence, from its antecedent for a
    pronoun answering "who") holds the gold answer."""
    views = views_of(record)
    start, _ = with_antecedent(record["kind"], views, pick, record["views"][pick]["text"])
    return any(v["gold"] for v, view in zip(record["views"], views, strict=True)
               if view.start >= start and view.end <= views[pick].end)


def chosen(record: Record, weights: dict[str, float]) -> int:
    """The sentence qabot would highlight with these weights."""
    return highlight_choice(record["form"], record["kind"], views_of(record), weights)


def features(record: Record, weights: dict[str, float]) -> dict[str, float]:
    """The verdict's inputs for one record, computed as qabot computes them."""
    fields = PassageSignals.__dataclass_fields__
    signals = PassageSignals(**{k: v for k, v in record["passage"].items() if k in fields})
    population = Population(record["sentence_mean"], record["sentence_std"] or 1.0)
    return evidence_features(signals, views_of(record)[chosen(record, weights)], population,
                             record["kind"])


def vetoed(record: Record) -> bool:
    """Refused by rule, whatever the model says: a number or a date asked, none in the
    passage (bot/retrieval/verdict.py)."""
    return lacks_asked_kind(record["form"], record["kind"], views_of(record))


def label(record: Record) -> int | None:
    """1: answer (in the articles, right passage first); 0: refuse; None: not trained on."""
    if not record["in_corpus"]:
        return 0
    return 1 if record["rank"] == 1 else None


def fold_of(record: Record) -> int:
    key = record.get("source") or record["q"]  # the article for xquad, else the question
    return zlib.crc32(key.encode("utf-8")) % FOLDS


def highlight_hits(records: list[Record], weights: dict[str, float]) -> float:
    """Share of right first passages whose highlight holds the gold answer; a question for a
    number or a date counts twice, since its short answer is taken from the highlight (a
    near tie otherwise let a refit drop "holds the kind asked for" and a twentieth of the
    short answers with it)."""
    scored = [r for r in records if r["rank"] == 1 and r["in_corpus"] and len(r["views"]) > 1]
    weight = {id(r): 2 if r["kind"] in SHORT_KINDS else 1 for r in scored}
    hits = sum(weight[id(r)] * r["views"][chosen(r, weights)]["gold"] for r in scored)
    return hits / max(sum(weight.values()), 1)


def fit_highlight(records: list[Record]) -> dict[str, float]:
    """The grid point that puts the gold answer in the highlight most often."""
    best = max(itertools.product(*HIGHLIGHT_GRID.values()),
               key=lambda point: highlight_hits(records, dict(zip(HIGHLIGHT_GRID, point,
                                                                  strict=True))))
    return dict(zip(HIGHLIGHT_FEATURES, map(float, best), strict=True))


def logistic(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any],
             weight: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Weights (intercept last) of an L2-regularized logistic regression, by Newton steps."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = np.eye(len(w)) * L2
    penalty[-1, -1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (weight * (p - y)) + penalty @ w
        hessian = design.T @ (design * (weight * p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_verdict(rows: list[tuple[dict[str, float], int, float]], calibrate: list[bool],
                names: list[str], refused_by_rule: int = 0) -> dict[str, Any]:
    """Standardize, fit, then fold the scaling back so the JSON applies to raw features. The
    threshold is set on the `calibrate` rows and counts `refused_by_rule` more calibration
    questions (left out of them) as refused already."""
    x = np.array([[f[name] for name in names] for f, _, _ in rows])
    y = np.array([lab for _, lab, _ in rows], float)
    weight = np.array([w for _, _, w in rows], float)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    w = logistic((x - mean) / std, y, weight)
    weights = w[:-1] / std
    intercept = w[-1] - float((w[:-1] * mean / std).sum())
    scores = x @ weights + intercept
    refused = np.sort(scores[(y == 0) & np.array(calibrate)])
    wanted = int(REFUSE_TARGET * (len(refused) + refused_by_rule)) - refused_by_rule
    threshold = float(refused[min(len(refused) - 1, max(wanted, 0))])
    return {"weights": dict(zip(names, map(float, weights), strict=True)),
            "intercept": float(intercept), "threshold": threshold}


def score(model: dict[str, Any], f: dict[str, float]) -> float:
    return (sum(w * f[n] for n, w in model["weights"].items()) + float(model["intercept"])
            - float(model["threshold"]))


def hand_rule(record: Record) -> bool:
    """The verdict this model replaces: z + 3·coverage + 2·pairs ≥ 3.6 (Vietnamese), z ≥ 2.4."""
    p = record["passage"]
    if record["form"] == "english":
        return bool(p["dense_z"] >= 2.4)
    return bool(p["dense_z"] + 3 * p["coverage"] + 2 * p["pair_coverage"] >= 3.6)


def old_highlight(record: Record) -> int:
    """The highlight this replaces: most shared rare words (Vietnamese), then cosine."""
    lexical = 0.0 if record["form"] == "english" else 1000.0
    return chosen(record, {"cosine": 1.0, "coverage": lexical, "pair_coverage": 0.0,
                           "fits": 0.0})


Model = tuple[dict[str, float], dict[str, Any]]  # highlight weights, verdict model


def fit_form(records: list[Record], names: dict[str, list[str]] = FORM_FEATURES) -> Model:
    # A mixed question is judged by the Vietnamese model but not fitted on: its English words
    # are left out of the lexical evidence, and the few of them, weighed as seed questions,
    # would teach the model that little shared wording is enough.
    records = [r for r in records if r["form"] != "mixed"]
    highlight = fit_highlight(records)
    used = [r for r in records if label(r) is not None]

    def calibrates(r: Record) -> bool:
        # The threshold refuses REFUSE_TARGET of the questions about other articles in the
        # out-of-corpus protocol (halves); near misses and the articles indexed alone, whose
        # other article's questions are easy to refuse, shape the weights only.
        return not (r["group"].startswith("nearmiss") or r["split"].startswith("single"))

    # The weights learn from every question, those the rule refuses too: left out, a rule
    # that refuses some near-topic questions ("Dân số Điện Biên …?") took their lesson away
    # and the model answered other near-topic ones more readily. The threshold is set on
    # the others, counting the rule's refusals as refused.
    rows = [(features(r, highlight), label(r) or 0, SEED_WEIGHT if r["split"] == "seed" else 1.0)
            for r in used]
    by_rule = sum(vetoed(r) and calibrates(r) and label(r) == 0 for r in used)
    return highlight, fit_verdict(rows, [calibrates(r) and not vetoed(r) for r in used],
                                  names[form_of(records[0]["form"])], by_rule)


def decide(model: Model, record: Record) -> float:
    """qabot's strength for `record` with this highlight and verdict model: answered from 0,
    its short answer shown from SURE_MARGIN (-inf: refused by rule)."""
    highlight, verdict = model
    return -math.inf if vetoed(record) else score(verdict, features(record, highlight))


def baseline(record: Record) -> float:
    """The hand-set rule as a strength: sure when it answers."""
    return math.inf if hand_rule(record) else -math.inf


def cross_validate(train: list[Record]) -> tuple[dict[int, float], dict[int, int]]:
    """Each record decided, and its sentence chosen, by the model fitted without its fold."""
    decided: dict[int, float] = {}
    picked: dict[int, int] = {}
    for form in FORMS:
        rows = [r for r in train if form_of(r["form"]) == form]
        for number in range(FOLDS):
            model = fit_form([r for r in rows if fold_of(r) != number])
            for r in rows:
                if fold_of(r) == number:
                    decided[id(r)] = decide(model, r)
                    picked[id(r)] = chosen(r, model[0])
    return decided, picked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    args = parser.parse_args()
    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    # The lower-cased copies stand for no-diacritics questions typed without capitals; the
    # 2 % of them that read as English then (an "is" no longer part of a name) would skew
    # the English model, which has its own questions.
    records = [r for r in records
               if not (r["group"].endswith("-lower") and r["form"] != "no_diacritics")]
    heldout = [r for r in records if r["split"] == "heldout"]
    train = [r for r in records if r["split"] != "heldout"]
    decided, picked = cross_validate(train)
    report(train, lambda r: decided[id(r)], lambda r: picked[id(r)], "qabot, cross-validated")
    report(train, baseline, old_highlight, "baseline: the hand-set rule and highlight")
    models = {form: fit_form([r for r in train if form_of(r["form"]) == form])
              for form in FORMS}

    def final(r: Record) -> Model:
        return models[form_of(r["form"])]

    report(heldout, lambda r: decide(final(r), r),
           lambda r: chosen(r, final(r)[0]), "qabot, held-out seed questions (never fitted on)")
    report(heldout, baseline, old_highlight, "baseline on the held-out seed questions")
    if args.write:
        # The model-free fit judges an index built with another embedding model.
        free = {form: fit_form([r for r in train if form_of(r["form"]) == form],
                               MODEL_FREE_FEATURES)[1] for form in FORMS}
        data = {"features": FORM_FEATURES, "refuse_target": REFUSE_TARGET,
                "cosine_model": "multilingual-e5-small",
                "forms": {f: m[1] for f, m in models.items()},
                "model_free_forms": free,
                "highlight": {f: m[0] for f, m in models.items()}}
        OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


def short_answer(r: Record, view: int, strength: float) -> tuple[bool, bool]:
    """(shown, right) for the short answer of a record: shown when sure enough, from whatever
    passage came first (as `qabot eval` counts it), right only from the right one."""
    if strength < SURE_MARGIN or not_sure(r["form"], r["passage"]["missing_number"],
                                          r["passage"]["missing_name"]):
        return False, False  # as bot/retrieval/judge.py
    span = short_span(r["q"], r["kind"], r["views"][view]["text"],
                      english=r["form"] == "english")
    right = (span is not None and r["in_corpus"] and r["rank"] == 1
             and short_answer_right(span.text, r["gold"] or ""))
    return span is not None, right


def report(records: list[Record], decide: Callable[[Record], float],
           pick: Callable[[Record], int], title: str) -> None:
    print(f"\n{title}")
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        place = "in" if r["in_corpus"] else "out"
        protocol = "single" if r["split"].startswith("single") else "xquad"
        name = (r["group"] if r["split"] in ("seed", "heldout")
                else f"{protocol}-{place}-{r['group']}")
        groups[name].append(r)
    print(f"{'group':<30}{'n':>6}{'answered':>9}{'right+ans':>10}{'ans|R@1':>8}{'refused':>9}"
          f"{'H@1':>7}"
          f"{'SA prec':>8}{'SA cov':>8}{'SA out':>8}")
    for name in sorted(groups):
        items = groups[name]
        n = len(items)
        strengths = [decide(r) for r in items]
        answered = [s >= 0 for s in strengths]
        right = sum(a and r["rank"] == 1 for r, a in zip(items, answered, strict=True))
        hits = [r for r in items if r["rank"] == 1]
        h1 = sum(highlight_holds(r, pick(r)) for r in hits) / max(len(hits), 1)
        shorts = [short_answer(r, pick(r), s) for r, s in zip(items, strengths, strict=True)]
        shown = sum(s for s, _ in shorts)
        numeric = [s for r, (s, _) in zip(items, shorts, strict=True)
                   if any(c.isdigit() for c in r["gold"] or "")]
        outside = [s for r, (s, _) in zip(items, shorts, strict=True) if not r["in_corpus"]]
        # SA out: share of the questions the articles do not answer given a short answer.
        print(f"{name:<30}{n:>6}{sum(answered) / n:>9.3f}{right / n:>10.3f}"
              f"{right / max(len(hits), 1):>8.3f}{(n - sum(answered)) / n:>9.3f}{h1:>7.3f}"
              f"{sum(ok for _, ok in shorts) / max(shown, 1):>8.2f}"
              f"{sum(numeric) / max(len(numeric), 1):>8.2f}"
              f"{sum(outside) / max(len(outside), 1):>8.3f}")


if __name__ == "__main__":
    main()
