"""The evidence behind an answer: how each sentence of the top passage relates to the question
(for the highlight) and the question-level signals the verdict weighs."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.corpus.sentences import unit_spans
from bot.corpus.text import fold, framed_words, words
from bot.retrieval.abbreviations import spelled_out
from bot.retrieval.answer_type import (
    DATE,
    NUMBER,
    asks_reason,
    asks_share,
    capitalized_runs,
    counted_noun,
    fitting,
)
from bot.retrieval.conversation import TOPIC_END
from bot.retrieval.fusion import Ranked, Retrieval, mentions
from bot.retrieval.places import PLACES, places_written
from bot.retrieval.question import (
    ENGLISH_FUNCTION_WORDS,
    VI_SYLLABLE,
    QueryForm,
    has_vietnamese_letters,
)
from bot.store.generations import StoredIndex


@dataclass(frozen=True)
class SentenceView:
    """One sentence (or clause) of a passage, measured against the question."""

    start: int  # offsets into the passage text
    end: int
    cosine: float  # the question's cosine with the sentence in context (-1 when unknown)
    coverage: float  # share of the question's content weight the sentence holds
    pair_coverage: float  # the same for adjacent syllable pairs
    fits: bool  # holds a span of the kind asked for that the question does not contain


def _content(tokens: list[str]) -> set[str]:
    return {t for t in tokens if t not in ENGLISH_FUNCTION_WORDS}


def _pairs(tokens: list[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


def _used(tokens: list[str], syllables: Counter[str],
          pairs: Counter[tuple[str, str]]) -> bool:
    """Whether the articles write these folded syllables (each, and each pair in a row)."""
    return all(syllables[t] for t in tokens) and all(pairs[p] for p in _pairs(tokens))


def _name_written(spelled: list[str], syllables: Counter[str],
                  pairs: Counter[tuple[str, str]]) -> bool:
    """Whether the articles write a name (its folded words): a run of capitals ends with the
    name proper, after any title ("Tỉnh Lai Châu", "Chủ tịch Tô Lâm"), so its last two
    syllables are what must be written in a row."""
    return _used(spelled[-2:], syllables, pairs)


def unknown_names(text: str, index: StoredIndex) -> list[str]:
    """The names in `text` (every run of capitals, its first word too: `text` is a carried
    topic, not a sentence) that no article uses: "Lai Châu" of a text naming only Điện Biên."""
    syllables, pairs = index.lexical.restorer.folded_counts
    runs = [text[start:end] for start, end in capitalized_runs(text)]
    return [run for run in runs if not _name_written(words(fold(run)), syllables, pairs)]


class Weighted:
    """Some asked items (syllables or pairs) weighed by their rarity in the articles."""

    def __init__(self, asked: set[Any], counts: Counter[Any]) -> None:
        total = counts.total()
        # A word the corpus never uses weighs most: asking about it is asking about something
        # else.
        self.weights = {w: math.log(1 + total / (1 + counts[w])) for w in asked}
        self.mass = sum(self.weights.values())
        self.unseen = {w for w in asked if counts[w] == 0}

    def share(self, found: set[Any]) -> float:
        """Share of the asked weight that `found` holds."""
        if not self.mass:
            return 0.0
        return sum(v for w, v in self.weights.items() if w in found) / self.mass

    def unseen_share(self) -> float:
        """Share of the asked weight in items the articles never use."""
        return self.share(self.unseen)


@lru_cache(maxsize=1 << 15)
def folded_words(text: str) -> tuple[str, ...]:
    """The folded tokens of a passage or sentence; cached, since the same passages come back
    question after question and folding dominated the time of judging one."""
    return tuple(words(fold(text)))


def names_in(question: str) -> list[str]:
    """Capitalized words in a row, not counting the question's first word ("Ai", "What"),
    which is capitalized anyway: "Tỉnh Lai Châu có …" names "Lai Châu". A follow-up searched
    after its carried topic ("Điện Biên … Còn GRDP?") starts again after the "…"."""
    found = []
    for part in question.split(TOPIC_END):
        for start, end in capitalized_runs(part):
            run = part[start:end]
            if start == 0:
                run = run.partition(" ")[2]
            if run:
                found.append(run)
    return found


# Capitalized English words that Vietnamese text writes in words of its own: nationalities and
# faiths, countries and parts of the world, months, days and compass points ("Which famous
# Indian …?" and "Ấn Độ", "the French" and "người Pháp"). Counted as names an English question
# gives, they were "missing" from the very passage that answers; left out, cross-validated
# English answers rose 86.9 → 88.5 % and near misses refused 83.1 → 88.2 % (session 11). So
# are the kinds of a state document before its code: "Resolution 11-NQ/TW" is written "Nghị
# quyết số 11-NQ/TW" (rt23: refused for "Resolution" missing from its very passage).
_TRANSLATED = frozenset("""
    french english british american german chinese japanese indian austrian hungarian russian
    spanish italian dutch portuguese greek roman european african asian mongol mongols mongolian
    korean vietnamese scottish irish welsh arab arabs arabic persian turkish egyptian polish
    swedish norwegian danish swiss belgian canadian australian mexican brazilian latin catholic
    protestant christian christians muslim muslims islamic jewish buddhist western eastern
    northern southern west east north south france england britain china japan india germany
    russia spain italy austria hungary egypt america europe africa asia vietnam january february
    march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday
    resolution resolutions decree decrees directive directives circular ordinance""".split())


def untranslated(name: str) -> str:
    """An English question's name, or nothing when Vietnamese text translates every word of it
    ("Indian", "North East"); one with a word of its own stays whole ("South China Sea",
    "Vietnam Airlines": the Vietnamese may keep it as written)."""
    translated = all(re.sub(r"['’]s$", "", word).lower() in _TRANSLATED for word in name.split())
    return "" if translated else name


def vietnamese_side(question: str, tokens: list[str], counts: Counter[str],
                    mixed: bool) -> list[str]:
    """The tokens of a mixed question without its English words: "What did Tổng Bí thư say
    about hạ tầng?", "Tổng Bí thư nói gì về private sector?". Those are asked of the embeddings
    (both sides), not looked for in Vietnamese text, where they would count as words the
    articles never use. An English word here is written in lower case, is no Vietnamese
    syllable and is not in the articles; a name ("Bitcoin", "Lai Châu") stays. A Vietnamese
    question is mixed with two such words or more: one alone is as often the very thing asked
    about and never mentioned ("giá bitcoin hôm nay", "iphone 17 giá bao nhiêu")."""
    capitalized = {fold(w).lower() for w in re.findall(r"\w+", question) if w[0].isupper()}

    def english(token: str) -> bool:
        return not (counts[token] or token.isdigit() or VI_SYLLABLE.match(token)
                    or token in capitalized)

    if not mixed and sum(map(english, set(tokens))) < 2:
        return tokens
    return [t for t in tokens if not english(t)]


# What a question asks with, not about: its question words ("gì", "ai", "bao nhiêu"; "nào",
# "sao", "đâu" last) and the words asking for a post ("giữ chức vụ gì", "chức danh nào"),
# which a passage answers with the post itself ("Bí thư Tỉnh ủy"), rarely with "chức vụ".
# Counted as words the articles never use, they refused "Ông Trần Quốc Cường giữ chức vụ
# gì?". Matched with the marks the question has: "đầu", "não", "sao" (star) are topic words
# ("Ai là người đứng đầu?"), and typed without marks "nao", "sao", "dau" ask only last. "Ai"
# before a name is one ("Ai Cập"), "AI" a topic. Words of the moment asked in ("hôm nay",
# "bây giờ") are no topic either: a report is not about the reader's today, and counted,
# "Thời tiết Điện Biên hôm nay thế nào?" matched the article's "… Điện Biên hôm nay, …".
# "bao nhiêu phần trăm" asks for a share as "bao nhiêu" for a number: the articles write "%",
# and "phần trăm" counted as words they never use ("loi nhuan sau thue tang bao nhieu phan
# tram" was refused, its sentence "… ở mức 41,7% …" right).
_ASKING_WORDS = ("gì", "bao nhiêu phần trăm", "mấy phần trăm", "bao nhiêu", "bao giờ", "bao lâu",
                 "hôm nay", "bây giờ", "lúc này")
_ASKING_LAST = ("nào", "sao", "đâu")
_POSTS = ("chức vụ", "chức danh", "cương vị")
_HOLDING = ("giữ", "đảm nhiệm", "đảm nhận", "nắm giữ", "còn giữ")


def _asking(marked: bool) -> re.Pattern[str]:
    """The words a question asks with, as written with its marks (`marked`) or without."""
    def spelled(words_: tuple[str, ...]) -> str:
        return "|".join(word if marked else fold(word) for word in words_)

    def either(words_: tuple[str, ...]) -> str:
        return "|".join(dict.fromkeys([*words_, *map(fold, words_)]))

    post = (rf"(?i:\b(?:(?:{either(_HOLDING)}) )?(?:(?:những|các|nhung|cac) )?(?:{either(_POSTS)})"
            r"\b(?=.*\b(?:gi|nao|gì|nào)\b))")
    first = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in spelled(_ASKING_WORDS).split("|"))
    return re.compile(rf"{post}|\b(?:{first}|[Aa]i(?! [A-ZĐ]))\b"
                      rf"|\b(?:{spelled(_ASKING_LAST)})(?=\W*$)")


_ASKING = {marked: _asking(marked) for marked in (True, False)}


def asked_about(question: str) -> list[str]:
    """The folded words of `question` without those it asks with (case kept until then:
    "AI" is a topic, "ai" asks who)."""
    marked = fold(question) != question
    return words(fold(_ASKING[marked].sub(" ", question)))


# "cả nước", "toàn quốc" (nationwide) name the scope asked about as a place name would: a
# province's figure does not answer "Tỉ lệ hộ nghèo của cả nước năm 2025?" (it was answered
# with Điện Biên's 17,66%), so a passage that does not say it lacks a name, and is refused.
_NATIONWIDE = re.compile(r"\b(?:ca nuoc|toan quoc)\b")
# ... and either word says it: "Ai đạt điểm cao nhất cả nước?" is answered by "Thủ khoa toàn
# quốc …" (it was refused, "cả nước" being a name no article writes).
_NATIONWIDE_SAID = ("canuoc", "toanquoc")


def given_names(form: QueryForm) -> list[str]:
    """The names a question gives as typed, without the abbreviations searched spelled out
    ("BHYT Điện Biên" names Điện Biên) or the English terms searched in Vietnamese, an English
    possessive ("Dien Bien's" names Dien Bien) or, in English, the words Vietnamese text
    translates."""
    typed = names_in(form.as_typed)
    if form.kind in ("english", "mixed"):
        typed = [untranslated(name) for name in typed]
    elif form.kind == "vietnamese" and form.typed is not None:
        # an English office or term searched in Vietnamese ("Minister of Public Security dự
        # …" as "Bộ trưởng Bộ Công an dự …") is no name the passage must write
        searched = set(words(form.search_text))
        typed = [" ".join(word for word in name.split() if words(word) and
                          all(part in searched for part in words(word))) for name in typed]
    return [kept for kept in (" ".join(word for word in re.sub(r"['’]s\b", "", name).split()
                                       if not spelled_out(word, form.search_text))
                              for name in typed) if kept]


def names_to_place(form: QueryForm) -> list[str]:
    """The names that may tell which article a question is about, as folded words joined by
    spaces: those of two words or more it gives ("Điện Biên", "Dien Bien"), and one starting
    it ("Lào Cai có …") when `names_in`, which leaves out the question's first word as its own
    capital, keeps one word of it ("Cai"; "Tại Điện Biên" keeps "Điện Biên"). One word alone is
    left out: an English question's ("Earth", "Lord", "Church") is written in Vietnamese by
    its own article and in English by some other one."""
    names = given_names(form) + opening_names(form.as_typed) + places_written(form.search_text)
    return list(dict.fromkeys(" ".join(folded) for folded in (words(fold(name)) for name in names)
                              if len(folded) >= 2))


def opening_names(typed: str) -> list[str]:
    """A name of two words opening the question ("Lào Cai có …", "Cà Mau thu hút …"), which
    `names_in` cuts to one ("Cai"), leaving out the first word as the question's own capital;
    a follow-up's own words start again after its carried topic."""
    found = []
    for part in typed.split(TOPIC_END):
        text = part.lstrip()
        runs = capitalized_runs(text)
        if runs and runs[0][0] == 0:
            first = text[:runs[0][1]].split()
            if len(first) == 2:  # longer, names_in keeps two words or more anyway
                found.append(" ".join(first))
    return found


