""""Xem thêm" continues the answer the user got: its passages are computed with the first reply,
so a rebuild in between changes nothing on the next pages."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from bot.engine import Engine
from tests.fake_bot_api import BOT_USER, FakeBotAPI
from tests.test_telegram import assert_valid_html, run_bot, texts, until

ARTICLE = "tong-bi-thu-to-lam-lam-viec-voi-dien-bien.md"


def quotes(html: str) -> list[str]:
    """The plain text of each quoted passage in a message."""
    return [unescape(re.sub(r"<[^>]+>", "", body))
            for body in re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)]


def click(api: FakeBotAPI, data: str, query_id: str) -> None:
    api.push({"callback_query": {
        "id": query_id, "chat_instance": "ci", "data": data,
        "from": {"id": 111, "is_bot": False, "first_name": "Lan"},
        "message": {"message_id": 5, "date": 0, "chat": {"id": 111, "type": "private"},
                    "from": BOT_USER, "text": "…"}}})


def test_more_pages_through_the_answer_already_given_even_after_a_rebuild(
        engine: Engine, sources: Path, fake: FakeBotAPI) -> None:
    engine.refresh()
    original = (sources / ARTICLE).read_text(encoding="utf-8")

    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo")
        await until(lambda: len(api.sent()) == 1)
        data = api.sent()[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        # Only the paragraph of the first passage is left; a new search could not find [2].
        kept = next(line for line in original.splitlines() if "17,66%" in line)
        (sources / ARTICLE).write_text(kept + "\n", encoding="utf-8")
        api.message("/reload")
        await until(lambda: len(api.sent()) == 2)
        click(api, data, "cb1")
        await until(lambda: len(api.sent()) == 3)
        more = api.sent()[2]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        click(api, more, "cb2")
        await until(lambda: len(api.sent()) == 4)
        click(api, "more:forgotten", "cb3")
        await until(lambda: len(api.sent("answerCallbackQuery")) == 3)

    run_bot(engine, fake, scenario, admin_ids=frozenset({111}))
    first, reload, second, third = texts(fake)
    assert "17,66%" in first and "rebuilt" in reload
    for html in (second, third):
        assert_valid_html(html)
    assert "<i>[2]" in second and "<i>[3]" in second and "<i>[1]" not in second
    assert "<i>[4]" in third and "<i>[5]" in third
    now = (sources / ARTICLE).read_text(encoding="utf-8")
    for html in (second, third):
        shown = quotes(html)
        assert shown and all(quote in original and quote not in now for quote in shown)
    assert fake.sent("answerCallbackQuery")[2]["text"] == "Câu hỏi này đã cũ, hãy hỏi lại."
