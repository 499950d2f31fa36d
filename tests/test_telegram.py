"""The Telegram bot end to end: the real python-telegram-bot Application talking HTTP to a fake
Bot API server on 127.0.0.1, answering from the real engine (on the hashing embedder, except the
one real-model test)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.frontends.telegram.bot import ADMIN_ONLY, NOT_ALLOWED, SLOW_DOWN, TEXT_ONLY, QABot
from bot.frontends.telegram.config import BotSettings
from bot.frontends.telegram.handlers import build_application
from bot.frontends.telegram.ratelimit import RateLimiter
from tests.bot_runner import run_app
from tests.fake_bot_api import BOT_USER, TOKEN, FakeBotAPI
from tests.fake_embedder import FAKE_MODEL

Scenario = Callable[[FakeBotAPI], Awaitable[None]]


def run_bot(engine: Engine, fake: FakeBotAPI, scenario: Scenario,
            limiter: RateLimiter | None = None, clock: Callable[[], float] = time.monotonic,
            **settings: Any) -> None:
    options = {"watch_seconds": 3600.0, **settings}
    bot = QABot(engine, BotSettings(token=TOKEN, base_url=fake.base_url, **options), limiter,
                clock=clock)
    run_app(build_application(bot), fake, scenario)


async def until(check: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.05)


async def settle(fake: FakeBotAPI) -> None:
    """Wait until every queued update was fetched and a moment for handlers to finish."""
    await until(lambda: fake.pending_updates() == 0)
    await asyncio.sleep(1.0)


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in {"b", "i", "blockquote", "a"}, tag
        assert tag == "a" or not attrs, attrs
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, tag


def assert_valid_html(text: str) -> None:
    assert len(text) <= 4096
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert not checker.open


def texts(fake: FakeBotAPI, chat_id: int | None = None) -> list[str]:
    return [str(m["text"]) for m in fake.sent() if chat_id is None or m["chat_id"] == chat_id]


def test_start_greets_and_commands_are_registered(fake_seed_engine: Engine,
                                                  fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message("/start")
        await until(lambda: len(api.sent()) == 1)

    run_bot(fake_seed_engine, fake, scenario)
    (greeting,) = fake.sent()
    assert "Xin chào" in greeting["text"] and "Hi!" in greeting["text"]
    assert greeting["parse_mode"] == "HTML"
    commands = fake.sent("setMyCommands")[0]["commands"]
    assert {c["command"] for c in commands} == {"start", "help", "ask", "new", "sources",
                                                "reload", "remove"}


@pytest.mark.slow
def test_question_with_and_without_diacritics_gets_the_quote(
        embedder: Embedder, settings: Settings, seed_index: Path, fake: FakeBotAPI) -> None:
    real = Engine(settings, load_model=lambda name: embedder)
    real.start()  # as `qabot telegram` does before taking updates

    async def scenario(api: FakeBotAPI) -> None:
        api.message("Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?", chat_id=1, user_id=1)
        await until(lambda: len(texts(api, 1)) == 1)
        api.message("ti le ho ngheo", chat_id=2, user_id=2)
        await until(lambda: len(texts(api, 2)) == 1)

    run_bot(real, fake, scenario)
    for chat in (1, 2):
        (html,) = texts(fake, chat)
        assert_valid_html(html)
        assert "<b>Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm.</b>" \
            in html
        assert "<i>[1] Tổng Bí thư Tô Lâm làm việc với tỉnh Điện Biên · đoạn 8</i>" in html
        assert "<blockquote>" in html
    assert "tìm theo: tỉ lệ hộ nghèo" in texts(fake, 2)[0]
    markup = fake.sent()[0]["reply_markup"]
    assert markup["inline_keyboard"][0][0]["text"] == "Xem thêm"


def test_long_answer_is_split_into_valid_html_with_escaped_article_text(
        fake_engine: Engine, sources: Path, fake: FakeBotAPI) -> None:
    sentence = "Chỉ số a < b & c > d của Điện Biên tăng trong giai đoạn {i} nhờ kinh tế cửa khẩu. "
    (sources / "chi-so.txt").write_text(
        "\n".join("".join(sentence.format(i=p * 20 + i) for i in range(18)) for p in range(4)),
        encoding="utf-8")
    fake_engine.start()  # as `qabot telegram` does before taking updates

    async def scenario(api: FakeBotAPI) -> None:
        api.message("Chỉ số a < b & c > d của Điện Biên tăng nhờ kinh tế cửa khẩu")
        await until(lambda: any("reply_markup" in m for m in api.sent()))  # the last part
        await settle(api)

    run_bot(fake_engine, fake, scenario, first_page=5)
    messages = texts(fake)
    assert len(messages) >= 2
    for html in messages:
        assert_valid_html(html)
    joined = "".join(messages)
    assert "a &lt; b &amp; c &gt; d" in joined and "a < b" not in joined
    assert "reply_markup" in fake.sent()[-1] and "reply_markup" not in fake.sent()[0]


def test_groups_answer_only_mentions_replies_and_ask(fake_seed_engine: Engine,
                                                     fake: FakeBotAPI) -> None:
    group = {"chat_id": -100, "chat_type": "supergroup"}

    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo", user_id=5, **group)  # not addressed to the bot
        api.message("@qabot_test_bot ti le ho ngheo", user_id=5, **group)
        await until(lambda: len(api.sent()) == 1)
        bot_message = {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "supergroup"},
                       "from": BOT_USER, "text": "…"}
        api.message("Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?", user_id=6,
                    reply_to=bot_message, **group)
        await until(lambda: len(api.sent()) == 2)
        api.message("/ask Bộ trưởng Bộ Quốc phòng là ai?", user_id=7, **group)
        await until(lambda: len(api.sent()) == 3)
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario)
    first, second, third = texts(fake)
    assert "17,66%" in first and "Nguyễn Duy Ngọc" in second and "Phan Văn Giang" in third


def test_more_button_shows_the_next_passages(fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo")
        await until(lambda: len(api.sent()) == 1)
        data = api.sent()[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        api.push({"callback_query": {
            "id": "cb1", "chat_instance": "ci", "data": data,
            "from": {"id": 111, "is_bot": False, "first_name": "Lan"},
            "message": {"message_id": 5, "date": 0, "chat": {"id": 111, "type": "private"},
                        "from": BOT_USER, "text": "…"}}})
        await until(lambda: len(api.sent()) == 2 and bool(api.sent("answerCallbackQuery")))

    run_bot(fake_seed_engine, fake, scenario)
    more = texts(fake)[1]
    assert_valid_html(more)
    assert "<i>[2]" in more and "<i>[3]" in more and "<i>[1]" not in more


def test_inline_query_offers_the_top_passages(fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.push({"inline_query": {"id": "iq1", "query": "ti le ho ngheo", "offset": "",
                                   "from": {"id": 111, "is_bot": False, "first_name": "Lan"}}})
        await until(lambda: bool(api.sent("answerInlineQuery")))

    run_bot(fake_seed_engine, fake, scenario)
    results = fake.sent("answerInlineQuery")[0]["results"]
    assert len(results) == 3
    top = results[0]["input_message_content"]
    assert top["parse_mode"] == "HTML" and "17,66%" in top["message_text"]
    assert_valid_html(top["message_text"])


def test_allow_list_refuses_others_once_and_admin_gate_holds(fake_seed_engine: Engine,
                                                             fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo", chat_id=999, user_id=999)
        api.message("ti le ho ngheo", chat_id=999, user_id=999)
        api.message("/reload", chat_id=111, user_id=111)
        api.message("/reload", chat_id=222, user_id=222)
        await until(lambda: len(api.sent()) >= 3)
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario, allowed_chats=frozenset({111, 222}),
            admin_ids=frozenset({222}))
    assert texts(fake, 999) == [NOT_ALLOWED]
    assert texts(fake, 111) == [ADMIN_ONLY]
    assert texts(fake, 222) == ["index is up to date"]


def test_rate_limit_asks_to_slow_down(fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        for _ in range(4):
            api.message("ti le ho ngheo")
        await until(lambda: len(api.sent()) >= 3)
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario, limiter=RateLimiter(2, clock=lambda: 0.0))
    replies = texts(fake)
    assert len(replies) == 3 and replies.count(SLOW_DOWN) == 1


def test_429_and_500_from_the_api_are_retried(fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        api.fail("sendMessage", 500, "Internal Server Error")
        api.fail("getUpdates", 502, "Bad Gateway")
        api.message("ti le ho ngheo")
        await until(lambda: len(api.sent()) == 1)
        api.message("Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?")
        await until(lambda: len(api.sent()) == 2)

    run_bot(fake_seed_engine, fake, scenario)
    first, second = texts(fake)
    assert "17,66%" in first and "Nguyễn Duy Ngọc" in second


def test_messages_without_text_are_handled_politely(fake_seed_engine: Engine,
                                                    fake: FakeBotAPI) -> None:
    sticker = {"sticker": {"file_id": "s", "file_unique_id": "u", "width": 1, "height": 1,
                           "is_animated": False, "is_video": False, "type": "regular"}}

    async def scenario(api: FakeBotAPI) -> None:
        api.message(None, extra=sticker)
        api.message(None, chat_id=-5, chat_type="group", extra=sticker)
        api.push({"edited_message": {"message_id": 3, "date": 0, "edit_date": 1, "text": "x",
                                     "chat": {"id": 111, "type": "private"},
                                     "from": {"id": 111, "is_bot": False, "first_name": "L"}}})
        api.push({"channel_post": {"message_id": 4, "date": 0, "text": "ti le ho ngheo",
                                   "chat": {"id": -9, "type": "channel", "title": "K"}}})
        await until(lambda: len(api.sent()) >= 1)
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario)
    assert texts(fake) == [TEXT_ONLY]


def test_source_changed_while_running_is_answered_from_the_new_text(
        fake_engine: Engine, sources: Path, fake: FakeBotAPI) -> None:
    fake_engine.refresh()

    async def scenario(api: FakeBotAPI) -> None:
        (sources / "cau-moi.txt").write_text(
            "Cầu treo Nậm Rốm mới được khánh thành vào tháng 9/2026.\n", encoding="utf-8")
        await until(lambda: any(c.source == "cau-moi.txt" for c in fake_engine.index.chunks))
        api.message("Cầu treo Nậm Rốm khánh thành khi nào?")
        await until(lambda: len(api.sent()) == 1)

    run_bot(fake_engine, fake, scenario, watch_seconds=0.3)
    assert "tháng 9/2026" in texts(fake)[0] and "cau-moi.txt" in texts(fake)[0]


def test_the_token_never_appears_in_logs(fake: FakeBotAPI, tmp_path: Path,
                                         cache_dir: Path) -> None:
    fake.message("ti le ho ngheo")
    fake.fail("sendMessage", 400, f"Bad Request: bot{TOKEN} broken")
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "QABOT_CACHE": str(cache_dir),
           "HF_HUB_OFFLINE": "1", "QABOT_MODEL": FAKE_MODEL, "PYTHONPATH": str(repo)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "telegram", "-v", "--base-url", fake.base_url,
         "--sources", str(repo / "source_text"), "--index", str(tmp_path / "index")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    deadline = time.time() + 120
    while time.time() < deadline and not fake.sent("sendMessage"):
        time.sleep(0.2)  # the bad request, then the apology
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=60)[0].decode("utf-8", "replace")
    assert fake.sent("sendMessage")[0]["text"].startswith("Xin lỗi"), output
    assert "ready" in output and "error while handling an update" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def test_sources_command_and_unanswerable_question(fake_seed_engine: Engine,
                                                   fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message("/sources", chat_id=1, user_id=1)
        await until(lambda: len(texts(api, 1)) == 1)
        api.message("Who won the 2022 football World Cup?", chat_id=2, user_id=2)
        await until(lambda: len(texts(api, 2)) == 1)

    run_bot(fake_seed_engine, fake, scenario)
    listing = texts(fake, 1)[0]
    assert "• Tổng Bí thư Tô Lâm làm việc với tỉnh Điện Biên — 20 đoạn" in listing
    assert "Chỉ mục xây lúc" in listing
    weak = texts(fake, 2)[0]
    assert_valid_html(weak)
    assert weak.startswith("Các bài viết không nói về điều này.") and "· yếu</i>" in weak
