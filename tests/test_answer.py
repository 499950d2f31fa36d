"""The `Answer` object every front end renders, on the hashing embedder; what needs meaning
across languages runs on the real model."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from bot.engine import Engine
from bot.errors import QuestionError
from bot.retrieval.evidence import names_to_place
from bot.retrieval.fusion import retrieve
from bot.retrieval.judge import named_elsewhere
from bot.retrieval.question import classify


def test_answer_quotes_the_source_verbatim_with_its_place(fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer("Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?", 3)
    assert result.answered
    top = result.passages[0]
    source = (fake_seed_engine.settings.sources / top.source).read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", source)[top.start:top.end] == top.text
    assert top.paragraph == 8
    assert top.highlight == "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm."
    assert len(result.passages) == 3
    assert result.passages[0].score >= result.passages[1].score >= result.passages[2].score


def test_query_without_diacritics_finds_the_same_passage_and_says_what_it_searched(
        fake_seed_engine: Engine) -> None:
    plain = fake_seed_engine.answer("ti le ho ngheo", 1)
    marked = fake_seed_engine.answer("tỉ lệ hộ nghèo", 1)
    assert plain.passages[0].start == marked.passages[0].start
    assert plain.searched_for == "tỉ lệ hộ nghèo"
    assert marked.searched_for is None


@pytest.mark.slow
def test_english_question_finds_the_passage_and_highlights_one_clause(
        seed_engine: Engine) -> None:
    result = seed_engine.answer("Who is the Minister of Public Security?", 3)
    top = result.passages[0]
    assert top.paragraph == 4 and "Lương Tam Quang, Bộ trưởng Bộ Công an" in top.text
    # the passage is a 750-character list; the highlight is one clause of it
    assert top.highlight in top.text and len(top.highlight) < 100


def test_question_words_and_the_title_are_restored_as_written(fake_seed_engine: Engine) -> None:
    # the article never asks "bao nhiêu" (it says "bảo hiểm", "nhiều"), and its file name is
    # its title without diacritics ("tong-bi-thu-…"): neither may win over the right spelling
    assert fake_seed_engine.answer("dien bien co bao nhieu dan toc", 1).searched == (
        "điện biên có bao nhiêu dân tộc")
    assert fake_seed_engine.answer("tong bi thu noi gi ve kinh te tu nhan", 1).searched == (
        "tổng bí thư nói gì về kinh tế tư nhân")


def test_nfd_question_gets_the_same_answer_as_nfc(fake_seed_engine: Engine) -> None:
    question = "Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?"
    nfd = unicodedata.normalize("NFD", question)
    assert nfd != question
    assert fake_seed_engine.answer(nfd, 3).to_json()["passages"] == fake_seed_engine.answer(
        question, 3).to_json()["passages"]


def test_caption_never_outranks_the_body_paragraph_it_repeats(fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer(
        "Điện Biên không thuộc diện sắp xếp lại đơn vị hành chính cấp tỉnh", 5)
    ranks = {(p.paragraph, p.caption): i for i, p in enumerate(result.passages)}
    assert (16, False) in ranks
    if (17, True) in ranks:
        assert ranks[(16, False)] < ranks[(17, True)]


def test_unanswerable_question_is_marked_with_weak_passages(fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer("Who won the 2022 football World Cup?", 3)
    assert not result.answered
    assert len(result.passages) == 3


@pytest.mark.slow
def test_words_nobody_uses_are_refused_though_some_passage_is_nearest(
        seed_engine: Engine) -> None:
    for noise in ("asdf qwer zxcv", "hello", "qwertyuiop", "xxxxxxxx", "d", "test", "ok",
                  "table", "null", "a"):
        result = seed_engine.answer(noise, 3)
        assert not result.answered and result.short is None, noise
        assert len(result.passages) == 3  # still shown, as the weak passages they are
    # one word the articles use, an acronym, words of the model's vocabulary: a question
    for query in ("GRDP", "GDP", "poverty rate", "health insurance coverage"):
        assert seed_engine.answer(query, 3).answered, query


@pytest.mark.slow
def test_a_price_the_articles_never_give_is_refused(seed_engine: Engine) -> None:
    # the first example: "…một trang sử vàng… Hôm nay…" holds no price
    for question in ("giá vàng hôm nay", "Giá vàng hôm nay là bao nhiêu?", "gia vang hom nay",
                     "gia xang hom nay"):
        assert not seed_engine.answer(question, 3).answered, question


@pytest.mark.slow
def test_only_question_words_with_nothing_asked_before_are_refused(
        seed_engine: Engine) -> None:
    for question in ("Tại sao?", "Vì sao?", "Why?", "Khi nào?", "Là gì?"):
        result = seed_engine.answer(question, 3)
        assert not result.answered and result.short is None, question
        assert result.passages  # the nearest passages are still shown, as weak ones


@pytest.mark.parametrize("question", ["", "   ", "\u200b\u200b", "?!...", "\x00\x01"])
def test_empty_questions_are_refused(fake_seed_engine: Engine, question: str) -> None:
    with pytest.raises(QuestionError):
        fake_seed_engine.answer(question, 3)


def test_emoji_and_control_characters_do_not_break_an_answer(fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer("🙂 tỉ lệ\x07 hộ nghèo\u200b 2025 🇻🇳", 3)
    assert result.passages[0].paragraph == 8


def test_huge_question_is_cut_to_the_model_limit_with_a_note(fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer("tỉ lệ hộ nghèo " * 7000, 3)  # ~100 kB
    assert result.note and "cut" in result.note
    assert result.passages[0].paragraph == 8


def test_a_long_preamble_is_cut_and_the_question_at_its_end_kept(
        fake_seed_engine: Engine) -> None:
    question = "Tỉ lệ bao phủ bảo hiểm y tế là bao nhiêu?"
    result = fake_seed_engine.answer("Tôi là phóng viên, xin hỏi một điều. " * 300 + question, 3)
    assert result.note and "last" in result.note
    assert result.searched.endswith(question) and len(result.searched) <= 2000
    assert result.searched_for is None  # a cut is no rewording: no "tìm theo" line


def test_a_question_ending_in_one_huge_word_keeps_what_the_model_reads_of_it(
        fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer("Tỉ lệ hộ nghèo là bao nhiêu? " + "x" * 2500, 3)
    assert result.note and 1 < len(result.searched) <= 2000
    assert set(result.searched) == {"x"}


def test_a_shouted_question_is_read_as_if_typed_in_lower_case(
        fake_seed_engine: Engine) -> None:
    for shouted in ("TỈ LỆ HỘ NGHÈO ĐA CHIỀU NĂM 2025 LÀ BAO NHIÊU?",
                    "Tỉ Lệ Hộ Nghèo Đa Chiều Năm 2025 Là Bao Nhiêu?"):
        result = fake_seed_engine.answer(shouted, 3)
        typed = fake_seed_engine.answer(shouted.lower(), 3)
        assert result.question == shouted  # shown as asked
        assert (result.answered, result.passages[0].start) == (typed.answered,
                                                                typed.passages[0].start)
        assert result.short == typed.short


@pytest.mark.slow
def test_no_short_answer_from_a_passage_about_another_year(seed_engine: Engine) -> None:
    # the article gives the 2025 rate only: its 17,66 % does not answer for 2020
    other_year = seed_engine.answer("Tỉ lệ hộ nghèo năm 2020 là bao nhiêu?", 3)
    assert other_year.short is None
    same_year = seed_engine.answer("Tỉ lệ hộ nghèo năm 2025 là bao nhiêu?", 3)
    assert same_year.short is not None and same_year.short.text == "17,66%"
    # nor about another province, which the passage does not name
    other_province = seed_engine.answer(
        "Tỉ lệ hộ nghèo đa chiều của tỉnh Hà Giang năm 2025 là bao nhiêu?", 3)
    assert other_province.short is None
    # a number is looked for whole: "79" is not in the passage's "17.970"
    part_of_another = seed_engine.answer(
        "Tỉ lệ hộ nghèo đa chiều năm 2025 của 79 xã là bao nhiêu?", 3)
    assert part_of_another.short is None


def test_an_article_saved_twice_shows_each_passage_once(fake_engine: Engine) -> None:
    sources = fake_engine.settings.sources
    (seed,) = sources.glob("*.md")
    shutil.copy(seed, sources / "ban-sao.md")
    fake_engine.refresh()
    result = fake_engine.answer("Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?", 3)
    texts = [p.text for p in result.passages]
    assert len(texts) == 3 and len(set(texts)) == 3


LAO_CAI = """---
title: "Lào Cai: Kinh tế - xã hội năm 2025 đạt nhiều kết quả"
---
Sáng 18/12, UBND tỉnh Lào Cai tổ chức hội nghị tổng kết năm 2025.

