"""Abbreviations the articles never use are searched spelled out; those they use, and words
that only look like one, are left alone."""

from __future__ import annotations

from bot.engine import Engine
from bot.retrieval.abbreviations import expand, spelled_out
from bot.retrieval.evidence import QuestionTerms
from bot.retrieval.question import classify
from bot.store.lexical import Restorer

ARTICLE = Restorer.build(["Tỉ lệ bao phủ bảo hiểm y tế đạt 98%, UBND tỉnh báo cáo."])


def anything(phrase: str) -> bool:
    return True


def test_an_abbreviation_the_articles_do_not_use_is_spelled_out() -> None:
    assert expand("Tỉ lệ BHYT là bao nhiêu?", set(), anything) == (
        "Tỉ lệ bảo hiểm y tế là bao nhiêu?")
    assert expand("ti le bhyt", set(), anything) == "ti le bảo hiểm y tế"
    # with a hyphen, an Đ or without it
    assert expand("Chỉ tiêu KT-XH", set(), anything) == "Chỉ tiêu kinh tế-xã hội"
    assert expand("HĐND và hdnd", set(), anything) == "Hội đồng nhân dân và Hội đồng nhân dân"


def test_an_abbreviation_the_articles_use_or_never_spell_out_and_other_words_stay() -> None:
    assert expand("UBND tỉnh", {"ubnd"}, anything) == "UBND tỉnh"
    assert expand("BHYT-2 và xBHYT, GDP", set(), anything) == "BHYT-2 và xBHYT, GDP"
    # the article speaks of health insurance, not of unemployment insurance
    assert ARTICLE.says("bảo hiểm y tế") and not ARTICLE.says("bảo hiểm thất nghiệp")
    assert classify("Tỉ lệ tham gia BHTN?", ARTICLE).search_text == "Tỉ lệ tham gia BHTN?"


def test_a_question_is_searched_with_its_abbreviations_spelled_out() -> None:
    typed_plain = classify("ti le bao phu bhyt", ARTICLE)
    assert typed_plain.kind == "no_diacritics"
    assert typed_plain.search_text == "tỉ lệ bao phủ bảo hiểm y tế"
    marked = classify("Tỉ lệ BHYT của UBND tỉnh?", ARTICLE)
    assert marked.kind == "vietnamese"
    assert marked.search_text == "Tỉ lệ bảo hiểm y tế của UBND tỉnh?"


def test_a_question_typed_without_marks_keeps_its_capitals_for_the_names_it_gives() -> None:
    typed = classify("UBND Tinh bao cao ti le bao phu", ARTICLE)
    assert typed.kind == "no_diacritics"
    assert typed.search_text == "ubnd tỉnh báo cáo tỉ lệ bao phủ"
    assert typed.as_typed == "UBND Tinh bao cao ti le bao phu"
    assert classify("Tỉ lệ bao phủ bảo hiểm y tế?", ARTICLE).as_typed == (
        "Tỉ lệ bao phủ bảo hiểm y tế?")


def test_an_abbreviation_spelled_out_is_no_name_missing_from_the_passage(
        fake_seed_engine: Engine) -> None:
    index = fake_seed_engine.index
    form = classify("Tỷ lệ bao phủ BHYT của Điện Biên là bao nhiêu phần trăm?",
                    index.lexical.restorer)
    assert form.search_text.startswith("Tỷ lệ bao phủ bảo hiểm y tế")
    assert QuestionTerms(form, index).names == ["dienbien"]
    beside = classify("Tỷ lệ bao phủ BHYT Điện Biên là bao nhiêu?", index.lexical.restorer)
    assert QuestionTerms(beside, index).names == ["dienbien"]  # in one run of capitals
    # one left as typed (the articles use it), in any case, is still a name to look for
    assert not spelled_out("UBND", "ubnd tỉnh báo cáo") and spelled_out("BHYT", "bảo hiểm y tế")
    assert not spelled_out("Điện", "Điện Biên")


def test_a_group_known_by_its_letters_is_searched_by_its_name() -> None:
    article = Restorer.build(["Tập đoàn Điện lực Việt Nam ủng hộ 2 tỷ đồng cho xã Sơn Mùa."])
    assert classify("EVN ủng hộ bao nhiêu tiền cho Sơn Mùa?", article).search_text == (
        "Tập đoàn Điện lực Việt Nam ủng hộ bao nhiêu tiền cho Sơn Mùa?")
    assert classify("VNPT ủng hộ bao nhiêu?", article).search_text == "VNPT ủng hộ bao nhiêu?"
