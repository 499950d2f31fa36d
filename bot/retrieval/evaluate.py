"""`qabot eval`: per question group, recall@1, recall@3 and MRR, the answered share, whether
the highlight holds the gold answer (H@1), the short answer's precision and coverage, and the
refusal rate of questions whose gold is null, on a JSONL file of questions and conversations
(whose last turn is scored, asked after the turns before it)."""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.corpus.text import fold, nfc, words
from bot.errors import QabotError, QuestionError
from bot.retrieval.answer import Answer
from bot.retrieval.conversation import Conversation

if TYPE_CHECKING:
    from bot.engine import Engine

logger = logging.getLogger(__name__)

# Answers a question, read in a conversation when one is given.
Ask = Callable[[str, Conversation | None], Answer]


@dataclass
class GroupScore:
    """Running totals for one group of questions."""

    questions: int = 0
    hit_at_1: int = 0
    hit_at_3: int = 0
    reciprocal_ranks: float = 0.0
    answered: int = 0  # answerable questions answered
    unanswerable: int = 0  # questions whose gold is null
    rejected: int = 0  # ... and were refused
    highlighted: int = 0  # right first passage whose highlight holds the gold answer
    short_shown: int = 0  # answers with a short answer
    short_right: int = 0  # ... that overlaps the gold answer
    numeric: int = 0  # answerable questions whose gold holds a digit (a number or a date)
    numeric_shown: int = 0  # ... answered with a short answer
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        # A group may mix answerable questions and gold-null ones: these count only as refused.
        n = max(self.questions - self.unanswerable, 1)
        return {"n": self.questions, "R@1": self.hit_at_1 / n, "R@3": self.hit_at_3 / n,
                "MRR": self.reciprocal_ranks / n, "answered": self.answered / n,
                "H@1": self.highlighted / max(self.hit_at_1, 1),
                "SA precision": self.short_right / max(self.short_shown, 1),
                "SA coverage": self.numeric_shown / max(self.numeric, 1),
                "refused": self.rejected / max(self.unanswerable, 1)}


def _row_problem(row: object) -> str | None:
    """Why a decoded line is not a question row, or None when it is one."""
    if not isinstance(row, dict):
        return "expected a JSON object"
    turns = row.get("turns")
    if "turns" in row and "q" in row:  # which of the two would be scored is anyone's guess
        return 'give either "q" or "turns", not both'
    if "turns" in row and not (isinstance(turns, list) and turns
                               and all(isinstance(t, str) and t.strip() for t in turns)):
        return '"turns" must be a list of non-empty strings'
    if turns is None and not isinstance(row.get("q"), str):
        return 'expected a "q" string or a "turns" list'
    if "gold" not in row:  # a misspelt key must not turn a question into a must-refuse one
        return 'expected a "gold" key: the answer\'s text, or null when the articles hold none'
    gold = row.get("gold")
    if gold is not None and not (isinstance(gold, str) and gold.strip()):
        return '"gold" must be a non-empty string or null'
    for key in ("group", "source"):
        if row.get(key) is not None and not isinstance(row[key], str):
            return f'"{key}" must be a string'
    return None


