"""A conversation's memory (the recent turns of one chat) and how a new question is read in it:
whether it is a follow-up, the text searched for it, and the article it prefers."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.corpus.text import fold
from bot.retrieval.answer_type import DATE, NUMBER, PERSON, asked_kind, capitalized_runs, fitting
from bot.retrieval.fusion import Preference
from bot.retrieval.places import places_written
from bot.retrieval.question import ENGLISH_FUNCTION_WORDS, QueryForm, has_vietnamese_letters

_WORD = re.compile(r"\w+")
# Turns remembered per conversation: a follow-up leans on the last one, whose own topic
# already carries what came before it.
MAX_TURNS = 4
# Words of the earlier turns carried into a follow-up's search, at most: enough for the topic
# ("Warsaw 1901 dân số"), few enough that the new question still leads the search.
MAX_CARRIED_WORDS = 12
# Ends the carried topic in a follow-up's search text: shown to the reader, ignored by the
# retrievers ("Điện Biên … Còn GRDP?").
TOPIC_END = " … "

# Pronouns, demonstratives and elliptic openings that point back at the conversation, matched
# on the lower-cased question with its diacritics (restored for one typed without them):
# folded, "đó", "nó" and "họ" would be "do", "no", "ho", which are other common words.
# Openings and endings that only make sense after something else was said: a follow-up
# whatever else the question names ("Còn Ford?", "What about Ford?").
_VIETNAMESE_ELLIPSES = (
    r"^(còn|thế còn|vậy còn|thế|vậy|và|rồi|sau đó|trước đó|trong số đó|trong đó|ngoài ra)\b",
    r"(thì sao|ra sao|thế nào nữa|cụ thể hơn|chi tiết hơn|nói rõ hơn|nữa)\s*\??$",
    r"^(vì sao|tại sao|sao vậy|để làm gì|khi nào|ở đâu|bao nhiêu|năm nào|ai)\s*\??$",
)
# "Còn X?", "What about X?": X takes the place of what the last turn asked about, in the same
# frame (after "Ông ấy cho biết tỉnh có bao nhiêu dân tộc?", "Còn tỉ lệ hộ nghèo thì sao?" is
# about the province, not about its ethnic groups).
_CONTRASTS = re.compile(r"^(còn|thế còn|vậy còn|what about|how about|"
                        r"and what about)\b")
# What only marks the contrast, searched for nothing: "Còn | GRDP | thì sao?" ("còn" is also
# "còn 17,66%", "thì sao" the "sao" of "nhưng sao khó bằng").
_CONTRAST_MARKS = re.compile(r"^\s*(còn|thế còn|vậy còn|what about|how about|and what about)"
                             r"\s+|\s+(thì sao|ra sao)(?=\s*\??\s*$)", re.IGNORECASE)
_ENGLISH_ELLIPSES = (
    r"^(and|so|then|also|what about|how about|and what about|why|why not)\b",
    r"\b(the same|the latter|the former|more details?|more specific)\b",
)
# A question of four syllables or fewer built on a question word, naming nothing, is elliptic
# even with two words of its own ("Phút thứ mấy?" after a goal, "Ai ghi bàn?", "Kết thúc lúc
# nào?"; "Which minute?" has one word of its own anyway): too short to say what it is about.
# Five let a topic switch of the conversation benchmark be read as a follow-up. Vietnamese
# only: "What causes inflation?" stands alone. Typed without marks, "may" is also "máy".
_SHORT_QUESTION_WORDS = re.compile(
    r"(^|\s)(mấy|nào|gì|ai|đâu|bao nhiêu|bao lâu|nao|gi|dau|bao nhieu|bao lau)(\s|$|\?)")
MAX_SHORT_WORDS = 4
# Pronouns and demonstratives: they point back, though the question may name its own subject
# ("Người Norman đến từ đâu và họ định cư ở đâu?").
_VIETNAMESE_POINTERS = (
    r"(^|\s)(ông|bà|anh|chị|cô|cậu|em)\s+(ấy|ta|đó)(\s|$|[?,.])",
    r"(^|\s)(ông|bà|anh|chị|cô)(\s+(đã|có|đang|sẽ|từng|là|được|bị|sinh|mất|qua đời|làm|sống|"
    r"nói|cho biết|học|lấy|viết))",
    r"(^|\s)(người đó|người này|việc đó|việc này|điều đó|điều này)(\s|$|[?,.])",
    r"\s(đó|này|ấy|kia|nói trên|trên)(\s|$|[?,.])",
)
# Typed without marks, the restored text may miss a demonstrative ("nguoi do" restored "người
# đồ"): these two-syllable ones are matched folded too, where they read one way only.
_FOLDED_POINTERS = re.compile(r"(^|\s)(?:(?:nguoi|viec|dieu|tinh) (?:do|nay)|nam do|"
                              r"(?:ong|ba|anh|chi|co) (?:ay|ta))(\s|$|[?,.])")
# One-syllable pronouns: typed without marks, "ho", "no" are as often "Hồ", "nợ", "Hốt"
# (restored wrongly as "họ"), so they count only in a question typed with its diacritics.
_PRONOUNS = r"(^|\s)(họ|nó|hắn|chúng)(\s|$|[?,.])"
_ENGLISH_POINTERS = (
    r"\b(he|she|they|him|her|his|hers|them|their|theirs|its|it)\b",
    r"(^|\b(in|of|at|for|from|to|by|on|with|after|before|during|since|until|about|is|are|"
    r"was|were|did|does|do|would|could|should|can|will|has|have|had)\s+)"
    r"(that|this|these|those|then)\b",
    # "live there" points back; "is there", "there are" do not
    r"(?<!is )(?<!are )(?<!was )(?<!were )\bthere\b"
    r"(?!\s+(is|are|was|were|be|been|have|has|had)\b)",
)


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns))


# (ellipses, pointers) by the question's form
_MARKERS = {
    "english": (_any(*_ENGLISH_ELLIPSES), _any(*_ENGLISH_POINTERS)),
    "vietnamese": (_any(*_VIETNAMESE_ELLIPSES), _any(*_VIETNAMESE_POINTERS, _PRONOUNS)),
    "no_diacritics": (_any(*_VIETNAMESE_ELLIPSES), _any(*_VIETNAMESE_POINTERS)),
}
_MARKERS["mixed"] = _MARKERS["english"]
# Question words and particles: what a question asks with, not what it asks about. Earlier
# turns carry only their topic words, so a follow-up keeps its own question word ("năm nào").
# Phrases go first: "bao" alone is also "bao phủ" (coverage), "khi" also "khi đó".
_QUESTION_PHRASES = re.compile(
    r"\b(bao nhiêu|bao nhieu|bao giờ|bao gio|bao lâu|bao lau|khi nào|khi nao|như thế nào|"
    r"thế nào|the nao|là gì|la gi|cho biết|cho biet|thì sao|thi sao|what about|how about|"
    r"how many|how much)\b", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    "ai gì nào đâu sao mấy là của có không được những các một cho với thì đã đang sẽ bị và "
    "hay hoặc cũng vậy thế này đó ấy kia đấy ông bà anh chị cô họ nó ta hãy về theo tại ở "
    "trong từ lúc còn nữa rồi vì gi nao dau khong duoc nhung cac mot voi "
    "why what which who whom whose when where how he she they him them his hers its it "
    "theirs also then so".split()) | ENGLISH_FUNCTION_WORDS
# An English function word that is also a common Vietnamese syllable ("Bộ Công an", "an
# ninh"): in a question with Vietnamese letters it is a topic word. ("do", "to" are as often
# "because", "big"; "in" stays English in a mixed question: "And in 2020?")
_VIETNAMESE_TOO = frozenset({"an"})
# A question with this few topic words of its own says too little to stand alone
# ("Năm nào?", "Còn Ford?").
MIN_OWN_WORDS = 2


@dataclass(frozen=True)
class Turn:
    """What a turn leaves for the next: its topic words (carried ones included), and the
    article and passage that answered it; `frame`, the part of the topic it carried itself."""

    topic: tuple[str, ...]
    answered_by: Preference | None
    frame: tuple[str, ...] = ()
    asked: str | None = None  # the kind of answer it asked for (a number, a date, …)
    names: tuple[str, ...] = ()  # the words naming what it is about (see `_subject`)
    refused: bool = False  # whether its answer was "the articles do not say"


@dataclass(frozen=True)
class Conversation:
    """The recent turns of one chat, oldest first; immutable, so a front end can keep the state
    as of any answer (a Telegram reply to an old answer continues from there)."""

    turns: tuple[Turn, ...] = ()

    def after(self, turn: Turn) -> Conversation:
        """This conversation with `turn` added (the oldest dropped past MAX_TURNS)."""
        return Conversation((*self.turns, turn)[-MAX_TURNS:])

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


@dataclass(frozen=True)
class Reading:
    """How a question is searched: alone, or with the conversation's topic and article."""

    search_text: str
    prefer: Preference | None
    follow_up: bool
    own_topic: tuple[str, ...]
    # a follow-up only by a pronoun or demonstrative, in a question that names something of
    # its own ("Người Norman đến từ đâu và họ định cư ở đâu?"): worth asking alone too
    may_stand_alone: bool = False
    # "Còn X?" after "Tỉ lệ hộ nghèo là bao nhiêu?" asks the same thing of X: a number
    asks_as_before: str | None = None
    names: tuple[str, ...] = ()  # the words of the names it is about, carried ones first
    # The turn it carries its topic from was refused: nothing showed the articles hold what
    # that turn named ("Tỉnh Lai Châu …?", then "Tỉ lệ hộ nghèo của tỉnh này?"), so a passage
    # must name it itself to answer.
    carries_refused: bool = False

    def alone(self, search_text: str) -> Reading:
        """The same question read without the conversation."""
        return Reading(search_text, None, False, self.own_topic,
                       names=_subject(search_text, self.own_topic))