def _scope_written(scope: str, syllables: Counter[str], pairs: Counter[tuple[str, str]]) -> str:
    """The nationwide scope (spaces dropped) as a name, in the words the articles write it
    ("toan quoc" for a question's "cả nước" when none writes "cả nước")."""
    spelled = {said: [said[:-4], said[-4:]] for said in _NATIONWIDE_SAID}  # "ca nuoc", …
    written = [said for said in (scope, *_NATIONWIDE_SAID) if _used(spelled[said], syllables,
                                                                     pairs)]
    return " ".join(spelled[(written or [scope])[0]])


class QuestionTerms:
    """The question's folded syllables and pairs, weighed by the corpus counts (once per
    question: every sentence of every passage shown is measured against them)."""

    def __init__(self, form: QueryForm, index: StoredIndex,
                 knows: Callable[[str], bool] | None = None) -> None:
        syllable_counts, pair_counts = index.lexical.restorer.folded_counts
        tokens = (words(fold(form.search_text)) if form.kind == "english"
                  else asked_about(form.search_text))
        # No word the articles use, no English function word, no acronym ("GDP") and no word
        # of the model's vocabulary (`knows`; "poverty rate" has two): "asdf qwer", "hello"
        # ask nothing that can be looked for, though the model would still find a nearest
        # passage.
        self.asks_anything = knows is None or any(
            syllable_counts[t] or t in ENGLISH_FUNCTION_WORDS for t in tokens) or any(
            len(word) > 1 and (word.isupper() or knows(word) or knows(word.lower()))
            for word in re.findall(r"[^\W\d_]+", form.search_text))
        if len(tokens) == 1:
            # One word alone is a keyword: it asks something only when the articles use it
            # ("GRDP") or it is an acronym ("GDP"); "test", "ok", "table", "null" do not.
            self.asks_anything = self.asks_anything and (
                (bool(syllable_counts[tokens[0]]) and tokens[0] not in ENGLISH_FUNCTION_WORDS)
                or form.search_text.strip(" ?!.").isupper())
        if form.kind in ("vietnamese", "mixed"):
            tokens = vietnamese_side(form.search_text, tokens, syllable_counts,
                                     form.kind == "mixed")
        content = _content(tokens)
        pairs = _pairs(tokens)
        self.syllables = Weighted(content, syllable_counts)
        self.pairs = Weighted(pairs, pair_counts)
        self.content_pairs = Weighted({p for p in pairs if p[0] in content and p[1] in content},
                                      pair_counts)
        given = given_names(form)
        self.scopes = ["".join(words(scope))
                       for scope in _NATIONWIDE.findall(fold(form.as_typed).lower())]
        given += [_scope_written(scope, syllable_counts, pair_counts) for scope in self.scopes]
        self.name_words = [words(fold(name)) for name in given]
        self.names = ["".join(name) for name in self.name_words]
        # the name proper: the last two words of a run ("Lai Châu" of "Tỉnh Lai Châu")
        unknown = [" ".join(name.split()[-2:]) for name, spelled
                   in zip(given, self.name_words, strict=True)
                   if not _name_written(spelled, syllable_counts, pair_counts)]
        self.unknown_name = bool(unknown)
        # A Vietnamese name no article writes ("Lai Châu", "Sơn La"): the articles say nothing
        # of it, however close the rest of the question ("Tỉ lệ hộ nghèo của tỉnh Sơn La năm
        # 2025" against Điện Biên's sentence). A foreign one is as often spelled otherwise
        # ("Chợ Grainger Market").
        # ... also a province opening the question ("Cà Mau thu hút …"), which `names_in`
        # cuts to one word ("Mau"); any other first word may be no name ("Trước Manning, …").
        self.unknown_vietnamese_name = any(map(has_vietnamese_letters, unknown)) or any(
            name in PLACES and not _name_written(words(fold(name)), syllable_counts, pair_counts)
            for name in opening_names(form.as_typed))
        self.numbers = [t for t in tokens if t.isdigit()]

    def coverage(self, text: str) -> tuple[float, float]:
        found = folded_words(text)
        return self.syllables.share(set(found)), self.pairs.share(_pairs(list(found)))

    def unseen(self) -> float:
        """Share of the question's content weight in syllables the articles never use."""
        return self.syllables.unseen_share()

    def unseen_pairs(self) -> float:
        """Share of the question's pair weight in syllable pairs the articles never use."""
        return self.content_pairs.unseen_share()


