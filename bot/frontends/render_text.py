"""Plain-terminal rendering of an `Answer`: the quote, its best sentence highlighted, and where
it stands in the source."""

from __future__ import annotations

import textwrap

from bot.retrieval.answer import Answer, Passage

NO_ANSWER = ("Các bài viết không nói về điều này. (The articles don't say.) "
             "Những đoạn gần nhất (yếu / weak):")
_BOLD, _RESET = "\033[1;33m", "\033[0m"


def _quote(passage: Passage, color: bool) -> str:
    text = passage.text
    if color and passage.highlight and passage.highlight != text:
        at = text.find(passage.highlight)
        if at >= 0:
            end = at + len(passage.highlight)
            text = f"{text[:at]}{_BOLD}{text[at:end]}{_RESET}{text[end:]}"
    return textwrap.indent(textwrap.fill(text, width=96) if not color else text, "    │ ")


def format_answer(answer: Answer, color: bool = False) -> str:
    """Human-readable text for one answer."""
    lines = [f"Hỏi: {answer.question}"]
    if answer.searched_for:
        lines.append(f"(tìm theo: {answer.searched_for})")
    if answer.note:
        lines.append(f"(lưu ý: {answer.note})")
    if not answer.passages:
        lines.append("Không có đoạn nào. (No passages.)")
    elif not answer.answered:
        lines.append(NO_ANSWER)
    for rank, passage in enumerate(answer.passages, 1):
        kind = " · chú thích ảnh" if passage.caption else ""
        weak = " · yếu" if not answer.answered else ""
        lines.append(f"[{rank}] {passage.source}, đoạn {passage.paragraph}{kind}{weak} "
                     f"(ký tự {passage.start}–{passage.end}, điểm {passage.score:.2f})")
        if answer.answered and passage.highlight and passage.highlight != passage.text:
            lines.append(f"  → {passage.highlight}")
        lines.append(_quote(passage, color))
    return "\n".join(lines)
