"""Chat shorthand is read as the words it stands for, marked as the rest of the question."""

from __future__ import annotations

from bot.retrieval.slang import without_shorthand


def test_shorthand_is_written_out_without_marks_in_a_question_typed_without_them() -> None:
    assert without_shorthand("truong ban to chuc ten j") == "truong ban to chuc ten gi"
    assert without_shorthand("dien bien co bn dan toc") == "dien bien co bao nhieu dan toc"
    assert without_shorthand("giam bao nhiu %/nam, dc ko") == (
        "giam bao nhieu %/nam, duoc khong")
    assert without_shorthand("thu hut dc bn von") == "thu hut duoc bao nhieu von"


def test_shorthand_is_written_out_with_marks_in_a_question_typed_with_them() -> None:
    assert without_shorthand("Bí thư tỉnh ủy tên j?") == "Bí thư tỉnh ủy tên gì?"
    assert without_shorthand("Điện Biên có bn dân tộc") == "Điện Biên có bao nhiêu dân tộc"


def test_words_that_only_contain_shorthand_stay() -> None:
    for question in ("Tỉ lệ hộ nghèo?", "GDP-j growth", "jobs in Dien Bien", "J. Smith là ai"):
        assert without_shorthand(question) == question


def test_an_english_question_and_a_comrade_keep_their_words() -> None:
    question = "How much FDI, in bn USD, did Dien Bien attract?"
    assert without_shorthand(question) == question
    assert without_shorthand("ai la đc bi thu tinh uy") == "ai la đc bi thu tinh uy"
