"""Articles added and removed from Telegram, end to end: the real python-telegram-bot over HTTP
to the fake Bot API, pages from the local news site, the real engine (the hashing embedder,
except the one real-model test): an admin's link or document is added and answered from at
once with a linked citation, anyone else's is refused, `/remove` asks before moving a file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.frontends.citation import quote_link
from bot.frontends.telegram.admin import ADD_ADMIN_ONLY, CANCELLED, NOT_AN_ARTICLE
from bot.frontends.telegram.bot import ADMIN_ONLY
from tests.fake_bot_api import FakeBotAPI
from tests.news_site import BRIDGE, COFFEE, NewsSite
from tests.test_telegram import assert_valid_html, run_bot, settle, texts, until

ADMIN, OTHER = 7, 8
BRIDGE_QUESTION = "Cây cầu có tổng mức đầu tư bao nhiêu từ ngân sách tỉnh?"
SEED_TITLE = "Tổng Bí thư Tô Lâm làm việc với tỉnh Điện Biên"


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite([BRIDGE, COFFEE]) as running:
        yield running


@pytest.fixture
def web_engine(fake_settings: Settings, fake_embedder: Embedder) -> Engine:
    engine = Engine(replace(fake_settings, allow_private_urls=True),
                    load_model=lambda name: fake_embedder)
    engine.refresh()
    return engine


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b["text"], b["callback_data"])
            for row in message["reply_markup"]["inline_keyboard"] for b in row]


def linked_citation(site: NewsSite) -> str:
    return f'<a href="{site.url(BRIDGE)}#:~:text='


def test_an_admins_link_is_added_and_answered_with_a_linked_citation(
        web_engine: Engine, fake: FakeBotAPI, site: NewsSite) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message(site.url(BRIDGE), chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 1)
        api.message(BRIDGE_QUESTION, chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 2)
        api.message("/sources", chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 3)

    run_bot(web_engine, fake, scenario, admin_ids=frozenset({ADMIN}))
    added, answer, listing = texts(fake, ADMIN)
    assert added == f"đã thêm: {BRIDGE.title}, 9 đoạn"
    assert_valid_html(answer)
    assert linked_citation(site) in answer and "18,5 tỷ đồng" in answer
    assert f"{BRIDGE.title}</a> · 02/09/2026 · đoạn" in answer
    assert (f'• <a href="{site.url(BRIDGE)}">{BRIDGE.title}</a> · 02/09/2026 — 9 đoạn'
            in listing)
    assert f"• {SEED_TITLE} — 20 đoạn" in listing  # no link: the bundled article has none


def test_anyone_elses_link_or_document_is_politely_refused(
        web_engine: Engine, fake: FakeBotAPI, site: NewsSite) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message(site.url(BRIDGE), chat_id=OTHER, user_id=OTHER)
        api.document("bai.md", "Một bài viết mới.\n".encode(), chat_id=OTHER, user_id=OTHER)
        api.message("/remove", chat_id=OTHER, user_id=OTHER)
        await until(lambda: len(texts(api, OTHER)) == 3)
        await settle(api)

    run_bot(web_engine, fake, scenario, admin_ids=frozenset({ADMIN}))
    # updates are handled concurrently: the replies may come in any order
    assert sorted(texts(fake, OTHER)) == sorted([ADD_ADMIN_ONLY, ADD_ADMIN_ONLY, ADMIN_ONLY])
    assert site.requests == [] and not fake.sent("getFile")
    assert [p.name for p in web_engine.settings.sources.iterdir()] == [
        "tong-bi-thu-to-lam-lam-viec-voi-dien-bien.md"]


def test_an_admins_document_is_added_through_the_same_path(
        web_engine: Engine, fake: FakeBotAPI) -> None:
    article = ("---\ntitle: Sân bay Điện Biên mở đường bay mới\nurl: https://tin.example/sb\n"
               "date: 2026-12-01\n---\nSân bay Điện Biên đón chuyến bay thẳng đầu tiên từ "
               "Đà Nẵng vào ngày 1/12/2026.\n")

    async def scenario(api: FakeBotAPI) -> None:
        api.document("Sân bay.md", article.encode("utf-8"), chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 1)
        api.document("bao-cao.pdf", b"%PDF-1.4", chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 2)
        api.message("Sân bay Điện Biên đón chuyến bay thẳng từ Đà Nẵng khi nào?",
                    chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 3)

    run_bot(web_engine, fake, scenario, admin_ids=frozenset({ADMIN}))
    added, refused, answer = texts(fake, ADMIN)
    assert added == "đã thêm: Sân bay Điện Biên mở đường bay mới, 1 đoạn"
    assert refused == NOT_AN_ARTICLE
    assert (web_engine.settings.sources / "san-bay.md").read_text(encoding="utf-8") == article
    assert '<a href="https://tin.example/sb#:~:text=' in answer and "1/12/2026" in answer


def test_remove_asks_for_confirmation_then_moves_the_file_aside(
        web_engine: Engine, fake: FakeBotAPI, site: NewsSite) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message(site.url(COFFEE), chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 1)
        api.message("/remove", chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 2)
        choice = dict(buttons(api.sent()[-1]))[COFFEE.title]
        api.callback(choice, user_id=OTHER)  # someone else's press does nothing
        await until(lambda: len(api.sent("answerCallbackQuery")) == 1)
        api.callback(choice, user_id=ADMIN, chat_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 3)
        confirm, cancel = (data for _, data in buttons(api.sent()[-1]))
        api.callback(cancel, user_id=ADMIN, chat_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 4)
        api.callback(choice, user_id=ADMIN, chat_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 5)
        confirm = buttons(api.sent()[-1])[0][1]
        api.callback(confirm, user_id=ADMIN, chat_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 6)
        api.message("Giá cà phê quả tươi năm nay là bao nhiêu?", chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 7)

    run_bot(web_engine, fake, scenario, admin_ids=frozenset({ADMIN}))
    replies = texts(fake, ADMIN)
    assert "Gỡ bài <b>" + COFFEE.title in replies[2] and ".removed/" in replies[2]
    assert replies[3] == CANCELLED
    assert replies[5].startswith(f'Đã gỡ: <a href="{site.url(COFFEE)}">{COFFEE.title}</a>')
    sources: Path = web_engine.settings.sources
    name = "ca-phe-muong-ang-vao-vu-thu-hoach-gia-tang-gan-gap-doi.md"
    assert not (sources / name).exists() and (sources / ".removed" / name).is_file()
    assert COFFEE.title not in replies[6]  # answered without the removed article
    assert fake.sent("answerCallbackQuery")[0]["text"] == "Admins only."


@pytest.mark.slow
def test_real_model_admin_link_then_question_gets_the_linked_quote(
        embedder: Embedder, settings: Settings, seed_index: Path, fake: FakeBotAPI,
        site: NewsSite) -> None:
    real = Engine(replace(settings, allow_private_urls=True), load_model=lambda name: embedder)
    real.start()  # as `qabot telegram` does before taking updates

    async def scenario(api: FakeBotAPI) -> None:
        api.message(site.url(BRIDGE), chat_id=ADMIN, user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 1, timeout=120)
        api.message("Tổng mức đầu tư của cầu treo Nậm Rốm là bao nhiêu?", chat_id=ADMIN,
                    user_id=ADMIN)
        await until(lambda: len(texts(api, ADMIN)) == 2)

    run_bot(real, fake, scenario, admin_ids=frozenset({ADMIN}))
    added, answer = texts(fake, ADMIN)
    assert added == f"đã thêm: {BRIDGE.title}, 9 đoạn"
    assert_valid_html(answer)
    assert linked_citation(site) in answer
    assert answer.startswith("<b>➜ 18,5 tỷ đồng</b>")
    # the passage is one sentence: highlighted as a whole, and the link scrolls to it
    assert f"<blockquote>{BRIDGE.paragraphs[0]}</blockquote>" in answer
    assert f'<a href="{quote_link(site.url(BRIDGE), BRIDGE.paragraphs[0])}">' in answer
