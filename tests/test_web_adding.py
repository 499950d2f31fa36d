"""Adding articles by link or file and removing them, through the one shared code path
(`bot.sources_admin.Library`) and through `qabot add`: written with front matter, indexed at
once, recognised when already there, cited with title, date and a text-fragment link."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.metadata import read_front_matter
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.errors import AddError, FetchError
from bot.frontends.presentation import present
from bot.frontends.render_text import format_answer
from bot.frontends.telegram.render import render_messages
from bot.sources_admin import Added, Library, slug
from tests.conftest import SEED, Run
from tests.news_site import BRIDGE, COFFEE, NewsSite, page

NOW = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
BRIDGE_QUESTION = "Cây cầu có tổng mức đầu tư bao nhiêu từ ngân sách tỉnh?"


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite([BRIDGE, COFFEE, replace(COFFEE, slug="ban-sao", canonical=False)]) as running:
        yield running


@pytest.fixture
def library(fake_settings: Settings, fake_embedder: Embedder) -> Library:
    engine = Engine(replace(fake_settings, allow_private_urls=True),
                    load_model=lambda name: fake_embedder)
    return Library(engine, now=lambda: NOW)


def test_a_link_is_added_as_markdown_with_front_matter_and_answered_at_once(
        library: Library, site: NewsSite) -> None:
    added = library.add(site.url(BRIDGE))
    assert added.describe() == f"đã thêm: {BRIDGE.title}, 9 đoạn"
    assert added.name == f"{slug(BRIDGE.title)}.md" == "khanh-thanh-cau-treo-nam-rom-noi-hai-bo-" \
        "thanh-pho-dien-bien-phu.md"
    text = (library.folder / added.name).read_text(encoding="utf-8")
    meta = read_front_matter(text)
    assert (meta.title, meta.url, meta.date, meta.site, meta.fetched_at) == (
        BRIDGE.title, site.url(BRIDGE), "2026-09-02", "Báo Tây Bắc Mới",
        "2026-11-27T08:30:00+00:00")
    top = library.engine.answer(BRIDGE_QUESTION, 3).passages[0]
    assert "18,5 tỷ đồng" in top.text and top.source == added.name
    assert (top.title, top.url, top.date) == (BRIDGE.title, site.url(BRIDGE), "2026-09-02")
    assert text[top.start:top.end] == top.text  # offsets into the file as written


def test_the_same_link_or_the_same_text_twice_is_recognised(library: Library,
                                                            site: NewsSite) -> None:
    first = library.add(site.url(COFFEE))
    again = library.add(site.url(COFFEE) + "#binh-luan")
    assert again.already and again.describe() == f"already there: {COFFEE.title} ({first.name})"
    assert site.requests.count(f"/tin/{COFFEE.slug}.html") == 1  # known link: not fetched
    # The same article at another address (no canonical link): recognised by its text.
    copy = library.add(f"{site.base}/tin/ban-sao.html")
    assert copy.already and copy.name == first.name
    # The bundled article sent again as a file is already there too.
    (seed,) = SEED.glob("*.md")
    assert library.add(str(seed)).already
    assert sorted(_articles_in(library.folder)) == sorted([seed.name, first.name])


def _articles_in(folder: Path) -> list[str]:
    """The folder's files as qabot reads it: hidden ones (a lock, `.removed/`) are not
    articles."""
    return [p.name for p in folder.iterdir() if not p.name.startswith(".")]


def test_two_processes_adding_the_same_link_at_once_add_it_once(
        fake_settings: Settings, fake_embedder: Embedder, site: NewsSite) -> None:
    settings = replace(fake_settings, allow_private_urls=True)
    # Two libraries over two engines: what two `qabot add` processes share is the folder.
    libraries = [Library(Engine(settings, load_model=lambda name: fake_embedder),
                         now=lambda: NOW) for _ in range(2)]
    for library in libraries:
        library.engine.refresh()
    start = threading.Barrier(2)

    def add(library: Library) -> Added:
        start.wait()
        return library.add(site.url(COFFEE))

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(add, libraries))
    assert sorted(r.already for r in results) == [False, True]
    assert len(_articles_in(settings.sources)) == 2  # the seed article and the one added


def test_local_files_are_copied_and_indexed(library: Library, tmp_path: Path) -> None:
    html = tmp_path / "Cà phê Mường Ảng.html"
    html.write_text(page(COFFEE, "https://taybacmoi.example.vn"), encoding="utf-8")
    added = library.add(str(html))
    assert added.name == "ca-phe-muong-ang.html" and added.title == COFFEE.title
    note = tmp_path / "ghi-chu.txt"
    note.write_text("Sân bay Điện Biên đón chuyến bay thẳng từ Đà Nẵng từ tháng 12/2026.\n",
                    encoding="utf-8")
    assert library.add(str(note)).describe() == "đã thêm: ghi-chu.txt, 1 đoạn"
    top = library.engine.answer("Sân bay Điện Biên có chuyến bay thẳng từ Đà Nẵng khi nào?",
                                1).passages[0]
    assert top.source == "ghi-chu.txt" and (top.title, top.url, top.date) == (None, None, None)
    for bad, why in ((tmp_path / "a.pdf", "only .txt, .md and .html"),
                     (tmp_path / "khong-co.txt", "neither an http")):
        if why.startswith("only"):
            bad.write_bytes(b"%PDF")
        with pytest.raises(AddError, match=why):
            library.add(str(bad))
    (tmp_path / "latin1.txt").write_bytes("Dien Bien co 19 dan toc, café.".encode("latin-1"))
    with pytest.raises(AddError, match="not UTF-8"):
        library.add(str(tmp_path / "latin1.txt"))


def test_a_refused_or_failed_link_writes_nothing(library: Library, site: NewsSite,
                                                 fake_settings: Settings) -> None:
    before = sorted(p.name for p in library.folder.iterdir())
    with pytest.raises(FetchError, match="answered 404"):
        library.add(f"{site.base}/khong-co")
    strict = Library(Engine(fake_settings, load_model=library.engine._load_model))
    with pytest.raises(FetchError, match="refusing 127.0.0.1"):
        strict.add(site.url(BRIDGE))
    assert sorted(p.name for p in library.folder.iterdir()) == before


def test_removing_moves_the_file_aside_and_reindexes(library: Library, site: NewsSite) -> None:
    added = library.add(site.url(BRIDGE))
    removed = library.remove(added.name)
    assert removed.title == BRIDGE.title
    assert not (library.folder / added.name).exists()
    assert (library.folder / ".removed" / added.name).is_file()  # moved, not deleted
    assert all(c.source != added.name for c in library.engine.index.chunks)
    with pytest.raises(AddError, match="not one of the indexed articles"):
        library.remove("../../etc/passwd")


def test_citations_show_title_date_and_a_link_to_the_quoted_sentence(
        library: Library, site: NewsSite) -> None:
    library.add(site.url(COFFEE))
    answer = library.engine.answer("Toàn huyện có bao nhiêu ha cà phê đạt chứng nhận?", 1)
    top = answer.passages[0]
    assert "600 ha" in top.highlight and "&" in top.highlight
    view = present(answer).passages[0]
    assert view.labels()[:3] == [COFFEE.title, "15/10/2026", f"đoạn {top.paragraph}"]
    assert view.link is not None and view.link.startswith(site.url(COFFEE) + "#:~:text=")
    fragment = view.link.split("#:~:text=", 1)[1]
    assert "&" not in fragment and " " not in fragment and "-" not in fragment
    assert fragment.startswith("To%C3%A0n%20huy%E1%BB%87n%20hi%E1%BB%87n%20c%C3%B3,")
    plain = format_answer(answer)
    assert f"[1] {COFFEE.title} · 15/10/2026 · đoạn {top.paragraph}" in plain
    assert f"\n  {site.url(COFFEE)}\n" in plain  # the URL beneath the header
    (html,) = render_messages(present(answer))
    link = view.link.replace("&", "&amp;")
    assert f'<i>[1] <a href="{link}">{COFFEE.title}</a> · 15/10/2026 · đoạn' in html
    assert "vững &amp; được" in html  # the quote's & is escaped in the text too


def test_qabot_add_by_link_then_ask(fake_cli: Run, tmp_path: Path) -> None:
    with NewsSite([BRIDGE]) as site:
        env = {"QABOT_ALLOW_PRIVATE_URLS": "1"}
        done = fake_cli("add", site.url(BRIDGE), f"{site.base}/khong-co", env=env)
        assert done.returncode == 1
        assert done.stdout == f"đã thêm: {BRIDGE.title}, 9 đoạn\n"
        assert done.stderr.strip().endswith("answered 404 Not Found") and \
            done.stderr.count("Error:") == 1
        again = fake_cli("add", f"{site.base}/chuyen-huong", env=env)
        assert again.returncode == 0 and again.stdout.startswith("already there: ")
        refused = fake_cli("add", site.url(COFFEE))  # no QABOT_ALLOW_PRIVATE_URLS
        assert refused.returncode == 1 and "refusing 127.0.0.1" in refused.stderr
    asked = fake_cli("ask", "--json", BRIDGE_QUESTION)
    top = json.loads(asked.stdout)["passages"][0]
    assert (top["title"], top["url"], top["date"]) == (BRIDGE.title, site.url(BRIDGE),
                                                       "2026-09-02")


def test_text_fragments_are_encoded_and_long_sentences_use_their_ends() -> None:
    from bot.frontends.citation import display_date, quote_link, text_fragment

    assert text_fragment("Giá tăng 10%, từ 1-2 & hơn.") == (
        ":~:text=Gi%C3%A1%20t%C4%83ng%2010%25%2C%20t%E1%BB%AB%201%2D2%20%26%20h%C6%A1n.")
    long = " ".join(f"từ{i}" for i in range(12))
    assert text_fragment(long) == (":~:text=t%E1%BB%AB0%20t%E1%BB%AB1%20t%E1%BB%AB2%20t%E1%BB%AB3,"
                                   "t%E1%BB%AB8%20t%E1%BB%AB9%20t%E1%BB%AB10%20t%E1%BB%AB11")
    assert quote_link("https://a.vn/x#muc-2", "Một câu.") == "https://a.vn/x#muc-2:~:text=M%E1%BB%99t%20c%C3%A2u."
    assert quote_link("https://a.vn/x", "  ") == "https://a.vn/x"
    assert display_date("2026-09-02T08:30:00+07:00") == "02/09/2026"
    assert display_date("tháng 9/2026") == "tháng 9/2026" and display_date(None) is None


def test_a_hostile_title_and_link_are_escaped_exactly_in_telegram() -> None:
    from bot.retrieval.answer import Answer, Passage
    from tests.test_telegram import assert_valid_html

    quote = "Giá vàng tăng 2%."
    passage = Passage(quote, "vang.md", 3, 10, 10 + len(quote), 1.0, quote, 10, 10 + len(quote),
                      title='Giá <b>vàng</b> & "SJC"</a>', url='https://a.vn/x?a=1&b="2"<',
                      date="2026-11-20")
    (html,) = render_messages(present(Answer("giá vàng", True, [passage], "giá vàng")))
    assert_valid_html(html)
    assert ('<i>[1] <a href="https://a.vn/x?a=1&amp;b=&quot;2&quot;&lt;#:~:text=Gi%C3%A1%20'
            'v%C3%A0ng%20t%C4%83ng%202%25.">Giá &lt;b&gt;vàng&lt;/b&gt; &amp; "SJC"&lt;/a&gt;'
            '</a> · 20/11/2026 · đoạn 3</i>') in html
