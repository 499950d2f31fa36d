"""Articles with metadata: a news page reduced to its article by trafilatura (every body
paragraph, none of the chrome), Markdown front matter read as metadata, and both indexed with
exact offsets and their title, link and date on every passage."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.chunking import ChunkerParams, chunk_source
from bot.corpus.extraction import extract_article
from bot.corpus.fetching import Page
from bot.corpus.metadata import ArticleMeta, front_matter_block, read_front_matter
from bot.corpus.sources import Source, source_from_bytes
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.retrieval.evidence import QuestionTerms, passage_signals
from bot.retrieval.fusion import retrieve
from bot.retrieval.question import classify
from tests.conftest import SEED
from tests.fake_embedder import FAKE_MODEL
from tests.news_site import BRIDGE, CHROME, COFFEE, body_lines, page

BASE = "https://taybacmoi.example.vn"


def test_a_news_page_keeps_every_body_paragraph_and_nothing_of_the_chrome() -> None:
    for article in (BRIDGE, COFFEE):
        extracted = extract_article(page(article, BASE).encode("utf-8"))
        lines = extracted.text.splitlines()
        assert lines == body_lines(article)  # in order, each whole, the caption included
        for chrome in CHROME:
            assert chrome not in extracted.text, chrome
        assert extracted.meta.title == article.title
        assert extracted.meta.date == article.date
        assert extracted.meta.url == f"{BASE}/tin/{article.slug}.html"
        assert extracted.meta.site == "Báo Tây Bắc Mới"


def test_a_page_without_canonical_link_is_cited_by_where_it_came_from() -> None:
    html = page(BRIDGE, BASE).replace('rel="canonical"', 'rel="x"').replace("og:url", "og:x")
    assert extract_article(html, "https://mirror.example/a").meta.url == "https://mirror.example/a"
    # a canonical link that is not http(s) is never used as a citation
    odd = html.replace('rel="x" href="', 'rel="canonical" href="javascript:alert(1)//')
    assert extract_article(odd).meta.url is None


def test_an_html_source_is_indexed_as_its_article_with_exact_offsets(
        fake_engine: Engine, fake_settings: Settings) -> None:
    raw = page(BRIDGE, BASE).encode("utf-8")
    (fake_settings.sources / "cau.html").write_bytes(raw)
    fake_engine.refresh()
    result = fake_engine.answer("Cây cầu có tổng mức đầu tư bao nhiêu từ ngân sách tỉnh?", 3)
    top = result.passages[0]
    assert top.source == "cau.html" and "18,5 tỷ đồng" in top.text
    assert (top.title, top.url, top.date) == (BRIDGE.title, f"{BASE}/tin/{BRIDGE.slug}.html",
                                              "2026-09-02")
    source = source_from_bytes("cau.html", raw)
    assert isinstance(source, Source)
    assert source.text[top.start:top.end] == top.text
    assert source.text[top.highlight_start:top.highlight_end] == top.highlight
    texts = [c.text for c in fake_engine.index.chunks if c.source == "cau.html"]
    assert BRIDGE.items[0] in texts  # a list item is a paragraph, quoted without its marker
    assert not any(chrome in text for chrome in CHROME for text in texts)


def test_front_matter_is_metadata_never_a_passage_and_paragraphs_count_after_it() -> None:
    meta = ArticleMeta(title='Cà phê "Mường Ảng": giá tăng', url="https://x.example/a?b=1&c=2",
                       date="2026-10-15", site="Báo: Tây Bắc")
    body = "Mở đầu bài viết về cà phê.\n\nGiá cà phê tăng gần gấp đôi.\n"
    text = front_matter_block(meta) + body
    assert read_front_matter(text) == meta  # what is written is read back exactly
    chunks = chunk_source("ca-phe.md", text, ChunkerParams())
    assert [(c.paragraph, c.text) for c in chunks] == [
        (1, "Mở đầu bài viết về cà phê."), (2, "Giá cà phê tăng gần gấp đôi.")]
    assert all(text[c.start:c.end] == c.text for c in chunks)
    # the same lines in a .txt are text, and a front matter never closed is not front matter
    assert "title:" in " ".join(c.text for c in chunk_source("a.txt", text, ChunkerParams()))
    assert read_front_matter("---\ntitle: x\nno closing line.\n") == ArticleMeta()


def test_hand_written_front_matter_and_a_bad_url_are_read_safely() -> None:
    text = ("---\ntitle: 'Điện Biên ''mới'''\nurl: ftp://files.example/a\ndate: 2026-01-02 "
            "# published\ntags:\n  - a\n---\nMột câu.\n")
    meta = read_front_matter(text)
    assert meta == ArticleMeta(title="Điện Biên 'mới'", url=None, date="2026-01-02")


def test_the_bundled_article_has_a_human_title_and_no_invented_link_or_date() -> None:
    (path,) = SEED.glob("*.md")
    source = source_from_bytes(path.name, path.read_bytes())
    assert isinstance(source, Source)
    assert source.meta.title == "Tổng Bí thư Tô Lâm làm việc với tỉnh Điện Biên"
    assert source.meta.url is None and source.meta.date is None


def test_a_page_that_is_not_an_article_gives_no_passage() -> None:
    assert extract_article(b"").text == ""
    menu = extract_article("<html><body><nav>Trang chủ</nav><script>x()</script></body></html>")
    assert chunk_source("menu.html", menu.text, ChunkerParams()) == []


def test_a_page_without_a_declared_charset_is_read_as_utf8_when_it_is() -> None:
    """Saved by hand or served without a charset, a UTF-8 page must not be indexed as
    Latin-1 mojibake; a declared charset is still followed."""
    body = ("<html><head><title>Chợ phiên Mường Phăng</title></head><body><article>"
            "<p>Chợ phiên Mường Phăng có 120 gian hàng của đồng bào các dân tộc, họp vào mỗi "
            "sáng chủ nhật hằng tuần.</p></article></body></html>")
    assert "Mường Phăng có 120 gian hàng" in extract_article(body.encode("utf-8")).text
    declared = body.replace("<head>", '<head><meta charset="windows-1258">')
    cp1258 = declared.encode("cp1258", errors="replace")
    assert "120 gian hàng" in extract_article(cp1258).text  # the declaration is followed
    xml = '<?xml version="1.0" encoding="utf-8"?>' + body
    assert "Mường Phăng" in extract_article(xml.encode("utf-8")).text


def test_a_name_in_the_articles_title_is_not_missing_from_its_passages(
        tmp_path: Path, fake_embedder: Embedder) -> None:
    """"Mỗi phiên chợ Mường Phăng thu hút bao nhiêu lượt khách?" is answered by a passage that
    says "mỗi phiên chợ" under the title "Chợ phiên Mường Phăng …": the name is not missing."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "cho.md").write_text(
        "---\ntitle: Chợ phiên Mường Phăng đông vui ngày cuối tuần\n---\n"
        "Theo Ban quản lý chợ, mỗi phiên chợ thu hút khoảng 3.000 lượt khách.\n",
        encoding="utf-8")
    engine = Engine(Settings(sources=sources, index=tmp_path / "index", cache=tmp_path / "c",
                             model=FAKE_MODEL, python_models=True),
                    load_model=lambda name: fake_embedder)
    engine.refresh()
    index = engine.index
    form = classify("Mỗi phiên chợ Mường Phăng thu hút bao nhiêu lượt khách?",
                    index.lexical.restorer)
    found = retrieve(index, fake_embedder, form)
    signals = passage_signals(found, index, QuestionTerms(form, index))
    assert signals.missing_name == 0.0
    other = classify("Mỗi phiên chợ Bắc Hà thu hút bao nhiêu lượt khách?", index.lexical.restorer)
    assert passage_signals(retrieve(index, fake_embedder, other), index,
                           QuestionTerms(other, index)).missing_name == 1.0


