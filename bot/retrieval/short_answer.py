"""The short answer: the one number, date or name in the highlighted sentence that fits what
the question asks for, shown above the quote — or nothing when there is not exactly one."""

from __future__ import annotations

import re

from bot.corpus.text import fold, framed_words, words
from bot.retrieval.answer_type import DATE, NUMBER, Candidate, fitting
from bot.retrieval.frames import names_period, of_the_period

# Names and places are left out: a sentence that names the answer usually names others too,
# and picking one was right only about half the time (measured on xquad-dev, see README).
SHORT_KINDS = (NUMBER, DATE)
# "bao nhiêu người", "mấy lần": the word after the question word names the unit ("phần trăm"
# is a share, which `fitting` asks for: "phần" is no unit, "phấn đấu" folds to it). Matched on
# the lower-cased question: typed without marks, "may" is "mấy"; with them, "máy" ("nhà máy")
# is not.
_MEASURE = re.compile(r"\b(?:bao nhiêu|bao nhieu|mấy|may)\s+(?!phần trăm|phan tram)(\w+)")
# ... or the word before it, for what is counted in order ("phút thứ mấy": the minute, "phút
# 82", not the score "2-2" beside it).
_MEASURE_BEFORE = re.compile(r"\b(phút|phut|hiệp|hiep|lượt|luot|ván|van|vòng|vong)\s+"
                             r"(?:thứ|thu)\s+(?:mấy|may|bao nhiêu|bao nhieu)\b")
# A question for a score ("tỷ số") is answered by one ("3-2"), not by a count beside it
# ("lượt về … hai"). Not in English: "score" there is as often points (precision 0.80 → 0.78
# cross-validated with it).
_ASKS_SCORE = re.compile(r"\b(?:ty so|ti so)\b")
_SCORE = re.compile(r"^\d+\s?[-–:]\s?\d+$")
# Among several numbers, the one whose neighbourhood holds the question's words answers:
# "Jared Allen có bao nhiêu lần vật ngã trong sự nghiệp?" against "… 5 lần … 136 lần vật ngã
# trong sự nghiệp …". A question word counts 1/distance (in words) up to this far away, and the
# best candidate must lead the next by this much, else nothing is shown (xquad-dev, README).
CONTEXT_WORDS = 10
CONTEXT_LEAD = 0.5
# A word after the number counts for less than one before it: the words after belong as
# often to the next clause ("… đến năm 2030, tầm nhìn …"). Of 1, 0.75 and 0.5 on xquad-dev
# (chosen there, not cross-validated), 0.75 raised short-answer precision 0.88 → 0.92 (no
# diacritics) for 2 points of coverage; each word counting at its nearest place, or words
# across a comma counting less, did not help.
AFTER_WEIGHT = 0.75
# "… tầm nhìn đến năm nào?" against "… đến năm 2030, tầm nhìn đến năm 2045": the candidate
# the question's own words run into, word for word, answers — when they are at least this many
# and more than before any other candidate (xquad-dev: precision and coverage both up a point).
ECHO_WORDS = 2
_ASKING = re.compile(r"\b(?:bao nhieu|may|(?:nam|ngay|thang|luc|khi|thoi diem) nao|bao gio)\b")
_ASKING_MARKED = re.compile(r"\b(?:bao nhiêu|bao nhieu|mấy|(?:năm|ngày|tháng|lúc|khi|thời điểm) "
                            r"nào|bao giờ|bao gio)\b")
# Words that say nothing about where the answer is (folded): question words, function words.
_NOT_CONTEXT = frozenset(fold(word) for word in (
    "ai gì nào đâu sao mấy là của có không được những các một cho với thì đã đang sẽ bị và hay "
    "hoặc cũng vậy thế này đó ấy kia đấy về theo tại ở trong từ lúc còn nữa rồi bao nhiêu năm "
    "khi người").split())
_TOKEN = re.compile(r"\w+")
# Asking about money ("tổng vốn đầu tư", "how much did it cost"), and an amount of money: when
# the sentence gives one, a length or a count beside it does not answer ("dài 120 mét, tổng
# vốn đầu tư 15 tỷ đồng").
_ASKS_MONEY = re.compile(r"\b(?:von|tien|chi phi|kinh phi|ngan sach|dau tu|gia tri|doanh thu|"
                         r"thu nhap|grdp|cost|price|money|budget|revenue|spend|spent|paid|worth|"
                         r"dollars)\b")
