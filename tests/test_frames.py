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
