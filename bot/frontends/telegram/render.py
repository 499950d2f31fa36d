"""Telegram HTML for an `Answer`: each passage in a blockquote with its best sentence in bold
and its place in italics, everything escaped, split into messages of at most 4096 characters
on sentence boundaries and never inside a tag."""

from __future__ import annotations

from html import escape

from bot.corpus.sentences import unit_spans
from bot.retrieval.answer import Answer, Passage

MESSAGE_LIMIT = 4096
NO_ANSWER_HTML = ("Các bài viết không nói về điều này. <i>(The articles don't say.)</i>\n"
                  "Những đoạn gần nhất (yếu / weak):")


def _header(passage: Passage, rank: int, weak: bool) -> str:
    kind = " · chú thích ảnh" if passage.caption else ""
    return (f"<i>[{rank}] {escape(passage.source)} · đoạn {passage.paragraph}{kind}"
            f"{' · yếu' if weak else ''}</i>")


def _pieces(passage: Passage, bold: bool) -> list[str]:
    """The quote as escaped pieces (sentences plus the spaces before them), best one bold."""
    text, pieces, cursor, marked = passage.text, [], 0, False
    for start, end in unit_spans(text) or [(0, len(text))]:
        piece = escape(text[cursor:end])
        if bold and not marked and text[start:end] == passage.highlight != text:
            piece = escape(text[cursor:start]) + f"<b>{escape(text[start:end])}</b>"
            marked = True
        pieces.append(piece)
        cursor = end
    if cursor < len(text):
        pieces.append(escape(text[cursor:]))
    return [p for part in pieces for p in _fit(part, MESSAGE_LIMIT // 2)]


def _fit(piece: str, budget: int) -> list[str]:
    """Cut an over-long sentence at spaces (outside tags and entities) so each part fits."""
    if len(piece) <= budget:
        return [piece]
    bold = "<b>" in piece
    plain = piece.replace("<b>", "").replace("</b>", "")
    parts, current = [], ""
    for word in plain.split(" "):
        if current and len(current) + len(word) + 16 > budget:
            parts.append(current)
            current = ""
        current = f"{current} {word}" if current else word
    parts.append(current)
    return [f"<b>{p}</b>" if bold else p for p in parts]


def passage_blocks(passage: Passage, rank: int, answered: bool) -> list[str]:
    """Header plus one or more blockquotes, each block short enough for one message."""
    header = _header(passage, rank, not answered)
    budget = MESSAGE_LIMIT - len(header) - len("\n<blockquote></blockquote>") - 8
    blocks, current = [], ""
    for piece in _pieces(passage, answered):
        if current and len(current) + len(piece) > budget:
            blocks.append(current)
            current = piece.lstrip()
        else:
            current += piece
    blocks.append(current)
    return [f"{header}\n<blockquote>{body.strip()}</blockquote>" for body in blocks]


def render_messages(answer: Answer, first_rank: int = 1, intro: bool = True) -> list[str]:
    """Messages (HTML, each ≤ 4096 characters) showing `answer.passages`."""
    blocks: list[str] = []
    if intro and answer.searched_for:
        blocks.append(f"<i>tìm theo: {escape(answer.searched_for)}</i>")
    if intro and answer.note:
        blocks.append(f"<i>lưu ý: {escape(answer.note)}</i>")
    if intro and not answer.answered:
        blocks.append(NO_ANSWER_HTML)
    for offset, passage in enumerate(answer.passages):
        blocks += passage_blocks(passage, first_rank + offset, answer.answered)
    if not answer.passages:
        blocks.append("Không tìm thấy đoạn nào. <i>(Nothing found.)</i>")
    messages, current = [], ""
    for block in blocks:
        if current and len(current) + 2 + len(block) > MESSAGE_LIMIT:
            messages.append(current)
            current = block
        else:
            current = f"{current}\n\n{block}" if current else block
    messages.append(current)
    return messages


def plain_summary(passage: Passage, limit: int = 120) -> str:
    """A short plain-text line (inline results show it as the title)."""
    text = " ".join((passage.highlight or passage.text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
