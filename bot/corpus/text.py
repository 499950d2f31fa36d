"""Unicode handling for Vietnamese text: NFC normalization, diacritic folding, syllable tokens."""

from __future__ import annotations

import re
import unicodedata

# "đ" has no combining-mark decomposition, so NFD alone leaves it in place.
_HAND_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})
# Control characters other than newline and tab carry no meaning and break tokenizers.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_WORD = re.compile(r"\w+", re.UNICODE)
# A terminal escape sequence pasted with a question ("\x1b[31m"): dropped whole, or its
# "[31m" would be searched for and carried into a follow-up's topic.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form every source and question is stored in."""
    return unicodedata.normalize("NFC", text)


def encodable(text: str) -> str:
    """`text` with lone surrogates (from odd argv bytes or JSON escapes) replaced, so it can
    always be printed and sent as UTF-8."""
    return text.encode("utf-8", "replace").decode("utf-8")


def clean_question(text: str) -> str:
    """NFKC-normalize a question, drop control and zero-width characters, collapse spaces.
    A question is typed, not quoted: its compatibility forms (full-width "２０２５", "ﬁ") are
    read as the plain characters the articles use; NFKC composes Vietnamese as NFC does."""
    text = unicodedata.normalize("NFKC", encodable(text))
    text = encodable(_CONTROL.sub(" ", _ESCAPE_SEQUENCE.sub(" ", text)))
    return " ".join(text.split())


def fold(text: str) -> str:
    """Strip Vietnamese diacritics ("Điện Biên" -> "Dien Bien"); idempotent."""
    decomposed = unicodedata.normalize("NFD", text.translate(_HAND_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (Vietnamese syllables, numbers, foreign words)."""
    return [w.lower() for w in _WORD.findall(text)]


def framed_words(text: str) -> str:
    """The folded words of `text` joined by single spaces and framed by them (" dien bien "):
    a phrase framed the same way is found in it as whole words only."""
    return f" {' '.join(words(fold(text)))} "


def with_bigrams(tokens: list[str]) -> list[str]:
    """Syllables plus adjacent-syllable bigrams: Vietnamese words are often two syllables."""
    return tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