_MONEY = re.compile(r"\b(?:dong|usd|do la|euro)\b|\$")
# Asking for a rate ("tỷ lệ"): a share answers it, before any amount of money the question's
# other words ("vốn đầu tư", "ngân sách") point at. English "rate" too lowered precision there
# (0.80 → 0.77, cross-validated): an English "rate" is as often a speed or a count per year.
_ASKS_RATE = re.compile(r"\b(?:ty le|ti le)\b")
# Asking for a yearly rate ("giảm bình quân bao nhiêu mỗi năm"), and a yearly rate ("3,97%/năm",
# "… mỗi năm"): beside a level ("còn 17,66%, giảm bình quân 3,97%/năm") the rate answers.
_ASKS_YEARLY = re.compile(r"\b(?:moi nam|hang nam|mot nam|per year|a year|each year|annually|"
                          r"yearly)\b")
_YEARLY = re.compile(r"^\s*/\s*nam\b|^\s*(?:moi|mot|hang) nam\b|^\s*(?:per|a|each) year\b")
# A change or an average asked ("giảm bình quân bao nhiêu", "tốc độ tăng trưởng", "the average
# annual decline"): a rate per year may answer it, so it is not set aside for the level.
_ASKS_MOVE = re.compile(r"\b(?:tang|giam|binh quan|trung binh|toc do|bien dong|thay doi|annual|"
                        r"average|decline|declined|growth|grow|grew|increase|increased|"
                        r"decrease|decreased|fall|fell|rise|rose|drop|dropped|change)\b")
# The unit an English question counts in, as the Vietnamese text writes it (folded): "How many
# points …" is answered by "308 điểm", not by "24 lần" beside it; "How old …" by "ở tuổi 39".
# Only units whose folded Vietnamese word is no common word right after a number: not "độ"
# ("3 người chết do …"), "giờ" (gió), "hộ" (họ), "phường" ("5 địa phương"), "dân tộc" ("600.000
# người dân"); "tấn" (tận) only after the number. An area counts in its unit squared ("square
# miles": "1.160.000 dặm vuông", not "3.000.000 km vuông" beside it); a volume in nothing.
_ENGLISH_UNITS = {
    "points": "diem", "seconds": "giay", "minutes": "phut", "days": "ngay", "weeks": "tuan",
    "months": "thang", "years": "nam", "people": "nguoi", "persons": "nguoi", "times": "lan",
    "kilometers": "km", "kilometres": "km", "km": "km", "miles": "dam", "meters": "met",
    "metres": "met", "communes": "xa", "hectares": "ha", "yards": "yard", "villages": "thon",
    "tourists": "luot", "visitors": "luot", "tons": "tan", "tonnes": "tan",
    "phases": "giai", "stages": "giai",
}
_ENGLISH_MEASURE = re.compile(r"\bhow (?:many|much) (?!cubic )(?:metric |square )?(\w+)")
_ENGLISH_AGE = re.compile(r"\bhow old\b")
# "What share …", "what proportion …": a share answers, not a count beside it ("what
# percentage" is one for `fitting` already; "rate" is as often a speed or a count per year in
# English, see _ASKS_RATE).
_ASKS_PROPORTION = re.compile(r"\b(?:proportion|share)\b")
# "Kéo dài bao lâu?" asks a span of time: a number in a unit of time answers ("sáu năm"), not
# a count beside it ("hai thế lực"). English "how long" only before a verb ("How long did the
# fighting last?"): "How long is the bridge?" asks a length.
_ASKS_DURATION = re.compile(r"\bbao lau\b|\bhow long (?:did|does|do|will|would|has|have|had)\b"
                            r"|\bhow much time\b")
_TIME_UNIT = re.compile(r"\s*(?:nam|thang|tuan|ngay|gio|phut|giay|the ky|thap ky|thap nien)\b")