def sentence_views(form: QueryForm, row: int, index: StoredIndex, kind: str | None,
                   sentence_cosines: npt.NDArray[np.float32],
                   terms: QuestionTerms) -> list[SentenceView]:
    """Every sentence (clause) of passage `row`, measured against the question."""
    passage = index.chunks[row].text
    spans = unit_spans(passage) or [(0, len(passage))]
    first, stop = (int(i) for i in np.searchsorted(index.sentence_owner, [row, row + 1]))
    cosines = (sentence_cosines[first:stop] if stop - first == len(spans)
               else np.full(len(spans), -1.0, np.float32))
    views = []
    for (start, end), cosine in zip(spans, cosines, strict=True):
        text = passage[start:end]
        coverage, pairs = terms.coverage(text)
        fits = kind is not None and bool(fitting(form.search_text, kind, text))
        views.append(SentenceView(start, end, float(cosine), coverage, pairs, fits))
    return views


# Things counted under another name, folded: "mấy nước" is answered by "27 quốc gia".
_COUNTED_ALIKE = {"nuoc": ("nuoc", "quoc gia"), "quoc": ("quoc gia", "nuoc")}


def uncounted(question: str, passage: str) -> bool:
    """Whether the question counts something (`counted_noun`) that the passage never names:
    "Tỉnh Điện Biên có bao nhiêu huyện?" and a passage of "xã, phường" only."""
    noun = counted_noun(question)
    if noun is None:
        return False
    text = fold(passage.lower())
    return not any(re.search(rf"\b{name}\b", text) for name in _COUNTED_ALIKE.get(noun, (noun,)))


