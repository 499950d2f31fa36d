"""What form a question takes (Vietnamese, Vietnamese typed without diacritics, English) and
the text each retriever searches for; decided once per question, here."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.corpus.text import words
from bot.retrieval.abbreviations import expand
from bot.retrieval.glossary import with_vietnamese_terms
from bot.retrieval.places import spelled, unknown_places
from bot.retrieval.synonyms import with_article_words
from bot.retrieval.titles import with_vietnamese_titles
from bot.store.lexical import Restorer

# A Vietnamese syllable, written without marks: optional onset, vowel nucleus, optional coda.
VI_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|uyu|ieu|yeu|oai|oay|oeo|uay|uoi|uou|ươi|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|"
    r"ue|ui|uo|uu|uy|ye|[aeiouy])"
    r"(ch|ng|nh|[cmnpt])?$")
# Words that mark an English question and are not also common Vietnamese syllables without
# marks ("to", "the", "do", "that" are: tô, thể, do, thật).
ENGLISH_MARKERS = frozenset(
    "what who whom whose how which when where why is are was were did does of and for with from "
    "many much this these those their its has have had been there not or by at as she they "
    "his her would could should will into about".split())
ENGLISH_FUNCTION_WORDS = ENGLISH_MARKERS | {"the", "to", "in", "on", "an", "a", "do", "that"}
VIETNAMESE_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")


def has_vietnamese_letters(text: str) -> bool:
    """Whether `text` holds a letter only Vietnamese writes ("ệ", "đ")."""
    return any(ch in VIETNAMESE_LETTERS for ch in text.lower())


# A question is English from this share of English markers among its words, and Vietnamese
# without diacritics from this share of its words being Vietnamese syllables of the articles.
ENGLISH_MARKER_SHARE = 0.15
FOLDED_SYLLABLE_SHARE = 0.5
# An English question with this many words in Vietnamese spelling is mixed (both sides count).
MIXED_MIN_MARKED_WORDS = 2


@dataclass(frozen=True)
class QueryForm:
    """How the question is written, and the text each retriever should search for."""

    kind: str  # "vietnamese", "no_diacritics", "english" or "mixed" (English with Vietnamese)
    # diacritics restored for "no_diacritics", else the question; English terms and offices in
    # Vietnamese (bot/retrieval/glossary.py, titles.py), abbreviations spelled out
    search_text: str
    restored: bool
    # As typed, when the search text differs: its capitals name what it asks about ("Doi thu
    # Panthers …"), which the restored, lower-cased text no longer shows.
    typed: str | None = None

    @property
    def as_typed(self) -> str:
        return self.typed if self.typed is not None else self.search_text


# A question whose words nearly all start with a capital is shouted ("TỈ LỆ HỘ NGHÈO …") or in
# Title Case: its capitals mark no names, and read as names they would be missing from every
# passage.
SHOUTED_SHARE = 0.8
SHOUTED_MIN_WORDS = 3


def unshouted(question: str) -> str:
    """`question` lower-cased when nearly every word of it is capitalized, else as typed."""
    found = re.findall(r"[^\W\d_]+", question)[1:]  # the first word is capitalized anyway
    if len(found) < SHOUTED_MIN_WORDS:
        return question
    capitalized = sum(word[0].isupper() for word in found)
    return question.lower() if capitalized >= SHOUTED_SHARE * len(found) else question


def english_marker_share(question: str) -> float:
    """Share of English function words; a capitalized one inside the question is part of a
    name ("Doctor Who") and does not count."""
    raw = re.findall(r"\w+", question)
    markers = sum(word.lower() in ENGLISH_MARKERS and (i == 0 or not word[0].isupper())
                  for i, word in enumerate(raw))
    return markers / len(raw) if raw else 0.0


def folded_syllable_share(tokens: list[str], restorer: Restorer) -> float:
    """Share of `tokens` that are Vietnamese syllables without marks used by the articles."""
    return sum(bool(VI_SYLLABLE.match(t)) and t in restorer.unigrams
               and t not in ENGLISH_MARKERS for t in tokens) / len(tokens)


def classify(question: str, restorer: Restorer) -> QueryForm:
    """Tell Vietnamese, Vietnamese typed without marks, and English (or other) questions apart;
    an abbreviation the articles do not use ("BHYT") is searched spelled out, and an English
    question naming a Vietnamese office ("Minister of Public Security") or a public-affairs
    term ("health insurance") with the Vietnamese in its place, as a mixed question (an
    English term in a Vietnamese question is replaced too, the question keeping its form)."""
    form = _classify(question, restorer)
    if form.kind in ("english", "mixed"):
        translated = with_vietnamese_terms(with_vietnamese_titles(form.search_text))
        if translated != form.search_text:
            form = QueryForm("mixed", translated, False)
    else:  # "Tổng Bí thư nói gì về private sector?", "Minister of Public Security là ai?"
        translated = with_vietnamese_terms(with_vietnamese_titles(form.search_text))
        if translated != form.search_text:
            form = replace(form, search_text=translated, typed=form.as_typed)
    expanded = expand(with_article_words(form.search_text, restorer.says), restorer.unigrams,
                      restorer.says)
    if expanded == form.search_text:
        return form
    return replace(form, search_text=expanded, typed=form.as_typed)


def _classify(question: str, restorer: Restorer) -> QueryForm:
    if english_marker_share(question) >= ENGLISH_MARKER_SHARE:
        marked = sum(any(ch in VIETNAMESE_LETTERS for ch in word) for word in words(question))
        # "What is tỉ lệ hộ nghèo in Điện Biên?": English around Vietnamese terms.
        kind = "mixed" if marked >= MIXED_MIN_MARKED_WORDS else "english"
        places = unknown_places(question, restorer.says, capitalized_only=True)
        return QueryForm(kind, spelled(question, places), False)
    if has_vietnamese_letters(question):
        return QueryForm("vietnamese", question, False)
    tokens = [t for t in words(question) if not t.isdigit()]
    if tokens and folded_syllable_share(tokens, restorer) >= FOLDED_SYLLABLE_SHARE:
        restored = restorer.restore(question)
        # A province the articles do not write is restored as any syllables ("lai chau" as
        # "lại chau"): spelled as its name, it is a name the articles lack.
        places = unknown_places(question, restorer.says)
        return QueryForm("no_diacritics", spelled(restored or question, places),
                         restored != question.lower(), spelled(question, places))
    return QueryForm("english" if tokens else "vietnamese", question, False)
