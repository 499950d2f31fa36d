"""Plain-terminal rendering of an `Answer`'s display parts (`qabot ask`)."""

from __future__ import annotations

import textwrap

from bot.frontends.presentation import SHORT_MARK, Message, PassageView, Quote, present
from bot.frontends.terminal import safe
from bot.retrieval.answer import Answer

WRAP_WIDTH = 96
QUOTE_MARGIN = "    │ "
_BOLD, _HIGHLIGHT, _RESET = "\033[1m", "\033[1;33m", "\033[0m"


def _message(message: Message) -> str:
    return f"{message.text} ({message.english})" if message.english else message.text


def _header(passage: PassageView) -> str:
    labels = " · ".join(safe(label) for label in passage.labels())
    return (f"[{passage.rank}] {labels} "
            f"(ký tự {passage.start}–{passage.end}, điểm {passage.score:.2f})")


def _quote(quote: Quote, color: bool) -> str:
    if color:
        text = safe(quote.before) + (f"{_HIGHLIGHT}{safe(quote.highlight)}{_RESET}"
                                     if quote.highlight else "") + safe(quote.after)
    else:  # escape codes would confuse the wrapping, so only plain text is wrapped
        text = textwrap.fill(safe(quote.text), width=WRAP_WIDTH)
    return textwrap.indent(text, QUOTE_MARGIN, lambda _: True)


def format_answer(answer: Answer, color: bool = False) -> str:
    """Human-readable text for one answer; `color` adds bold and highlight escape codes."""
    view = present(answer)
    lines = [f"Hỏi: {safe(view.question)}"]
    if view.short:
        short = f"{SHORT_MARK} {safe(view.short)}"
        lines.append(f"{_BOLD}{short}{_RESET}" if color else short)
    lines += [f"({note.label}: {safe(note.text)})" for note in view.notes]
    lines += [_message(message) for message in view.verdict]
    for passage in view.passages:
        lines.append(_header(passage))
        if passage.url:
            lines.append(f"  {safe(passage.url)}")
        if passage.quote.highlight:
            lines.append(f"  → {safe(passage.quote.highlight)}")
        lines.append(_quote(passage.quote, color))
    return "\n".join(lines)
