"""The short answer and the question's own evidence: which span is shown, which words count
as evidence to look for in Vietnamese text, and which names the question gives."""

from __future__ import annotations

from collections import Counter

from bot.corpus.text import fold, words
from bot.retrieval.answer_type import asked_kind, candidates, fitting
from bot.retrieval.evidence import names_in, untranslated, vietnamese_side
from bot.retrieval.short_answer import age_unsaid, short_span

PANTHERS = ("Đội hình có Jared Allen, người tham gia Pro Bowl 5 lần, dẫn đầu về 136 lần vật ngã "
            "trong sự nghiệp.")


def _fitting_numbers(question: str, sentence: str) -> list[str]:
    return [c.text for c in fitting(question, "number", sentence)]


def _short(question: str, sentence: str, english: bool = False) -> str | None:
    span = short_span(question, asked_kind(question), sentence, english=english)
    if span is None:
        return None
    assert sentence[span.start:span.end] == span.text
    return span.text


def test_the_one_number_of_the_kind_asked_is_the_short_answer() -> None:
    sentence = "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%."
    assert _short("Tỉ lệ hộ nghèo còn bao nhiêu?", sentence) == "17,66%"
    assert _short("Tỉ lệ hộ nghèo năm nào còn 17,66%?", sentence) == "năm 2025"


def test_among_several_numbers_the_one_the_question_surrounds_answers() -> None:
    assert _short("Jared Allen có bao nhiêu lần vật ngã trong sự nghiệp?", PANTHERS) == "136 lần"
    assert _short("jared allen co bao nhieu lan vat nga trong su nghiep", PANTHERS) == "136 lần"
    assert _short("Đội thắng bao nhiêu lần?", "Đội thắng 4 lần và thua 7 lần.") == "4 lần"


def test_several_numbers_no_one_clearly_closer_give_nothing() -> None:
    assert _short("Đội thắng bao nhiêu lần?", "Trước đó 4 lần, sau đó 7 lần.") is None
    # The same number twice is still one answer only when the question picks one of them.
    assert _short("Bao nhiêu?", "Có 4 lần, rồi 4 lần nữa.") is None


def test_an_english_question_gets_a_short_answer_only_when_there_is_one_number() -> None:
    assert _short("How many sacks did Jared Allen have in his career?", PANTHERS,
                  english=True) is None
    assert _short("What is the poverty rate?", "Tỉ lệ hộ nghèo còn 17,66%.",
                  english=True) == "17,66%"


def test_open_questions_get_no_short_answer() -> None:
    assert _short("Tổng Bí thư nói gì về kinh tế tư nhân?", PANTHERS) is None


def _side(question: str, used: str, mixed: bool = False) -> list[str]:
    counts = Counter(words(fold(used)))
    return vietnamese_side(question, words(fold(question)), counts, mixed)


def test_english_words_in_a_mixed_question_are_not_looked_for_in_the_text() -> None:
    article = "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, hạ tầng logistics."
    assert _side("Tổng Bí thư nói gì về private sector của Điện Biên?", article) == [
        "tong", "bi", "thu", "noi", "gi", "ve", "cua", "dien", "bien"]
    # ("What", capitalized, stays here; it is an English function word, left out later)
    assert _side("What is tỉ lệ hộ nghèo?", article, mixed=True) == [
        "what", "ti", "le", "ho", "ngheo"]
    # English words the article itself uses, and names, stay.
    assert "logistics" in _side("What did Tổng Bí thư say about hạ tầng logistics?", article,
                                mixed=True)
    assert "bitcoin" in _side("Giá Bitcoin hôm nay là bao nhiêu?", article)
    # one foreign word alone is as often what is asked about, and the article never says it
    assert "bitcoin" in _side("giá bitcoin hôm nay", article)
    assert "percent" in _side("Điện Biên còn bao nhiêu percent hộ nghèo?", article)


def test_a_name_after_the_first_word_counts_even_in_a_run_from_the_start() -> None:
    assert names_in("Tỉnh Lai Châu có bao nhiêu dân tộc?") == ["Lai Châu"]
    assert names_in("Ai là Bí thư Tỉnh ủy Điện Biên?") == ["Bí", "Tỉnh", "Điện Biên"]
    # a follow-up starts again after its carried topic: "Còn" is no name
    assert names_in("Điện Biên … Còn GRDP?") == ["Biên", "GRDP"]
    assert names_in("What did Tesla do?") == ["Tesla"]
    assert names_in("Điện Biên có bao nhiêu xã?") == ["Biên"]


def test_english_words_vietnamese_text_translates_are_no_names_to_look_for() -> None:
    assert untranslated("Indian") == ""
    assert untranslated("Vietnam's") == ""
    assert untranslated("North East") == ""
    # a state document's kind: Vietnamese writes "Nghị quyết số 11-NQ/TW"
    assert untranslated("Resolution") == ""
    assert untranslated("Decree") == ""
    # a name with a word of its own stays whole: the Vietnamese may keep it as written
    assert untranslated("Kublai's") == "Kublai's"
    assert untranslated("Vietnam Airlines") == "Vietnam Airlines"
    assert untranslated("South China Sea") == "South China Sea"


def test_a_count_written_as_a_word_is_a_number() -> None:
    assert _short("Lady Gaga đã giành được bao nhiêu giải Grammy?",
                  "Lady Gaga đã giành sáu giải Grammy.") == "sáu"
    # "cả hai" is "both", "năm" also "year", "một" also "a": none of them a count
    assert _short("Bao nhiêu đội thắng?", "Cả hai đội đều thắng, năm ấy một đội thua.") is None


def test_a_question_for_a_share_gets_a_share() -> None:
    sentence = "GRDP ước đạt 17.970 tỷ đồng, tăng trưởng bình quân 8,5%/năm."
    assert _short("Tăng trưởng bình quân bao nhiêu phần trăm?", sentence) == "8,5%/năm"
    assert _short("Tăng trưởng bao nhiêu phần trăm?", "GRDP ước đạt 17.970 tỷ đồng.") is None
    # a share the question itself gives is not a question for a share
    assert _short("Năm nào tỉ lệ là 17,66%?", "Tỉ lệ còn 17,66% vào năm 2025.") == "năm 2025"