Năm 2025, tỉnh thu hút 6 dự án đầu tư trực tiếp nước ngoài (FDI) với tổng vốn đăng ký 215 triệu USD.

Tỉ lệ hộ nghèo theo chuẩn nghèo đa chiều giảm còn 8,25%, giảm 3,1 điểm phần trăm so với năm 2024.
"""


def test_a_sister_report_does_not_answer_for_the_province_the_question_names(
        fake_engine: Engine) -> None:
    (fake_engine.settings.sources / "lao-cai.md").write_text(LAO_CAI, encoding="utf-8")
    fake_engine.refresh()
    index, embedder = fake_engine.index, fake_engine.question_model()
    form = classify("Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?", index.lexical.restorer)

    def first_source(named: list[str]) -> str:
        return index.chunks[retrieve(index, embedder, form, named=named).ranked[0].row].source

    # the article writing the name the question gives comes first
    assert first_source(["lao cai"]) == "lao-cai.md"
    assert first_source(["dien bien"]) != "lao-cai.md"
    assert first_source(["dien bien", "khong co ten"]) != "lao-cai.md"  # a name none writes
    # a passage of an article that never writes the name given, while another does, answers
    # nothing about it; the province's own article may
    fdi = classify("Vốn FDI vào Điện Biên năm 2025 là bao nhiêu?", index.lexical.restorer)
    assert named_elsewhere(fdi, index, "lao-cai.md")
    assert not named_elsewhere(fdi, index, next(s for s in index.manifest.sources
                                                if s != "lao-cai.md"))
    own = classify("Lào Cai thu hút bao nhiêu vốn FDI?", index.lexical.restorer)
    assert not named_elsewhere(own, index, "lao-cai.md")
    assert names_to_place(own) == ["lao cai"]  # its first word is part of the name
    # one name the article writes is enough; a name across two words is no name written
    both = classify("So với Lào Cai, vốn FDI của Điện Biên là bao nhiêu?", index.lexical.restorer)
    assert not named_elsewhere(both, index, "lao-cai.md")
    assert first_source(["cai so"]) == first_source([])  # "… Lào Cai. Sở …" is no "Cai Sở"


def test_a_caption_naming_no_one_does_not_come_first_for_who(fake_seed_engine: Engine) -> None:
    result = fake_seed_engine.answer("Ai tham dự buổi làm việc?", 3)
    # "Các đại biểu tham dự buổi làm việc - Ảnh: TTXVN" holds the question's words, not a name
    assert not result.passages[0].caption
    assert any(p.caption for p in result.passages[1:])  # still shown, below a body passage


HOSPITAL = """# Bệnh viện lần đầu thay van tim qua da

