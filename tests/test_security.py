"""Security properties that hold by construction: no pickle, no eval, and the allow-list holds
for callback queries and inline queries too."""

from __future__ import annotations

import re
from pathlib import Path

from bot.engine import Engine
from bot.frontends.telegram.bot import NOT_ALLOWED
from tests.fake_bot_api import BOT_USER, FakeBotAPI
from tests.test_telegram import run_bot, texts, until

BOT_SOURCES = sorted((Path(__file__).resolve().parent.parent / "bot").glob("*.py"))


def test_no_pickle_eval_or_exec_in_the_package() -> None:
    for path in BOT_SOURCES:
        code = path.read_text(encoding="utf-8")
        forbidden = r"\bimport pickle\b|\bpickle\.|\beval\(|\bexec\(|\bmarshal\."
        assert not re.search(forbidden, code), path
        assert "allow_pickle=True" not in code, path


def test_allow_list_holds_for_callback_and_inline_queries(fake_seed_engine: Engine,
                                                          fake: FakeBotAPI) -> None:
    stranger = {"id": 999, "is_bot": False, "first_name": "X"}

    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo", chat_id=111, user_id=111)
        await until(lambda: len(api.sent()) == 1)
        data = api.sent()[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        api.push({"callback_query": {
            "id": "cb9", "chat_instance": "ci", "data": data, "from": stranger,
            "message": {"message_id": 5, "date": 0, "chat": {"id": 999, "type": "private"},
                        "from": BOT_USER, "text": "…"}}})
        api.push({"inline_query": {"id": "iq9", "query": "ti le ho ngheo", "offset": "",
                                   "from": stranger}})
        await until(lambda: bool(api.sent("answerCallbackQuery"))
                    and bool(api.sent("answerInlineQuery")))

    run_bot(fake_seed_engine, fake, scenario, allowed_chats=frozenset({111}))
    assert fake.sent("answerInlineQuery")[0]["results"] == []
    assert fake.sent("answerCallbackQuery")[0]["text"] == "Not available here."
    assert texts(fake, 999) == [] and NOT_ALLOWED not in texts(fake, 111)
