"""A passage giving a figure for another period, or an event at another stage, than the
question asks does not answer it."""

from __future__ import annotations

from bot.retrieval.frames import later_stage_unsaid, other_period

_NINE_MONTHS = ("Tổng sản phẩm trên địa bàn (GRDP) 9 tháng năm 2025 của Quảng Ninh ước tăng "
                "10,8%, cao hơn mức 9,6% của cùng kỳ năm 2024.")


def test_a_figure_for_another_period_does_not_answer() -> None:
    for question in ("GRDP của Quảng Ninh cả năm 2024 tăng bao nhiêu?",
                     "grdp quang ninh 6 thang dau nam tang bao nhieu",
                     "How much did Quang Ninh's GRDP grow in the first quarter?"):
        assert other_period(question, _NINE_MONTHS), question


def test_the_period_asked_or_none_at_all_is_no_ground_to_refuse() -> None:
    assert not other_period("GRDP 9 tháng năm 2025 tăng bao nhiêu?", _NINE_MONTHS)
    assert not other_period("GRDP năm 2025 tăng bao nhiêu?", _NINE_MONTHS)  # none asked
    assert not other_period("GRDP cả năm tăng bao nhiêu?", "GRDP năm 2025 tăng 8,12%.")
    # with marks, "cả nam lẫn nữ" (men and women alike) asks no period
    assert not other_period("Bao nhiêu người, cả nam lẫn nữ, dự thi?", _NINE_MONTHS)


def test_an_appeal_the_passage_never_names_is_not_answered_by_the_first_verdict() -> None:
    verdict = "Ngày 24/11/2025, Tòa án nhân dân TP. Cần Thơ đã tuyên án đối với 4 bị cáo."
    assert later_stage_unsaid("Phiên phúc thẩm vụ Phúc Khang Land diễn ra ngày nào?", verdict)
    assert later_stage_unsaid("phien phuc tham dien ra ngay nao", verdict)
    assert later_stage_unsaid("When is the appeal hearing?", verdict)
    assert not later_stage_unsaid("Phiên sơ thẩm diễn ra ngày nào?", verdict)
    assert not later_stage_unsaid("Phiên phúc thẩm diễn ra ngày nào?",
                                  "Tòa phúc thẩm đã xử ngày 3/3/2026.")
    # in English, the appeal itself ("kháng cáo") names the later stage
    assert not later_stage_unsaid("When is the appeal hearing?",
                                  "Các bị cáo có 15 ngày để kháng cáo kể từ ngày tuyên án.")


_QUARTERS = ("Tốc độ tăng trưởng cải thiện rõ qua từng quý: quý I tăng 7,85%, quý II tăng 9,02%, "
             "quý III tăng 9,38% và quý IV ước tăng 9,71%.")


def test_the_sentence_and_the_number_given_for_the_period_asked_answer() -> None:
    from bot.retrieval.frames import naming_period, of_the_period
    sentences = ["GRDP năm 2025 ước tăng 9,12% so với năm 2024.", _QUARTERS,
                 "Tính chung 6 tháng đầu năm, GRDP tăng 8,46%, còn 9 tháng tăng 8,79%."]
    question = "GRDP quý III năm 2025 tăng bao nhiêu?"
    assert naming_period(question, sentences) == [1]
    assert naming_period("GRDP năm 2025 tăng bao nhiêu?", sentences) == []
    third = _QUARTERS.index("9,38%")
    assert of_the_period(question, _QUARTERS, third)
    assert of_the_period(question, _QUARTERS, _QUARTERS.index("9,02%")) is False
    assert of_the_period("GRDP 9 tháng tăng bao nhiêu?", sentences[2],
                         sentences[2].index("8,79%"))
    assert of_the_period("GRDP tăng bao nhiêu?", _QUARTERS, third) is None


def test_a_short_answer_is_the_number_given_for_the_period_asked() -> None:
    from bot.retrieval.short_answer import short_span
    span = short_span("GRDP quý III năm 2025 tăng bao nhiêu?", "number", _QUARTERS)
    assert span is not None and span.text == "9,38%"


def test_months_to_date_and_a_plan_s_full_year() -> None:
    eleven = ("Tổng kim ngạch xuất khẩu từ đầu năm đến hết tháng 11 ước đạt 2,14 tỷ USD, bằng 93% "
              "kế hoạch cả năm.")
    # "đến hết tháng 11" is eleven months; "kế hoạch cả năm" is a plan's, no period given
    assert other_period("Kim ngạch xuất khẩu cả năm 2024 là bao nhiêu?", eleven)
    assert not other_period("Kim ngạch xuất khẩu 11 tháng năm 2025 đạt bao nhiêu?", eleven)


def test_a_period_picks_the_sentence_only_when_it_holds_the_figure() -> None:
    from bot.retrieval.judge import _among
    sentences = ["Sở tổ chức hội nghị đánh giá xuất khẩu nông sản 11 tháng năm 2025.",
                 "Kim ngạch từ đầu năm đến hết tháng 11 ước đạt 2,14 tỷ USD."]
    assert _among("Kim ngạch xuất khẩu 11 tháng năm 2025 đạt bao nhiêu?", "number",
                  sentences) == [1]


def test_one_month_is_not_ten_months_and_a_date_s_month_is_no_period() -> None:
    ten_months = "Trong 10 tháng năm 2025, toàn tỉnh xảy ra 398 vụ tai nạn giao thông."
    for question in ("Riêng tháng 10/2025 Nghệ An xảy ra bao nhiêu vụ tai nạn giao thông?",
                     "rieng thang 10 co bao nhieu vu tai nan",
                     "How many accidents were there in October?"):
        assert other_period(question, ten_months), question
    assert not other_period("Tháng 10 có bao nhiêu vụ?", "Trong tháng 10 có 41 vụ, 10 tháng 398.")
    assert not other_period("Có bao nhiêu vụ trong 10 tháng?", ten_months)
    from bot.retrieval.frames import names_period
    assert not names_period("tháng 3") and names_period("10 tháng")


def test_the_whole_of_a_year_is_the_full_year() -> None:
    assert other_period("How many people died in Nghe An in the whole of 2024?",
                        "Trong 10 tháng năm 2025, toàn tỉnh xảy ra 398 vụ, làm chết 221 người.")
