"""Common public-affairs terms of an English question are searched in Vietnamese, in place."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.retrieval.glossary import with_vietnamese_terms
from bot.retrieval.question import classify
from bot.store.lexical import Restorer

ARTICLE = Restorer.build(["Tỉ lệ bao phủ bảo hiểm y tế đạt 98%."])


def test_a_term_is_written_in_vietnamese_longest_first_and_other_words_stay() -> None:
    assert with_vietnamese_terms("What share of residents have health insurance?") == (
        "What share of residents have bảo hiểm y tế?")
    assert with_vietnamese_terms("What is the poverty rate?") == "What is the tỉ lệ hộ nghèo?"
    assert with_vietnamese_terms("How many poor households are left?") == (
        "How many hộ nghèo are left?")
    assert with_vietnamese_terms("Who scored the touchdown?") == "Who scored the touchdown?"
    # a word inside another is no term ("industrial" is not "industry"), nor is one in a name
    assert with_vietnamese_terms("What industrial zones exist?") == "What industrial zones exist?"
    for name in ("What is Vietnam Social Security?", "What does the Population Council do?",
                 "Who heads the Ministry of Industry and Trade?"):
        assert with_vietnamese_terms(name) == name
    assert with_vietnamese_terms("Health insurance in Dien Bien?") == "bảo hiểm y tế in Dien Bien?"
    # the words of storms, exams, hospitals and football news
    assert with_vietnamese_terms("How many people are missing after the storm?") == (
        "How many people are mất tích after the bão?")
    assert with_vietnamese_terms("What was the national graduation rate?") == (
        "What was the national tỷ lệ tốt nghiệp?")
    assert with_vietnamese_terms("When will universities announce cut-off scores?") == (
        "When will universities announce điểm chuẩn?")
    assert with_vietnamese_terms("Who got the red card?") == "Who got the thẻ đỏ?"
    assert with_vietnamese_terms("Which defendant received a suspended sentence?") == (
        "Which bị cáo received a án treo?")
    assert with_vietnamese_terms("What was the after-tax profit?") == (
        "What was the lợi nhuận sau thuế?")
    # read whole, not as "state budget" then "revenue" (a budget's revenue is no company's)
    assert with_vietnamese_terms("What was the total state budget revenue?") == (
        "What was the total thu ngân sách nhà nước?")


def test_an_english_question_with_a_term_reads_as_mixed_and_a_vietnamese_one_keeps_its_kind(
        ) -> None:
    form = classify("What share of residents have health insurance?", ARTICLE)
    assert form.kind == "mixed" and form.search_text.endswith("have bảo hiểm y tế?")
    vietnamese = classify("Tổng Bí thư nói gì về private sector?", ARTICLE)
    assert vietnamese.kind == "vietnamese"
    assert vietnamese.search_text == "Tổng Bí thư nói gì về kinh tế tư nhân?"
    assert classify("Who won the game?", ARTICLE).kind == "english"
    # typed without marks, the restored question gets it too; its capitals stay as typed
    bare = classify("ty le bao phu health insurance", ARTICLE)
    assert bare.kind == "no_diacritics" and "bảo hiểm y tế" in bare.search_text
    assert classify("Nói gì về party congress?", ARTICLE).as_typed == "Nói gì về party congress?"


@pytest.mark.slow
def test_english_questions_in_public_affairs_terms_find_their_sentence(
        seed_engine: Engine) -> None:
    """The model alone put the Secretary's words on social insurance before the 98 %, and
    the verdict refused."""
    found = seed_engine.answer("What share of Dien Bien residents have health insurance?", 3)
    assert found.answered and found.short is not None and found.short.text == "98%"
    found = seed_engine.answer("What should agriculture in Dien Bien shift toward?", 3)
    assert found.answered and "nông nghiệp" in found.passages[0].highlight
    # a term the article never uses still refuses ("thất nghiệp")
    assert not seed_engine.answer("What is the unemployment rate in Dien Bien?", 3).answered
    assert not seed_engine.answer("What is the population of Dien Bien?", 3).answered
    # a thing the province's report never mentions counts as such once searched in Vietnamese
    # (it got ➜ ngày 1/7/2025 of the two-tier government's start)
    assert not seed_engine.answer("When will the Dien Bien airport expansion be completed?",
                                  3).answered


def test_a_road_project_s_terms_are_searched_in_vietnamese() -> None:
    from bot.retrieval.glossary import with_vietnamese_terms
    assert with_vietnamese_terms("What is the total investment of the expressway?") == (
        "What is the tổng mức đầu tư of the cao tốc?")
    assert with_vietnamese_terms("How much land has been handed over?") == (
        "How much land has been bàn giao?")
    # "growth rate" is still read whole beside an acronym
    assert with_vietnamese_terms("What is Dien Bien's GRDP growth rate?") == (
        "What is Dien Bien's GRDP tốc độ tăng trưởng?")


def test_a_hotel_is_counted_as_the_articles_write_it() -> None:
    from bot.retrieval.glossary import with_vietnamese_terms
    assert with_vietnamese_terms("Huế có bao nhiêu hotel 3 đến 5 sao?") == (
        "Huế có bao nhiêu khách sạn 3 đến 5 sao?")


def test_spending_and_resettlement_are_searched_in_vietnamese() -> None:
    assert with_vietnamese_terms("Budget spending của Hưng Yên năm 2025 là bao nhiêu?") == (
        "chi ngân sách của Hưng Yên năm 2025 là bao nhiêu?")
    assert with_vietnamese_terms("When is the resettlement area expected to be finished?") == (
        "When is the khu tái định cư expected to be finished?")


def test_building_and_farming_terms_are_searched_in_vietnamese() -> None:
    assert with_vietnamese_terms("How deep are the bored piles of the bridge?") == (
        "How deep are the cọc khoan nhồi of the bridge?")
    assert with_vietnamese_terms("What will happen to the ferry terminal?") == (
        "What will happen to the bến phà?")
    assert with_vietnamese_terms("What was the coffee output in the 2024-2025 crop year?") == (
        "What was the cà phê output in the 2024-2025 niên vụ?")
