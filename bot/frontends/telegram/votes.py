"""The 👍 / 👎 buttons under an answer: what they carry and how a press is read back."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton

UP, DOWN = "👍", "👎"
PATTERN = r"^vote:[ud]:[0-9a-f]{16}$"
_VOTE = re.compile(PATTERN)


def vote_buttons(answer_id: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(UP, callback_data=f"vote:u:{answer_id}"),
            InlineKeyboardButton(DOWN, callback_data=f"vote:d:{answer_id}")]


def parse_vote(data: str | None) -> tuple[str, int] | None:
    """(answer id, 1 for 👍 or -1 for 👎) from a button's data, None when it is not a vote."""
    if data is None or not _VOTE.match(data):
        return None
    _, kind, answer_id = data.split(":")
    return answer_id, 1 if kind == "u" else -1