def topic_words(text: str) -> tuple[str, ...]:
    """The words of `text` that say what it is about, in order, as written ("Bộ trưởng Bộ
    Quốc phòng" keeps both "Bộ": the topic is shown to the reader)."""
    vietnamese = has_vietnamese_letters(text)
    return tuple(word for word in _WORD.findall(_QUESTION_PHRASES.sub(" ", text))
                 if word.lower() not in _QUESTION_WORDS
                 or (vietnamese and word.lower() in _VIETNAMESE_TOO))


def refers_back(form: QueryForm) -> str | None:
    """How the question points at something said before: "contrast" ("Còn X?", "What about
    X?"), "ellipsis" (another elliptic opening or ending, or too few words of its own to stand
    alone), "pointer" (a pronoun or a demonstrative), or None."""
    lowered = form.search_text.strip().lower()
    ellipses, pointers = _MARKERS[form.kind]
    if _CONTRASTS.search(lowered):
        return "contrast"
    if (ellipses.search(lowered) or len(topic_words(lowered)) < MIN_OWN_WORDS
            or (form.kind != "english" and _short_question(form.search_text))):
        return "ellipsis"
    if pointers.search(lowered) or (form.kind == "no_diacritics"
                                    and _FOLDED_POINTERS.search(fold(lowered))):
        return "pointer"
    return None


