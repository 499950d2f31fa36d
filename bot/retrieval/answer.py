"""The answer to one question: ranked verbatim passages with their place in the text, the
best sentence in each, and whether the evidence is strong enough to call it answered."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.corpus.sentences import unit_spans
from bot.corpus.text import clean_question, encodable
from bot.embedding.models import Embedder, knows_word
from bot.errors import QuestionError
from bot.retrieval.answer_type import NUMBER, asked_kind, asks_share, fitting
from bot.retrieval.conversation import Conversation, Reading, Turn, read, turn_of
from bot.retrieval.evidence import names_to_place
from bot.retrieval.fusion import Preference, Retrieval, remeasured_sentences, retrieve
from bot.retrieval.judge import Judgement, judge, named_elsewhere
from bot.retrieval.offices import holder_unnamed, names_office_asked, office_asked
from bot.retrieval.question import QueryForm, classify, unshouted
from bot.retrieval.short_answer import holds_measure, measure_asked, naming_event
from bot.retrieval.slang import without_shorthand
from bot.store.generations import StoredIndex

MAX_QUESTION_CHARS = 2000  # far beyond any real question; the model reads ~500 tokens anyway


@dataclass(frozen=True)
class Passage:
    """One quoted passage: `text` is exactly `source_text[start:end]` of `source`, and
    `highlight` is `source_text[highlight_start:highlight_end]`, inside it."""

    text: str
    source: str
    paragraph: int
    start: int
    end: int
    score: float
    highlight: str
    highlight_start: int
    highlight_end: int
    caption: bool = False
    title: str | None = None  # the article's title, link and date (None when unknown)
    url: str | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("caption")
        return data


@dataclass(frozen=True)
class ShortAnswer:
    """The few words that answer the question: `source_text[start:end]` of the first
    passage's source."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """Everything a front end shows: the question, what was searched, the verdict, the short
    answer and the ranked passages."""

    question: str
    answered: bool
    passages: list[Passage]
    searched: str  # the text actually searched: the question, or with diacritics restored
    note: str | None = None  # e.g. that an over-long question was cut
    short: ShortAnswer | None = None
    context: bool = False  # whether earlier questions of the conversation were used
    # What this answer leaves to the conversation's next question (not shown, not in JSON).
    turn: Turn | None = field(default=None, compare=False, repr=False)

    @property
    def searched_for(self) -> str | None:
        """The searched text when it differs from the question beyond spacing, case and a cut
        (the "tìm theo" line), else None. A cut keeps the question's end."""
        asked, searched = clean_question(self.question), " ".join(self.searched.split())
        if asked.casefold().endswith(searched.casefold()):
            return None
        return self.searched

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answered": self.answered,
                "answer": asdict(self.short) if self.short else None,
                "searched": self.searched, "context": self.context, "note": self.note,
                "passages": [p.to_json() for p in self.passages]}


def _prepare(question: str, embedder: Embedder) -> tuple[str, str | None]:
    text = clean_question(question)
    if not text:
        raise QuestionError("the question is empty; type a question about the articles")
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("the question has no letters or digits, only punctuation or "
                            "symbols; type a question about the articles")
    text = without_shorthand(unshouted(text))
    tail = _tail_that_fits(text, embedder)
    if tail == text:
        return text, None
    return tail, f"the question was cut to its last {len(tail)} characters (too long to read)"


def _tail_that_fits(text: str, embedder: Embedder) -> str:
    """`text`, or when it is too long, its longest end from a word's start within
    MAX_QUESTION_CHARS and what the model reads: after a long preamble the question itself
    comes last."""
    if len(text) <= MAX_QUESTION_CHARS and not embedder.truncate(text)[1]:
        return text
    starts = [i for i in (0, *(m.end() for m in re.finditer(r"\s+", text)))
              if len(text) - i <= MAX_QUESTION_CHARS]
    if not starts:  # its last word alone is longer than that
        return embedder.truncate(text[-MAX_QUESTION_CHARS:])[0]
    low, high = 0, len(starts) - 1  # the earliest start whose tail the model reads whole
    while low < high:
        middle = (low + high) // 2
        if embedder.truncate(text[starts[middle]:])[1]:
            low = middle + 1
        else:
            high = middle
    return embedder.truncate(text[starts[low]:])[0]  # cut further only if one word is huge


def asks_for(text: str, form: QueryForm, reading: Reading) -> str | None:
    """The kind of answer the question asks for: by its own words (as typed, and restored),
    or as the turn before it did ("Còn bảo hiểm y tế?" after "Tỉ lệ hộ nghèo là bao nhiêu?"
    asks for a number too)."""
    return (asked_kind(text, form.search_text if form.restored else None)
            or reading.asks_as_before)


