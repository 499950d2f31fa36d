"""What every front end shows for an `Answer`, as display parts: notes, the verdict, the short
answer and each passage's header, relevance and quote split at the highlight. Renderers
(plain text, rich, Telegram HTML) only format these parts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.frontends.citation import display_date, quote_link
from bot.retrieval.answer import Answer, Passage

RELEVANCE_DOTS = 5


@dataclass(frozen=True)
class Message:
    """A fixed message in Vietnamese with its English gloss (shown in brackets or italics)."""

    text: str
    english: str = ""


NO_ANSWER = Message("Các bài viết không nói về điều này.", "The articles don't say.")
CLOSEST = Message("Những đoạn gần nhất (yếu / weak):")
NO_PASSAGES = Message("Không tìm thấy đoạn nào.", "Nothing found.")
SEARCHED_LABEL = "tìm theo"
FOLLOW_UP_LABEL = "câu hỏi tiếp, tìm theo"  # read with the conversation's earlier turns
NOTE_LABEL = "lưu ý"
SHORT_MARK = "➜"
PARAGRAPH_LABEL = "đoạn"
CAPTION_LABEL = "chú thích ảnh"
WEAK_LABEL = "yếu"


@dataclass(frozen=True)
class Note:
    """A line shown above the passages, e.g. `tìm theo: tỉ lệ hộ nghèo`."""

    label: str
    text: str


@dataclass(frozen=True)
class Quote:
    """The passage's text cut at its highlight; `highlight` is empty when none is shown."""

    before: str
    highlight: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.highlight + self.after


@dataclass(frozen=True)
class PassageView:
    """One passage as shown: rank, where it comes from, how relevant, and the quote."""

    rank: int
    source: str
    paragraph: int
    caption: bool
    weak: bool
    start: int
    end: int
    score: float
    relevance: int  # filled dots out of RELEVANCE_DOTS, against the best passage's score
    quote: Quote
    title: str | None = None  # the article's title, when it has one
    date: str | None = None  # as shown ("02/09/2026")
    url: str | None = None  # the original page
    link: str | None = None  # the page scrolled to the highlighted sentence

    @property
    def cited_as(self) -> str:
        """The article as the header names it: its title, else its file name."""
        return self.title or self.source

    def labels(self) -> list[str]:
        """The header after the rank: title (or source), date, paragraph, then "chú thích
        ảnh" and "yếu"."""
        return [self.cited_as, *([self.date] if self.date else []),
                f"{PARAGRAPH_LABEL} {self.paragraph}",
                *([CAPTION_LABEL] if self.caption else []), *([WEAK_LABEL] if self.weak else [])]


@dataclass(frozen=True)
class AnswerView:
    """An `Answer` as display parts; `verdict` is empty when the answer stands."""

    question: str
    notes: list[Note]
    short: str | None
    verdict: list[Message]
    passages: list[PassageView]


# A question is echoed whole up to this long; a longer one (a pasted article: 30 MB came back
# to the terminal whole) by its end, which is what was searched (see the note on the cut).
SHOWN_QUESTION_CHARS = 300


def shown_question(question: str) -> str:
    """`question` as echoed above its answer: whole, or "…" and its last characters."""
    if len(question) <= SHOWN_QUESTION_CHARS:
        return question
    return "…" + question[-SHOWN_QUESTION_CHARS:]


def relevance(score: float, best: float) -> int:
    """Filled dots (1 to RELEVANCE_DOTS) in proportion to `score` against the best one."""
    if best <= 0:
        return 1
    return max(1, min(RELEVANCE_DOTS, round(RELEVANCE_DOTS * score / best)))


def relevance_bar(filled: int) -> str:
    return "●" * filled + "○" * (RELEVANCE_DOTS - filled)


def quote(passage: Passage, emphasis: bool) -> Quote:
    """The passage cut at its highlight offsets (never found again by searching the text)."""
    first = passage.highlight_start - passage.start
    stop = passage.highlight_end - passage.start
    text = passage.text
    whole = (first, stop) == (0, len(text))
    if not emphasis or whole or not 0 <= first < stop <= len(text):
        return Quote(text, "", "")
    return Quote(text[:first], text[first:stop], text[stop:])


def verdict(answer: Answer) -> list[Message]:
    """The lines saying there is no answer: nothing found, or only weak passages."""
    if not answer.passages:
        return [NO_PASSAGES]
    if not answer.answered:
        return [NO_ANSWER, CLOSEST]
    return []


def present(answer: Answer) -> AnswerView:
    """Turn `answer` into the parts every renderer shows."""
    notes = []
    if answer.context:  # shown even when only the article was carried ("Còn X thì sao?")
        notes.append(Note(FOLLOW_UP_LABEL, answer.searched))
    elif answer.searched_for:
        notes.append(Note(SEARCHED_LABEL, answer.searched_for))
    if answer.note:
        notes.append(Note(NOTE_LABEL, answer.note))
    best = max((p.score for p in answer.passages), default=0.0)
    passages = [
        PassageView(rank, p.source, p.paragraph, p.caption, not answer.answered, p.start, p.end,
                    p.score, relevance(p.score, best), quote(p, answer.answered), p.title,
                    display_date(p.date), p.url, quote_link(p.url, p.highlight) if p.url else None)
        for rank, p in enumerate(answer.passages, 1)]
    short = answer.short.text if answer.short else None
    return AnswerView(shown_question(answer.question), notes, short, verdict(answer), passages)
