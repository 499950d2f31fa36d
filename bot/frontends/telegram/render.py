"""Telegram HTML for an answer's display parts: each passage in a blockquote with its highlight
in bold and its place in italics, everything escaped, split into messages of at most 4096
characters on sentence boundaries and never inside a tag."""

from __future__ import annotations

import re
from html import escape as _escape

from bot.corpus.sentences import unit_spans
from bot.frontends.presentation import (
    SHORT_MARK,
    AnswerView,
    Message,
    PassageView,
    Quote,
    relevance_bar,
)

MESSAGE_LIMIT = 4096  # the Bot API's limit for one message's text
# A longer sentence is cut at spaces, so any piece fits in a message beside its header.
PIECE_LIMIT = MESSAGE_LIMIT // 2
# Escaping can grow a character to five ("&amp;"); raw text is clipped well below a fifth of
# a message, so a note, the short answer or a source name always fits beside the rest.
ESCAPE_GROWTH = 5
TEXT_CHARS = 500
SOURCE_CHARS = 256
LINK_CHARS = 1024  # a longer link (with its text fragment) is left out of a header
BLOCK_SEPARATOR = "\n\n"
QUOTE_OPEN, QUOTE_CLOSE = "\n<blockquote>", "</blockquote>"
INLINE_TITLE_CHARS = 120  # inline results show one line as the title


def escape(text: str) -> str:
    """Telegram HTML wants only <, > and & escaped; quotes stay readable."""
    return _escape(text, quote=False)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_html(message: Message) -> str:
    """A fixed message with its English gloss in italics."""
    english = f" <i>({escape(message.english)})</i>" if message.english else ""
    return escape(message.text) + english


def cited(name: str, *links: str | None) -> str:
    """An article's name (clipped, escaped), as a link to the first of `links` short enough
    to leave the quote room in its message."""
    shown = escape(_clip(name, SOURCE_CHARS))
    link = next((link for link in links if link and len(link) <= LINK_CHARS), None)
    return f'<a href="{_escape(link, quote=True)}">{shown}</a>' if link else shown


def _header(passage: PassageView) -> str:
    rest = "".join(f" · {escape(label)}" for label in passage.labels()[1:])
    name = cited(passage.cited_as, passage.link, passage.url)
    return (f"<i>[{passage.rank}] {name}{rest}</i> "
            f"{relevance_bar(passage.relevance)}")


def _cut(text: str, budget: int) -> list[str]:
    """Cut `text` at spaces (inside a word only when one word alone is over) so each part,
    once escaped, is at most `budget` characters."""
    words = [w for word in re.findall(r"\S+\s*|\s+", text)
             for w in ([word] if len(escape(word)) <= budget
                       else re.findall(f".{{1,{budget // ESCAPE_GROWTH}}}", word, re.S))]
    parts, current = [], ""
    for word in words:
        if current and len(escape(current + word)) > budget:
            parts.append(current)
            current = ""
        current += word
    return [*parts, current] if current else parts


def _html(raw: str, bold: bool) -> str:
    body = raw.lstrip()
    lead = escape(raw[:len(raw) - len(body)])
    return f"{lead}<b>{escape(body)}</b>" if bold and body else escape(raw)


def _pieces(quote: Quote) -> list[str]:
    """The quote as HTML pieces, each a sentence (with the spaces before it) or part of one,
    each closing its own tags."""
    pieces = []
    for text, bold in ((quote.before, False), (quote.highlight, True), (quote.after, False)):
        cursor = 0
        for _, end in unit_spans(text):
            pieces.append((text[cursor:end], bold))
            cursor = end
        if cursor < len(text):
            pieces.append((text[cursor:], bold))
    return [_html(part, bold) for raw, bold in pieces
            for part in _cut(raw, PIECE_LIMIT - len("<b></b>"))]


def passage_blocks(passage: PassageView) -> list[str]:
    """Header plus one or more blockquotes, each block short enough for one message."""
    header = _header(passage)
    budget = MESSAGE_LIMIT - len(header) - len(QUOTE_OPEN) - len(QUOTE_CLOSE)
    bodies, current = [], ""
    for piece in _pieces(passage.quote):
        if current and len(current) + len(piece) > budget:
            bodies.append(current)
            current = piece.lstrip()
        else:
            current += piece
    bodies.append(current)
    return [f"{header}{QUOTE_OPEN}{body.strip()}{QUOTE_CLOSE}" for body in bodies]


def intro_blocks(view: AnswerView) -> list[str]:
    """What comes before the first passage: notes, the verdict, the short answer."""
    blocks = [f"<i>{escape(note.label)}: {escape(_clip(note.text, TEXT_CHARS))}</i>"
              for note in view.notes]
    if view.verdict:
        blocks.append("\n".join(message_html(message) for message in view.verdict))
    if view.short:
        blocks.append(f"<b>{SHORT_MARK} {escape(_clip(view.short, TEXT_CHARS))}</b>")
    return blocks


def pack(blocks: list[str]) -> list[str]:
    """Join blocks into as few messages of at most MESSAGE_LIMIT characters as they fit."""
    messages, current = [], ""
    for block in blocks:
        if current and len(current) + len(BLOCK_SEPARATOR) + len(block) > MESSAGE_LIMIT:
            messages.append(current)
            current = block
        else:
            current = f"{current}{BLOCK_SEPARATOR}{block}" if current else block
    return [*messages, current] if current else messages


def render_messages(view: AnswerView, first: int = 0, stop: int | None = None) -> list[str]:
    """Messages (HTML) showing passages `first` to `stop`; the first page adds the intro."""
    blocks = intro_blocks(view) if first == 0 else []
    for passage in view.passages[first:stop]:
        blocks += passage_blocks(passage)
    return pack(blocks)


def inline_html(passage: PassageView) -> str:
    """One passage as a message of its own (an inline result); a long one keeps its start."""
    return passage_blocks(passage)[0]


def plain_summary(passage: PassageView) -> str:
    """A short plain-text line (inline results show it as the title)."""
    text = " ".join((passage.quote.highlight or passage.quote.text).split())
    return _clip(text, INLINE_TITLE_CHARS)