def _short_question(text: str) -> bool:
    """Whether `text` is a question word with a few words and no name ("Phút thứ mấy?")."""
    return (len(_WORD.findall(text)) <= MAX_SHORT_WORDS and not _names_something(text)
            and bool(_SHORT_QUESTION_WORDS.search(text.strip().lower())))


def _names(text: str) -> tuple[str, ...]:
    """The words of the names in `text`: runs of capitalized words, but not the question's
    first word alone, capitalized anyway ("Tỉ lệ hộ nghèo …"; "Điện Biên có …" is a name),
    with one lower-case word between a capitalized one and the run after it, which names
    write too ("Công ty Phúc Khang Land", "Cà phê Đắk Nguyên")."""
    spans = capitalized_runs(text)
    runs: list[list[str]] = []
    for i, (start, end) in enumerate(spans):
        run = _WORD.findall(text[start:end])
        if i + 1 < len(spans) and len(run) == 1 and (i > 0 or not text.lstrip().startswith(
                run[0])):
            between = text[end:spans[i + 1][0]]
            if re.fullmatch(r" [^\W\d_]+ ", between) and between.strip().islower():
                run.append(between.strip())
        runs.append(run)
    return tuple(word for i, run in enumerate(runs)
                 if i > 0 or len(run) > 1 or not text.lstrip().startswith(run[0])
                 for word in run)


_MEASURED = re.compile(r"\b(?:bao nhiêu|bao nhieu|mấy|how many|how much)\s+([^\W\d_]+"
                       r"(?:\s+[^\W\d_]+)*)")


