"""`qabot eval`: recall@1, recall@3 and MRR per question group, and the rejection rate of
questions whose gold is null, on a JSONL file of questions."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.corpus.text import nfc
from bot.errors import QabotError
from bot.retrieval.answer import Answer


@dataclass
class GroupScore:
    """Running totals for one group of questions."""

    questions: int = 0
    hit_at_1: int = 0
    hit_at_3: int = 0
    reciprocal_ranks: float = 0.0
    answered: int = 0
    rejected: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        n = max(self.questions, 1)
        return {"n": self.questions, "R@1": self.hit_at_1 / n, "R@3": self.hit_at_3 / n,
                "MRR": self.reciprocal_ranks / n, "answered": self.answered / n}


def read_questions(path: Path) -> list[dict[str, Any]]:
    """Read `{"q", "gold", "group", "source"?}` lines.

    Raises:
        QabotError: the file is missing or a line is not such an object.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QabotError(f"cannot read {path}: it must be a UTF-8 JSONL file") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("q"), str):
                raise ValueError
        except ValueError as exc:
            raise QabotError(f"{path}:{number}: expected a JSON object with a \"q\" string") \
                from exc
        rows.append(row)
    return rows


def _rank_of_gold(answer: Answer, gold: str, source: str | None) -> int | None:
    gold = nfc(gold)
    for rank, passage in enumerate(answer.passages, 1):
        if gold in passage.text and (source is None or passage.source == source):
            return rank
    return None


def evaluate(rows: Iterable[dict[str, Any]], ask: Callable[[str], Answer]
             ) -> dict[str, GroupScore]:
    """Score `ask` on the questions; unanswerable ones (gold null) count rejections."""
    groups: dict[str, GroupScore] = defaultdict(GroupScore)
    for row in rows:
        score = groups[str(row.get("group", "all"))]
        result = ask(row["q"])
        score.questions += 1
        score.answered += result.answered
        if row.get("gold") is None:
            score.rejected += not result.answered
            continue
        rank = _rank_of_gold(result, row["gold"], row.get("source"))
        if rank is None:
            score.misses.append(row["q"])
            continue
        score.hit_at_1 += rank == 1
        score.hit_at_3 += rank <= 3
        score.reciprocal_ranks += 1.0 / rank
    return dict(groups)


def format_report(groups: dict[str, GroupScore]) -> str:
    """A fixed-width table, one line per group."""
    lines = [f"{'group':<16}{'n':>6}{'R@1':>8}{'R@3':>8}{'MRR':>8}{'answered':>10}"
             f"{'rejected':>10}"]
    for name in sorted(groups):
        g = groups[name]
        row = g.row()
        rejected = f"{g.rejected / max(g.questions, 1):.3f}" if g.rejected or name.startswith(
            "unanswer") else "-"
        lines.append(f"{name:<16}{row['n']:>6}{row['R@1']:>8.3f}{row['R@3']:>8.3f}"
                     f"{row['MRR']:>8.3f}{row['answered']:>10.3f}{rejected:>10}")
    return "\n".join(lines)
