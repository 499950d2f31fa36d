"""Provinces typed without their marks are read as the names they are."""

from __future__ import annotations

from bot.retrieval.places import (
    destination_unsaid,
    figure_of_elsewhere,
    named_places,
    spelled,
    unknown_places,
)


def _says(phrase: str) -> bool:  # the articles write Điện Biên and Lào Cai
    return phrase.lower() in ("dien bien", "lao cai")


def test_a_province_the_articles_do_not_write_is_spelled_as_its_name() -> None:
    question = "ti le bao phu bhyt cua lai chau"
    places = unknown_places(question, _says)
    assert places == ["Lai Châu"]
    assert spelled(question, places) == "ti le bao phu bhyt cua Lai Châu"
    # the restorer's reading of it ("lại chau") is spelled too
    assert spelled("tỉ lệ bảo hiểm của lại chau", places) == "tỉ lệ bảo hiểm của Lai Châu"


def test_a_province_the_articles_write_or_a_word_stays_as_typed() -> None:
    assert unknown_places("ti le ho ngheo dien bien", _says) == []
    assert unknown_places("ti le ho ngheo cua Lào Cai va Lai Châu", _says) == []  # marked
    # in lower case only after a word leading to a place, or first: "hai đường", "đa năng",
    # "sơn là", "tham gia lại" are no provinces (review)
    for question in ("tinh co hai duong cao toc nao", "nha thi dau da nang co suc chua bao nhieu",
                     "mau son la gi", "co bao nhieu nguoi tham gia lai"):
        assert unknown_places(question, _says) == [], question
    assert unknown_places("lai chau co bao nhieu dan toc", _says) == ["Lai Châu"]
    assert unknown_places("so voi tinh son la thi sao", _says) == ["Sơn La"]


def test_in_english_only_a_capitalized_province_is_one() -> None:
    assert unknown_places("What is the poverty rate of Son La?", _says, True) == ["Sơn La"]
    assert unknown_places("Why son la?", _says, True) == []


_STORM_TITLE = "Bão số 7 đổ bộ Quảng Ngãi - Gia Lai"
_STORM = ("Trong số người chết, Quảng Ngãi có 5 người, Gia Lai 3 người và Đắk Lắk 1 người. "
          "Về nhà ở, có 3.246 ngôi nhà bị tốc mái. Các địa phương đã sơ tán 41.850 hộ dân, "
          "trong đó riêng Quảng Ngãi sơ tán 19.400 hộ. Quảng Ngãi xuất 150 tấn gạo.")


def test_a_figure_of_several_provinces_or_of_another_is_none_of_the_one_asked() -> None:
    asked = named_places(["gia lai", "bao so"])
    assert asked == {"Gia Lai"}
    # added up over the provinces, named only for another, or unnamed in an article not
    # about the province asked: the figure is not its own (red-team, rt16)
    assert figure_of_elsewhere(asked, _STORM, _STORM_TITLE,
                               "Các địa phương đã sơ tán 41.850 hộ dân.")
    assert figure_of_elsewhere(asked, _STORM, _STORM_TITLE, "Quảng Ngãi xuất 150 tấn gạo.")
    assert figure_of_elsewhere({"Đắk Lắk"}, _STORM, _STORM_TITLE,
                               "Về nhà ở, có 3.246 ngôi nhà bị tốc mái.")
    # the sentence naming the province asked gives its figure
    assert not figure_of_elsewhere(asked, _STORM, _STORM_TITLE,
                                   "Quảng Ngãi có 5 người, Gia Lai 3 người và Đắk Lắk 1 người.")


def test_a_figure_unnamed_in_an_article_about_the_province_asked_is_its_own() -> None:
    report = ("Điện Biên có 45 xã. So với Lai Châu, tỉnh có nhiều dân tộc hơn. "
              "Toàn tỉnh có 19 dân tộc.")
    title = "Tổng Bí thư làm việc với Điện Biên"
    assert not figure_of_elsewhere({"Điện Biên"}, report, title, "Toàn tỉnh có 19 dân tộc.")
    # nor does a passage about one province only say anything about the figure's scope
    assert not figure_of_elsewhere({"Lai Châu"}, "Toàn tỉnh có 19 dân tộc.", title,
                                   "Toàn tỉnh có 19 dân tộc.")
    assert not figure_of_elsewhere(set(), _STORM, _STORM_TITLE, "Có 3.246 ngôi nhà bị tốc mái.")


def test_a_destination_the_passage_never_writes_is_not_answered_by_the_total() -> None:
    total = "Trong 11 tháng, Đắk Lắk xuất khẩu 412.600 tấn cà phê nhân, trị giá 1,52 tỷ USD."
    assert destination_unsaid("Đắk Lắk xuất khẩu bao nhiêu cà phê sang Mỹ?", total)
    assert destination_unsaid("dak lak xuat khau bao nhieu ca phe sang thị trường Nhật Bản", total)
    assert not destination_unsaid("Đắk Lắk xuất khẩu bao nhiêu cà phê sang Mỹ?",
                                  "Cà phê xuất sang Mỹ chiếm 20%, đạt 82.000 tấn.")
    assert not destination_unsaid("Tổng Bí thư đến Điện Biên ngày nào?",
                                  "Tổng Bí thư làm việc với tỉnh Điện Biên.")
    assert not destination_unsaid("Đắk Lắk xuất khẩu bao nhiêu cà phê?", total)  # none named


def test_an_english_question_s_market_is_looked_for_in_vietnamese_words() -> None:
    durian = ("Lượng sầu riêng xuất khẩu đạt 152.000 tấn, trị giá 398 triệu USD. Trung Quốc vẫn "
              "là thị trường gần như duy nhất.")
    assert destination_unsaid("How much durian did Dak Lak export to Japan?", durian)
    # as searched, "export" in Vietnamese by the glossary
    assert destination_unsaid("How much sầu riêng did Dak Lak xuất khẩu to Japan?", durian)
    assert not destination_unsaid("How much durian was exported to China?", durian)
    assert not destination_unsaid("How much coffee was sold to the United States?",
                                  "Cà phê xuất sang Hoa Kỳ đạt 82.000 tấn.")
    # a market written in capitals
    assert destination_unsaid("How much durian was exported to the US?", durian)
    assert not destination_unsaid("How much coffee was exported to the EU?",
                                  "Cà phê xuất sang EU đạt 82.000 tấn.")
    # a market not known, or none, is not judged
    assert not destination_unsaid("How much durian was exported to Narnia?", durian)
    assert not destination_unsaid("How much durian did Dak Lak export?", durian)