def _subject(text: str, own: tuple[str, ...]) -> tuple[str, ...]:
    """The words naming what a question is about: its names ("Điện Biên có bao nhiêu dân
    tộc?"), or, typed without capitals, its topic without what it measures ("điện biên có bao
    nhiêu dân tộc" is about "điện biên")."""
    # a province typed in lower case is a name too ("tỉ lệ hộ nghèo quảng ninh là bao nhiêu"
    # is about Quảng Ninh, and "còn hộ cận nghèo?" after it asks of Quảng Ninh too)
    names = _names(text) or tuple(word for name in places_written(text)
                                  for word in _WORD.findall(name.lower()))
    found = _MEASURED.search(text.lower())
    if names or found is None:
        return names
    measured = set()
    for word in found.group(1).split():
        if word in _QUESTION_WORDS:
            break
        measured.add(word)
    return tuple(word for word in own if word.lower() not in measured)


def _replaces_the_measure(own: tuple[str, ...], last: Turn) -> bool:
    """Whether "Còn X?" asks for another measure of what the last turn measured: after
    "Điện Biên có bao nhiêu dân tộc?", "Còn GRDP?" replaces "dân tộc" and keeps "Điện Biên"
    (the names). Not after "Ai là Bộ trưởng Bộ Công an?" ("Còn Quốc phòng?" replaces part of
    a name and keeps the frame), nor for a year ("Còn 1939?" keeps "dân số")."""
    return (last.asked in (NUMBER, DATE) and bool(last.names) and bool(own)
            and not any(ch.isdigit() for ch in own[0]))


def _names_instead(own: tuple[str, ...], last: Turn) -> bool:
    """Whether "Còn X?" names another subject for the last turn's measure: X is a name of two
    words or more ("Còn Điện Biên?"; an acronym alone, "Còn GRDP?", is a measure)."""
    return (last.asked in (NUMBER, DATE) and bool(last.names) and len(own) >= MIN_OWN_WORDS
            and all(word[0].isupper() for word in own))