def short_span(question: str, kind: str | None, sentence: str,
               english: bool = False) -> Candidate | None:
    """The span of `sentence` that answers, when the question asks for a number or a date and
    the sentence holds one such span the question does not already say — or, among several,
    one that the question's own words surround clearly more than the others (for an English
    question, its names: all it shares with a Vietnamese sentence)."""
    if kind not in SHORT_KINDS:
        return None
    measure, from_english = measure_asked(question) if kind == NUMBER else (None, False)
    found = _in_the_unit_asked(fitting(question, kind, sentence), sentence, measure,
                               from_english)
    asked = fold(question.lower())
    found = _of_the_sort_asked(found, kind, asked, sentence, measure, english)
    if len(found) > 1:
        found = _narrowed(found, question, asked, sentence)
    if len(found) == 1:
        return found[0]
    if len(found) < 2:
        return None
    if kind == DATE and _a_period(found, sentence):
        return _period_end(found, question)
    if english:
        return _surrounded(found, question, sentence, _english_names(question))
    return _echoed(found, question, sentence) or _surrounded(found, question, sentence)


def _in_the_unit_asked(found: list[Candidate], sentence: str, measure: str | None,
                       from_english: bool) -> list[Candidate]:
    """The candidates counted in the unit the question asks (`measure`, folded; named by an
    English word when `from_english`)."""
    if measure is not None and _holds_unit(words(fold(sentence.lower())), measure):
        # The sentence counts in the unit asked about: only a number in that unit answers.
        # A number with the unit after it first; one with the unit just before ("ở tuổi 39")
        # only when none has ("tại km 15 …, đoạn dài 3 km": the length is 3 km).
        # A unit from an English word only after the number: before it, its folded word is
        # as often another ("tận 12 nước" is no "tons"); an age either way.
        return ([c for c in found if _measured(c, sentence, measure)]
                or [c for c in found
                    if not from_english and _measured_before(c, sentence, measure)])
    if from_english and measure != "nguoi":
        # An English question's unit ("How many seconds …") the sentence never writes: its
        # numbers count something else ("ba lượt chơi"). People are written in many words
        # ("30 đến 50 nghìn dân"), so a count of them is still read.
        return []
    if measure is not None and measure != "tuoi":
        # A count of something the sentence does not name is no age beside it: "Manning đã
        # chơi cho bao nhiêu đội …?" against "… ở tuổi 39".
        return [c for c in found if not (_measured(c, sentence, "tuoi")
                                         or _measured_before(c, sentence, "tuoi"))]
    return found


def _of_the_sort_asked(found: list[Candidate], kind: str, asked: str, sentence: str,
                       measure: str | None, english: bool) -> list[Candidate]:
    """The candidates of the sort the folded question `asked` wants: a score, a rate, money,
    a place in a ranking, a time of day, an amount per unit, a span of time, a level or a
    rate per year."""
    if _ASKS_SCORE.search(asked) and not english:
        found = [c for c in found if _SCORE.match(c.text)] or found
    if _ASKS_RATE.search(asked) or _ASKS_PROPORTION.search(asked):
        # "Tỷ lệ giải ngân vốn đầu tư công": a rate, not the money
        found = [c for c in found if "%" in c.text or "phan tram" in fold(c.text)] or found
    elif _ASKS_MONEY.search(asked):
        # ... else no count in words ("How much will the expressway cost?" got ➜ hai of "hai
        # vùng kinh tế"): a sum is written in figures
        found = ([c for c in found if _MONEY.search(fold(c.text.lower()))]
                 or [c for c in found if any(ch.isdigit() for ch in c.text)])
    if kind == NUMBER and _ASKS_RANK.search(asked):
        # "Đội nữ … xếp hạng mấy?" is answered by a place ("hạng Ba", "thứ 3"), not by "600
        # cổ động viên" (rt20)
        found = [c for c in found if _RANKED.search(fold(sentence[:c.start].lower()))]
    if kind == NUMBER and _ASKS_CLOCK.search(asked):
        # "xảy ra lúc mấy giờ?" is answered by a time of day, not the "4" of "4 tầng" (rt20)
        found = [c for c in found if _a_clock(c, sentence)]
    if (per := _ASKS_PER_UNIT.search(asked)) is not None:
        # "Giá bán cà phê … trung bình mỗi tấn?": "3.684 USD/tấn", not the total beside it
        found = [c for c in found if _per(c, sentence, per.group(1))] or found
    if _ASKS_DURATION.search(asked):
        found = [c for c in found if _in_time_unit(c, sentence)]
    elif not (measure and _TIME_UNIT.match(" " + measure)):
        # a report's period is no figure of it: "GRDP 9 tháng … khu vực dịch vụ tăng 12,1%"
        # gave ➜ 9 tháng (rt16)
        found = [c for c in found if not names_period(c.text)]
    if _ASKS_YEARLY.search(asked):
        return [c for c in found if _yearly(c, sentence)] or found
    if not _ASKS_MOVE.search(asked):
        # ... and a level, when the question asks no rate and no change ("còn 17,66%")
        return [c for c in found if not _yearly(c, sentence)] or found
    return found