def test_front_matter_lists_and_impossible_dates_are_not_metadata() -> None:
    meta = read_front_matter('---\ntitle: [a, b]\ndate: "2026-13-45"\nsite: {x: 1}\n---\nBody.\n')
    assert meta.title is None and meta.date is None and meta.site is None
    kept = read_front_matter('---\ntitle: "[Video] Chợ phiên"\ndate: 2026-11-20\n---\nBody.\n')
    assert kept.title == "[Video] Chợ phiên" and kept.date == "2026-11-20"


SHORT_PAGE = """<html><head><meta charset="utf-8"><title>Hà Nội mở tuyến buýt điện E12</title>
</head><body><div id="cookie-banner" class="cookie-consent">Chúng tôi sử dụng cookie để cải
thiện trải nghiệm của bạn. Bằng việc tiếp tục truy cập, bạn đồng ý với chính sách cookie.
<button>Đồng ý</button></div>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li></ul></nav>
<div class="banner-ad ads">QUẢNG CÁO: Vay tiêu dùng lãi suất 0% trong 12 tháng!</div>
<article><h1>Hà Nội mở tuyến buýt điện E12</h1>
<p>Từ ngày 1/9, Hà Nội đưa vào khai thác tuyến buýt điện E12 từ bến xe Mỹ Đình đến khu đô
thị Ocean Park với tần suất 15 phút một chuyến, giá vé 9.000 đồng một lượt.</p></article>
<div class="social-share">Chia sẻ: Facebook | Zalo | Twitter</div>
<div class="ads">Tải ứng dụng để đọc tin nhanh nhất. Khuyến mãi iPhone 16 giảm 5 triệu đồng!</div>
</body></html>"""