def test_a_document_number_is_not_a_count() -> None:
    sentence = "Tỉnh triển khai Nghị quyết số 11-NQ/TW và Quyết định 57/QĐ-TTg."
    assert _short("Năm 2025 Điện Biên đón bao nhiêu lượt khách du lịch?", sentence) is None
    assert not fitting("Có bao nhiêu lượt khách?", "number", sentence)
    assert _short("Có bao nhiêu lượt khách?", "Tỉnh đón 11 lượt khách.") == "11"


def test_a_number_the_question_spells_out_is_not_its_answer() -> None:
    sentence = "Mô hình chính quyền 2 cấp vận hành thông suốt."
    assert _short("How many units are there under the two-tier government?", sentence,
                  english=True) is None
    assert _short("Chính quyền hai cấp có bao nhiêu đơn vị?", sentence) is None
    # without its marks "sau" is "after", not "sáu" (six)
    assert _short("Sau sáp nhập có bao nhiêu xã?", "Sau sáp nhập còn 6 xã.") == "6 xã"


def test_a_share_or_a_sum_of_money_asked_is_not_answered_by_another_number() -> None:
    sentence = "GRDP ước đạt 17.970 tỷ đồng, có 45 đơn vị xã."
    assert not fitting("Kinh tế tăng trưởng bao nhiêu phần trăm?", "number", sentence)
    assert not fitting("kinh te tang truong bao nhieu %", "number", sentence)
    assert [c.text for c in fitting("Thu được bao nhiêu tiền?", "number", sentence)] == [
        "17.970 tỷ đồng"]
    assert not fitting("Thu được bao nhiêu tiền?", "number", "Tỉnh có 45 đơn vị xã.")
    # a share the question gives is not a share it asks for
    assert fitting("Bao nhiêu xã có tỉ lệ 98%?", "number", sentence)


def test_the_kind_asked_is_read_with_the_diacritics_the_question_has() -> None:
    assert asked_kind("Tỉ lệ hộ nghèo năm nào còn 17,66%?") == "date"
    assert asked_kind("ti le ho ngheo nam nao con 17,66%") == "date"
    # "lực nào" (which power) is not "lúc nào" (when), "ải" is not "ai" (who)...
    assert asked_kind("Chính quyền có sự phân chia quyền lực nào?") is None
    assert asked_kind("Quân đội phải vượt qua ải nào?") is None
    # ...but a question typed without diacritics cannot tell them apart.
    assert asked_kind("luc nao thi bat dau") == "date"
    assert asked_kind("Điện Biên có mấy dân tộc?") == "number"
    assert asked_kind("Điện Biên có bao nhieu dân tộc?") == "number"  # one word typed bare
    assert asked_kind("What may happen to the economy?") is None
    # typed without marks, "may" asks "mấy" only when the question restores to it
    assert asked_kind("dien bien co may dan toc") is None
    assert asked_kind("dien bien co may dan toc", "điện biên có mấy dân tộc") == "number"
    assert asked_kind("Chiến thắng cách nay bao lâu?") == "number"
    assert asked_kind("On which date did the two-tier government start?") == "date"
    assert asked_kind("In which month was it held?") == "date"
    # a reason is asked for, whatever the question is about
    assert asked_kind("Vì sao tỉ lệ hộ nghèo giảm?") is None
    assert asked_kind("tai sao ti le ho ngheo giam") is None
    assert asked_kind("Why did the poverty rate fall?") is None


def test_a_question_about_money_is_answered_by_the_amount_not_a_length_beside_it() -> None:
    bridge = "Cầu treo Nậm Rốm dài 120 mét, tổng vốn đầu tư 15 tỷ đồng."
    assert _short("Tổng vốn đầu tư cầu Nậm Rốm là bao nhiêu?", bridge) == "15 tỷ đồng"
    assert _short("Cầu treo Nậm Rốm dài bao nhiêu mét?", bridge) == "120 mét"
    # no amount of money in the sentence: the unit asked picks among the rest
    assert _short("Chi phí sửa cầu mất bao nhiêu ngày?",
                  "Cầu sửa trong 3 ngày, dài 120 mét.") == "3 ngày"


def test_the_short_answer_keeps_its_unit() -> None:
    assert _short("Nhiệt độ Đà Lạt bao nhiêu?", "Nhiệt độ ở Đà Lạt là 18 độ C.") == "18 độ C"
    assert _short("Hồ Gươm sâu bao nhiêu?", "Hồ Gươm sâu khoảng 1,5 mét.") == "1,5 mét"
    assert _short("Còn lại bao nhiêu thời gian?", "Khi đó còn lại 17 giây.") == "17 giây"


def test_a_question_for_a_yearly_rate_is_answered_by_the_rate_not_the_level() -> None:
    poverty = "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm."
    assert _short("Tỉ lệ hộ nghèo giảm bình quân bao nhiêu mỗi năm?", poverty) == "3,97%/năm"
    assert _short("moi nam ti le ho ngheo giam bao nhieu", poverty) == "3,97%/năm"
    assert _short("Tỉ lệ hộ nghèo còn bao nhiêu?", poverty) == "17,66%"


def test_red_team_questions_get_their_kind_and_span() -> None:
    # "ngày mấy" asks for a date, "mỗi năm bao nhiêu" for a yearly amount, not a year
    assert asked_kind("Mô hình 2 cấp bắt đầu từ ngày mấy?") == "date"
    assert asked_kind("Tỉ lệ hộ nghèo giảm mỗi năm bao nhiêu?") == "number"
    assert asked_kind("Năm bao nhiêu?") == "date"
    poverty = "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm."
    assert _short("Tỉ lệ hộ nghèo giảm mỗi năm bao nhiêu?", poverty) == "3,97%/năm"
    # "nhà máy" is no "mấy": the unit asked is still found
    plant = "Nhà máy thủy điện Sơn La có tổng vốn 60.000 tỷ đồng, công suất 2.400 MW."
    assert _short("Nhà máy thủy điện Sơn La có tổng vốn bao nhiêu?", plant) == "60.000 tỷ đồng"
    road = "Đường cao tốc dài 60 km, tổng vốn 2,5 nghìn tỷ đồng."
    assert _short("Tổng vốn đường cao tốc là bao nhiêu?", road) == "2,5 nghìn tỷ đồng"
    # an ordinal in Roman numerals answers "lần thứ mấy"
    congress = "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIV đã được thực hiện."
    assert _short("Đại hội Đảng bộ tỉnh lần thứ mấy?", congress) == "XIV"