def _narrowed(found: list[Candidate], question: str, asked: str,
              sentence: str) -> list[Candidate]:
    """Several candidates narrowed to the figure the question names, what was achieved (or
    the target, when asked) and the period asked, each step only when some are left."""
    found = _of_the_figure_asked(found, asked, sentence)
    if len(found) > 1:
        # "đạt 87,6% kế hoạch …; tỉnh phấn đấu giải ngân 100%": what was done, unless the aim
        # is asked
        aimed = bool(_ASKS_TARGET.search(asked))
        found = [c for c in found if _a_target(c, sentence) == aimed] or found
    if len(found) > 1:
        # "quý I tăng 7,85%, …, quý III tăng 9,38%" for "quý III": the one given for it
        found = [c for c in found if of_the_period(question, sentence, c.start)] or found
    return found


# A period "từ ngày 16/7 đến hết ngày 25/7/2025": the question asking its end (a deadline) or
# its start gets that end; asked neither, either is a guess.
_RANGE_BETWEEN = re.compile(r"\s*(?:đến|tới|den|toi|-|–)\s+(?:hết\s+|het\s+)?$", re.IGNORECASE)
_ASKS_END = re.compile(r"\b(?:han chot|han cuoi|cham nhat|ket thuc|den ngay nao|den khi nao|"
                       r"deadline|until when|by when|last day|ends?|ended)\b")
_ASKS_START = re.compile(r"\b(?:bat dau|tu ngay nao|tu khi nao|start|starts|started|begin|"
                         r"begins|began|first day)\b")


# A target ("phấn đấu giải ngân 100%", "mục tiêu 8,5%") beside what was achieved answers only
# a question asking for it. Folded; the target's words within a few words before the number.
_ASKS_TARGET = re.compile(r"\b(?:muc tieu|phan dau|chi tieu|ke hoach|target|targets|goal|aim|"
                          r"aims|planned|plan)\b")
_TARGET_BEFORE = re.compile(r"\b(?:muc tieu|phan dau|chi tieu)(?: \w+){0,3} $")


def _a_target(candidate: Candidate, sentence: str) -> bool:
    """Whether the number is a target: "phấn đấu giải ngân 100%", "vượt mục tiêu 8,5%"."""
    return bool(_TARGET_BEFORE.search(framed_words(sentence[max(0, candidate.start - 40):
                                                             candidate.start])))


# A company's or a budget's figures, folded, as the question and the sentence name them: in
# "mục tiêu doanh thu 5.800 tỷ đồng và lợi nhuận sau thuế 700 tỷ đồng" each number is the
# figure named last before it, and "mục tiêu lợi nhuận … bao nhiêu?" asks the 700.
_FIGURES = {
    "revenue": r"doanh thu|revenue|revenues|sales",
    "profit": r"loi nhuan|lai rong|lai sau thue|lai truoc thue|profit|profits|earnings",
    "capital": r"von dieu le|tong von|von dau tu|charter capital|investment capital",
    "cost": r"chi phi|cost|costs",
}
_FIGURE = {name: re.compile(rf"\b(?:{pattern})\b") for name, pattern in _FIGURES.items()}


def _figure_before(text: str) -> str | None:
    """The figure named last in folded `text` (None when it names none)."""
    named = [(match.end(), name) for name, pattern in _FIGURE.items()
             for match in pattern.finditer(text)]
    return max(named)[1] if named else None