Bà Trần Thị Lựu, 81 tuổi, trú tại xã Thạch Lạc, nhập viện ngày 3/11/2025 vì khó thở và đau tức ngực.

Các bác sĩ đã thay van động mạch chủ qua đường ống thông, không phải mở ngực.

Ngày 20/11/2025, người bệnh được xuất viện trong tình trạng ổn định.
"""


def test_a_date_asked_of_an_event_comes_from_the_paragraph_naming_it(
        fake_engine: Engine) -> None:
    sources = fake_engine.settings.sources
    (sources / "thay-van-tim.md").write_text(HOSPITAL, encoding="utf-8")
    fake_engine.refresh()
    # the admission's paragraph holds more of the question's words, and a date
    result = fake_engine.answer("Bà Trần Thị Lựu ở xã Thạch Lạc xuất viện ngày nào?", 3)
    assert "xuất viện" in result.passages[0].text
    assert "nhập viện" in result.passages[1].text


HUE = ("Du lịch Huế 10 tháng năm 2025\n\n"
       "Theo bà Nguyễn Thị Thanh Hà, Phó Giám đốc Sở Du lịch Huế, du lịch Huế tăng mạnh, "
       "khách đến Huế đông hơn năm trước.\n\n"
       "Ông Lê Quang Khải, Giám đốc Sở Du lịch thành phố Huế, cho biết khách Hàn Quốc tăng "
       "nhờ đường bay thẳng.\n")


def test_the_office_holder_asked_comes_before_the_deputy(fake_engine: Engine) -> None:
    """"Giám đốc Sở Du lịch Huế là ai?": the deputy's paragraph repeats more of the question
    ("Huế" thrice) and is retrieved first; the director's own is put before it and answers."""
    (fake_engine.settings.sources / "hue.txt").write_text(HUE, encoding="utf-8")
    fake_engine.refresh()
    question = "Giám đốc Sở Du lịch Huế là ai?"
    form = classify(question, fake_engine.index.lexical.restorer)
    retrieved = retrieve(fake_engine.index, fake_engine.question_model(), form)
    assert "Phó Giám đốc" in fake_engine.index.chunks[retrieved.ranked[0].row].text
    result = fake_engine.answer(question, 3)
    assert result.passages[0].text.startswith("Ông Lê Quang Khải, Giám đốc")
    assert "Phó Giám đốc" in result.passages[1].text


