"""Plain-terminal rendering of an `Answer`'s display parts, and the guards for whatever reaches
a terminal: control and bidi characters made visible, JSON lines that stay one line."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from bot.frontends.presentation import SHORT_MARK, Message, PassageView, Quote, present
from bot.retrieval.answer import Answer

WRAP_WIDTH = 96
QUOTE_MARGIN = "    │ "
_BOLD, _HIGHLIGHT, _RESET = "\033[1m", "\033[1;33m", "\033[0m"

# C0 and C1 controls and DEL drive the terminal (ESC starts a sequence, BEL ends a title);
# bidi marks, embeddings, overrides and isolates reorder what is shown; line and paragraph
# separators break lines in some terminals.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
# What json.dumps(ensure_ascii=False) leaves raw that a terminal or a line reader would act on.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")
_CONTROL_PICTURES = 0x2400  # U+2400 "␀" onwards show C0 controls as visible symbols


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x09:
        return " "
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return "\u2421"  # "␡"
    return f"<U+{code:04X}>"


def safe(text: str) -> str:
    """`text` with every character that could drive or reorder a terminal made visible."""
    return _UNSAFE.sub(_visible, text)


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON that decodes to exactly `data`, with Vietnamese kept readable but C1 controls, bidi
    controls and U+2028/U+2029 escaped (json.dumps leaves them raw with ensure_ascii=False)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    # These characters can only occur inside JSON strings, where an escape means the same.
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
        if passage.quote.highlight:
            lines.append(f"  → {safe(passage.quote.highlight)}")
        lines.append(_quote(passage.quote, color))
    return "\n".join(lines)
