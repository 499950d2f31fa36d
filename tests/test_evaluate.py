"""`qabot eval`'s scoring: which questions each figure is over."""

from __future__ import annotations

from bot.retrieval.answer import Answer, Passage
from bot.retrieval.conversation import Conversation
from bot.retrieval.evaluate import evaluate, format_report


def _passage(text: str) -> Passage:
    return Passage(text, "a.txt", 1, 0, len(text), 1.0, text, 0, len(text))


ANSWERS = {
    "Tỉ lệ hộ nghèo?": Answer("Tỉ lệ hộ nghèo?", True, [_passage("còn 17,66%")], ""),
    "Dân số?": Answer("Dân số?", False, [_passage("tỉnh miền núi")], ""),
    "GRDP?": Answer("GRDP?", True, [_passage("tỉnh miền núi"), _passage("17.970 tỷ")], ""),
}


def _ask(question: str, conversation: Conversation | None) -> Answer:
    return ANSWERS[question]


def test_a_group_mixing_answerable_and_gold_null_questions_scores_each_on_its_own() -> None:
    rows = [{"q": "Tỉ lệ hộ nghèo?", "gold": "17,66%", "group": "vi"},
            {"q": "GRDP?", "gold": "17.970", "group": "vi"},
            {"q": "Dân số?", "gold": None, "group": "vi"}]
    row = evaluate(rows, _ask)["vi"].row()
    assert row["n"] == 3
    assert (row["R@1"], row["R@3"], row["MRR"]) == (0.5, 1.0, 0.75)  # over the two answerable
    assert row["answered"] == 1.0 and row["refused"] == 1.0
    assert row["H@1"] == 1.0


def test_a_group_of_gold_null_questions_only_shows_no_recall() -> None:
    report = format_report(evaluate([{"q": "Dân số?", "gold": None, "group": "out"}], _ask))
    cells = report.splitlines()[1].split()
    assert cells[:2] == ["out", "1"] and cells[2:7] == ["-"] * 5 and cells[-1] == "1.000"


def test_a_short_answer_sharing_only_its_unit_with_the_gold_is_wrong() -> None:
    from bot.retrieval.evaluate import short_answer_right

    assert not short_answer_right("năm 2030", "năm 2045")
    assert not short_answer_right("300 mét", "120 mét")
    assert short_answer_right("17,66%", "17,66") and short_answer_right("Peyton Manning", "Manning")
    assert not short_answer_right("ngày 16/7", "25/7/2025")  # a "7" inside is no shared number
    assert short_answer_right("7.000.000 km vuông", "7.000.000 km vuông (2.700.000 dặm vuông)")