def test_a_short_answer_reads_the_question_as_searched(fake_engine: Engine) -> None:
    """"giường ICU" is searched as "giường hồi sức tích cực": the 60 beside those words
    answers, not the hospital's 350 beds before them (rt22)."""
    (fake_engine.settings.sources / "bv.txt").write_text(
        "Bệnh viện Đa khoa tỉnh Thanh Hóa khánh thành khối nhà kỹ thuật cao.\n\n"
        "Công trình gồm 9 tầng, bố trí 350 giường bệnh, 14 phòng mổ và khu hồi sức tích cực "
        "60 giường.\n", encoding="utf-8")
    fake_engine.refresh()
    result = fake_engine.answer("Khối nhà mới có bao nhiêu giường ICU?", 3)
    assert result.searched_for == "Khối nhà mới có bao nhiêu giường hồi sức tích cực?"
    assert result.answered and result.short is not None and result.short.text == "60"


ROAD = ("Khởi công cao tốc Quảng Ngãi - Kon Tum\n\n"
        "Sáng 19/12/2025, tỉnh Quảng Ngãi khởi công cao tốc Quảng Ngãi - Kon Tum, cao tốc nối "
        "Quảng Ngãi với Kon Tum.\n\n"
        "Theo quyết định phê duyệt, tuyến có tổng chiều dài 86,5 km, với 42 cầu.\n")


def test_a_passage_in_the_unit_asked_comes_before_an_opening_without_one(
        fake_engine: Engine) -> None:
    """"… dài bao nhiêu km?": the opening repeats the road's name and is retrieved first;
    the paragraph giving the length in km is put before it and answers."""
    (fake_engine.settings.sources / "road.txt").write_text(ROAD, encoding="utf-8")
    fake_engine.refresh()
    question = "Cao tốc Quảng Ngãi - Kon Tum dài bao nhiêu km?"
    form = classify(question, fake_engine.index.lexical.restorer)
    retrieved = retrieve(fake_engine.index, fake_engine.question_model(), form)
    assert fake_engine.index.chunks[retrieved.ranked[0].row].text.startswith("Sáng 19/12/2025")
    result = fake_engine.answer(question, 3)
    assert "86,5 km" in result.passages[0].text
