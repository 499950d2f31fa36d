"""Chat shorthand Vietnamese readers type on a phone ("ten j", "bn nguoi", "dc ko"): read as
the words it stands for, so the question's kind and words are found."""

from __future__ import annotations

import re

from bot.corpus.text import fold
from bot.retrieval.question import ENGLISH_MARKER_SHARE, english_marker_share

# Only shorthand with one reading in a question, each with its marks and without (a question
# typed without marks keeps none: the restorer puts them back). "k" (also thousands) and "ng"
# (also "người", "ngày") are left out, "đc" (also "đồng chí") too, and so is anything
# capitalized ("J. Smith"). An English question keeps its words ("bn" is a billion there).
SHORTHAND = {
    "j": ("gì", "gi"), "ji": ("gì", "gi"), "gj": ("gì", "gi"),
    "ko": ("không", "khong"), "hok": ("không", "khong"), "kh": ("không", "khong"),
    "dc": ("được", "duoc"),
    "bn": ("bao nhiêu", "bao nhieu"), "nhiu": ("nhiêu", "nhieu"),
    "ntn": ("như thế nào", "nhu the nao"), "sao z": ("sao vậy", "sao vay"),
}
_TOKEN = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len,
                                                        reverse=True)) + r")(?![\w-])")


def without_shorthand(question: str) -> str:
    """`question` with chat shorthand written out, marked as the rest of it is."""
    if not _TOKEN.search(question) or english_marker_share(question) >= ENGLISH_MARKER_SHARE:
        return question
    rest = _TOKEN.sub("", question)  # the rest of the question tells whether it has marks
    marked = fold(rest) != rest
    return _TOKEN.sub(lambda m: SHORTHAND[m.group(0)][0 if marked else 1], question)