# A figure per head ("GRDP bình quân đầu người", "GDP per capita") is not the total beside it
# ("Tổng sản phẩm GRDP … 17.970 tỷ đồng"). Read with marks ("chiến đấu người Đức" folds alike)
# or, folded, after "bình quân"; the passage may write it "/người" ("45 triệu đồng/người/năm").
_PER_HEAD = re.compile(r"\bđầu người\b|\bper[ -](?:capita|head|person)\b")
_PER_HEAD_BARE = re.compile(r"\bbinh quan dau nguoi\b")
_PER_HEAD_SAID = re.compile(r"\bđầu người\b|/\s?người\b|\bper[ -](?:capita|head|person)\b")


def per_head_unsaid(question: str, passage: str) -> bool:
    """Whether the question asks a figure per head that the passage does not give per head."""
    lowered = question.lower()
    asked = _PER_HEAD.search(lowered) or _PER_HEAD_BARE.search(fold(lowered))
    return bool(asked) and not _PER_HEAD_SAID.search(passage.lower())


# A year the question names ("năm 2024", "in 2020") that the passage never writes, while the
# highlighted sentence gives its figures for another year ("năm 2025"): the article says
# nothing of the year asked. A date's year counts ("ngày 10/2/2025"). No right first passage of
# the dev data is refused by it (one year of a range asked may be all the passage writes).
_YEAR = re.compile(r"(?<!\d)(?<!\d[.,])(?:1[5-9]|20)\d\d(?!\d|[.,]\d|/\d{1,2}(?!\d))")
# A year the question asks of is said as one ("năm 2024", "in 2020", "the year 2020", "mùa giải
# 2015"): a bare "2000 ha" or "1850 hộ" typed without the thousands dot is a count.
_ONE_YEAR = r"((?:1[5-9]|20)\d\d)(?!\d|[.,]\d)"
_ASKED_YEAR = re.compile(r"(?i:\b(?:năm|nam|in|year|of|since|until|by|mùa giải|mua giai)\s+)"
                         + _ONE_YEAR + r"(?:\s*(?i:-|–|đến|den|to|and)\s*(?i:năm\s+|nam\s+)?"
                         + _ONE_YEAR + ")?")


