"""How a quote is cited: the article's date as a Vietnamese reader writes it, and a link that
opens the original page scrolled to the quoted sentence (a URL text fragment, `#:~:text=`)."""

from __future__ import annotations

import re
from urllib.parse import quote

# A sentence longer than this is matched by its first and last words (`text=start,end`): a
# long fragment breaks on any difference in how the page renders its middle.
WHOLE_FRAGMENT_WORDS = 10
EDGE_WORDS = 4
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def _encode(text: str) -> str:
    """Percent-encode a fragment term: everything but unreserved characters, and `-` too,
    which (like `,` and `&`) is syntax inside a text directive."""
    return quote(text, safe="").replace("-", "%2D")


def text_fragment(sentence: str) -> str:
    """`:~:text=...` for `sentence` (empty when it has no words)."""
    words = sentence.split()
    if not words:
        return ""
    if len(words) <= WHOLE_FRAGMENT_WORDS:
        return f":~:text={_encode(' '.join(words))}"
    start, end = " ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])
    return f":~:text={_encode(start)},{_encode(end)}"


def quote_link(url: str, sentence: str) -> str:
    """`url` with a text fragment for `sentence`, after any fragment the link already has."""
    directive = text_fragment(sentence)
    if not directive:
        return url
    return f"{url}{directive}" if "#" in url else f"{url}#{directive}"


def display_date(date: str | None) -> str | None:
    """"2026-09-02" (or an ISO timestamp) as "02/09/2026"; anything else as written."""
    if not date:
        return None
    match = _ISO_DATE.match(date.strip())
    return f"{match[3]}/{match[2]}/{match[1]}" if match else date.strip()