def test_the_unit_asked_may_come_a_few_words_after_the_number() -> None:
    communes = "Tỉnh hiện có 45 đơn vị xã, phường với 1.446 thôn, bản, tổ dân phố."
    assert _short("dien bien co bao nhieu xa phuong", communes) == "45"
    assert _short("Có bao nhiêu thôn, bản?", communes) == "1.446"


def test_the_number_the_questions_own_words_lead_up_to_answers() -> None:
    vision = ("Nghị quyết số 11-NQ/TW về phát triển vùng trung du và miền núi Bắc bộ đến năm "
              "2030, tầm nhìn đến năm 2045.")
    assert _short("Nghị quyết 11 của Bộ Chính trị đặt tầm nhìn đến năm nào?", vision) == (
        "năm 2045")
    assert _short("tam nhin den nam nao", vision) == "năm 2045"
    # one word in common is no echo: the question's words around the numbers decide
    assert _short("Miền núi Bắc bộ phát triển đến năm nào?", vision) == "năm 2030"
    # the unit asked with ("năm bao nhiêu") is the candidate's own ("năm 2045"): what leads up
    # to both is "tầm nhìn đến" (a red-team question got 2030)
    assert _short("Nghi quyet 11 tam nhin den nam bao nhieu", vision) == "năm 2045"
    # with its marks, "máy" is no question word ("mấy") to read the echo up to
    plant = "Nhà máy xi măng khởi công năm 2005, hoàn thành năm 2010."
    assert _short("Nhà máy xi măng hoàn thành năm bao nhiêu?", plant) == "năm 2010"
    # marks on some words only: "bao nhieu" still asks
    assert _short("Nghị quyết 11 tam nhin den nam bao nhieu", vision) == "năm 2045"
    # the last word before "là bao nhiêu" alone is no echo ("tỉnh" before "45 xã")
    communes = "Tỉnh có 45 xã, trong đó 30 xã biên giới và 15 xã đặc biệt khó khăn."
    assert _short("Số xã biên giới của tỉnh là bao nhiêu?", communes) == "30 xã"


def test_units_with_a_slash_currencies_and_words_that_only_fold_like_money() -> None:
    income = "Thu nhập bình quân đạt 52 triệu đồng/người/năm, tăng 8%."
    assert [c.text for c in fitting("Thu nhập là bao nhiêu tiền?", "number", income)] == [
        "52 triệu đồng"]
    road = "Đường dài 120 km, xe chạy tối đa 100 km/h."
    assert "100 km/h" in [c.text for c in fitting("Xe chạy tối đa bao nhiêu km/h?", "number",
                                                   road)]
    capital = "Tổng vốn đạt 35.000 tỷ VNĐ, dự án khác 3.500 tỷ, với 7 dòng sông."
    assert [c.text for c in fitting("Tổng vốn bao nhiêu tỷ đồng?", "number", capital)] == [
        "35.000 tỷ VNĐ", "3.500 tỷ"]
    # "dòng", "động" fold to "dong" as "đồng" does: not a question about money
    assert [c.text for c in fitting("Tỉnh có bao nhiêu dòng sông?", "number", capital)][-1] == (
        "7")
    assert fitting("tinh co bao nhieu dong song", "number", capital)[-1].text == "7"
    forest = "Tỷ lệ che phủ rừng đạt 54,5 phần trăm."
    assert _short("Tỷ lệ che phủ rừng đạt bao nhiêu %?", forest) == "54,5 phần trăm"


def test_a_count_asked_in_a_unit_is_no_number_in_a_unit_of_another_dimension() -> None:
    sentence = "Cầu dài 3,4 km, rút ngắn thời gian đi lại còn 30 phút sau 3 năm thi công."
    assert [c.text for c in fitting("Cầu dài bao nhiêu km?", "number", sentence)] == ["3,4 km"]
    assert [c.text for c in fitting("cau dai bao nhieu km", "number", sentence)] == ["3,4 km"]
    assert [c.text for c in fitting("Xây mất bao nhiêu năm?", "number", sentence)] == ["3 năm"]
    # a unit of the same dimension may convert; no unit asked, every count fits
    assert [c.text for c in fitting("Cầu dài bao nhiêu mét?", "number", sentence)] == ["3,4 km"]
    assert len(fitting("Có bao nhiêu cây cầu?", "number", sentence)) == 3


def test_a_rate_is_answered_by_the_share_not_the_money_beside_it() -> None:
    sentence = "Tỷ lệ giải ngân vốn đầu tư công đạt 61,2%, tương đương 4.312 tỷ đồng."
    assert _short("Tỷ lệ giải ngân vốn đầu tư công là bao nhiêu?", sentence) == "61,2%"
    assert _short("Vốn đầu tư công giải ngân được bao nhiêu?", sentence) == "4.312 tỷ đồng"


def test_a_price_asked_is_an_amount_of_money_or_nothing() -> None:
    sentence = "Dự án có 5 khu tái định cư, rộng 12 ha."
    assert fitting("Giá đất khu tái định cư là bao nhiêu?", "number", sentence) == []
    assert [c.text for c in fitting("Giá vé là bao nhiêu?", "number",
                                    "Giá vé 9.000 đồng một lượt, 15 phút một chuyến.")] == [
        "9.000 đồng"]
    # assessed ("đánh giá") or a value ("giá trị") asks no price
    assert len(fitting("Đánh giá bao nhiêu khu tái định cư?", "number", sentence)) == 2


def test_an_english_cost_or_ticket_asked_is_money() -> None:
    crowd = "Mỗi ngày có khoảng 9.000 lượt người qua phà, và trận đấu thu hút 14.200 khán giả."
    for question in ("How much does a ticket on the My An ferry cost?",
                     "How much were tickets for the match?",
                     "How much were vé for the match?",  # as searched
                     "What is the price of a ticket?"):
        assert fitting(question, "number", crowd) == [], question
    assert [c.text for c in fitting("How much did the Apollo program cost?", "number",
                                    "Chương trình tốn 25,4 tỷ đô la và 9.000 người.")] == [
        "25,4 tỷ đô la"]