def other_year(question: str, passage: str, sentence: str) -> bool:
    """Whether every year `question` names is missing from `passage` while its highlighted
    `sentence` names another."""
    asked = {year for found in _ASKED_YEAR.findall(question) for year in found if year}
    return (bool(asked) and not asked & set(_YEAR.findall(passage))
            and bool(set(_YEAR.findall(sentence)) - asked))


# A thing numbered ("bão số 7", "Nghị quyết số 11", "vòng 9"), folded: the question's number
# must be the passage's. "Bão số 6 đổ bộ vào đâu?" was answered with storm number 7's landfall.
_NUMBERED = re.compile(r"\b(so|vong)\s+(\d+)\b")


def other_numbered(question: str, passage: str) -> bool:
    """Whether the question numbers a thing ("bão số 6") that the passage numbers otherwise
    ("bão số 7") and never as asked."""
    asked = set(_NUMBERED.findall(fold(question).lower()))
    written = set(_NUMBERED.findall(fold(passage).lower()))
    return any(pair not in written and any(word == pair[0] for word, _ in written)
               for pair in asked)


# A sentence that says a figure is not given ("Bộ chưa công bố số lượng", "thiệt hại chưa được
# ước tính"), folded: a question for a number or a date it highlights is not answered.
_NOT_GIVEN = re.compile(r"\bchua (?:duoc )?(?:cong bo|thong ke|uoc tinh|xac dinh|co so lieu|"
                        r"tong hop|ro|phe duyet)\b|\bkhong (?:duoc )?(?:cong bo|tiet lo)\b"
                        # "đang được thống kê", "đang được tổng hợp" (rt21)
                        r"|\bdang (?:duoc )?(?:thong ke|tong hop|uoc tinh)\b")


