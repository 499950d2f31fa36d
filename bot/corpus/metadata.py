"""An article's metadata (title, link, date, author, site, when it was fetched) and the YAML
front matter of a Markdown source that carries it: a flat block of `key: value` lines between
`---` lines at the very top, read and written here only."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

FENCE = "---"
_CLOSING = (FENCE, "...")
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
MAX_VALUE_CHARS = 2000  # a "title" longer than this is not a title


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about an article beyond its text; None when unknown."""

    title: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    fetched_at: str | None = None


def web_url(value: str | None) -> str | None:
    """`value` when it is an absolute http(s) link (the only kind a citation may link to)."""
    if not value:
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(
            ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    return value


def _scalar(raw: str) -> str | None:
    """A YAML scalar as written by hand or by `front_matter_block`: "double" (JSON escapes),
    'single' ('' is a quote) or plain (a trailing ` # comment` dropped)."""
    raw = raw.strip()
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw.strip('"')
        return value if isinstance(value, str) else None
    if raw.startswith("'") and raw.endswith("'") and len(raw) >= 2:
        return raw[1:-1].replace("''", "'")
    if raw.startswith(("[", "{")):  # a YAML list or mapping: not a value qabot can show
        return None
    return re.sub(r"\s+#.*$", "", raw).strip()


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """The front matter's fields and the offset where the body starts (0: no front matter).

    Only a block that opens on the first line and is closed counts; lines that are not
    `key: value` (nested YAML, lists) are ignored.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return {}, 0
    found: dict[str, str] = {}
    offset = len(lines[0]) + 1
    for line in lines[1:]:
        offset += len(line) + 1
        if line.strip() in _CLOSING:
            return found, min(offset, len(text))
        if (match := _FIELD.match(line)) and (value := _scalar(match.group(2))):
            found[match.group(1).lower().replace("-", "_")] = value[:MAX_VALUE_CHARS]
    return {}, 0  # never closed: not front matter, just a line of dashes


def meta_from_fields(found: dict[str, str]) -> ArticleMeta:
    """The fields qabot knows; `url` only when it is an http(s) link."""
    known = {f.name: (found.get(f.name) or None) for f in fields(ArticleMeta)}
    known["url"] = web_url(known["url"])
    known["date"] = _real_date(known["date"])
    return ArticleMeta(**known)


def _real_date(value: str | None) -> str | None:
    """The date as written, unless it is shaped like an ISO date that no calendar has
    ("2026-13-45"): then unknown."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value or "")
    if match is None:
        return value
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return value


def read_front_matter(text: str) -> ArticleMeta:
    return meta_from_fields(split_front_matter(text)[0])


_TOP_HEADING = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def read_markdown_meta(text: str) -> ArticleMeta:
    """A Markdown article's metadata: its front matter, and for a title when that gives none,
    the level-1 heading opening its body ("# Kết quả thi tốt nghiệp THPT năm 2025"). Without
    it the file name stood for the title, and its slug taught the restorer "tot nghiep"."""
    found, body = split_front_matter(text)
    meta = meta_from_fields(found)
    if meta.title:
        return meta
    first = next((line.strip() for line in text[body:].split("\n") if line.strip()), "")
    heading = _TOP_HEADING.fullmatch(first)
    if heading is None:
        return meta
    return replace(meta, title=" ".join(heading.group(1).split())[:MAX_VALUE_CHARS])


def front_matter_block(meta: ArticleMeta) -> str:
    """The front matter for `meta` (unknown fields left out), ending with a newline; values are
    JSON strings, which YAML reads as double-quoted scalars."""
    lines = [FENCE]
    for f in fields(ArticleMeta):
        value = getattr(meta, f.name)
        if value:
            lines.append(f"{f.name}: {json.dumps(' '.join(value.split()), ensure_ascii=False)}")
    return "\n".join([*lines, FENCE]) + "\n"
