"""The frame a figure or an event is given in: the period of a report (nine months, the full
year, a quarter) and the stage of a proceeding (first instance, appeal); a passage in another
frame than the one a question asks does not answer it."""

from __future__ import annotations

import re

from bot.corpus.text import fold

# A report's periods, Vietnamese with marks and English, matched on the lower-cased text;
# typed without marks, folded (and with them, "cả nam lẫn nữ" is no "cả năm"): "GRDP cả năm
# 2024" is not answered by "GRDP 9 tháng năm 2025 … cao hơn mức 9,6% của cùng kỳ năm 2024"
# (red-team, rt16).
# The full year of a plan ("bằng 93% kế hoạch cả năm") is no period a figure is given for; "từ
# đầu năm đến hết tháng 11" is eleven months (rt20).
_PERIODS = {
    "full year": r"(?<!kế hoạch )(?<!mục tiêu )(?<!chỉ tiêu )cả năm|full year|whole year|"
                 r"entire year|whole of (?:the year|\d{4})|all (?:of )?\d{4}",
    "half": r"6 tháng|sáu tháng|nửa đầu năm|first half|(?:6|six) months|đến hết tháng 6",
    "nine months": r"(?:9|chín) tháng|(?:9|nine) months|đến hết tháng 9",
    "ten months": r"10 tháng|mười tháng|(?:10|ten) months|đến hết tháng 10",
    "eleven months": r"11 tháng|mười một tháng|(?:11|eleven) months|đến hết tháng 11",
    "first quarter": r"quý (?:i|1)|first quarter|q1",
    "second quarter": r"quý (?:ii|2)|second quarter|q2",
    "third quarter": r"quý (?:iii|3)|third quarter|q3",
    "fourth quarter": r"quý (?:iv|4)|fourth quarter|q4",
}
# One month ("riêng tháng 10/2025", "in October") is no "10 tháng" (ten months) nor the "đến
# hết tháng 10" that ends them (rt22).
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_PERIODS = {
    f"month {n}": rf"(?<!\d )(?<!hết )(?<!đến )tháng 0?{n}(?![\d.,])|{name.lower()}"
    for n, name in enumerate(_MONTHS, 1) if name != "May"}  # "may" is a verb


def _compiled(patterns: dict[str, str]) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    return {name: (re.compile(rf"\b(?:{pattern})\b"), re.compile(rf"\b(?:{fold(pattern)})\b"))
            for name, pattern in patterns.items()}


_PERIOD = _compiled(_PERIODS)
# Months only tell a period asked from another: a month a sentence names is as often a date's
# ("tháng 3 năm 2015"), which the short answer and the highlight keep.
_PERIOD_OR_MONTH = _compiled({**_PERIODS, **_MONTH_PERIODS})
# The later stages of a proceeding, folded, which a passage must name to answer for them:
# without "phúc thẩm", "Tòa … đã tuyên án" is the first instance (rt17: "Phiên phúc thẩm …
# diễn ra ngày nào?" got its date). An English question's may be named by any of them, or by
# the appeal itself ("kháng cáo").
_STAGES = ("phuc tham", "giam doc tham", "tai tham", "xet xu lai")
_STAGE = re.compile(rf"\b(?:{'|'.join(_STAGES)})\b")
_ENGLISH_STAGE = re.compile(r"\b(?:appeal|appeals|appellate|retrial)\b")
_ANY_STAGE = re.compile(rf"\b(?:{'|'.join(_STAGES)}|khang cao|khang nghi|appeal|appeals)\b")


def _periods(text: str, months: bool = False) -> set[str]:
    """The periods `text` names (lower-cased), and the months with `months`."""
    marked = fold(text) != text
    return {name for name, (with_marks, without) in (
                _PERIOD_OR_MONTH if months else _PERIOD).items()
            if (with_marks if marked else without).search(text)}


def names_period(text: str) -> bool:
    """Whether `text` (a number with its unit: "9 tháng", "quý 3") names a report's period."""
    return bool(_periods(text.lower()))


def other_period(question: str, sentence: str) -> bool:
    """Whether the question asks for a period of a report ("cả năm", "6 tháng", "quý II") or a
    month ("tháng 10") and the highlighted `sentence` gives only others ("9 tháng")."""
    asked, said = _periods(question.lower(), True), _periods(sentence.lower(), True)
    return bool(asked) and bool(said) and not asked & said


def later_stage_unsaid(question: str, passage: str) -> bool:
    """Whether the question asks about a later stage of a proceeding (an appeal, a retrial)
    that the passage never names."""
    asked, text = fold(question.lower()), fold(passage.lower())
    stages = set(_STAGE.findall(asked))
    if stages:
        return not stages & set(_STAGE.findall(text))
    return bool(_ENGLISH_STAGE.search(asked)) and not _ANY_STAGE.search(text)


def naming_period(question: str, sentences: list[str]) -> list[int]:
    """The sentences naming a period the question asks for ("quý III"): the one to highlight
    is among them ("GRDP quý III … tăng bao nhiêu?" had the full year's sentence before "…
    quý III tăng 9,38% …"). Empty when it asks none, or no sentence names one."""
    asked = _periods(question.lower())
    if not asked:
        return []
    return [i for i, sentence in enumerate(sentences) if asked & _periods(sentence.lower())]


# How far before a number its period may be named: "quý III tăng 9,38%", "6 tháng đầu năm,
# GRDP tăng 8,46%".
_PERIOD_REACH = 40


def of_the_period(question: str, sentence: str, start: int) -> bool | None:
    """Whether the number at `start` in `sentence` is given for the period the question asks
    (the period named last before it, within a few words, in its clause); None when the
    question asks none or nothing names one there."""
    asked = _periods(question.lower())
    if not asked:
        return None
    before = sentence[max(0, start - _PERIOD_REACH):start].lower()
    before = re.split(r"[;:]", before)[-1]
    named = [(match.end(), name) for name, (with_marks, _) in _PERIOD.items()
             for match in with_marks.finditer(before)]
    return max(named)[1] in asked if named else None