def said_not_given(kind: str | None, sentence: str) -> bool:
    """Whether a number or a date is asked and the highlighted `sentence` says it is not
    given."""
    return kind in (NUMBER, DATE) and bool(_NOT_GIVEN.search(fold(sentence).lower()))


def not_given_where_named(kind: str | None, names: list[str], sentences: list[str],
                          pick: int) -> bool:
    """Whether a number or a date is asked of what the question names, and the passage's
    sentence naming it (not the highlighted one, `sentences[pick]`) says it is not given:
    "Doanh thu xuất khẩu sang thị trường Trung Đông …?" against "Thị trường Trung Đông cũng
    ghi nhận …, dù công ty chưa công bố số liệu cụ thể" beside the total's 68% (rt17)."""
    wanted = [framed_words(name) for name in names if words(name)]
    if kind not in (NUMBER, DATE) or not wanted:
        return False

    def names_all(sentence: str) -> bool:
        written = framed_words(sentence)
        return all(name in written for name in wanted)

    return not names_all(sentences[pick]) and any(
        names_all(sentence) and said_not_given(kind, sentence)
        for i, sentence in enumerate(sentences) if i != pick)


# The figures of a provincial report: one of them does not answer for another ("Tổng thu ngân
# sách … bao nhiêu tỷ đồng?" got the GRDP's 17.970 tỷ đồng, "ty le bao phu bao hiem xa hoi" the
# health insurance's 98%). Folded; words that name the same figure are one group. A question
# naming some is answered only by a highlighted sentence naming them all, when it names any.
# English as the glossary leaves it ("total state budget revenue" is searched "total ngân sách
# nhà nước revenue").
_INDICATORS = {
    "output": r"grdp|gdp|tong san pham|quy mo (?:nen )?kinh te",
    "revenue": r"thu ngan sach|ngan sach thu|nguon thu|budget revenue|"
               r"ngan sach(?: nha nuoc)? revenues?",
    "spending": r"chi ngan sach|chi tieu cong|(?:budget|public|ngan sach(?: nha nuoc)?) "
                r"(?:spending|expenditure)",
    "investment": r"von dau tu|dau tu cong|fdi|dau tu truc tiep|thu hut dau tu",
    "trade": r"kim ngach|xuat khau|nhap khau",
    "income": r"thu nhap|income",
    "tourism": r"luot khach|khach du lich|doanh thu du lich",
    # "GRDP quý III năm 2025 tăng …", "mức tăng trưởng 9,12%"
    "growth": r"toc do tang truong|muc tang truong|tang truong (?:kinh te|grdp|gdp)|"
              r"(?:grdp|gdp)(?: \w+){0,5} (?:uoc )?tang",
    "poverty": r"ho ngheo|ty le ngheo|ti le ngheo|ngheo da chieu",
    "near poverty": r"can ngheo",
    "health insurance": r"bao hiem y te|bhyt",
    "social insurance": r"bao hiem xa hoi|bhxh",
    "unemployment": r"that nghiep|unemployment",
    # prices: "How much did Hung Yen export?" got the CPI's 3,41% (rt19)
    "prices": r"chi so gia|cpi|lam phat|inflation|consumer prices?",
}
_INDICATOR = {name: re.compile(rf"\b(?:{pattern})\b") for name, pattern in _INDICATORS.items()}
# The social insurance agency by its name, which names no figure: "Bảo hiểm xã hội tỉnh phối
# hợp với Bưu điện tỉnh mở thêm 1.200 điểm thu" answers of health insurance (rt22). Folded.
_AGENCY = re.compile(r"\b(?:bao hiem xa hoi|bhxh) (?:tinh|viet nam|thanh pho|tp|huyen|khu vuc|"
                     r"co so)\b|\bgiam doc (?:bao hiem xa hoi|bhxh)\b")