def _of_the_figure_asked(found: list[Candidate], asked: str, sentence: str) -> list[Candidate]:
    """The candidates that are the one figure the folded question names, when the sentence
    gives several figures ("doanh thu … và lợi nhuận …"); all of them otherwise."""
    wanted = {name for name, pattern in _FIGURE.items() if pattern.search(asked)}
    if len(wanted) != 1:
        return found
    starts = [0, *(c.end for c in found[:-1])]
    figures = [_figure_before(fold(sentence[start:c.start].lower()))
               for start, c in zip(starts, found, strict=True)]
    if len(set(figures) - {None}) < 2:
        return found
    return [c for c, figure in zip(found, figures, strict=True) if figure in wanted] or found


def _a_period(found: list[Candidate], sentence: str) -> bool:
    """Whether the two dates found are the two ends of one period ("từ … đến hết …")."""
    return len(found) == 2 and bool(_RANGE_BETWEEN.match(sentence[found[0].end:found[1].start]))


def _period_end(found: list[Candidate], question: str) -> Candidate | None:
    """The end of the period that the question asks for ("Hạn chót nộp đơn …?" → "ngày
    25/7/2025", "… bắt đầu từ ngày nào?" → "ngày 16/7"); None when it asks neither."""
    asked = fold(question.lower())
    ends, starts = bool(_ASKS_END.search(asked)), bool(_ASKS_START.search(asked))
    if ends == starts:
        return None
    return found[1] if ends else found[0]


def _english_names(question: str) -> set[str]:
    """The words an English question shares with a Vietnamese sentence: its names, folded
    ("When did Carl Wilhelm Scheele discover oxygen?": carl, wilhelm, scheele)."""
    return {fold(word.lower()) for word in re.findall(r"(?<=\s)[A-Z][\w-]*", question)}


def holds_measure(question: str, measure: str, text: str) -> bool:
    """Whether `text` holds a number that could answer `question` in the unit `measure`
    (folded, from `measure_asked`): "86,5 km" for "dài bao nhiêu km", "ở tuổi 81"."""
    return any(_measured(c, text, measure) or _measured_before(c, text, measure)
               for c in fitting(question, NUMBER, text))


# An age as news writes it: "81 tuổi", "ở tuổi 39", a birth year ("sinh năm 1985", "SN 1985"),
# folded.
_AGE_SAID = re.compile(r"\b(?:tuoi|sinh nam|sinh ngay|sn|born|aged?)\b")


def age_unsaid(question: str, passage: str) -> bool:
    """Whether the question asks an age ("bao nhiêu tuổi", "How old") that `passage` never
    gives: "How old is teacher Vi Thi Thu Ha?" got "… giáo viên dạy Toán 22 năm …" (rt23)."""
    return measure_asked(question)[0] == "tuoi" and not _AGE_SAID.search(fold(passage.lower()))


def measure_asked(question: str) -> tuple[str | None, bool]:
    """The unit the question counts in, folded as the text writes it: "bao nhiêu người" →
    "nguoi", "phút thứ mấy" → "phut"; in English (or a mixed question, "How many xã …")
    "How many points" → "diem", "How old" → "tuoi". And whether an English word named it."""
    lowered = question.lower()
    unit = _MEASURE.search(lowered) or _MEASURE_BEFORE.search(lowered)
    if unit is not None:
        return fold(unit.group(1)), False
    if _ENGLISH_AGE.search(lowered):
        return "tuoi", False  # "ở tuổi 39": an age may come after its unit
    english = _ENGLISH_MEASURE.search(lowered)
    if english is None:
        return None, False
    word = english.group(1)  # a Vietnamese word in a mixed question is the unit as written
    if word in _ENGLISH_UNITS:
        squared = " vuong" if " square " in english.group(0) else ""
        return _ENGLISH_UNITS[word] + squared, True
    return (fold(word), False) if fold(word) != word else (None, False)


def _before_asking(question: str) -> list[str]:
    """The question's folded words before its question word ("tầm nhìn đến" of "tầm nhìn đến
    năm nào"); with its marks, "máy" ("Nhà máy … năm bao nhiêu?") is no "mấy"."""
    lowered = question.lower()
    marked = fold(lowered) != lowered
    where = (_ASKING_MARKED if marked else _ASKING).search(lowered)
    return words(fold(lowered[:where.start()])) if where else []


