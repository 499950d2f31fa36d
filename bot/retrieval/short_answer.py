"""The short answer: the one number, date or name in the highlighted sentence that fits what
the question asks for, shown above the quote — or nothing when there is not exactly one."""

from __future__ import annotations

import re

from bot.corpus.text import fold, words
from bot.retrieval.answer_type import DATE, NUMBER, Candidate, candidates, not_in_question

# Names and places are left out: a sentence that names the answer usually names others too,
# and picking one was right only about half the time (measured on xquad-dev, see README).
SHORT_KINDS = (NUMBER, DATE)
# "bao nhiêu người", "how many points": the word after the question word names the unit.
_MEASURE = re.compile(r"\b(?:bao nhieu|may)\s+(\w+)")


def short_span(question: str, kind: str | None, sentence: str) -> Candidate | None:
    """The span of `sentence` that answers, when the question asks for a number, a date or a
    person and the sentence holds exactly one such span the question does not already say."""
    if kind not in SHORT_KINDS:
        return None
    found = not_in_question(candidates(sentence, kind), question)
    unit = _MEASURE.search(fold(question.lower())) if kind == NUMBER else None
    if unit is not None and unit.group(1) in words(fold(sentence.lower())):
        # The sentence counts in the unit asked about: only a number in that unit answers.
        found = [c for c in found if _measured(c, sentence, unit.group(1))]
    return found[0] if len(found) == 1 else None


def _measured(candidate: Candidate, sentence: str, unit: str) -> bool:
    """Whether the number is followed by `unit` (folded), within its next two words."""
    following = words(fold(sentence[candidate.start:candidate.end + 24].lower()))
    return unit in following[1:3]
