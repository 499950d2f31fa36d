"""Turning an article into passages: drop non-content lines, mark captions, attach headings,
split long paragraphs into windows of whole sentences, keep exact character offsets.

Line rules (conservative, each line judged on its own):
- app banners ("Tải ứng dụng:", "Download app"), bylines (a short line that is nothing but a
  credit: "Theo TTXVN", "Nguồn: VnExpress") and lines without a letter or digit are dropped;
- an all-capitals line of at most 8 words near the top is a masthead and is dropped;
- a line with a photo credit ("... - Ảnh: TTXVN", "Ảnh: ...") is a caption;
- a short line (at most 20 words) without final punctuation is a heading: it is not a passage,
  it gives context to the paragraphs below it.
Markdown files (.md) are read as Markdown: leading front matter (between `---` lines) is
metadata (never a passage, and not counted as paragraphs), a `#` line is a heading, and a list
item (`- `, `* `, `+ `, `1. `) is a paragraph (its quote starts after the marker) even without
final punctuation. The text extracted from an `.html` page follows the same Markdown rules.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from bot.corpus.metadata import split_front_matter
from bot.corpus.sentences import sentence_spans, unit_spans

_BANNER = re.compile(
    r"^(tải ứng dụng|tai ung dung|download (the )?app|xem thêm|đọc thêm)\b.{0,20}$", re.IGNORECASE)
# A credit and nothing else: "Theo TTXVN", "Nguồn: VnExpress", "Theo Bộ Y tế" -- but not a
# sentence that starts the same way ("Theo Bộ Y tế, có 120 ca.", "Nguồn vốn là 500 tỷ đồng.").
_CREDIT_WORD = r"[\w&/-]+(?:\.[\w&/-]+)*"
_BYLINE = re.compile(rf"^(theo\s+|nguồn\s*:\s*){_CREDIT_WORD}(\s+{_CREDIT_WORD}){{0,4}}$",
                     re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}(\s+|$)")
_MD_LIST_ITEM = re.compile(r"^([-*+]|\d{1,9}[.)])\s+(?=\S)")
_CAPTION = re.compile(r"(^|[-–—(]\s*)(ảnh|photo)\s*:", re.IGNORECASE)
_FINAL_PUNCTUATION = ".!?…:;\"”’)]»"
MASTHEAD_LINES = 3
HEADING_MAX_WORDS = 20


@dataclass(frozen=True)
class ChunkerParams:
    """Settings that change the passages; recorded in the manifest."""

    max_chars: int = 1600
    version: int = 7  # bump whenever passages or embedded texts change (6: HTML read as UTF-8
    # when it declares no charset; 7: a Markdown "# …" title heads no section)


@dataclass(frozen=True)
class Chunk:
    """One passage: `source_text[start:end]` is exactly `text`."""

    source: str
    paragraph: int
    start: int
    end: int
    text: str
    heading: str
    caption: bool

    @property
    def search_text(self) -> str:
        """What the models and the lexical index see: the article's name and the heading give
        context that the paragraph itself often leaves implicit. The name, not the title of its
        metadata: on dev.jsonl the Vietnamese title cost an English question its first place
        (R@1 1.00 -> 0.67), and an added article's file name is its title's slug anyway."""
        return in_context(self.context_title, self.heading, self.text)

    @property
    def context_title(self) -> str:
        return title_of(self.source)

    def sentence_texts(self) -> list[str]:
        """Each sentence (or clause of a long one) in context, embedded on its own for precise
        matches."""
        return [in_context(self.context_title, self.heading, self.text[s:e])
                for s, e in unit_spans(self.text)]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def title_of(source: str) -> str:
    """A readable title from a file name: "Super_Bowl_50.txt" -> "Super Bowl 50"."""
    return re.sub(r"[_\s-]+", " ", PurePosixPath(source).stem).strip()


def in_context(title: str, heading: str, text: str) -> str:
    return "\n".join(part for part in (title, heading, text) if part)


def content_key(text: str) -> str:
    """Content hash of an embedded text; equal keys share one vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based count of non-empty lines: the "paragraph" a reader sees
    start: int
    end: int
    text: str