def test_units_after_a_scale_and_short_units_stay_with_the_number() -> None:
    sentence = "Hầm dài 580 m, thép đạt 5,4 triệu tấn, pin 8 GWh, lúa 63,8 tạ/ha và 3 máy."
    assert [c.text for c in candidates(sentence, "number")] == [
        "580 m", "5,4 triệu tấn", "8 GWh", "63,8 tạ/ha", "3"]


def test_a_time_of_day_is_a_candidate_for_what_time() -> None:
    sentence = "Ca mổ bắt đầu lúc 21h với 3,4 km đường dây, kết thúc lúc 3h30 sáng."
    assert [c.text for c in fitting("Ca mổ bắt đầu lúc mấy giờ?", "number", sentence)] == [
        "21h", "3h30"]


def test_a_factory_is_no_question_word_and_a_price_may_move_by_a_share() -> None:
    # "nhà máy năm 2024" does not ask "mấy năm"
    assert [c.text for c in fitting("Nhà máy năm 2024 sản xuất được bao nhiêu tấn thép?",
                                    "number", "Năm 2024, nhà máy sản xuất 500 tấn thép.")] == [
        "500 tấn"]
    assert [c.text for c in fitting("Giá xăng giảm bao nhiêu?", "number",
                                    "Giá xăng giảm 3,2% ở 5 cây xăng.")] == ["3,2%"]
    assert [c.text for c in fitting("Chỉ số giá tiêu dùng tăng bao nhiêu?", "number",
                                    "Chỉ số CPI tăng 0,48 điểm.")] == ["0,48 điểm"]
    assert asked_kind("Có mấy lý do khiến tỉ lệ giảm?") == "number"
    # a price that does not move is no share (red-team: ball possession answered a ticket price)
    stats = "Nam Định kiểm soát bóng 61% và có 18 cú sút."
    assert fitting("Giá vé xem trận là bao nhiêu?", "number", stats) == []
    assert fitting("Giá vé trận Nam Định gặp Hải Phòng là bao nhiêu?", "number", stats) == []
    assert fitting("gia ve tran nam dinh gap hai phong la bao nhieu", "number", stats) == []
    # a change in words the rule knows, or half typed without marks, may still be a share
    for moved in ("Giá xăng hạ bao nhiêu?", "Giá xăng giam bao nhiêu?"):
        assert [c.text for c in fitting(moved, "number", "Giá xăng giảm 3,2%.")] == ["3,2%"]
    assert [c.text for c in fitting("Giá vé xem trận là bao nhiêu?", "number",
                                    "Vé có giá 100.000 đồng, 61% đã bán.")] == ["100.000 đồng"]


def test_a_question_starting_with_a_price_asks_for_money() -> None:
    assert asked_kind("giá vàng hôm nay") == "number"
    assert asked_kind("Giá trị của lớp là gì?") is None  # a value, not a price
    assert asked_kind("gia thuyet nao") is None  # typed bare, "gia" is as often "giả"
    assert fitting("giá vàng hôm nay", "number", "Hôm nay, nhớ lại 71 năm trước.") == []
    # typed without marks, unless a word "gia" makes follows, or a name
    assert asked_kind("gia vang hom nay") == "number"
    assert asked_kind("gia dinh ong ay song o dau") == "place"
    assert asked_kind("Gia Long là ai?") == "person"
    assert asked_kind("gia tri cua lop la gi") is None
    # an exchange rate, an interest rate ask a number as a share does, when nothing else is
    assert asked_kind("ty gia hom nay") == asked_kind("Lãi suất tiết kiệm?") == "number"
    assert asked_kind("Ai quyết định giảm lãi suất?") == "person"
    assert asked_kind("Chính sách lãi suất là gì?") is None
    # "gia" only without its mark: "Già làng" is no price
    assert asked_kind("Giã gạo thế nào?") is None
    assert [c.text for c in fitting("Già làng có bao nhiêu người con?", "number",
                                    "Già làng có 7 người con.")] == ["7 người"]
    assert fitting("gia vàng hôm nay", "number", "Hôm nay, nhớ lại 71 năm trước.") == []
    assert [c.text for c in fitting("gia vàng hôm nay", "number",
                                    "Giá vàng hôm nay là 85 triệu đồng, tăng 2 lần.")] == [
        "85 triệu đồng"]


def test_a_score_or_a_range_is_one_answer() -> None:
    sentence = "Broncos đánh bại Steelers với tỷ số 23-16 để vào chung kết."
    assert _short("Broncos thắng Steelers với tỷ số bao nhiêu?", sentence) == "23-16"
    assert _short("Có bao nhiêu người chết?", "Khoảng 30–50 người đã chết.") == "30–50 người"
    # a document's number ("11-NQ/TW") and a span of years stay what they were
    assert _short("Có bao nhiêu đơn vị?", "Nghị quyết 11-NQ/TW, giai đoạn 2021-2025, 45 đơn vị."
                  ) == "45"


def test_numbers_with_a_colon_a_scale_or_dashes() -> None:
    assert [c.text for c in candidates("Rừng rộng 7 triệu km vuông, tỷ số 3:1.", "number")] == [
        "7 triệu km vuông", "3:1"]
    assert [c.text for c in candidates("Từ 3:08-3:15 chiều.", "number")] == ["3:08-3:15"]
    # a date written with dashes is no range of counts; a minus stays a temperature
    assert [c.text for c in candidates("Ngày 15-8-2024, trời -5 độ C.", "number")] == [
        "15", "5 độ C"]


def test_an_area_in_square_kilometres_is_not_a_length() -> None:
    sentence = "Rừng bao phủ 5.500.000 km vuông của lưu vực sông dài 7.000 km."
    assert _short("Rừng bao phủ bao nhiêu km vuông?", sentence) == "5.500.000 km vuông"
    assert _short("Sông dài bao nhiêu km?", sentence) == "7.000 km"