def test_a_charset_declared_after_the_title_is_followed_for_the_whole_page() -> None:
    # lxml follows a declaration only before any text: the page came out as Latin-1 mojibake
    late = SHORT_PAGE.replace('<meta charset="utf-8"><title>Hà Nội mở tuyến buýt điện E12</title>',
                              '<title>Hà Nội mở tuyến buýt điện E12</title><meta charset="utf-8">')
    found = extract_article(late.encode("utf-8"))
    assert found.meta.title == "Hà Nội mở tuyến buýt điện E12"
    assert "tuyến buýt điện E12 từ bến xe Mỹ Đình" in found.text
    # a charset no codec knows is as none: UTF-8 bytes are read as UTF-8
    unknown = SHORT_PAGE.replace('charset="utf-8"', 'charset="x-unheard-of"')
    assert "bến xe Mỹ Đình" in extract_article(unknown.encode("utf-8")).text


def test_a_short_page_keeps_its_article_and_none_of_the_chrome() -> None:
    text = extract_article(SHORT_PAGE.encode("utf-8")).text
    assert "tuyến buýt điện E12 từ bến xe Mỹ Đình" in text
    for chrome in ("cookie", "QUẢNG CÁO", "Chia sẻ", "iPhone"):
        assert chrome not in text, chrome


def test_a_control_character_in_a_page_does_not_lose_the_page() -> None:
    for control in ("\x0b", "\x1b", "\x0c", "&#x1b;", "&#11;"):
        html = SHORT_PAGE.replace("giá vé", f"giá{control} vé")
        text = extract_article(html.encode("utf-8")).text
        assert "9.000 đồng một lượt" in text and "\x0b" not in text, repr(control)


def test_a_server_naming_the_wrong_charset_does_not_garble_the_page() -> None:
    html = SHORT_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1258">')
    page = Page("https://tin.example.vn/e12.html", html.encode("cp1258", errors="replace"),
                "utf-8")
    text = extract_article(page.html(), page.url).text
    assert "Ocean Park" in text and "\ufffd" not in text
    right = Page("https://tin.example.vn/e12.html", SHORT_PAGE.encode("utf-8"), "utf-8")
    assert "Mỹ Đình" in extract_article(right.html(), right.url).text


def test_a_post_tagged_social_is_no_chrome_and_a_reference_without_semicolon_is_read() -> None:
    html = SHORT_PAGE.replace("<article>", '<article class="post tag-social category-share">')
    assert "tuyến buýt điện E12 từ bến xe Mỹ Đình" in extract_article(html.encode()).text
    for reference in ("&#11 ", "&#x0b "):
        text = extract_article(SHORT_PAGE.replace("giá vé", f"giá{reference}vé").encode()).text
        assert "9.000 đồng một lượt" in text, reference


def test_one_bad_byte_under_the_servers_charset_costs_one_character_only() -> None:
    html = SHORT_PAGE.replace('<meta charset="utf-8">', "").encode("utf-8")
    broken = html.replace("Mỹ Đình".encode(), "Mỹ Đình".encode() + b"\xff")
    page = Page("https://tin.example.vn/e12.html", broken, "utf-8")
    text = extract_article(page.html(), page.url).text
    assert "bến xe Mỹ Đình" in text and "Ã" not in text