def read_questions(path: Path) -> list[dict[str, Any]]:
    """Read `{"q", "gold", "group", "source"?}` lines (or `{"turns": [q1, q2, …], …}` with gold
    for the last turn) (UTF-8, a BOM is accepted); a bad line is
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


def unknown_sources(rows: Iterable[dict[str, Any]], articles: Iterable[str]) -> list[str]:
    """The `source` names the rows give that are not indexed articles: their questions can
    never be hits, which usually means a renamed file or a typo."""
    known = set(articles)
    return sorted({source for row in rows
                   if (source := row.get("source")) and source not in known})


def answer_or_nothing(engine: Engine, question: str, top_k: int,
                      conversation: Conversation | None = None) -> Answer:
    """The engine's answer, or an unanswered one without passages for a question that cannot
    be asked (empty, only punctuation): counted as a miss, not an error."""
    try:
        return engine.answer(question, top_k, conversation)
    except QuestionError:
        return Answer(question, False, [], question)


def _rank_of_gold(answer: Answer, gold: str, source: str | None) -> int | None:
    gold = nfc(gold)
    for rank, passage in enumerate(answer.passages, 1):
        if gold in passage.text and (source is None or passage.source == source):
            return rank
    return None


def last_turn(turns: list[str], ask: Ask) -> Answer:
    """The answer to the last of `turns`, each asked in the conversation of those before."""
    conversation = Conversation()
    for turn in turns:
        result = ask(turn, conversation)
        if result.turn is not None:
            conversation = conversation.after(result.turn)
    return result


def evaluate(rows: Iterable[dict[str, Any]], ask: Ask) -> dict[str, GroupScore]:
    """Score `ask` on the questions and conversations; unanswerable ones (gold null) count
    rejections."""
    groups: dict[str, GroupScore] = defaultdict(GroupScore)
    for row in rows:
        score = groups[str(row.get("group", "all"))]
        result = last_turn(row["turns"], ask) if "turns" in row else ask(row["q"], None)
        score.questions += 1
        if row.get("gold") is None:
            score.unanswerable += 1
            score.rejected += not result.answered
            continue
        score.answered += result.answered
        _score_answer(score, result, nfc(row["gold"]), row.get("source"))
    return dict(groups)


def _score_answer(score: GroupScore, result: Answer, gold: str, source: str | None) -> None:
    shown = result.short.text if result.short is not None else None
    score.short_shown += shown is not None
    score.short_right += shown is not None and short_answer_right(shown, gold)
    if any(ch.isdigit() for ch in gold):
        score.numeric += 1
        score.numeric_shown += shown is not None
    rank = _rank_of_gold(result, gold, source)
    if rank is None:
        score.misses.append(result.question)
        return
    score.hit_at_1 += rank == 1
    score.hit_at_3 += rank <= 3
    score.reciprocal_ranks += 1.0 / rank
    score.highlighted += rank == 1 and gold in result.passages[0].highlight


# A number whole, with its inner separators: "16/7" is one, and shares nothing with
# "25/7/2025" (split at "/", both held a "7").
_WHOLE_NUMBER = re.compile(r"\d+(?:[.,/:\-–]\d+)*")


def short_answer_right(shown: str, gold: str) -> bool:
    """A short answer is right when it shares a word with the gold answer — a whole number,
    when the gold holds one: "năm 2030" is not "năm 2045", nor "300 mét" "120 mét", nor "ngày
    16/7" "25/7/2025"."""
    if any(ch.isdigit() for ch in gold):
        return bool(set(_WHOLE_NUMBER.findall(shown)) & set(_WHOLE_NUMBER.findall(gold)))
    return bool(set(words(fold(shown))) & set(words(fold(gold))))


COLUMNS = ("R@1", "R@3", "MRR", "answered", "H@1", "SA precision", "SA coverage", "refused")


def format_report(groups: dict[str, GroupScore]) -> str:
    """A fixed-width table, one line per group ("-" where a figure has no questions).

    R@1, R@3, MRR and answered are over the answerable questions (gold not null); H@1 over
    those whose first passage is right; SA coverage over the answerable
    questions whose gold holds a digit; refused over the questions whose gold is null."""
    lines = [f"{'group':<24}{'n':>6}" + "".join(f"{c:>{max(len(c) + 2, 8)}}" for c in COLUMNS)]
    for name in sorted(groups):
        g = groups[name]
        row = g.row()
        answerable = g.questions - g.unanswerable
        present = {"R@1": answerable, "R@3": answerable, "MRR": answerable,
                   "answered": answerable,
                   "H@1": g.hit_at_1, "SA precision": g.short_shown,
                   "SA coverage": g.numeric, "refused": g.unanswerable}
        cells = "".join(f"{row[c]:>{max(len(c) + 2, 8)}.3f}" if present[c]
                        else f"{'-':>{max(len(c) + 2, 8)}}" for c in COLUMNS)
        lines.append(f"{name:<24}{g.questions:>6}{cells}")
    return "\n".join(lines)
