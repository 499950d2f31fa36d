"""Words readers use for what the articles write otherwise ("sáp nhập" tỉnh for "sắp xếp" đơn vị
hành chính, a province's "GDP" for its "GRDP"): a phrase of the question that the articles
never use, while they use its counterpart, is searched as that counterpart."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.corpus.text import fold

# Folded, lower-cased phrases and what public-affairs news writes for them. Only
# counterparts that mean the same in such news: the 2025 reform merged provinces and communes
# under the name "sắp xếp (lại) đơn vị hành chính", which readers call "sáp nhập".
COUNTERPARTS = {
    "sap nhap": "sắp xếp",
    "hop nhat": "sắp xếp",
    "gdp": "GRDP",
    "vung cao": "miền núi",
    "ty le ngheo": "tỉ lệ hộ nghèo",
    "ti le ngheo": "tỉ lệ hộ nghèo",
}
_PHRASE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(phrase) for phrase in sorted(COUNTERPARTS, key=len, reverse=True)) + r")(?!\w)")


def with_article_words(text: str, says: Callable[[str], bool]) -> str:
    """`text` with each phrase the articles do not use (`says` tells which they do) replaced by
    its counterpart when they use that; matched without marks ("sap nhap", "sáp nhập")."""
    folded = fold(text).lower()
    if len(folded) != len(text):  # positions would not line up; nothing of ours is lost
        return text
    out, last = [], 0
    for match in _PHRASE.finditer(folded):
        counterpart = COUNTERPARTS[match.group(0)]
        if says(text[match.start():match.end()]) or not says(counterpart):
            continue
        out += [text[last:match.start()], counterpart]
        last = match.end()
    return "".join(out) + text[last:] if out else text