def test_a_number_in_a_name_is_no_measure_in_the_unit_asked() -> None:
    sentence = "Grissom, White và Chaffee đã đặt tên cho chuyến bay Apollo 1 của họ."
    assert _short("Họ bao nhiêu tuổi?", sentence) is None  # it was ➜ 1
    assert _short("Anh ấy bao nhiêu tuổi?", "Peyton Manning ở tuổi 39 là cầu thủ.") == "39"
    # the unit before a number counts only right before it, for a number without its own
    assert _short("Họ bao nhiêu tuổi?", "Ông Nam 45 tuổi, 3 người con.") == "45 tuổi"
    assert _short("Đoạn đường dài bao nhiêu km?", "Tại km 15 quốc lộ 1A, đoạn dài 3 km."
                  ) == "3 km"
    # asked for no unit, a number in a name may be the answer ("which Super Bowl")
    assert _short("Đó là Super Bowl thứ bao nhiêu?", "Trận đấu là Super Bowl 50.") == "50"


def test_an_ordinal_is_no_count_and_a_clock_time_is_one_answer() -> None:
    invasion = "Cuộc xâm lược lần thứ hai thất bại."
    assert _short("Bao nhiêu quân?", invasion) is None  # it was ➜ hai
    assert _short("Đại hội lần thứ mấy?", "Đây là Đại hội lần thứ XIV.") == "XIV"
    assert _short("Việt Nam xếp hạng bao nhiêu?", "Việt Nam đứng thứ 5 thế giới.") == "5"
    assert _short("Trận đấu còn lại bao nhiêu thời gian?",
                  "Denver dẫn trước khi trận đấu còn 3:08.") == "3:08"  # it was ➜ 3


def test_a_minute_asked_in_order_and_a_score_asked_for() -> None:
    goal = "Bước ngoặt đến ở phút 82, Tuấn Hải gỡ hòa 2-2."
    assert _short("Phạm Tuấn Hải ghi bàn phút thứ mấy?", goal) == "82"  # it was ➜ 2-2
    late = "Ngay trong thời gian bù giờ, phút 90+5, Hai Long ấn định chiến thắng 3-2."
    assert _short("Hai Long ghi bàn phút thứ mấy?", late) == "90+5"
    assert _short("Tỷ số chung cuộc trận lượt về là bao nhiêu?",
                  "Ở lượt về, Việt Nam thắng 3-2 sau hai bàn.") == "3-2"  # it was ➜ hai
    assert _short("Tốc độ tối đa là bao nhiêu?", "Tốc độ tối đa 80 km/h.") == "80 km/h"


def test_a_population_is_a_count_of_people_and_an_area_a_measure_in_square_units() -> None:
    seed = ("Tỉnh hiện có 45 đơn vị xã, phường với 1.446 thôn, bản, tổ dân phố, có 19 dân tộc "
            "cùng sinh sống.")
    for question in ("Dân số tỉnh Điện Biên hiện nay là bao nhiêu người?", "dân số Điện Biên",
                     "What is the population of Dien Bien province?",
                     "Diện tích tự nhiên của Điện Biên là bao nhiêu km2?"):
        assert fitting(question, "number", seed) == [], question
    assert asked_kind("diện tích Điện Biên") == "number"
    assert asked_kind("Diện tích rừng bị phá được dùng làm gì?") is None
    fits = _fitting_numbers
    assert fits("Dân số Warsaw là bao nhiêu?", "Thành phố có dân số khoảng 1,7 triệu.") == [
        "1,7 triệu"]
    assert fits("What is the population of Warsaw?", "The population was 1,740,119 in 2014.") == [
        "1,740,119"]
    assert fits("Dân số da trắng năm 2010 là bao nhiêu?", "Người da trắng chiếm 55,1%.") == [
        "55,1%"]
    # asked in people, a population is a headcount, no share
    poverty = "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm."
    for question in ("Dân số năm 2025 là bao nhiêu người?", "How many people live there?"):
        assert fits(question, poverty) == [], question
    assert fits("Tỉnh có bao nhiêu người dân?", "Tỉnh có khoảng 640.000 người.") == [
        "640.000 người"]
    assert fits("Diện tích Warsaw là bao nhiêu?", "Thành phố rộng 517,24 km vuông, 18 quận.") == [
        "517,24 km vuông"]
    # a density or a place asked: the rule stands aside
    assert fits("Mật độ dân số là bao nhiêu?", "Mật độ 3.300 người/km², 18 quận.") == [
        "3.300 người", "18"]
    assert fits("Dân số tập trung ở đâu?", "Có 18 quận ven biển.") == ["18"]


def test_a_growth_rate_is_a_share() -> None:
    sentence = "Tổng sản phẩm GRDP năm 2025 ước đạt 17.970 tỷ đồng, tăng 7,2%."
    for question in ("Tốc độ tăng trưởng GRDP năm 2025 là bao nhiêu?",
                     "What was the GRDP growth rate in 2025?"):
        assert [c.text for c in fitting(question, "number", sentence)] == ["7,2%"], question
    assert fitting("What was the GRDP growth rate in 2025?", "number",
                   "Tổng sản phẩm GRDP năm 2025 ước đạt 17.970 tỷ đồng.") == []


def test_an_income_per_head_is_an_amount_of_money() -> None:
    sentence = "Tỉ lệ hộ nghèo còn 17,66%, giảm bình quân 3,97%/năm."
    for question in ("Thu nhập bình quân đầu người năm 2025 là bao nhiêu?",
                     "thu nhap binh quan dau nguoi la bao nhieu",
                     "What was the income per capita in 2025?"):
        assert fitting(question, "number", sentence) == [], question
    assert [c.text for c in fitting("Thu nhập bình quân đầu người là bao nhiêu?", "number",
                                    "Thu nhập bình quân đạt 45 triệu đồng/người.")] == [
        "45 triệu đồng"]


def test_an_area_with_a_magnitude_and_an_area_that_is_only_a_place() -> None:
    fits = _fitting_numbers
    assert fits("Diện tích rừng là bao nhiêu?", "Diện tích rừng là 14,7 triệu ha, ở 3 vùng.") == [
        "14,7 triệu ha"]
    assert fits("Lưu vực có diện tích bao nhiêu?", "Lưu vực rộng 795 nghìn km2.") == [
        "795 nghìn km2"]
    # "in the area" asks no size; "đầu năm" is no "đâu"
    assert fits("How many ethnic groups live in the area?", "There are 19 ethnic groups.") == [
        "19"]
    assert fits("What was the population of the area in 2010?",
                "The population was 1,740,119 in 2010.") == ["1,740,119"]
    assert fits("Dân số Điện Biên đầu năm 2025 là bao nhiêu?", "Có 45 xã, 19 dân tộc.") == []
    # an income asked to change may be a share
    assert fits("Thu nhập bình quân đầu người tăng bao nhiêu?", "Thu nhập tăng 8,5%.") == ["8,5%"]


