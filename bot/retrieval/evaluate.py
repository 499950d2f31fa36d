"""`qabot eval`: recall@1, recall@3 and MRR per question group, and the rejection rate of
questions whose gold is null, on a JSONL file of questions."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.corpus.text import nfc
from bot.errors import QabotError, QuestionError
from bot.retrieval.answer import Answer

if TYPE_CHECKING:
    from bot.engine import Engine

logger = logging.getLogger(__name__)


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


def _row_problem(row: object) -> str | None:
    """Why a decoded line is not a question row, or None when it is one."""
    if not isinstance(row, dict):
        return "expected a JSON object"
    if not isinstance(row.get("q"), str):
        return 'expected a "q" string'
    gold = row.get("gold")
    if gold is not None and not (isinstance(gold, str) and gold.strip()):
        return '"gold" must be a non-empty string or null'
    for key in ("group", "source"):
        if row.get(key) is not None and not isinstance(row[key], str):
            return f'"{key}" must be a string'
    return None


def read_questions(path: Path) -> list[dict[str, Any]]:
    """Read `{"q", "gold", "group", "source"?}` lines (UTF-8, a BOM is accepted); a bad line is
    reported as `FILE:N: ...` and skipped, the rest are scored.

    Raises:
        QabotError: the file is missing, unreadable, not UTF-8, or holds no question.
    """
    if not path.exists():
        raise QabotError(f"{path} does not exist")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except IsADirectoryError:
        raise QabotError(f"{path} is a folder, not a JSONL file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QabotError(f"cannot read {path}: it must be a UTF-8 JSONL file") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        problem = "not valid JSON" if row is None else _row_problem(row)
        if problem is not None:
            logger.warning("%s:%d: %s; line skipped", path, number, problem)
            continue
        rows.append(row)
    if not rows:
        raise QabotError(f"{path} holds no questions (one JSON object per line)")
    return rows


def answer_or_nothing(engine: Engine, question: str, top_k: int) -> Answer:
    """The engine's answer, or an unanswered one without passages for a question that cannot
    be asked (empty, only punctuation): counted as a miss, not an error."""
    try:
        return engine.answer(question, top_k)
    except QuestionError:
        return Answer(question, False, [], question)


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