def naming_event(question: str, kind: str | None, sentences: list[str]) -> list[int]:
    """For a date asked of an event ("… xuất viện ngày nào?"), the sentences naming the event:
    the two words before the question word, neither a function word. The highlight is among
    them: "Bé trai … xuất viện ngày nào?" had the treatment's "… ngày 28/10/2025, ê-kíp … bé
    trai 26 tháng tuổi …", which holds more of its words, not "… và xuất viện ngày 11/11/2025".
    Empty when no date is asked, or no sentence names it."""
    event = _before_asking(question)[-2:] if kind == DATE else []
    if len(event) < 2 or any(word in _NOT_CONTEXT for word in event):
        return []
    phrase = f" {' '.join(event)} "
    return [i for i, sentence in enumerate(sentences) if phrase in framed_words(sentence)]


def _echoed(found: list[Candidate], question: str, sentence: str) -> Candidate | None:
    """The candidate that the question's words before its question word ("tầm nhìn đến" in
    "tầm nhìn đến năm nào") also lead up to in the sentence, when it clearly does."""
    before = _before_asking(question)
    if not before:
        return None

    def echo(candidate: Candidate) -> int:
        leading = words(fold(sentence[:candidate.start].lower()))
        # a unit the question asks with belongs to the candidate: "… đến năm bao nhiêu" leads
        # up to "năm 2045" as "… đến"
        unit = words(fold(candidate.text.lower()))[:1]
        asked = before[:-1] if before[-1:] == unit else before
        count = 0
        while (count < min(len(asked), len(leading))
               and asked[-1 - count] == leading[-1 - count]):
            count += 1
        return count

    scored = sorted(((echo(c), c) for c in found), key=lambda pair: -pair[0])
    (best, first), (runner_up, _) = scored[0], scored[1]
    return first if best >= ECHO_WORDS and best > runner_up else None


# A place asked in a ranking, and a number written as one ("hạng 3", "thứ 2", "vị trí số 1").
_ASKS_RANK = re.compile(r"\b(?:xep hang|hang|dung thu|xep thu|vi tri thu) (?:may|bao nhieu)\b")
_RANKED = re.compile(r"\b(?:hang|thu|vi tri|top)(?: so)? $")
# A time of day asked, and one written: "21h", "1h20", "16 giờ 30", "3:08".
_ASKS_CLOCK = re.compile(r"\b(?:may gio|what time)\b")
_CLOCK = re.compile(r"^\d{1,2}(?:h\d{0,2}|:\d\d)$")
_HOUR = re.compile(r"\d{1,2}\s*(?:gio|h)\b")  # folded, the hour's unit after the number
# A price or an amount per unit asked ("mỗi tấn", "một kg", "per tonne"), folded.
_ASKS_PER_UNIT = re.compile(r"\b(?:moi|mot|per|a|each)\s+(tan|kg|ton|tonne|ha|hecta|lit|m2)\b")
_PER_UNIT_WRITTEN = {"ton": "tan", "tonne": "tan", "hecta": "ha"}


def _a_clock(candidate: Candidate, sentence: str) -> bool:
    """Whether the number is a time of day ("1h20", "21 giờ", "3:08")."""
    following = fold(sentence[candidate.start:candidate.end + 6].lower())
    return bool(_CLOCK.match(candidate.text.lower()) or _HOUR.match(following))


def _per(candidate: Candidate, sentence: str, unit: str) -> bool:
    """Whether the number is given per `unit` (folded): "3.684 USD/tấn", "đồng/kg"."""
    written = _PER_UNIT_WRITTEN.get(unit, unit)
    high = _RANGE_END.match(sentence, candidate.end)  # "6.800 đến 7.200 đồng/kg": both ends
    end = high.end() if high is not None else candidate.end
    around = fold(sentence[candidate.start:end + 12].lower())
    return bool(re.search(rf"/\s*{written}\b", around))