def test_a_count_of_things_is_neither_a_share_nor_a_sum() -> None:
    report = "Tỉ lệ hộ nghèo còn 17,66%, GRDP đạt 17.970 tỷ đồng, còn 2.300 hộ chưa có điện."
    assert _fitting_numbers("dien bien co bao nhieu ho ngheo", report) == ["2.300 hộ"]
    assert _fitting_numbers("Tỉnh có bao nhiêu hộ chưa có điện?", report) == ["2.300 hộ"]
    # a share asked of them is a share; no thing counted keeps every figure
    assert _fitting_numbers("Bao nhiêu phần trăm hộ nghèo?", report) == ["17,66%"]
    assert _fitting_numbers("Con so la bao nhieu?", report) == ["17,66%", "17.970 tỷ đồng",
                                                                 "2.300 hộ"]
    # a bare magnitude counts people as well as money ("37 triệu hành khách")
    assert _fitting_numbers("Có bao nhiêu hành khách?", "Chở 37 triệu hành khách.") == ["37 triệu"]
    # money by another name is money: "bao nhiêu vốn" is answered by a sum
    fdi = "Tỉnh thu hút 6 dự án FDI với tổng vốn 215 triệu USD."
    assert _fitting_numbers("Thu hút bao nhiêu vốn FDI?", fdi) == ["6", "215 triệu USD"]


def test_a_day_before_its_month_is_no_count() -> None:
    assert _fitting_numbers("Có bao nhiêu dân tộc?", "Sáng 18/12, UBND tỉnh Lào Cai họp.") == []
    assert _fitting_numbers("Có bao nhiêu dân tộc?", "Tỉnh có 19 dân tộc.") == ["19 dân tộc"]
    assert _fitting_numbers("Tốc độ tối đa bao nhiêu?", "Xe chạy 80 km/h.") == ["80 km/h"]


def test_an_english_question_word_first_decides_over_a_when_after_it() -> None:
    assert asked_kind("How old was Manning when he played in Super Bowl 50?") == "number"
    assert asked_kind("How much time was left when Denver took the lead?") == "number"
    assert asked_kind("Who was the emperor when the war began?") == "person"
    assert asked_kind("Where did he live when he wrote it?") == "place"
    assert asked_kind("When did the Mongols invade Japan?") == "date"
    assert asked_kind("Dân số Điện Biên năm nào đạt 600 nghìn người?") == "date"
    # a "when" clause after another question word asks no date
    assert asked_kind("What satellite was used when Sky Digital was launched?") is None
    assert asked_kind("In what year did it start, when the war ended?") == "date"
    # "number theory" is no number asked; a GRDP is
    assert asked_kind("What theorem defines the role of primes in number theory?") is None
    assert asked_kind("What is GRDP?") is None  # a definition, not a figure
    assert asked_kind("Which team won, and when?") == "date"  # the "when" is the question


def test_an_english_question_counting_in_a_unit_is_answered_in_that_unit() -> None:
    sentence = ("Đội phòng ngự Panthers chỉ để thủng lưới 308 điểm, đứng thứ sáu, và có 24 lần "
                "đánh chặn.")
    assert _short("How many points did the Panthers defense give up?", sentence,
                  english=True) == "308 điểm"
    assert _short("How many interceptions did the Panthers make?", sentence,
                  english=True) is None  # "interceptions" is no unit the text writes
    assert _short("How old was Manning then?", "Anh ấy đã 39 tuổi và chơi 18 mùa giải.",
                  english=True) == "39 tuổi"
    assert _short("What percentage of households are poor?",
                  "Có 2.150 hộ, tỉ lệ hộ nghèo còn 17,66%.", english=True) == "17,66%"


def test_a_year_after_a_comma_belongs_to_its_month() -> None:
    assert _short("When was the committee established?",
                  "Ủy ban được thành lập vào tháng 7, 1961 bởi Seaman.",
                  english=True) == "tháng 7, 1961"
    assert "tháng 7, 2000" not in [c.text for c in candidates("Từ tháng 7, 2000 người dự.", "date")]


def test_a_level_answers_when_no_rate_per_year_is_asked() -> None:
    sentence = "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm."
    assert _short("Hộ nghèo chiếm bao nhiêu phần trăm?", sentence) == "17,66%"
    assert _short("What is the multidimensional poverty rate?", sentence,
                  english=True) == "17,66%"
    assert _short("Mỗi năm giảm bao nhiêu?", sentence) == "3,97%/năm"
    # a change or an average asked is no level (review: "giảm bình quân bao nhiêu" got 17,66%)
    for change in ("Tỉ lệ hộ nghèo giảm bình quân bao nhiêu?",
                   "ti le ho ngheo giam binh quan bao nhieu"):
        assert _short(change, sentence) != "17,66%", change
    assert _short("What was the average annual decline in the poverty rate?", sentence,
                  english=True) is None
    growth = "GRDP tăng bình quân 8,5%/năm; riêng năm 2025 tăng 9,1%."
    assert _short("Tốc độ tăng trưởng GRDP bình quân giai đoạn 2021-2025 là bao nhiêu?",
                  growth) == "8,5%/năm"


def test_a_mixed_or_english_count_is_read_in_its_unit() -> None:
    sentence = "Tỉnh có 45 đơn vị xã, phường với 1.446 thôn, bản, có 19 dân tộc cùng sinh sống."
    assert _short("How many xã does Dien Bien have?", sentence) == "45"
    # units whose folded word is a common word too are not looked for (review)
    assert _short("How many degrees was it?", "Nhiệt độ lên tới 40°C, 3 người chết do nắng.",
                  english=True) is None
    # an area is read in its unit squared, not as the length beside it
    assert _short("How many square kilometers does it cover?",
                  "Điện Biên rộng 9.541 km2, cách Hà Nội 500 km.", english=True) == "9.541 km2"
    assert _short("How many square miles were affected?",
                  "Khu vực bị ảnh hưởng 1.160.000 dặm vuông (3.000.000 km vuông).",
                  english=True) == "1.160.000 dặm vuông"
    assert _short("How many villages are there?", sentence, english=True) == "1.446"