def _search(text: str, form: QueryForm, reading: Reading, index: StoredIndex,
            embedder: Embedder, top_k: int) -> tuple[Retrieval, Judgement]:
    """Retrieve and judge the question as `reading` reads it. A follow-up is searched with its
    carried topic, but its own words (`form`) pick its highlight and weigh its evidence."""
    # The carried topic has no typed form: the searched text is all there is to read names in.
    searched = replace(form, search_text=reading.search_text, typed=None)
    # Names are read as typed ("Dien Bien" keeps its capitals, lost in the restored search
    # text); a follow-up has no typed form for its carried topic, which names what it asks of.
    named = names_to_place(searched if reading.follow_up else form)
    found = retrieve(index, embedder, searched, prefer=_still_preferred(reading, form, index),
                     named=named)
    if reading.follow_up:
        found = remeasured_sentences(index, embedder, form, found)
    kind = asks_for(text, form, reading)
    found = _captions_after_answers(index, found, form.search_text, kind)
    found = _event_first(index, found, form.search_text, kind)
    found = _holder_first(index, found, form.search_text)
    found = _measured_first(index, found, form.search_text, kind)
    return found, judge(text, form, found, index, top_k,
                        searched if reading.follow_up else None, kind,
                        knows_word(embedder), carried_names_required=reading.carries_refused)


def _captions_after_answers(index: StoredIndex, found: Retrieval, question: str,
                            kind: str | None) -> Retrieval:
    """`found` with a photo caption that comes first, but holds nothing of the kind asked, put
    below the first body passage: "Các đại biểu tham dự buổi làm việc - Ảnh: TTXVN" names no
    one who attended ("Ai tham dự buổi làm việc?"), the list of officials below it does."""
    ranked = found.ranked
    if kind is None or not ranked or not index.chunks[ranked[0].row].caption:
        return found
    if fitting(question, kind, index.chunks[ranked[0].row].text):
        return found
    body = next((i for i, item in enumerate(ranked) if not index.chunks[item.row].caption), None)
    if body is None:
        return found
    return replace(found, ranked=[ranked[body], *ranked[:body], *ranked[body + 1:]])


# How far down a passage naming the event whose date is asked may come from.
EVENT_REACH = 3


def _first_of_article(index: StoredIndex, found: Retrieval,
                      holds: Callable[[str], bool]) -> Retrieval:
    """`found` with the first of its next passages (to EVENT_REACH) in the first one's article
    whose text `holds` what is asked put first; unchanged when none does."""
    ranked = found.ranked
    source = index.chunks[ranked[0].row].source  # which paragraph, not which article
    for at, item in enumerate(ranked[1:EVENT_REACH], 1):
        chunk = index.chunks[item.row]
        if chunk.source == source and holds(chunk.text):
            return replace(found, ranked=[ranked[at], *ranked[:at], *ranked[at + 1:]])
    return found


def _event_first(index: StoredIndex, found: Retrieval, question: str,
                 kind: str | None) -> Retrieval:
    """`found` with the first of its passages naming the event whose date is asked, holding a
    date and in the same article, put first when the first does not name it: "Bà ấy xuất
    viện ngày nào?" after her age had the admission's paragraph first ("Bà nhập viện ngày
    3/11/2025 …"), and its date as the answer; the discharge is named in the next one."""
    if (kind is None or not found.ranked
            or naming_event(question, kind, [index.chunks[found.ranked[0].row].text])):
        return found
    return _first_of_article(index, found, lambda text: bool(
        naming_event(question, kind, [text]) and fitting(question, kind, text)))


def _names_holder(question: str, office: str, passage: str) -> bool:
    """Whether `passage` names who holds the `office` the question asks of, not its deputy."""
    sentences = [passage[start:end] for start, end in unit_spans(passage)] or [passage]
    return names_office_asked(office, passage) and not holder_unnamed(question, sentences)


def _holder_first(index: StoredIndex, found: Retrieval, question: str) -> Retrieval:
    """`found` with the first of its top passages of the same article naming who holds the
    office asked put first, when the first names no holder or only the deputy: "Giám đốc Sở
    Du lịch Huế là ai?" had "bà …, Phó Giám đốc Sở Du lịch" first and was refused."""
    office = office_asked(question)
    if (not found.ranked or office is None
            or _names_holder(question, office, index.chunks[found.ranked[0].row].text)):
        return found
    return _first_of_article(index, found, lambda text: _names_holder(question, office, text))