def _in_time_unit(candidate: Candidate, sentence: str) -> bool:
    """Whether the number counts in a unit of time: "sáu năm", "3 tháng" (its unit in the
    candidate or right after it), or reads as a clock ("còn lại 3:08")."""
    if re.fullmatch(r"\d{1,2}:\d\d", candidate.text):
        return True
    spoken = fold(candidate.text.lower()).split(maxsplit=1)
    after = fold(sentence[candidate.end:candidate.end + 16].lower())
    return any(_TIME_UNIT.match(" " + part) for part in (*spoken[1:], after))


def _yearly(candidate: Candidate, sentence: str) -> bool:
    """Whether the number is a yearly rate: "3,97%/năm", "2 lần mỗi năm"."""
    unit = re.search(r"/\s*\w+$", candidate.text)
    after = (candidate.text[unit.start():] if unit else "") + sentence[candidate.end:]
    return bool(_YEARLY.search(fold(after.lower())))


def _measured_before(candidate: Candidate, sentence: str, unit: str) -> bool:
    """Whether the number is a bare one right after `unit` (folded), nothing between ("ở tuổi
    39", "phút 90+5"; "45 tuổi, 3 người" is no age of 3)."""
    leading = fold(sentence[max(0, candidate.start - 16):candidate.start].lower())
    bare = re.fullmatch(r"\d+(?:\+\d+)?", candidate.text)
    return bool(bare) and bool(re.search(rf"\b{re.escape(unit)} $", leading))


def _measured(candidate: Candidate, sentence: str, unit: str) -> bool:
    """Whether the number is followed by `unit` (folded), within its next three words ("45
    đơn vị xã" for "bao nhiêu xã": two words left it out, and 5 points of coverage on
    xquad-dev for half a point of precision)."""
    following = words(fold(sentence[candidate.start:candidate.end + 48].lower()))
    reach = 3 + len(unit.split())
    high = _RANGE_END.match(sentence, candidate.end)
    if high is not None:  # a range's low end shares its unit: "từ 415.000 đến 587.000 km vuông"
        reach += len(words(fold(high.group(0))))
    return _holds_unit(following[1:reach], unit)


# The rest of a range after its low end: " đến 587.000".
_RANGE_END = re.compile(r"\s*(?:đến|tới|den|toi)\s+\d[\d.,]*")
# An area written short: "9.541 km2" is "9.541 km vuông".
_SQUARED = {"km2": ["km", "vuong"], "m2": ["met", "vuong"]}


def _holds_unit(folded: list[str], unit: str) -> bool:
    """Whether the folded words hold `unit`, one word or, for an area, two ("km vuong",
    also written "km2")."""
    wanted = unit.split()
    if len(wanted) == 1:
        return unit in folded
    spelled = [part for word in folded for part in _SQUARED.get(word, [word])]
    return any(spelled[i:i + len(wanted)] == wanted for i in range(len(spelled)))


def _surrounded(found: list[Candidate], question: str, sentence: str,
                asked: set[str] | None = None) -> Candidate | None:
    """The candidate the question's words (or `asked`, folded) stand closest around, when it
    clearly leads."""
    if asked is None:
        asked = set(words(fold(question.lower()))) - _NOT_CONTEXT
    tokens = [(m.start(), m.end(), fold(m.group(0).lower())) for m in _TOKEN.finditer(sentence)]
    scored = sorted(((_closeness(c, tokens, asked), c) for c in found),
                    key=lambda pair: -pair[0])
    (best, first), (runner_up, second) = scored[0], scored[1]
    if fold(first.text.lower()) == fold(second.text.lower()) or best - runner_up < CONTEXT_LEAD:
        return None
    return first


def _closeness(candidate: Candidate, tokens: list[tuple[int, int, str]],
               asked: set[str]) -> float:
    """Sum over the question's words near the candidate of 1/distance, AFTER_WEIGHT/distance
    after it (each word once)."""
    inside = [i for i, (start, end, _) in enumerate(tokens)
              if start >= candidate.start and end <= candidate.end] or [0]
    low, high = min(inside), max(inside)
    score, counted = 0.0, set()
    for i, (_, _, token) in enumerate(tokens):
        if low <= i <= high or token not in asked or token in counted:
            continue
        distance = low - i if i < low else i - high
        if distance <= CONTEXT_WORDS:
            score += (1.0 if i < low else AFTER_WEIGHT) / distance
            counted.add(token)
    return score
