"""A reader's word for what the articles write otherwise is searched as the articles' word."""

from __future__ import annotations

from bot.retrieval.question import classify
from bot.retrieval.synonyms import with_article_words
from bot.store.lexical import Restorer

ARTICLE = Restorer.build(["Điện Biên dù không thuộc diện sắp xếp lại đơn vị hành chính cấp tỉnh.",
                          "Tổng sản phẩm GRDP năm 2025 ước đạt 17.970 tỷ đồng."])


def test_a_phrase_the_articles_never_use_is_searched_as_their_counterpart() -> None:
    says = ARTICLE.says
    assert with_article_words("Điện Biên có bị sáp nhập không?", says) == (
        "Điện Biên có bị sắp xếp không?")
    assert with_article_words("GDP của tỉnh năm 2025?", says) == "GRDP của tỉnh năm 2025?"
    assert with_article_words("dien bien co bi sap nhap khong", says) == (
        "dien bien co bi sắp xếp khong")
    assert classify("What was Dien Bien's GDP in 2025?", ARTICLE).search_text == (
        "What was Dien Bien's GRDP in 2025?")


def test_a_phrase_the_articles_use_or_one_without_a_used_counterpart_stays() -> None:
    merged = Restorer.build(["Hai tỉnh được sáp nhập; GDP cả nước tăng."]).says
    assert with_article_words("Tỉnh nào được sáp nhập?", merged) == "Tỉnh nào được sáp nhập?"
    assert with_article_words("GDP tăng bao nhiêu?", merged) == "GDP tăng bao nhiêu?"
    # the articles write no "miền núi": "vùng cao" stays; inside a word nothing matches
    assert with_article_words("Vùng cao có gì?", ARTICLE.says) == "Vùng cao có gì?"
    assert with_article_words("GDPR là gì?", ARTICLE.says) == "GDPR là gì?"
    # typed with marks, a phrase must be typed with its own
    assert with_article_words("Bao nhiêu học sinh sắp nhập học?", ARTICLE.says) == (
        "Bao nhiêu học sinh sắp nhập học?")


def test_hospital_and_sports_words_go_either_way() -> None:
    discharged = Restorer.build(["Ngày 20/11, người bệnh được xuất viện trước 17.500 khán giả."])
    assert with_article_words("Bà cụ ra viện khi nào?", discharged.says) == (
        "Bà cụ xuất viện khi nào?")
    assert with_article_words("Có bao nhiêu cổ động viên?", discharged.says) == (
        "Có bao nhiêu khán giả?")
    left = Restorer.build(["Bà ra viện hôm qua."])
    assert with_article_words("Bà xuất viện khi nào?", left.says) == "Bà ra viện khi nào?"


def test_court_business_and_tourism_words_go_to_the_articles_ones() -> None:
    says = Restorer.build(["Vụ án có 1.284 bị hại. Lợi nhuận sau thuế đạt 612 tỷ đồng.",
                           "Tuần lễ đón 12.500 lượt khách quốc tế; hai bị cáo hưởng án treo."]).says
    assert with_article_words("Bao nhiêu nạn nhân?", says) == "Bao nhiêu bị hại?"
    assert with_article_words("Công ty lãi ròng bao nhiêu?", says) == (
        "Công ty lợi nhuận sau thuế bao nhiêu?")
    assert with_article_words("Bao nhiêu du khách nước ngoài?", says) == (
        "Bao nhiêu khách quốc tế?")
    assert with_article_words("Ai được hưởng tù treo?", says) == "Ai được hưởng án treo?"


def test_plain_words_are_searched_as_a_report_writes_them() -> None:
    report = Restorer.build(["Tỉnh có 19 dân tộc cùng sinh sống; thu ngân sách đạt 58.420 tỷ "
                             "đồng; 328 hộ phải tái định cư."]).says
    assert with_article_words("Bao nhiêu cộng đồng sắc tộc sinh sống?", report) == (
        "Bao nhiêu cộng đồng dân tộc sinh sống?")
    assert with_article_words("Tỉnh thu bao nhiêu tiền cho công quỹ?", report) == (
        "Tỉnh thu bao nhiêu tiền cho ngân sách?")
    assert with_article_words("Bao nhiêu gia đình phải chuyển đến chỗ ở mới?", report) == (
        "Bao nhiêu gia đình phải tái định cư?")


def test_a_count_in_two_syllables_a_report_writes_otherwise_is_not_counted_by_its_first() -> None:
    from bot.retrieval.answer_type import counted_noun
    assert counted_noun("Bao nhiêu cộng đồng dân tộc sinh sống ở Điện Biên?") is None
    assert counted_noun("bao nhieu gia dinh phai tai dinh cu") is None
    assert counted_noun("Điện Biên có bao nhiêu huyện?") == "huyen"