# Units a number is measured in ("dài bao nhiêu km", "bao nhiêu tuổi"), folded: a passage with
# no number in the unit asked does not answer. Not a count of things nor money, which a
# passage may give under another name.
MEASURES = {"km", "m", "met", "cm", "mm", "ha", "hecta", "tan", "kg", "tuoi", "km vuong", "m2",
            "lit", "mw", "kwh"}


def _measured_first(index: StoredIndex, found: Retrieval, question: str,
                    kind: str | None) -> Retrieval:
    """`found` with the first of its top passages of the same article holding a number in the
    unit or the share asked put first, when the first holds none: an article's opening names
    the road ("Cao tốc Quảng Ngãi - Kon Tum dài bao nhiêu km?") and gives no length, the next
    paragraph does ("tổng chiều dài 86,5 km"). Only for a unit or a share: for a count or a
    sum, a neighbour's number is as often another thing's (a toll asked, the investment
    given)."""
    ranked, measure = found.ranked, measure_asked(question)[0]
    if kind != NUMBER or not ranked or not (asks_share(question) or measure in MEASURES):
        return found

    def holds(text: str) -> bool:
        return (bool(fitting(question, NUMBER, text)) if measure not in MEASURES
                else holds_measure(question, measure, text))

    if holds(index.chunks[ranked[0].row].text):
        return found
    return _first_of_article(index, found, holds)


def _still_preferred(reading: Reading, form: QueryForm, index: StoredIndex) -> Preference | None:
    """The article a follow-up leans toward, unless its own words name a subject that other
    articles write and that one does not: "Còn Điện Biên?" after Lào Cai's poverty rate asks
    Điện Biên's report, not Lào Cai's again."""
    prefer = reading.prefer
    return None if prefer is None or named_elsewhere(form, index, prefer.source) else prefer


def _stands_alone(alone: tuple[Retrieval, Judgement], within: tuple[Retrieval, Judgement],
                  reading: Reading, index: StoredIndex) -> bool:
    """A question that points back by a pronoun only stands alone when, asked alone, it is
    answered more surely than in the conversation, from another article."""
    (found, verdict), (_, in_conversation) = alone, within
    if not (verdict.answered and found.ranked) or reading.prefer is None:
        return False
    elsewhere = index.chunks[found.ranked[0].row].source != reading.prefer.source
    return elsewhere and verdict.strength > in_conversation.strength


def answer(question: str, index: StoredIndex, embedder: Embedder, top_k: int = 3,
           conversation: Conversation | None = None) -> Answer:
    """Answer `question` from `index` with up to `top_k` quoted passages; a follow-up is read
    in `conversation` when given (the answer's `turn` continues it).

    Raises:
        QuestionError: the question is empty or holds no letters or digits.
    """
    text, note = _prepare(question, embedder)
    form = classify(text, index.lexical.restorer)
    reading = read(form, conversation)
    found, verdict = _search(text, form, reading, index, embedder, top_k)
    if not (reading.follow_up or reading.own_topic):
        # Nothing but question words, and nothing said before to ask them of ("Tại sao?",
        # "Vì sao?", "Ai?" as a first question): the nearest passage answers nothing.
        verdict = replace(verdict, answered=False, strength=-math.inf, short=None)
    if reading.may_stand_alone:
        alone = reading.alone(form.search_text)
        asked_alone = _search(text, form, alone, index, embedder, top_k)
        if _stands_alone(asked_alone, (found, verdict), reading, index):
            reading, (found, verdict) = alone, asked_alone
    passages = []
    for item, (first, stop) in zip(found.ranked, verdict.highlights, strict=False):
        chunk = index.chunks[item.row]
        entry = index.manifest.sources.get(chunk.source)
        passages.append(Passage(
            chunk.text, chunk.source, chunk.paragraph, chunk.start, chunk.end,
            round(item.score, 6), highlight=chunk.text[first:stop],
            highlight_start=chunk.start + first, highlight_end=chunk.start + stop,
            caption=chunk.caption, title=entry.title if entry else None,
            url=entry.url if entry else None, date=entry.date if entry else None))
    short = None
    if verdict.short is not None and passages:
        top, (first, stop) = passages[0], verdict.short
        short = ShortAnswer(top.text[first:stop], top.start + first, top.start + stop)
    top_passage = passages[0] if passages else None
    turn = turn_of(reading, Preference(top_passage.source, top_passage.start)
                   if top_passage else None, asks_for(text, form, reading),
                   top_passage.highlight if top_passage and verdict.answered else None,
                   refused=not verdict.answered, named_answer=short.text if short else None)
    return Answer(encodable(question), verdict.answered, passages, reading.search_text, note,
                  short=short, context=reading.follow_up, turn=turn)