def test_an_english_unit_is_looked_for_after_the_number_only() -> None:
    assert _short("How many tons of goods were exported?",
                  "Tỉnh xuất 500 container hàng, xuất khẩu tận 12 nước.", english=True) is None
    assert _short("How many tons of rice were exported?",
                  "Tỉnh xuất khẩu 1.200 tấn gạo sang 12 nước.", english=True) == "1.200 tấn"


def test_an_english_unit_the_sentence_never_writes_gets_nothing() -> None:
    # "ba lượt chơi" counts plays, not the seconds asked about
    assert _short("How many seconds were left when they intercepted the pass?",
                  "Đội tấn công bị giữ ngoài khu vực cấm địa trong ba lượt chơi.",
                  english=True) is None
    # people are written in many words: still read
    assert _short("How many people attended?", "Trận đấu thu hút khoảng 17.500 khán giả.",
                  english=True) == "17.500"


def test_a_count_of_something_else_is_no_age() -> None:
    assert _short("Manning đã chơi cho bao nhiêu đội?",
                  "Anh ấy là thủ quân lớn tuổi nhất từng chơi trận Super Bowl ở tuổi 39.") is None
    assert _short("Bà ấy bao nhiêu tuổi?", "Người bệnh là bà Lựu, 81 tuổi.") == "81 tuổi"


def test_an_age_asked_of_a_passage_giving_none_is_refused() -> None:
    teacher = "Cô Vi Thị Thu Hà, giáo viên dạy Toán 22 năm tại Trường THPT Kỳ Sơn, cho biết …"
    assert age_unsaid("How old is teacher Vi Thi Thu Ha?", teacher)
    assert age_unsaid("Cô Hà bao nhiêu tuổi?", teacher)
    assert age_unsaid("co ha bao nhieu tuoi", teacher)
    assert not age_unsaid("Bà ấy bao nhiêu tuổi?", "Người bệnh là bà Lựu, 81 tuổi.")
    assert not age_unsaid("How old was Manning?", "Anh ấy chơi trận Super Bowl ở tuổi 39.")
    assert not age_unsaid("Ông Hùng bao nhiêu tuổi?", "Ông Nguyễn Văn Hùng (SN 1973) cho biết …")
    assert not age_unsaid("Cô Hà dạy Toán bao nhiêu năm?", teacher)  # no age asked


def test_how_long_asks_a_span_of_time() -> None:
    sentence = ("Cuộc chiến giữa hai thế lực thuộc địa phần lớn kết thúc sau sáu năm, từ trận "
                "Jumonville Glen.")
    assert _short("Cuộc chiến kéo dài bao lâu?", sentence) == "sáu năm"
    assert _short("How long did the fighting last?", sentence, english=True) == "sáu năm"
    assert _short("Bệnh dịch kéo dài bao lâu?",
                  "Bệnh dịch vẫn là sự kiện lớn cho đến phần tư thứ hai của thế kỷ 19.") is None
    assert _short("Trận đấu còn lại bao lâu?", "Khi còn lại 3:08, Denver dẫn 24-10.") == "3:08"


def test_an_english_question_picks_among_numbers_by_its_names() -> None:
    sentence = ("Oxi được phát hiện độc lập bởi Carl Wilhelm Scheele, tại Uppsala, vào năm 1773 "
                "hay sớm hơn, và Joseph Priestley tại Wiltshire, vào năm 1774.")
    assert _short("When did Carl Wilhelm Scheele discover oxygen?", sentence,
                  english=True) == "năm 1773"
    # no name of the question in the sentence: nothing to tell the two years apart
    assert _short("When was oxygen discovered?", sentence, english=True) is None


def test_a_period_answers_with_the_end_asked_for() -> None:
    sentence = "Thí sinh có thể nộp đơn phúc khảo bài thi từ ngày 16/7 đến hết ngày 25/7/2025."
    assert _short("Hạn chót nộp đơn phúc khảo là ngày nào?", sentence) == "ngày 25/7/2025"
    assert _short("Thí sinh bắt đầu nộp đơn phúc khảo từ ngày nào?", sentence) == "ngày 16/7"
    assert _short("When is the deadline for re-marking requests?", sentence,
                  english=True) == "ngày 25/7/2025"
    # asked neither end, one date alone does not answer
    assert _short("Nộp đơn phúc khảo vào ngày nào?", sentence) is None


def test_of_two_figures_in_a_sentence_the_one_asked_answers() -> None:
    target = ("Cho năm 2026, công ty đặt mục tiêu doanh thu 5.800 tỷ đồng và lợi nhuận sau thuế "
              "700 tỷ đồng.")
    assert _short("Công ty đặt mục tiêu lợi nhuận năm 2026 bao nhiêu?", target) == "700 tỷ đồng"
    assert _short("Mục tiêu doanh thu năm 2026 là bao nhiêu?", target) == "5.800 tỷ đồng"
    assert _short("How much profit does the company target?", target,
                  english=True) == "700 tỷ đồng"


def test_an_english_question_for_a_quantity_by_its_name_asks_a_number() -> None:
    from bot.retrieval.answer_type import asked_kind
    for question in ("What was the average household size?",
                     "What was Dien Bien's total state budget revenue in 2025?",
                     "What were the annual carriage fees for the channels?",
                     "What is the area of Dien Bien?"):
        assert asked_kind(question) == "number", question
    for question in ("What was the revenue used for?", "What is the name of the area?",
                     "What area of Brookhaven is known for crime?"):
        assert asked_kind(question) is None, question


def test_what_was_achieved_answers_unless_the_target_is_asked() -> None:
    sentence = ("Tỷ lệ giải ngân vốn đầu tư công đến ngày 20/12/2025 đạt 87,6% kế hoạch, cao "
                "hơn mức bình quân cả nước; tỉnh phấn đấu giải ngân 100% trước ngày 31/1/2026.")
    span = short_span("ty le giai ngan von dau tu cong cua hung yen nam 2025", "number", sentence)
    assert span is not None and span.text == "87,6%"
    # asked as a share: "phần trăm" is no unit, though "phấn đấu" folds to "phan dau"
    span = short_span("Tỉnh phấn đấu giải ngân bao nhiêu phần trăm?", "number", sentence)
    assert span is not None and span.text == "100%"
    grdp = "GRDP năm 2025 ước tăng 9,12% so với năm 2024, vượt mục tiêu 8,5% do HĐND đề ra."
    span = short_span("Mục tiêu tăng trưởng GRDP là bao nhiêu?", "number", grdp)
    assert span is not None and span.text == "8,5%"