def _lines(text: str, first: int = 0) -> list[_Line]:
    """The non-empty lines of `text[first:]`, numbered from 1, offsets into `text`."""
    lines, offset, number = [], first, 0
    for raw in text[first:].split("\n"):
        stripped = raw.strip()
        if stripped:
            number += 1
            start = offset + raw.index(stripped[0])
            lines.append(_Line(number, start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


def line_kind(line: str, position: int) -> str:
    """Classify a line as 'drop', 'caption', 'heading' or 'body' (see the module docstring)."""
    if _BANNER.match(line) or _BYLINE.match(line) or not any(c.isalnum() for c in line):
        return "drop"
    letters = [c for c in line if c.isalpha()]
    if (position < MASTHEAD_LINES and letters and all(c.isupper() for c in letters)
            and len(line.split()) <= 8):
        return "drop"
    if _CAPTION.search(line):
        return "caption"
    if len(line.split()) <= HEADING_MAX_WORDS and line[-1] not in _FINAL_PUNCTUATION:
        return "heading"
    return "body"


def _markdown_line(line: _Line, position: int, titles: bool = False) -> tuple[str, _Line]:
    """Kind of a Markdown line, and the line with its heading or list marker cut off; a
    level-1 heading that `titles` the article is no section's heading."""
    if heading := _MD_HEADING.match(line.text):
        rest = line.text[heading.end():].strip().rstrip("#").strip()
        title = titles and line.text.startswith("# ")
        return ("heading" if rest and not title else "drop"), _Line(line.number, 0, 0, rest)
    if item := _MD_LIST_ITEM.match(line.text):
        body = _Line(line.number, line.start + item.end(), line.end, line.text[item.end():])
        kind = line_kind(body.text, position)
        return ("body" if kind == "heading" else kind), body
    return line_kind(line.text, position), line


def _classified(name: str, text: str) -> list[tuple[str, _Line]]:
    lower = name.lower()
    titled = False
    if lower.endswith(".md"):  # paragraphs are counted from the end of the front matter
        fields, body = split_front_matter(text)
        lines = _lines(text, body)
        # Without a front-matter title, a "# …" opening the body is the article's title
        # (metadata.read_markdown_meta), not the first section's heading: as one, only the
        # opening paragraph was searched under it, and won every question repeating the name
        # it gives ("Cao tốc Quảng Ngãi - Kon Tum dài bao nhiêu km?" got the opening, no
        # number in it, and was refused; rt19).
        titled = not fields.get("title")
    elif lower.endswith((".html", ".htm")):  # `text` is the page's extracted article
        lines = _lines(text)
    else:
        return [(line_kind(line.text, i), line) for i, line in enumerate(_lines(text))]
    return [_markdown_line(line, i, titles=titled and i == 0) for i, line in enumerate(lines)]


def _windows(text: str, base: int, max_chars: int) -> list[tuple[int, int]]:
    """Pack whole sentences into windows of at most `max_chars`; a longer sentence is cut
    between words (a 1 MB line without a full stop was one passage, quoted whole)."""
    if len(text) <= max_chars:
        return [(base, base + len(text))]
    windows: list[tuple[int, int]] = []
    for s, e in (piece for span in sentence_spans(text)
                 for piece in _cut_between_words(text, *span, max_chars)):
        if windows and e + base - windows[-1][0] <= max_chars:
            windows[-1] = (windows[-1][0], base + e)
        else:
            windows.append((base + s, base + e))
    return windows


def _cut_between_words(text: str, start: int, end: int,
                       max_chars: int) -> list[tuple[int, int]]:
    """`text[start:end]` in pieces of at most `max_chars`, each ending at a space when one is
    near enough (else cut where the limit falls), spaces between pieces left out."""
    pieces = []
    while end - start > max_chars:
        space = text.rfind(" ", start + max_chars // 2, start + max_chars + 1)
        cut = space if space > start else start + max_chars
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def chunk_source(name: str, text: str, params: ChunkerParams) -> list[Chunk]:
    """Split one article's `source` text into passages with exact offsets into `text`."""
    chunks: list[Chunk] = []
    heading = ""
    seen: set[str] = set()
    for kind, line in _classified(name, text):
        if kind == "drop":
            continue
        if kind == "heading":
            heading = line.text
            continue
        for start, end in _windows(line.text, line.start, params.max_chars):
            quote = text[start:end]
            if quote in seen:  # exact duplicates add nothing; near ones may differ in meaning
                continue
            seen.add(quote)
            chunks.append(Chunk(name, line.number, start, end, quote,
                                "" if kind == "caption" else heading, kind == "caption"))
    return chunks
