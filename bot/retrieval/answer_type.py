"""What a question asks for (a number, a date, a person, a place) and the spans of a sentence
that could be that kind of answer: the evidence behind the verdict and the short answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.text import fold

NUMBER, DATE, PERSON, PLACE = "number", "date", "person", "place"

# Written with diacritics and matched on the lower-cased question; each pattern is also
# matched with its diacritics stripped, which finds only words typed without any ("khi nao",
# "bao nhieu"): "quyền lực nào" (which power) must not read as "lúc nào" (when), nor "ải" as
# "ai". Dates come first: "năm bao nhiêu" asks for a year, not a count.
_ASKS = (
    (DATE, r"\b(khi nào|năm nào|lúc nào|bao giờ|ngày nào|tháng nào|thời gian nào|"
           r"(?<!mỗi )(?<!hàng )(?<!một )năm bao nhiêu|"
           r"thế kỷ nào|thời điểm nào|dịp nào|what year|which year|what date|what day|"
           r"which date|which day|what month|which month|"
           r"what century|which century|what decade|when)\b"),
    (NUMBER, r"\b(bao nhiêu|bao lâu|how many|how much|how long|how old|how far|how large|how big|"
             r"how tall|how high|how fast|what percentage|what percent|what proportion|"
             r"what share|what number|what amount|số lượng|tỷ lệ|tỉ lệ|dân số)\b|"
             r"^(what|which)\b.*\b(rate|percentage|population|score|price|cost|"
             r"number(?! theory)(?! n\b))\b|"
             # ... or one that is what is asked: "What was the average household size?",
             # "What was Dien Bien's total state budget revenue in 2025?" ("What was the
             # revenue used for?" asks no number, nor "What is GRDP?", a definition)
             r"^(?:what|which) (?:is|was|are|were|will be) (?=the |[\w -]+['’]s )"
             r"(?:(?!(?:name|kind|type|form|part|unit|term|title|cause|source|purpose)\b)"
             r"[\w'’-]+ ){0,5}"
             r"(?:size|ratio|fees?|amount|temperature|wavelength|distance|length|height|"
             r"weight|speed|salary|revenues?|income|budget|attendance|capacity|density|gdp|"
             r"grdp|profits?|turnover|area)(?:\s+(?:of|for|in|between|at|on|during|from|per|"
             r"last|this)\b(?!.*\b(?:used|spent on|made of|called|named|known)\b)|\s*\?|$)"),
    (PERSON, r"(^|\s)ai(\s|\?|$)|\b(who|whom|whose|người nào|ông nào|bà nào|vị nào|"
             r"nhân vật nào|tác giả)\b"),
    (PLACE, r"\b(ở đâu|where|nơi nào|tại đâu|địa điểm nào|thành phố nào|nước nào|"
            r"quốc gia nào|tỉnh nào|vùng nào|in which (city|country|state|region|town))\b"),
)
# Only with its diacritics: typed without, "may" is as often English.
# A question starting with "giá" asks a price ("giá vàng hôm nay"; typed without marks,
# "gia" starts "gia đình", "giả thuyết" as often).
_PRICE_FIRST = r"^giá\b(?! trị)"
# Typed without marks, "gia" first is a price too unless a word it commonly makes follows
# ("gia đình", "gia tăng", "giá trị", "giả thuyết", "Gia Lai"); matched folded, and a capital
# after it is a name ("Gia Long"). The restorer knows only the articles' words, and made "gia
# vàng hôm nay" of "gia vang hom nay" (the first example, answered with "trang sử
# vàng … Hôm nay").
_GIA_WORDS = ("dinh", "tang", "nhap", "han", "co", "cong", "suc", "cam", "vi", "su", "chu",
              "toc", "pha", "truyen", "lai", "lam", "canh", "quyen", "dung", "thuyet", "tri",
              "nghiep", "nhan", "the", "huynh", "giam", "nua", "ke", "nhu", "tai", "dang")
_PRICE_FIRST_BARE = re.compile(rf"^[Gg]ia (?!(?:{'|'.join(sorted(set(_GIA_WORDS)))})\b)"
                               r"(?=[^\W\d_A-Z])")
# An exchange or interest rate, an area asks a number when nothing else is asked ("ty gia hom
# nay", "diện tích Điện Biên"); "Ai quyết định giảm lãi suất?", "Chính sách lãi suất là gì?",
# "Diện tích rừng bị phá dùng làm gì?" ask a name, an explanation.
_RATE_WORDS = re.compile(r"\b(?:ty gia|ti gia|lai suat|dien tich)\b")
_OPEN_WORDS = re.compile(r"\b(?:gi|nao|sao|ai|dau|what|how|why|who|which|where)\b")
_ACCENTED_ONLY = {DATE: r"|\b(?:ngày|tháng|năm) mấy\b", NUMBER: rf"|\bmấy\b|{_PRICE_FIRST}"}
# A question for a reason asks no number, whatever it is about ("Vì sao tỉ lệ hộ nghèo giảm?").
_ASKS_REASON = re.compile(r"\b(?:vì sao|tại sao|vi sao|tai sao|why)\b"
                          r"|(?<!nhiêu )(?<!mấy )(?<!nhieu )(?<!may )\b(?:lý do|ly do)\b")
# An English question's own question word comes first, and decides over a "when" or a "which"
# in a clause after it: "How old was Manning when he played …?" asks a number, "Who led the
# army when …?" a person.
_LEADING_ENGLISH = (
    (NUMBER, re.compile(r"^(?:(?:in|on|at|by|and|so|then)\s+)?how (?:many|much|old|long|far|"
                        r"large|big|tall|high|fast)\b")),
    (PERSON, re.compile(r"^(?:(?:and|so|then)\s+)?(?:who|whom|whose)\b")),
    (PLACE, re.compile(r"^(?:(?:and|so|then)\s+)?where\b")),
)
_OTHER_WH_FIRST = re.compile(r"(?:(?:in|on|at|by|and|so|then)\s+)?(?:what|which|why|how)\b")
_ASKED = [(kind, re.compile(pattern + _ACCENTED_ONLY.get(kind, "")), re.compile(fold(pattern)))
          for kind, pattern in _ASKS]

# 17.970 | 17,66 | 1.446 | 98 | 3,97 — Vietnamese writes "." for thousands and "," for
# decimals; English text the other way round: both are accepted.
_NUMBER = r"\d+(?:[.,]\d+)*"
# A score or a range is one answer ("tỷ số 23-16", "từ 30–50 người": not "23", then "16"), and
# so is a clock time or a score written with a colon ("3:08", "3:1") or added time ("90+5").
_CLOCK = r"(?::\d{1,2}|\+\d{1,2})?"
_NUMBERS = rf"{_NUMBER}{_CLOCK}(?:\s?[-–]\s?{_NUMBER}{_CLOCK}(?![-/\w]))?"
_UNIT = (r"(?:\s*%(?:/năm)?|\s*°C|h(?:[0-5]\d)?"
         r"|\s+(?:tỷ|triệu|nghìn|ngàn|trăm)(?:\s+(?:tỷ|triệu))?"
         r"(?:\s+(?:đồng|USD|VNĐ|VND|đô la|euro|người|lượt|tấn|m3|m²|m2|km vuông|km2|km²|km|"
         r"ha|kWh|MWh|GWh))?"
         r"|\s+(?:phần trăm|đồng|USD|VNĐ|VND|đô la|euro|km vuông|dặm vuông|km2|km²|km/h|km|dặm|"
         r"yard|m2|m²|m3|mét vuông|"
         r"mét khối|mét|cm|mm|ha|héc-ta|"
         r"kg|tạ/ha|tạ|tấn|lít|độ C|độ|giờ|phút|giây|ngày|tuần|tháng|MW|kW|kWh|MWh|GWh|m|"
         r"người|hộ|xã|phường|lần|năm|tuổi|dân tộc|điểm|ca|percent|million|billion|thousand|"
         r"people|years|points|miles|feet|meters|metres|degrees))?")
# Counts written as words ("sáu giải Grammy", "hai trường đại học"), with their marks only:
# typed without, "sau" (after) is not "sáu" (six). "một" (also "a"), "năm" (also "year") and
# "cả hai" ("both") are left out.
_VIETNAMESE_NUMBERS = {"hai": "2", "ba": "3", "bốn": "4", "sáu": "6", "bảy": "7", "tám": "8",
                       "chín": "9", "mười": "10"}
_NUMBER_WORD = rf"(?<![Cc]ả )(?:{'|'.join(_VIETNAMESE_NUMBERS)})"
# Not inside another number: "8" of "15-8-2024", "5" of "1.5".
_NUMBER_RE = re.compile(rf"(?<![\w/.,])(?<!\d[-–])(?:{_NUMBERS}|{_NUMBER_WORD}(?=\s+\w))"
                        rf"{_UNIT}(?![\w])|(?<=thứ )[IVXLC]+\b")
# A year after a comma belongs to its month ("tháng 7, 1961"), as after "năm".
_COMMA_YEAR = (r",\s*(?:1\d{3}|20\d{2})(?![\d.,]?\d)"
               r"(?!\s+(?:người|hộ|lượt|ha|tấn|km|đồng|USD|học sinh|sinh viên|xã)\b)")
_DATE_RE = re.compile(
    r"ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|\s+tháng\s+\d{1,2}"
    rf"(?:\s+năm\s+\d{{3,4}}|{_COMMA_YEAR})?)"
    r"|\b\d{1,2}/\d{1,2}/\d{4}\b"
    rf"|tháng\s+\d{{1,2}}(?:\s*(?:năm|/)\s*\d{{3,4}}|{_COMMA_YEAR})?"
    r"|(?:năm|thế kỷ|thập niên|những năm)\s+(?:\d{2,4}|[IVXLC]+)"
    r"|\b(?:1\d{3}|20\d{2})\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},?\s+\d{4}\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DAY_OF_MONTH = re.compile(r"/\d")


def capitalized_runs(text: str, least: int = 1) -> list[tuple[int, int]]:
    """Spans of `least` or more capitalized words in a row (names: "Nguyễn Duy Ngọc")."""
    runs: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        if not match.group(0)[0].isupper():
            continue
        if runs and text[runs[-1][1]:match.start()] == " ":
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append((match.start(), match.end()))
    return [(s, e) for s, e in runs if len(text[s:e].split()) >= least]


def asked_kind(question: str, restored: str | None = None) -> str | None:
    """The kind of answer `question` asks for, or None for open questions (what, why, how).
    A question typed without marks is also read `restored`: "co may dan toc" asks "mấy"."""
    lowered = question.lower()
    if asks_reason(lowered):
        return None
    restored = restored.lower() if restored else ""
    opening = lowered.lstrip(" \"'“‘(")
    for kind, leading in _LEADING_ENGLISH:
        if leading.match(opening):
            return kind
    if _OTHER_WH_FIRST.match(opening):
        # "What satellite was used when Sky was launched?": the "when" clause asks no date
        lowered = re.sub(r"\bwhen\b(?=\s*\w).*", "", lowered)  # "…, and when?" still asks
    for kind, accented, plain in _ASKED:
        if accented.search(lowered) or plain.search(lowered) or accented.search(restored):
            return kind
    folded = fold(lowered)
    if asks_price_bare(question) or (_RATE_WORDS.search(folded)
                                     and not _OPEN_WORDS.search(folded)):
        return NUMBER
    return None


def asks_reason(question: str) -> bool:
    """Whether the question asks why ("Vì sao …?", "tại sao", "lý do", "why")."""
    return bool(_ASKS_REASON.search(question.lower()))


def asks_price_bare(question: str) -> bool:
    """Whether a question starts with "gia" without its mark, reading as a price ("gia vang
    hom nay"; not "gia dinh", "Gia Long", "Già làng")."""
    text = question.strip()
    return text[:4].lower() == "gia " and bool(_PRICE_FIRST_BARE.match(fold(text)))


@dataclass(frozen=True)
class Candidate:
    """A span of a sentence that could answer a question of some kind."""

    kind: str
    start: int
    end: int
    text: str


def candidates(text: str, kind: str) -> list[Candidate]:
    """Spans of `text` of the given kind (person and place both look for names)."""
    if kind in (PERSON, PLACE):  # a name of two words or more, not the sentence's first word
        return [Candidate(kind, s, e, text[s:e]) for s, e in capitalized_runs(text, 2)
                if s > 0 or len(text[s:e].split()) > 2]
    pattern = _DATE_RE if kind == DATE else _NUMBER_RE
    found = [Candidate(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    if kind == NUMBER:  # a year or a date is not a count, nor a day before its month ("18/12")
        dates = [(m.start(), m.end()) for m in _DATE_RE.finditer(text)]
        found = [c for c in found if not any(s <= c.start < e for s, e in dates)
                 and not _DAY_OF_MONTH.match(text, c.end)]
    return found


_YEAR_SAID = r"(?<![\d.,/])(?:1[5-9]|20)\d\d(?![\d.,/])"
_YEAR_ONLY = r"(?:nam |in )?\d{4}"  # a bare year, not a date holding it ("12/3/2005")
# Numbers a question may spell out: "the two-tier government" says the "2" of "2 cấp".
_SPELLED = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
            "seven": "7", "eight": "8", "nine": "9", "ten": "10", **_VIETNAMESE_NUMBERS}


def not_in_question(found: list[Candidate], question: str) -> list[Candidate]:
    """Candidates the question does not already contain, in digits or spelled out (it does
    not ask what it says)."""
    asked = fold(question.lower())
    spelled = {_SPELLED[word] for word in re.findall(r"\w+", question.lower())
               if word in _SPELLED}
    # a year the question gives is said however it is written: "than in 2005" and "năm 2005"
    years = set(re.findall(_YEAR_SAID, question))
    return [c for c in found if fold(c.text.lower()) not in asked and c.text not in spelled
            and not (c.kind == DATE and set(re.findall(_YEAR_SAID, c.text)) & years
                     and re.fullmatch(_YEAR_ONLY, fold(c.text.lower())))]


# "Bao nhiêu quân?" asks a count, which "lần thứ hai" (the second time) is not; "lần thứ
# mấy", "đứng thứ bao nhiêu" ask the ordinal. Matched folded.
_COUNTS = re.compile(r"\b(?:bao nhieu|may)\b")
_ASKS_ORDINAL = re.compile(r"\bthu (?:bao nhieu|may)\b|\b(?:xep hang|hang|vi tri|xep)\b")
_ORDINAL_BEFORE = re.compile(r"\bthứ\s$", re.IGNORECASE)
# A bare number followed by "-NQ/TW" or "/QĐ-TTg" is a document's number, not a count ("đồng/
# người", "km/h" are units).
_IDENTIFIER_TAIL = re.compile(r"[-/][A-ZĐ]")
# A bare number right after a capitalized word other than the sentence's first is part of a
# name ("Apollo 1", "Super Bowl 50"): no measure in the unit asked ("Họ bao nhiêu tuổi?" got
# ➜ 1 of "Apollo 1"). Only then: "which Super Bowl" is answered by "50" (dropping it always
# cost English short answers 3 points of precision on xquad-dev).
_IDENTIFIER_HEAD = re.compile(r"(?<=\S )[A-ZĐ][\w-]*\s$")
# Matched on the folded, lower-cased question and candidate. A question for a share ("bao
# nhiêu phần trăm", "what percentage", a growth rate) is answered by a share only; one for a
# sum of money ("bao nhiêu tiền", "bao nhiêu tỷ đồng") by an amount of money only.
_ASKS_SHARE = re.compile(r"\bphan tram\b|\bpercent(?:age)?\b|\b(?:bao nhieu|may) ?%"
                         r"|\b(?:toc do tang truong|growth rate)\b"
                         # "What share of the land …?" got ➜ 8 xã (rt19)
                         r"|^(?:what|which) (?:share|proportion|fraction)\b"
                         # a rate asked by its name ("Tỷ lệ thất nghiệp … là bao nhiêu?")
                         r"|\bt[yi] le\b(?=.*\b(?:bao nhieu|may)\b)")
_SHARE = re.compile(r"%|\bphan tram\b|\bpercent\b|\d:\d")  # a ratio too ("tỷ lệ 20:1")
# Matched on the lower-cased question as typed: without marks "bao nhieu dong" may be "dòng",
# "động" or "đồng", so only "tien", "ty dong", "usd" count there.
_ASKS_SUM = re.compile(r"\b(?:bao nhiêu|mấy) (?:tiền|(?:(?:tỷ|tỉ|triệu|nghìn|ngàn) )?"
                       r"(?:đồng|usd|vnđ|vnd|đô la|đô|euro))(?!\w)"
                       r"|\bbao nhieu (?:tien|(?:ty|trieu|nghin|ngan) (?:dong|usd|vnd)|usd|vnd)\b"
                       r"|\bhow much money\b"
                       # a cost asked in English is money, not "9.000 lượt người" (rt23)
                       r"|\bhow much (?:does|do|did|will|would|can|could) [^?]{1,60}?\bcost\b"
                       r"|\bwhat (?:is|was|will be) the (?:price|cost|fare|fee) of\b"
                       # a ticket's price ("tickets" searched as "vé"), not the spectators
                       r"|\bhow much (?:is|are|was|were) (?:a |the )?"
                       r"(?:tickets?|vé|fares?|fees?)\b")
# An income per head is an amount of money ("3,97%/năm" beside it is a rate), unless a change
# in it is asked ("tăng bao nhiêu", "gấp mấy lần": then a share or a ratio too).
_ASKS_INCOME = re.compile(r"\bthu nhap (?:binh quan|dau nguoi)\b|\bper capita income\b"
                          r"|\bincome per (?:capita|head|person)\b")
# Not "gap" ("gấp", times): folded it is "gặp" (meets) too ("Giá vé trận A gặp B"); "gấp mấy
# lần" says "lần".
_ASKS_CHANGE = re.compile(r"\b(?:tang|giam|lan|increase|decrease|grow|grew|rise|rose|fall|"
                          r"fell|times)\b")
# "hạ" (lowered) only with its mark: folded it is "hà", "ha".
_LOWERED = re.compile(r"\bhạ\b")
# A price or a cost asked for with a bare "bao nhiêu" ("Giá đất … là bao nhiêu?", "Chi phí
# một ca ghép thận … là bao nhiêu?"; not "Chi phí … mất bao nhiêu ngày?"): money too. With
# its marks only: "gia" is also "gia đình", "tham gia"; "đánh giá" (assess), "giá trị"
# (value) ask no price.
_ASKS_PRICE = re.compile(r"(?<!đánh )\b(?:giá|chi phí|kinh phí|mức phí|lệ phí|học phí|"
                         r"viện phí|phí)\b(?! trị)")
_ASKS_INDEX = re.compile(r"\b(?:tỷ lệ|tỉ lệ|chỉ số)\b")  # a ratio or an index is no price
_HOW_MUCH = re.compile(r"\bbao nhiêu\s*(?:\?|$)|\bbao nhiêu (?:tiền|tỷ|tỉ|triệu|nghìn)\b")
# On the lower-cased candidate: a currency, or an amount in tỷ / triệu with no other unit.
_MONEY_UNITS = r"đồng|usd|vnđ|vnd|đô|euro|\$"
_MONEY = re.compile(_MONEY_UNITS)  # a sum in so many words, not a bare "37 triệu"
_SUM = re.compile(rf"{_MONEY_UNITS}|(?:tỷ|tỉ|triệu)$")


# What a count may be asked in ("bao nhiêu km", "mấy năm"), by the spellings a sentence may
# use, folded: a candidate carrying a unit of another dimension answers something else ("30
# phút" is no length in km, "3,4 km" no number of years). Units of one dimension may convert
# ("bao nhiêu mét" and "3,4 km"), so they do not exclude each other.
_DIMENSIONS = {
    "length": ("km", "mét", "m", "cm", "mm", "dặm", "yard"),
    "area": ("km2", "km²", "km vuông", "dặm vuông", "m2", "m²", "mét vuông", "ha", "héc-ta"),
    "mass": ("kg", "tấn"), "volume": ("lít", "m3", "mét khối"),
    "short time": ("giờ", "phút", "giây", "h"), "long time": ("ngày", "tuần", "tháng", "năm"),
    "age": ("tuổi",), "temperature": ("độ", "°c", "độ c"),
}
_DIMENSION_OF = {fold(unit): dimension for dimension, units in _DIMENSIONS.items()
                 for unit in units}


def _asking_in(spellings: list[str], asking: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{asking})\s+(" + "|".join(
        sorted(map(re.escape, spellings), key=len, reverse=True)) + r")(?!\w)")


# With its marks, "mấy năm" asks in years while "nhà máy năm 2024" does not; typed without any,
# only "bao nhieu" counts ("may" is also "máy", "nam" also "nam" (male): a guess then).
_ASKED_UNIT = _asking_in([u for units in _DIMENSIONS.values() for u in units], "bao nhiêu|mấy")
_ASKED_UNIT_BARE = _asking_in(list(_DIMENSION_OF), "bao nhieu")


def _dimension(candidate: str) -> str | None:
    """The dimension of the unit a candidate number is written with ("3,4 km": length)."""
    unit = re.sub(rf"^{_NUMBERS}\s*", "", fold(candidate.lower()))
    return _DIMENSION_OF.get(re.sub(r"^h\d+$", "h", unit))  # "21h30" is a time of day


# A population ("dân số", "population") is a count of people (or a share of one), an area
# ("diện tích", "the area of") a measure in square units: "45 đơn vị xã", "1.446 thôn", "19
# dân tộc" answer neither, and a passage holding only such counts does not answer "Dân số
# Điện Biên là bao nhiêu?" (every population and area question a helper asked of the seed
# article was answered with them). Matched folded; not for a density ("mật độ dân số") nor a
# share of either.
_ASKS_POPULATION = re.compile(r"\b(?:dan so|population|inhabitants)\b"
                              r"|\bhow many (?:people|residents) (?:live|lived|living|reside)\b"
                              r"|\bbao nhieu (?:nguoi dan|cu dan)\b")
# A count of people asked in so many words ("bao nhiêu người", "how many people") is no share:
# "Dân số … là bao nhiêu người?" got ➜ 17,66% (the poverty rate).
_ASKS_HEADCOUNT = re.compile(r"\b(?:bao nhieu (?:nguoi|cu dan)|how many (?:people|inhabitants|"
                             r"residents))\b")
# English "area" only as the size asked about ("the area of", "total area"), not "in the area".
_ASKS_AREA = re.compile(r"\bdien tich\b|\b(?:total|land|surface) area\b|\barea of\b")
_ASKS_DENSITY = re.compile(r"\b(?:mat do|density)\b")
# ... when the amount is what is asked: not "Thành phố nào có dân số đông nhất?", "Dân số tập
# trung ở đâu?" (a city, a place).
_ASKS_AMOUNT = re.compile(r"\b(?:bao nhieu|how (?:many|much|large|big)|what (?:is|was|are|were) "
                          r"the (?:\w+ )?(?:population|area|dan so|dien tich))\b")
# On the candidate's text after its number, and on the words after the candidate (folded).
_MAGNITUDE = r"(?:(?:ty|trieu|nghin|ngan|van|tram|million|thousand|billion)\s*)+"
_PEOPLE = (rf"^(?:{_MAGNITUDE})?(?:nguoi|dan(?! toc)|cu dan|nhan khau|cong dan|people|"
           r"inhabitants|residents|persons|%|phan tram|percent)?$")
_PEOPLE_AFTER = re.compile(r"^\s*(?:(?:nguoi|dan(?! toc)|cu dan|nhan khau|cong dan|people|"
                           r"inhabitants|residents|persons|in|as|at|by|and|vao|nam|trong|va|"
                           r"theo|tai|o)\b|[,.;:)(]|$)")
_AREA_AFTER = re.compile(r"^\s*(?:square|sq\b|acres?\b|hec ?ta|ha\b|mau\b|kilomet vuong)")
# Open question words, read with the marks a question has ("đầu năm" is no "đâu").
_OPEN_ACCENTED = re.compile(r"\b(?:gì|nào|sao|ai|đâu|what|how|why|who|which|where)\b")


def _measure_asked(question: str) -> str | None:
    """"area", "population" or "headcount" (a population counted in people, no share) when the
    question asks for that amount, else None."""
    lowered = question.lower()
    asked = fold(lowered)
    opens = (_OPEN_ACCENTED.search(lowered) if asked != lowered else _OPEN_WORDS.search(asked))
    if (_ASKS_SHARE.search(asked) or _ASKS_DENSITY.search(asked)
            or (opens and not _ASKS_AMOUNT.search(asked))):
        return None
    if _ASKS_AREA.search(asked):
        return "area"
    if not _ASKS_POPULATION.search(asked):
        return None
    return "headcount" if _ASKS_HEADCOUNT.search(asked) else "population"


def _in_measure(measure: str, candidate: Candidate, text: str) -> bool:
    """Whether a number of `text` may be the area ("517 km vuông", "7 triệu km2", "14,7 triệu
    ha", or bare before a unit: "5,000 square miles") or the population (a headcount: no
    share) `measure` names."""
    unit = re.sub(rf"^{_NUMBERS}\s*", "", fold(candidate.text.lower()))
    after = fold(text[candidate.end:candidate.end + 24].lower())
    if measure == "area":
        scaled = re.sub(rf"^{_MAGNITUDE}", "", unit)
        return (_DIMENSION_OF.get(scaled) == "area"
                or (scaled == "" and bool(_AREA_AFTER.match(after))))
    if measure == "headcount" and _SHARE.search(unit):
        return False
    return bool(re.match(_PEOPLE, unit)) and (bool(unit) or bool(_PEOPLE_AFTER.match(after)))


# "Bao nhiêu huyện?" counts districts: a passage that never says "huyện" gives no count of
# them, whatever numbers it holds ("45 đơn vị xã, phường"). The noun right after the question
# word (after a classifier: "bao nhiêu ngôi nhà" counts houses), folded; not a unit (its
# dimension is checked instead), money, a share, a time ("bao nhiêu thời gian": "17 giây"), a
# number of times, a particle ("bao nhiêu ạ?"), an acronym ("DN", spelled out elsewhere), nor
# people, counted in many words ("bao nhiêu người đã chết": "30 đến 50 nghìn", "hai phần ba
# dân số"; xquad-dev); "mấy" only with its marks (typed without, "may" is also "máy").
_COUNTED = re.compile(r"\bbao nhieu\s+(\w+)(?:\s+(\w+))?")
_COUNTED_ACCENTED = re.compile(r"(?<!\w)mấy\s+(\w+)(?:\s+(\w+))?")
_CLASSIFIERS = {"chiec", "cai", "ngoi", "con", "buc", "tam", "quyen", "cuon", "toa", "can",
                "qua", "canh", "bo"}
# Things counted in two syllables that reports write otherwise ("cộng đồng dân tộc" and "19 dân
# tộc", "gia đình" and "328 hộ"; rt19).
_TWO_SYLLABLE_COUNTS = {"cong dong", "gia dinh"}
_NOT_COUNTED = {"la", "thi", "va", "trong", "duoc", "da", "se", "o", "tai", "cua", "nhu", "khi",
                "vao", "tu", "den", "voi", "moi", "nua", "nay", "do", "cho", "phan", "lan",
                "muoi", "chuc", "tram", "nghin", "ngan", "trieu", "ty", "ti", "thoi", "tien",
                "percent", "dong", "usd", "vnd", "so", "tren", "hon", "luc", "nguoi", "cay",
                "hecta", "hec", "a", "vay", "nhi", "the", "day", "nhe", "khong", "chu", "ta",
                "roi", "sao", "mot",  # "bao nhiêu một kg": a price per kilo (rt20)
                # money by another name: "bao nhiêu vốn", "kinh phí", "chi phí", "doanh thu"
                "von", "kinh", "chi", "phi", "doanh", "thue", "luong", "loi", "no"}


def counted_noun(question: str) -> str | None:
    """The thing a count question counts ("huyen" for "Điện Biên có bao nhiêu huyện?"),
    folded; None when it asks no count of a named thing."""
    lowered = question.lower()
    match = _COUNTED.search(fold(lowered)) or _COUNTED_ACCENTED.search(lowered)
    if match is None:
        return None
    first, second = fold(match.group(1)), match.group(2)
    if f"{first} {fold(second or '')}" in _TWO_SYLLABLE_COUNTS:
        return None  # its first syllable alone is no word of it ("cộng", "gia")
    noun = fold(second) if first in _CLASSIFIERS and second else first
    typed = re.search(rf"\b{re.escape(noun)}\b", fold(question), re.IGNORECASE)
    if (noun in _NOT_COUNTED or noun in _DIMENSION_OF or noun.isdigit()
            or (typed is not None and len(noun) > 1 and typed.group(0).isupper())):
        return None
    return noun


def asks_share(question: str) -> bool:
    """Whether the question asks for a share ("bao nhiêu phần trăm", "what percentage")."""
    return bool(_ASKS_SHARE.search(fold(question.lower())))


def fitting(question: str, kind: str, text: str) -> list[Candidate]:
    """The spans of `text` that could answer `question`, which asks for `kind`: of that kind,
    not said by the question, no document number for a count, a share for a share and money
    for money."""
    found = not_in_question(candidates(text, kind), question)
    if kind != NUMBER:
        return found
    asked = fold(question.lower())
    found = [c for c in found
             if not (c.text.isdigit() and _IDENTIFIER_TAIL.match(text, c.end))]
    lowered = question.lower()
    if _COUNTS.search(asked) and not _ASKS_ORDINAL.search(asked):
        found = [c for c in found if not _ORDINAL_BEFORE.search(text, 0, c.start)]
    if _ASKS_SHARE.search(asked):
        found = [c for c in found if _SHARE.search(fold(c.text.lower()))]
    elif counted_noun(question) is not None:  # "bao nhiêu hộ nghèo": no "17,66%", no money
        found = [c for c in found if not (_SHARE.search(fold(c.text.lower()))
                                          or _MONEY.search(c.text.lower()))]
    elif _ASKS_SUM.search(lowered) or (_ASKS_INCOME.search(asked)
                                       and not _ASKS_CHANGE.search(asked)):
        found = [c for c in found if _SUM.search(c.text.lower())]
    elif ((_ASKS_PRICE.search(lowered) and not _ASKS_INDEX.search(lowered)
           and (_HOW_MUCH.search(lowered) or re.match(_PRICE_FIRST, lowered)))
          or asks_price_bare(question)):
        # a price rises or falls by a share as often ("Giá xăng giảm bao nhiêu?" → 3,2%);
        # otherwise a share is no price ("Giá vé … là bao nhiêu?" and "kiểm soát bóng 61%")
        changes = bool(_ASKS_CHANGE.search(asked)) or bool(_LOWERED.search(lowered))
        found = [c for c in found if _SUM.search(c.text.lower())
                 or (changes and _SHARE.search(fold(c.text.lower())))]
    measure = _measure_asked(question)
    if measure is not None:
        found = [c for c in found if _in_measure(measure, c, text)]
    unit = _ASKED_UNIT.search(lowered) or (_ASKED_UNIT_BARE.search(lowered)
                                           if asked == lowered else None)
    if unit:
        wanted = _DIMENSION_OF[fold(unit.group(1))]
        found = [c for c in found if _dimension(c.text) == wanted or (
            _dimension(c.text) is None
            and not (c.text.isdigit() and _IDENTIFIER_HEAD.search(text, 0, c.start)))]
    return found