def other_figure(question: str, sentence: str) -> bool:
    """Whether `question` asks of a report's figure (revenue, growth, …) that the highlighted
    `sentence` does not name while it names another ("Tốc độ tăng trưởng GRDP" and a sentence
    giving the GRDP alone). A reason asked is no figure: "Vì sao nguồn thu ngân sách tăng?"
    is answered by "… nhờ thu tiền sử dụng đất và thuế nhập khẩu …" (rt23)."""
    if asks_reason(question):
        return False
    asked, said = fold(question).lower(), _AGENCY.sub(" ", fold(sentence).lower())
    named = {name for name, pattern in _INDICATOR.items() if pattern.search(asked)}
    if "growth" in named:  # "tăng trưởng GRDP" asks the growth, which "kinh tế" names as well
        named.discard("output")
    given = {name for name, pattern in _INDICATOR.items() if pattern.search(said)}
    return bool(given) and bool(named - given)


# A share asked ("bao nhiêu phần trăm") that the highlighted sentence does not hold, and that
# the passage holds only in sentences about something else (weighing of the question's words
# under 0.3): "Kinh tế Điện Biên năm 2025 tăng trưởng bao nhiêu phần trăm?" and the poverty rate
# beside the GRDP (0.21, from "năm 2025"). Thin evidence: on the dev data one question only is
# answered by a share outside its highlight, from a sentence holding 0.36–0.38 of its words;
# the other articles' questions this rule meets hold 0.08–0.21.
SHARE_ELSEWHERE_COVERAGE = 0.3


def share_elsewhere(question: str, views: list[SentenceView], chosen: int) -> bool:
    """Whether the question asks a share that the highlighted sentence (`views[chosen]`) does
    not hold and no sentence holding one is about the question."""
    holding = [view for view in views if view.fits]  # none: no share, or no number asked
    if not asks_share(question) or views[chosen].fits or not holding:
        return False
    return all(view.coverage < SHARE_ELSEWHERE_COVERAGE for view in holding)


@dataclass(frozen=True)
class PassageSignals:
    """How the top passage stands against the rest and how much of the question it holds."""

    dense_z: float  # its cosine, in standard deviations above all passages'
    dense_margin: float  # its dense z over the best of the next five
    fused_gap: float  # its fused score over the second passage's
    coverage: float  # share of the question's content weight it holds
    pair_coverage: float  # the same for adjacent syllable pairs
    unseen: float  # share of the question's content weight the articles never use
    unseen_pairs: float  # the same for adjacent syllable pairs ("dân số", "Lai Châu")
    missing_name: float  # 1 when a name the question gives is not in the passage
    missing_number: float  # 1 when a number the question gives is not in the passage
    # 1 when the question gives a name at all: typed without capitals ("dien bien …") it gives
    # none, and a name that cannot be missing says nothing either way
    names_given: float = 0.0
    # 1 when a name the question gives is written in no article ("Lai Châu")
    unknown_name: float = 0.0
    # 1 when the question asks nationwide ("cả nước") and the passage does not say it: no
    # feature, a rule (bot/retrieval/judge.py)
    missing_scope: float = 0.0


def title_of(index: StoredIndex, source: str) -> str:
    """The title of article `source` ("" when it has none)."""
    entry = index.manifest.sources.get(source)
    return entry.title if entry is not None and entry.title else ""


