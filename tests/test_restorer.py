"""A question typed without marks is restored with the question words news text seldom
writes ("bao nhiêu", "bao nhiêu tiền"), not with the article's commoner lookalikes."""

from __future__ import annotations

from bot.store.lexical import Restorer


def test_money_asked_is_restored_as_money_not_as_first() -> None:
    # the articles write "đầu tiên" and "về" far more than "tiền" and "vé"
    news = Restorer.build(["Lần đầu tiên, khách về Huế đông; đầu tiên là khách về từ Hà Nội."])
    assert news.restore("gia ve bao nhieu tien") == "giá vé bao nhiêu tiền"
    assert news.restore("tong so tien la bao nhieu").startswith("tong số tiền")
