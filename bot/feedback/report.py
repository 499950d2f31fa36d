"""`qabot feedback`: a summary of what readers asked and thought, and the export of 👍 answers
(with their highlighted sentence as gold) and of questions to review, in `qabot eval`'s JSONL
format."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import QabotError
from bot.feedback.db import open_read_only
from bot.feedback.target import check_target, write_whole
from bot.frontends.terminal import json_text

TOP_REFUSED = 10
UP, DOWN, REFUSED, FOLLOW_UP = "feedback:up", "review:down", "review:refused", "review:follow-up"
REVIEW_NOTES = {
    DOWN: "readers pressed 👎: check the passages; set gold, or keep null if unanswerable",
    REFUSED: "the bot refused: set gold if the articles do answer it",
    FOLLOW_UP: "asked as a follow-up: the question may need its conversation",
}

_ROWS = """
SELECT a.question, a.searched, a.answered, a.followup,
       coalesce(sum(f.vote = 1), 0), coalesce(sum(f.vote = -1), 0), p.source, p.highlight
FROM answers a
LEFT JOIN feedback f ON f.answer_id = a.id
LEFT JOIN passages p ON p.answer_id = a.id AND p.rank = 1
GROUP BY a.id ORDER BY a.asked_at
"""


def _key(question: str) -> str:
    return " ".join(question.casefold().split())


@dataclass(frozen=True)
class Summary:
    answers: int
    answered: int
    refused: int
    follow_ups: int
    up: int
    down: int
    first: float | None
    last: float | None
    top_refused: list[tuple[str, int]]

    def describe(self) -> str:
        def day(at: float | None) -> str:
            return time.strftime("%Y-%m-%d", time.localtime(at)) if at else "-"

        lines = [f"answers {self.answers} ({day(self.first)} to {day(self.last)}): "
                 f"answered {self.answered}, refused {self.refused}, "
                 f"follow-ups {self.follow_ups}",
                 f"feedback: 👍 {self.up}, 👎 {self.down}"]
        if self.top_refused:
            lines.append("most frequent refused questions:")
            lines += [f"{count:>5}  {question}" for question, count in self.top_refused]
        return "\n".join(lines)


def summarize(path: Path) -> Summary:
    """The counts and the most frequent refused questions.

    Raises:
        QabotError: no database, or it cannot be read.
    """
    conn = open_read_only(path)
    try:
        answers, answered, follow_ups, first, last = conn.execute(
            "SELECT count(*), coalesce(sum(answered), 0), coalesce(sum(followup), 0), "
            "min(asked_at), max(asked_at) FROM answers").fetchone()
        up, down = conn.execute("SELECT coalesce(sum(vote = 1), 0), coalesce(sum(vote = -1), 0)"
                                " FROM feedback").fetchone()
        refused = [str(q) for (q,) in conn.execute(
            "SELECT question FROM answers WHERE answered = 0 ORDER BY asked_at DESC")]
    except sqlite3.Error as exc:
        raise QabotError(f"cannot read the feedback database {path}: {exc}") from None
    finally:
        conn.close()
    counts = Counter(_key(q) for q in refused)
    shown = {_key(q): q for q in reversed(refused)}  # the latest wording of each
    top = [(shown[key], n) for key, n in counts.most_common(TOP_REFUSED)]
    return Summary(answers, answered, answers - answered, follow_ups, up, down, first, last, top)


def _line(row: tuple[Any, ...]) -> dict[str, Any] | None:
    question, searched, answered, followup, ups, downs, source, highlight = row
    if not answered:
        group = REFUSED
    elif downs > ups:
        group = DOWN
    elif ups > downs and highlight:
        group = FOLLOW_UP if followup else UP
    else:
        return None
    line: dict[str, Any] = {"q": question, "gold": None, "group": group}
    if group in (UP, FOLLOW_UP):
        line.update(gold=highlight, source=source)
    if group != UP:
        line.update(review=REVIEW_NOTES[group], searched=searched)
    return line


def export_lines(path: Path) -> list[dict[str, Any]]:
    """One line per distinct question and group: 👍 answers with their highlighted sentence
    as gold, 👎, refused and follow-up questions marked for review; `count` is how often."""
    conn = open_read_only(path)
    try:
        rows = conn.execute(_ROWS).fetchall()
    except sqlite3.Error as exc:
        raise QabotError(f"cannot read the feedback database {path}: {exc}") from None
    finally:
        conn.close()
    lines: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        line = _line(row)
        if line is None:
            continue
        key = (line["group"], _key(line["q"]))
        count = lines[key]["count"] + 1 if key in lines else 1
        lines[key] = {**line, "count": count}  # the latest answer's gold wins
    return list(lines.values())


def export(path: Path, target: Path) -> int:
    """Write `export_lines` to `target` as JSONL, whole or not at all; returns the number of
    lines.

    Raises:
        QabotError: the database cannot be read, `target` is a database (this one or another)
            or cannot be written.
    """
    check_target(path, target)
    lines = export_lines(path)
    write_whole(target, "".join(json_text(line) + "\n" for line in lines))
    return len(lines)