def _measured_subject(last: Turn, own: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What the last turn measured: its names, and the years or numbers it was said of
    ("Năm 2020 Điện Biên có bao nhiêu dân tộc?": "Điện Biên", "2020") unless the question
    gives a year of its own ("… mục tiêu lợi nhuận năm 2026": not 2025 as well)."""
    numbers = tuple(word for word in last.topic if any(ch.isdigit() for ch in word))
    if any(_A_YEAR.match(word) for word in own):
        numbers = tuple(word for word in numbers if not _A_YEAR.match(word))
    return tuple(dict.fromkeys((*last.names, *numbers)))


# A year said relative to the one the conversation is about ("Còn năm ngoái?" after "Doanh thu
# năm 2025 …?" asks of 2024, which the article writes as a number: "mức 3.938 tỷ đồng của năm
# 2024"). Matched on the lower-cased search text, with or without marks.
_YEAR_BEFORE = re.compile(r"\bnăm (?:ngoái|trước)\b|\bnam (?:ngoai|truoc)\b|\blast year\b"
                          r"|\bthe (?:previous|prior) year\b|\bthe year before\b")
_A_YEAR = re.compile(r"^(?:19|20)\d\d$")


def with_year_said(form: QueryForm, conversation: Conversation | None) -> QueryForm:
    """`form` with "năm ngoái" / "last year" written as the year before the one year the last
    turn's topic names ("2024"); as it is when that topic names none, or several."""
    last = conversation.last if conversation else None
    years = {int(word) for word in (last.topic if last else ()) if _A_YEAR.match(word)}
    found = _YEAR_BEFORE.search(form.search_text.lower())
    if found is None or len(years) != 1:
        return form
    said = str(years.pop() - 1)  # a bare year takes the place of a year: "Còn 1939?"
    text = form.search_text[:found.start()] + said + form.search_text[found.end():]
    return replace(form, search_text=text, typed=None)


def read(form: QueryForm, conversation: Conversation | None) -> Reading:
    """Read the question in its conversation: a follow-up searches its own words after the
    last turn's topic, and prefers the article and passage that answered that turn."""
    form = with_year_said(form, conversation)
    # "Còn", "What about", "thì sao" mark a contrast and are no topic: carried on, "Còn Lào
    # Cai?" then "Còn bảo hiểm y tế?" searched "… Còn Lào Cai … bảo hiểm y tế?"
    unmarked = _CONTRAST_MARKS.sub(" ", form.search_text).strip() or form.search_text
    own = topic_words(unmarked)
    names = _subject(unmarked, own)
    last = conversation.last if conversation else None
    how = refers_back(form) if last is not None else None
    if last is None or how is None:
        return Reading(form.search_text, None, False, own, names=names)
    prefer, topic = last.answered_by, last.topic
    if how == "contrast" and _names_instead(own, last):
        # "Còn Điện Biên?" after "Lai Châu có bao nhiêu dân tộc?": the same measure of another
        # subject, in the same article if it is there.
        topic = tuple(word for word in last.topic if word not in last.names)
        prefer = Preference(prefer.source) if prefer else None
    elif how == "contrast" and _replaces_the_measure(own, last):
        # another measure of what was measured ("Còn số xã?")
        topic = _measured_subject(last, own)
        if len(own) >= MIN_OWN_WORDS:
            prefer = Preference(prefer.source) if prefer else None
    elif (how == "pointer" and len(own) >= MIN_OWN_WORDS and _replaces_the_measure(own, last)
          and asked_kind(form.search_text) in (NUMBER, DATE)):
        # "Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?" after "Điện Biên có bao nhiêu dân tộc?":
        # "tỉnh này" points at what was measured, not at the measure ("dân tộc").
        topic = _measured_subject(last, own)
    elif how == "contrast" and len(own) >= MIN_OWN_WORDS:
        # The new focus replaces the last turn's: only the article is kept.
        topic = ()
        prefer = Preference(prefer.source) if prefer else None
    carried = " ".join(topic) + TOPIC_END if topic else ""
    asked = _CONTRAST_MARKS.sub("", form.search_text) if how == "contrast" else form.search_text
    names_own_subject = ((how == "pointer" and _names_something(form.search_text))
                         or (how == "ellipsis" and _only_names(form.search_text)))
    return Reading(carried + (asked or form.search_text), prefer, True, own, names_own_subject,
                   last.asked if how == "contrast" else None,
                   tuple(dict.fromkeys((*last.names, *names))), last.refused and bool(topic))


def _names_something(text: str) -> bool:
    """Whether the question names something: a capitalized word after its first (the first
    is capitalized by sentence case)."""
    return any(word[0].isupper() for word in _WORD.findall(text)[1:])


def _only_names(text: str) -> bool:
    """Whether the question is nothing but a name ("Oxy?", "Nikola Tesla?"): too short to
    stand alone by its words, yet as likely a new topic as a follow-up."""
    found = _WORD.findall(text)
    return bool(found) and all(word[0].isupper() for word in found)


def carried_topic(search_text: str) -> str:
    """The topic a follow-up's search text carries, before its `TOPIC_END` ("" when none)."""
    topic, end, _ = search_text.partition(TOPIC_END)
    return topic if end else ""


def turn_of(reading: Reading, answered_by: Preference | None,
            asked: str | None = None, answer: str | None = None, refused: bool = False,
            named_answer: str | None = None) -> Turn:
    """The turn a question leaves: the topic it carried, then its own words, in the order
    said (phrases stay whole: "Bí thư Tỉnh ủy Điện Biên"), the most recent kept; the kind of
    answer it `asked` for; and, for a question asking who, the one name its `answer` (the
    highlighted sentence) gives that it did not, which "ông ấy" next points at (or the
    `named_answer`, its short answer, among several); whether it was `refused`."""
    carried = topic_words(carried_topic(reading.search_text)) if reading.follow_up else ()
    own = reading.own_topic
    named = fitting(reading.search_text, PERSON, answer) if asked == PERSON and answer else []
    person: tuple[str, ...] = ()
    if asked == PERSON and named_answer:  # the short answer: the one holding the office asked
        person = tuple(_WORD.findall(named_answer))
    elif len(named) == 1:  # one name only: with several, which one answers is a guess
        person = tuple(_WORD.findall(named[0].text))
    # the person answered is what the next turn measures too ("Ông ấy bị tuyên phạt bao
    # nhiêu năm tù?" after "Ai là giám đốc …?" and "Ông ấy bao nhiêu tuổi?")
    names = (*reading.names, *person) if named_answer else reading.names
    return Turn((*carried, *own, *person)[-MAX_CARRIED_WORDS:], answered_by,
                carried[-MAX_CARRIED_WORDS:], asked, names[-MAX_CARRIED_WORDS:], refused)
