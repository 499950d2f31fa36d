"""A Vietnamese sentence splitter that keeps numbers, dates, codes and abbreviations whole."""

from __future__ import annotations

import re

# Abbreviations that end with a period but rarely end a sentence in Vietnamese news.
ABBREVIATIONS = frozenset({
    "tp", "ts", "ths", "pgs", "gs", "bs", "ks", "ls", "th", "tt", "q", "p", "mr", "mrs", "ms",
    "dr", "st", "no", "vs", "etc", "tr", "ng", "cn", "ubnd", "hđnd", "tw",
})
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘«(\[]*[^\W_a-zđ]", re.UNICODE)


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at `dot` closes an abbreviation ("TP.", "TS.") or an initial ("J.")."""
    start = dot
    while start > 0 and (text[start - 1].isalpha()):
        start -= 1
    word = text[start:dot]
    if start > 0 and text[start - 1] == ".":  # "v.v." / "U.S." style: letters separated by dots
        return True
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences; returns (start, end) spans with surrounding spaces trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if not _NEXT_STARTS_SENTENCE.match(text, end):
            continue
        if text[match.start()] == "." and match.end() - match.start() == 1 and _is_abbreviation(
                text, match.start()):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))[0] < trimmed[1]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


LONG_SENTENCE_CHARS = 200


def unit_spans(text: str) -> list[tuple[int, int]]:
    """Sentences, with long ones cut further at semicolons: a news sentence listing
    "A, Minister of X; B, Minister of Y; ..." answers each question with one clause."""
    units: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        if end - start <= LONG_SENTENCE_CHARS:
            units.append((start, end))
            continue
        cut = start
        for match in re.finditer(r";\s+", text[start:end]):
            units.append(_trim(text, cut, start + match.start() + 1))
            cut = start + match.end()
        units.append(_trim(text, cut, end))
    return [u for u in units if u[0] < u[1]]
