from __future__ import annotations

import unicodedata

from bot.corpus.text import clean_question, fold, nfc, words


def test_nfd_input_is_stored_as_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Điện Biên Phủ")
    assert decomposed != "Điện Biên Phủ"
    assert nfc(decomposed) == "Điện Biên Phủ"


def test_folding_strips_marks_and_maps_d_bar_by_hand() -> None:
    assert fold("Tỉ lệ hộ nghèo đa chiều") == "Ti le ho ngheo da chieu"
    assert fold("ĐIỆN BIÊN") == "DIEN BIEN"
    # "đ" survives NFD untouched, which is why it is folded by hand.
    assert "đ" in unicodedata.normalize("NFD", "đ")


def test_folding_is_idempotent_and_agrees_for_nfc_and_nfd() -> None:
    text = "Quốc phòng, an ninh được giữ vững"
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_clean_question_drops_controls_and_zero_width_characters() -> None:
    assert clean_question("ti\u200ble\x00 ho\tngheo\n") == "ti le ho ngheo"
    assert clean_question("   ") == ""


def test_words_are_lowercase_syllables_and_numbers() -> None:
    assert words("Tỉ lệ 17,66% năm 2025") == ["tỉ", "lệ", "17", "66", "năm", "2025"]


def test_a_pasted_terminal_escape_sequence_is_dropped_whole() -> None:
    assert clean_question("tỉ lệ hộ nghèo\x1b[31m đỏ\x1b[0m") == "tỉ lệ hộ nghèo đỏ"
    assert clean_question("a\x1b]0;title\x07b") == "a b"


def test_a_question_in_full_width_characters_reads_as_plain_ones() -> None:
    assert clean_question("năm ２０２５ có ＧＲＤＰ") == "năm 2025 có GRDP"
    decomposed = unicodedata.normalize("NFD", "Điện Biên")
    assert clean_question(decomposed) == "Điện Biên"


def test_framed_words_find_a_phrase_as_whole_words_only() -> None:
    from bot.corpus.text import framed_words
    written = framed_words("Tổng Bí thư làm việc với tỉnh Điện Biên.")
    assert written == " tong bi thu lam viec voi tinh dien bien "
    assert framed_words("Điện Biên") in written
    assert framed_words("Biên Hòa") not in written and framed_words("iện") not in written
