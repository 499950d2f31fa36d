from __future__ import annotations

from bot.corpus.sentences import sentence_spans, unit_spans


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_numbers_percentages_and_dates_stay_whole() -> None:
    text = ("Tổng sản phẩm GRDP năm 2025 ước đạt 17.970 tỷ đồng. Tỉ lệ hộ nghèo còn 17,66%, "
            "giảm bình quân 3,97%/năm. Mô hình chạy từ ngày 1/7/2025 đến nay.")
    assert split(text) == [
        "Tổng sản phẩm GRDP năm 2025 ước đạt 17.970 tỷ đồng.",
        "Tỉ lệ hộ nghèo còn 17,66%, giảm bình quân 3,97%/năm.",
        "Mô hình chạy từ ngày 1/7/2025 đến nay.",
    ]


def test_codes_and_abbreviations_do_not_end_a_sentence() -> None:
    text = ("Thực hiện Nghị quyết số 11-NQ/TW của Bộ Chính trị. Lãnh đạo TP. Hà Nội và TS. "
            "Nguyễn Văn A, v.v. cùng dự. Ông J. Smith phát biểu.")
    assert split(text) == [
        "Thực hiện Nghị quyết số 11-NQ/TW của Bộ Chính trị.",
        "Lãnh đạo TP. Hà Nội và TS. Nguyễn Văn A, v.v. cùng dự.",
        "Ông J. Smith phát biểu.",
    ]


def test_questions_exclamations_and_quotes_end_sentences() -> None:
    text = 'Có biến được tiềm năng thành lợi thế không? Được! "Hãy làm." Xong'
    assert split(text) == ["Có biến được tiềm năng thành lợi thế không?", "Được!",
                           '"Hãy làm."', "Xong"]


def test_spans_point_into_the_text() -> None:
    text = "  Câu một.   Câu hai.  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Câu một.", "Câu hai."]
    assert spans[0][0] == 2


def test_long_list_sentences_split_into_clauses_for_matching() -> None:
    clause = "Đại tướng Phan Văn Giang, Bộ trưởng Bộ Quốc phòng"
    text = "; ".join([clause] * 6) + "."
    units = [text[s:e] for s, e in unit_spans(text)]
    assert len(units) == 6
    assert units[0] == clause + ";"
    assert units[-1] == clause + "."