def test_a_date_asked_of_an_event_is_highlighted_where_the_event_is_named() -> None:
    from bot.retrieval.short_answer import naming_event
    sentences = ["Ngày 28/10/2025, ê-kíp đã lọc máu cho một bé trai 26 tháng tuổi ở xã Ia Grai.",
                 "Khi nhập viện, bé sốt cao 40 độ.",
                 "Sau 3 phiên lọc máu, bé hết sốc và xuất viện ngày 11/11/2025."]
    assert naming_event("be trai 26 thang tuoi xuat vien ngay nao", "date", sentences) == [2]
    assert naming_event("Bé nhập viện khi nào?", "date", sentences) == [1]
    # not for another kind, nor for function words before the question word
    assert naming_event("Bé xuất viện sau bao nhiêu phiên?", "number", sentences) == []
    assert naming_event("Việc này là khi nào?", "date", sentences) == []


def test_a_sum_asked_is_never_a_count_in_words() -> None:
    sentence = ("Tuyến cao tốc kết nối hai vùng kinh tế, vốn đầu tư dự kiến được bố trí trong "
                "giai đoạn sau.")
    assert short_span("How much will the expressway cost?", "number", sentence) is None
    # a date is still one ("đầu tiên" folds to "dau tien", read as money, "tiền")
    first = "Ngày 28/10/2025, ê-kíp đã thực hiện ca lọc máu đầu tiên."
    span = short_span("Ca lọc máu đầu tiên được thực hiện vào ngày nào?", "date", first)
    assert span is not None and span.text == "28/10/2025"


def test_a_report_s_period_is_no_figure_of_it() -> None:
    sentence = "Trong 9 tháng năm 2025, tổng thu ngân sách đạt 43.620 tỷ đồng."
    span = short_span("Tổng thu ngân sách là bao nhiêu?", "number", sentence)
    assert span is not None and span.text == "43.620 tỷ đồng"
    span = short_span("GRDP Quảng Ninh tăng bao nhiêu?", "number",
                      "GRDP 9 tháng năm 2025 của Quảng Ninh ước tăng 10,8%.")
    assert span is not None and span.text == "10,8%"
    # a span of time asked is answered by one
    for question in ("Dự án thi công trong mấy tháng?", "Dự án kéo dài bao lâu?"):
        span = short_span(question, "number", "Dự án thi công trong 9 tháng.")
        assert span is not None and span.text == "9 tháng", question


def test_what_share_asks_for_a_share() -> None:
    from bot.retrieval.answer_type import fitting
    sentence = "Tỉnh đã bàn giao mặt bằng tại 8 xã, đạt 71% diện tích."
    assert [c.text for c in fitting("What share of the land has been handed over?", "number",
                                    sentence)] == ["71%"]


def test_a_time_of_day_and_a_price_per_unit_are_answered_as_asked() -> None:
    lead = "Rạng sáng 22/11/2025, một vụ cháy lớn xảy ra tại dãy nhà trọ 4 tầng ở phường Dĩ An."
    assert short_span("Vụ cháy xảy ra lúc mấy giờ?", "number", lead) is None  # not "4" (tầng)
    span = short_span("Vụ cháy xảy ra lúc mấy giờ?", "number",
                      "Khoảng 1h20 ngày 22/11, lửa bùng lên tại tầng 1 của dãy trọ 4 tầng.")
    assert span is not None and span.text == "1h20"
    span = short_span("Giá bán cà phê trung bình mỗi tấn?", "number",
                      "Xuất khẩu 412.600 tấn cà phê, trị giá 1,52 tỷ USD, bình quân 3.684 USD/tấn.")
    assert span is not None and span.text.startswith("3.684")


def test_a_price_per_kilo_is_no_count_of_mot() -> None:
    from bot.retrieval.answer_type import counted_noun
    assert counted_noun("gia lua tuoi vu he thu bao nhieu mot kg") is None


def test_a_place_in_a_ranking_is_answered_by_a_rank() -> None:
    fans = "Đội nữ Đắk Lắk là đội có nhiều khán giả nhất với hơn 600 cổ động viên."
    assert short_span("Đội nữ Đắk Lắk xếp hạng mấy tại giải?", "number", fans) is None
    span = short_span("Đội nữ Đắk Lắk xếp hạng mấy tại giải?", "number",
                      "Đội nữ Đắk Lắk xếp hạng 3 chung cuộc, với 600 cổ động viên.")
    assert span is not None and span.text == "3"


def test_a_rate_asked_by_its_name_is_a_share_or_a_ratio() -> None:
    opening = "Tỉnh có 104 xã, phường và quy mô dân số hơn 3,5 triệu người."
    assert fitting("Tỷ lệ thất nghiệp của tỉnh là bao nhiêu?", "number", opening) == []
    assert [c.text for c in fitting("ty le that nghiep bao nhieu", "number",
                                    "Tỷ lệ thất nghiệp ở mức 2,1%, có 3.000 lao động.")] == ["2,1%"]
    assert [c.text for c in fitting("Tỷ lệ người Anh so với người Pháp là bao nhiêu?", "number",
                                    "Người Anh đông hơn với tỷ lệ 20:1.")] == ["20:1"]


def test_a_year_the_question_gives_is_not_its_answer_however_written() -> None:
    sentence = ("Vào năm 2010 rừng nhiệt đới Amazon đã trải qua một đợt hạn hán nghiêm trọng "
                "khác, còn cực đoan hơn cả đợt hạn hán năm 2005.")
    question = "In what year did the Amazon have a drought more extreme than in 2005?"
    span = short_span(question, "date", sentence)
    assert span is not None and span.text == "năm 2010"
    # a date holding the year is still a candidate: it says more than the year
    assert [c.text for c in fitting("Năm 2005 lễ khởi công diễn ra ngày nào?", "date",
                                    "Lễ khởi công diễn ra ngày 12/3/2005.")] == ["ngày 12/3/2005"]
