"""Judging a retrieval: the sentence to highlight in each passage shown, whether the top
passage answers (the verdict), and the short answer inside its highlighted sentence."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.retrieval.answer_type import NUMBER, PERSON, fitting
from bot.retrieval.conversation import carried_topic
from bot.retrieval.evidence import (
    Population,
    QuestionTerms,
    SentenceView,
    features,
    given_names,
    names_to_place,
    not_given_where_named,
    other_figure,
    other_numbered,
    other_year,
    passage_signals,
    per_head_unsaid,
    said_not_given,
    sentence_views,
    share_elsewhere,
    title_of,
    titled,
    uncounted,
    unknown_names,
)
from bot.retrieval.frames import later_stage_unsaid, naming_period, other_period
from bot.retrieval.fusion import Retrieval, sources_naming
from bot.retrieval.offices import (
    deputy_mismatch,
    holder_name,
    holder_unnamed,
    office_holders,
    office_unnamed,
    person_unnamed,
)
from bot.retrieval.places import destination_unsaid, figure_of_elsewhere, named_places
from bot.retrieval.question import QueryForm, has_vietnamese_letters
from bot.retrieval.short_answer import age_unsaid, naming_event, short_span
from bot.retrieval.verdict import highlight_choice, lacks_asked_kind, strength, with_antecedent
from bot.store.generations import StoredIndex

# The short answer is shown only this far above the verdict's threshold: a question the
# articles barely answer gets its passage, not a bold number that may answer something else.
# Cross-validated on the dev data (bench/fit_verdict.py), 1.0 halves the near misses shown a
# short answer (no diacritics 2.6 → 1.3 %, English 2.5 → 1.1 %) for 1–2 points of coverage
# in Vietnamese (6 in English).
SURE_MARGIN = 1.0


def not_sure(kind: str, missing_number: float, missing_name: float) -> bool:
    """Whether a passage the verdict answers with is still no ground for a short answer: a
    number the question gives ("năm 2020") or, in Vietnamese, a name ("tỉnh Hà Giang") that
    the passage lacks: its figures are about something else (2025, Điện Biên), however sure
    the passage is otherwise. An English question's names are often spelled otherwise in
    Vietnamese text ("Kublai Khan", "Hốt Tất Liệt"): for it, a missing name would drop a
    quarter of the short answers (cross-validated: coverage 0.23 → 0.17), for none fewer shown
    to near misses."""
    return bool(missing_number) or (kind != "english" and bool(missing_name))


def named_elsewhere(form: QueryForm, index: StoredIndex, source: str) -> bool:
    """Whether the question gives names that other articles write and article `source` (the
    top passage's, or the one a follow-up leans toward) writes none of: "Vốn FDI vào Điện Biên
    năm 2025?" is not answered by a sister province's report, however alike its paragraph on
    FDI (the article the name belongs to does not give the figure). One name it writes is
    enough: "So với Lào Cai, … Điện Biên …?" may be answered by Điện Biên's report."""
    naming = [sources_naming(index, name) for name in names_to_place(form)]
    telling = [found for found in naming if found]
    return bool(telling) and not any(source in found for found in telling)


def top_passage_refused(question: str, form: QueryForm, kind: str | None, index: StoredIndex,
                        row: int, views: list[SentenceView], pick: int) -> bool:
    """Whether a rule refuses the top passage (`row`, its sentences `views`, the highlighted
    one `pick`) whatever the evidence: it holds none of the kind asked, names another
    article's subject, an office's deputy or no holder of the office asked, another year,
    another numbered thing ("bão số 7"), another of a report's figures, another period ("9
    tháng" for "cả năm") or a province's figure only in others', gives no age asked, names
    no appeal or destination asked, says the figure is not given (where it names what is
    asked, too), gives no figure per head, or (in Vietnamese) counts something else or holds
    the share asked only about something else."""
    chunk = index.chunks[row]
    top, view = chunk.text, views[pick]
    highlighted = top[view.start:view.end]
    sentences = [top[v.start:v.end] for v in views]
    dated = titled(index, chunk.source, top)  # "… năm 2025" in the title dates every passage
    return (lacks_asked_kind(form.kind, kind, views)
            or named_elsewhere(form, index, chunk.source)
            or deputy_mismatch(form.search_text, top) or per_head_unsaid(question, top)
            or holder_unnamed(form.search_text, sentences)
            or age_unsaid(form.search_text, dated)
            # not in English: the office's English words may be the body's ("the
            # Vice-Chairman of the Commission"); a mixed question's office is Vietnamese
            or (form.kind != "english" and office_unnamed(form.search_text, dated))
            or (form.kind in ("vietnamese", "no_diacritics")
                and person_unnamed(form.search_text, top))
            or other_year(form.search_text, dated, highlighted)
            or other_numbered(form.search_text, dated)
            or said_not_given(kind, highlighted)
            or not_given_where_named(kind, given_names(form), sentences, pick)
            or other_figure(form.search_text, highlighted)
            or other_period(form.search_text, highlighted)
            or later_stage_unsaid(form.search_text, dated)
            or destination_unsaid(form.search_text, dated)
            or (kind == NUMBER and figure_of_elsewhere(
                named_places(names_to_place(form)), top, title_of(index, chunk.source),
                highlighted))
            # the thing counted as searched: "bao nhiêu ethnic groups" counts "dân tộc",
            # "bao nhiêu cổ động viên" the article's "khán giả"
            or (form.kind != "english" and (uncounted(form.search_text, top)
                                            or share_elsewhere(form.search_text, views, pick))))


def _among(question: str, kind: str | None, sentences: list[str]) -> list[int]:
    """The sentences the highlight is chosen among: those naming the office whose holder is
    asked, else those naming the period asked or the event whose date is asked and holding
    the kind of thing asked (the opening "… xuất khẩu nông sản 11 tháng năm 2025 …" gives no
    figure); empty for all."""
    def holding(chosen: list[int]) -> list[int]:
        return [i for i in chosen if kind is None or fitting(question, kind, sentences[i])]

    return (office_holders(question, sentences) or holding(naming_period(question, sentences))
            or holding(naming_event(question, kind, sentences)))


@dataclass(frozen=True)
class Judgement:
    """What the evidence says; every span is (start, end) into its passage's text."""

    answered: bool
    strength: float  # the verdict's score minus its threshold (answered when >= 0)
    highlights: list[tuple[int, int]]  # one per passage shown, best first
    short: tuple[int, int] | None  # inside the first passage, when answered and sure


def judge(question: str, form: QueryForm, found: Retrieval, index: StoredIndex,
          shown: int, searched: QueryForm | None = None, kind: str | None = None,
          knows: Callable[[str], bool] | None = None,
          carried_names_required: bool = False) -> Judgement:
    """Judge the first `shown` passages of `found` for `question` (already cleaned), which
    asks for an answer of `kind` (a number, a date, …; None for an open question). A follow-up
    gives what it `searched` (its carried topic, then itself): the passage must hold that topic
    as well (in Vietnamese), while the sentence to highlight answers the question's own
    words. `knows` tells the words of the model's vocabulary (None: every word counts). With
    `carried_names_required` (the topic came from a refused turn), a name the topic carries
    that no article uses refuses the question: "Tỉnh Lai Châu có bao nhiêu dân tộc?" (refused),
    then "Tỉ lệ hộ nghèo của tỉnh này?" asks of Lai Châu too."""
    if not found.ranked:
        return Judgement(False, -math.inf, [], None)
    terms = QuestionTerms(form, index, knows)
    passages = [sentence_views(form, item.row, index, kind, found.sentence_cosines, terms)
                for item in found.ranked[:max(shown, 1)]]
    picks = [highlight_choice(form.kind, kind, views, among=_among(
        form.search_text, kind, [index.chunks[item.row].text[v.start:v.end] for v in views]))
        for views, item in zip(passages, found.ranked, strict=False)]
    chosen = [views[i] for views, i in zip(passages, picks, strict=True)]
    best = chosen[0]
    # Not for English: its model learned word overlap from English questions, which share
    # only names and numbers with Vietnamese text; carried topic words would skew it.
    context = (QuestionTerms(searched, index) if searched is not None and form.kind != "english"
               else terms)
    signals = passage_signals(found, index, context, terms)
    value = strength(form.kind, features(signals, best, Population.of(found.sentence_cosines),
                                         kind), index.manifest.model.id)
    # An English topic names things otherwise than the articles ("Politburo", "Bộ Chính
    # trị"): its names are not looked for.
    carried = carried_topic(searched.search_text) if searched is not None else ""
    lacks_carried_name = (carried_names_required and has_vietnamese_letters(carried)
                          and bool(unknown_names(carried, index)))
    top = index.chunks[found.ranked[0].row].text
    highlighted = top[best.start:best.end]
    if (not terms.asks_anything or lacks_carried_name or signals.missing_scope
            or terms.unknown_vietnamese_name
            or top_passage_refused(question, form, kind, index, found.ranked[0].row,
                                   passages[0], picks[0])):
        value = -math.inf  # refused by rule, whatever the evidence
    short = None
    if value >= SURE_MARGIN and not not_sure(form.kind, signals.missing_number,
                                             signals.missing_name):
        # a Vietnamese question's abbreviations and synonyms as searched ("giường ICU" is
        # "giường hồi sức tích cực", which picks the 60 beside it, not the 350 before)
        asked = form.search_text if form.kind == "vietnamese" else question
        span = short_span(asked, kind, highlighted, english=form.kind == "english")
        if span is not None:
            short = (best.start + span.start, best.start + span.end)
        elif kind == PERSON and (holder := holder_name(form.search_text, highlighted)):
            short = (best.start + holder[0], best.start + holder[1])
    highlights = [with_antecedent(kind, views, i,
                                  index.chunks[item.row].text[views[i].start:views[i].end])
                  for views, i, item in zip(passages, picks, found.ranked, strict=False)]
    return Judgement(value >= 0, value, highlights[:shown], short)
