"""Words readers use for what the articles write otherwise ("sáp nhập" tỉnh for "sắp xếp" đơn vị
hành chính, "GDP" for the "GRDP" of a province's report, "ra viện" for "xuất viện"): a phrase
of the question that the articles never use, while they use its counterpart, is searched as
that counterpart."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.corpus.text import fold

# Phrases as readers write them (lower-cased) and what public-affairs news writes for them. Only
# counterparts that mean the same in such news: the 2025 reform merged provinces and communes
# under the name "sắp xếp (lại) đơn vị hành chính", which readers call "sáp nhập" ("hợp nhất"
# is left out: "báo cáo hợp nhất" is a consolidated account).
COUNTERPARTS = {
    "sáp nhập": "sắp xếp",
    "gdp": "GRDP",
    "vùng cao": "miền núi",
    "tỷ lệ nghèo": "tỉ lệ hộ nghèo",
    "tỉ lệ nghèo": "tỉ lệ hộ nghèo",
    # hospital and sports news, each way: the reader's word is the other one as often
    "ra viện": "xuất viện",
    "xuất viện": "ra viện",
    "vào viện": "nhập viện",
    "nhập viện": "vào viện",
    "cổ động viên": "khán giả",
    "khán giả": "cổ động viên",
    "thủ thành": "thủ môn",
    "thủ môn": "thủ thành",
    # court, business and tourism news
    "nạn nhân": "bị hại",
    "bị hại": "nạn nhân",
    "lãi ròng": "lợi nhuận sau thuế",
    "khách nước ngoài": "khách quốc tế",
    "khách quốc tế": "khách nước ngoài",
    "du khách nước ngoài": "khách quốc tế",
    "tù treo": "án treo",
    # reports' words for what readers say plainly (rt19: "Bao nhiêu cộng đồng sắc tộc …?",
    # "… kiếm được bao nhiêu tiền cho công quỹ …?", "… phải chuyển đến chỗ ở mới …?")
    "sắc tộc": "dân tộc",
    "công quỹ": "ngân sách",
    "chuyển đến chỗ ở mới": "tái định cư",
    "chuyển chỗ ở": "tái định cư",
}
_BY_FOLDED = {fold(phrase): phrase for phrase in COUNTERPARTS}
_PHRASE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(folded) for folded in sorted(_BY_FOLDED, key=len, reverse=True)) + r")(?!\w)")


def with_article_words(text: str, says: Callable[[str], bool]) -> str:
    """`text` with each phrase the articles do not use (`says` tells which they do) replaced by
    its counterpart when they use that. Typed with marks, a phrase must be typed with its own
    ("sắp nhập học" is no "sáp nhập"); typed without, it may be either."""
    folded = fold(text).lower()
    if len(folded) != len(text):  # positions would not line up; nothing of ours is lost
        return text
    out, last = [], 0
    for match in _PHRASE.finditer(folded):
        phrase = _BY_FOLDED[match.group(0)]
        typed = text[match.start():match.end()]
        counterpart = COUNTERPARTS[phrase]
        if ((fold(typed) != typed and typed.lower() != phrase) or says(typed)
                or not says(counterpart)):
            continue
        out += [text[last:match.start()], counterpart]
        last = match.end()
    return "".join(out) + text[last:] if out else text
