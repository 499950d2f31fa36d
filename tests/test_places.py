"""Provinces typed without their marks are read as the names they are."""

from __future__ import annotations

from bot.retrieval.places import spelled, unknown_places


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