def titled(index: StoredIndex, source: str, text: str) -> str:
    """`text` of article `source` followed by the article's title, context of every passage in
    it ("Chợ phiên Mường Phăng …", "… năm 2025")."""
    title = title_of(index, source)
    return text + (f"\n{title}" if title else "")


# A name an article writes this many times is its subject, context of every passage in it as
# its title would be: the seed, as it ships, has no title, and its paragraph "tỉ lệ bao phủ
# bảo hiểm y tế đạt 98%" does not name Điện Biên, which the article names 20 times.
SUBJECT_MENTIONS = 3


def passage_signals(found: Retrieval, index: StoredIndex, terms: QuestionTerms,
                    own: QuestionTerms | None = None) -> PassageSignals:
    """Signals of the top-ranked passage (`found.ranked` must not be empty). A follow-up's
    `terms` hold its carried topic too; the names and numbers missing are its `own`: after
    "Ai đã tước bóng từ Newton?", "Kawann Short có bao nhiêu lần vật ngã?" is answered by a
    passage that no longer names Newton."""
    asked = own or terms
    ranked: list[Ranked] = found.ranked
    top = ranked[0]
    second = ranked[1] if len(ranked) > 1 else top
    chunk = index.chunks[top.row]
    # The article's title is context of every passage in it ("Chợ phiên Mường Phăng …": a
    # passage saying "mỗi phiên chợ" does not name the market again). The search text holds the
    # file name, which for an article added by link is a slug of the title anyway.
    text = titled(index, chunk.source, chunk.search_text)
    coverage, pairs = terms.coverage(text)
    # A name is looked for with its spaces dropped ("Điện Biên Phủ" in "điện biên phủ"); a
    # number as the start or end of one of the passage's numbers: "10" is not in "1.000" nor
    # "79" in "17.970", while "những năm 70" is in "1970" and "thế kỷ 15" in "1559".
    spaceless = "".join(folded_words(text))
    numbers = {run for token in folded_words(text) for run in re.findall(r"\d+", token)}

    def missing(number: str) -> bool:
        return not any(n.startswith(number) or n.endswith(number) for n in numbers)

    def unnamed(name: str, spelled: list[str]) -> bool:
        return (name not in spaceless
                and mentions(index, chunk.source, " ".join(spelled)) < SUBJECT_MENTIONS)

    return PassageSignals(
        top.dense_z, top.dense_z - max((r.dense_z for r in ranked[1:6]), default=0.0),
        top.score - second.score, coverage, pairs, terms.unseen(), terms.unseen_pairs(),
        float(any(unnamed(name, spelled)
                  for name, spelled in zip(asked.names, asked.name_words, strict=True))),
        float(any(map(missing, asked.numbers))),
        float(bool(asked.names)), float(asked.unknown_name),
        float(bool(asked.scopes) and not any(said in spaceless for said in _NATIONWIDE_SAID)))


@dataclass(frozen=True)
class Population:
    """Mean and spread of the question's cosines with every stored sentence."""

    mean: float
    std: float

    @classmethod
    def of(cls, sentence_cosines: npt.NDArray[np.float32]) -> Population:
        known = sentence_cosines[sentence_cosines > -1.0]  # -1: not scored (approximate mode)
        if known.size < 2:
            return cls(0.0, 1.0)
        return cls(float(known.mean()), float(known.std()) or 1.0)


def features(signals: PassageSignals, best: SentenceView, population: Population,
             kind: str | None) -> dict[str, float]:
    """The signals the verdict weighs, for the top passage and its highlighted sentence."""
    return {
        "dense_z": signals.dense_z, "dense_margin": signals.dense_margin,
        "fused_gap": signals.fused_gap, "coverage": signals.coverage,
        "pair_coverage": signals.pair_coverage, "unseen": signals.unseen,
        "unseen_pairs": signals.unseen_pairs, "missing_name": signals.missing_name,
        "names_given": signals.names_given, "unknown_name": signals.unknown_name,
        "missing_number": signals.missing_number,
        "sentence_coverage": best.coverage, "sentence_pair_coverage": best.pair_coverage,
        "sentence_z": (best.cosine - population.mean) / population.std,
        "sentence_cosine": best.cosine,
        "asks_kind": float(kind is not None),
        "kind_fits": float(kind is not None and best.fits),
    }
