"""Follow-up questions in Telegram, end to end through the fake Bot API: one conversation per
private chat, per user in a group, a reply to an answer continues that answer, `/new`, expiry.
The hashing embedder answers; what is checked is which turns each question is read with."""

from __future__ import annotations

from typing import Any

from bot.engine import Engine
from bot.frontends.telegram.bot import NEW_CONVERSATION
from tests.fake_bot_api import FakeBotAPI
from tests.test_telegram import run_bot, settle, texts, until

FOLLOW_UP = "câu hỏi tiếp, tìm theo: "
SECRETARY = "Bí thư Tỉnh ủy Điện Biên là ai?"
MINISTER = "Bộ trưởng Bộ Quốc phòng là ai?"
GROUP: dict[str, Any] = {"chat_id": -100, "chat_type": "supergroup"}


def mention(question: str) -> str:
    return f"@qabot_test_bot {question}"


class Clock:
    """Minutes that pass when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_private_follow_up_then_new(fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        for number, text in enumerate([SECRETARY, "Ông ấy nói gì về hộ nghèo?", "/new",
                                       "Ông ấy nói gì về hộ nghèo?"], 1):
            api.message(text)
            await until(lambda n=number: len(api.sent()) >= n)  # type: ignore[misc]
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario)
    first, follow_up, new, alone = texts(fake)
    assert FOLLOW_UP not in first
    assert (f"{FOLLOW_UP}Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường … Ông ấy nói gì về hộ nghèo?"
            in follow_up)
    assert new == NEW_CONVERSATION
    assert FOLLOW_UP not in alone and "tìm theo" not in alone


def test_two_users_in_a_group_keep_their_own_conversations(fake_seed_engine: Engine,
                                                           fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        turns = [(5, SECRETARY), (6, MINISTER), (5, "Ông ấy nói gì?"), (6, "Ông ấy nói gì?")]
        for number, (user, text) in enumerate(turns, 1):
            api.message(mention(text), user_id=user, **GROUP)
            await until(lambda n=number: len(api.sent()) >= n)  # type: ignore[misc]
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario)
    _, _, fives, sixes = texts(fake)
    assert f"{FOLLOW_UP}Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường … Ông ấy nói gì?" in fives
    # the minister's answer names one person: "ông ấy" carries his name too
    assert f"{FOLLOW_UP}Bộ trưởng Bộ Quốc phòng Phan Văn Giang … Ông ấy nói gì?" in sixes


def test_a_reply_continues_the_answer_it_replies_to_even_late(fake_seed_engine: Engine,
                                                               fake: FakeBotAPI) -> None:
    clock = Clock()

    async def scenario(api: FakeBotAPI) -> None:
        api.message(mention(SECRETARY), user_id=5, **GROUP)
        await until(lambda: len(api.sent()) == 1)
        old_answer = api.delivered(-100)[0]
        api.message(mention(MINISTER), user_id=5, **GROUP)  # the conversation moves on
        await until(lambda: len(api.sent()) == 2)
        clock.now += 3 * 3600  # hours later, another user replies to the first answer
        api.message("Ông ấy nói gì?", user_id=9, reply_to=old_answer, **GROUP)
        await until(lambda: len(api.sent()) == 3)
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario, clock=clock)
    reply = texts(fake)[2]
    assert f"{FOLLOW_UP}Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường … Ông ấy nói gì?" in reply


def test_an_idle_conversation_expires(fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    clock = Clock()

    async def scenario(api: FakeBotAPI) -> None:
        api.message(SECRETARY)
        await until(lambda: len(api.sent()) == 1)
        clock.now += 29 * 60
        api.message("Ông ấy nói gì?")
        await until(lambda: len(api.sent()) == 2)
        clock.now += 31 * 60  # idle longer than the 30 minutes set
        api.message("Ông ấy nói gì?")
        await until(lambda: len(api.sent()) == 3)
        await settle(api)

    run_bot(fake_seed_engine, fake, scenario, clock=clock, conversation_minutes=30.0)
    _, within, expired = texts(fake)
    assert FOLLOW_UP in within and FOLLOW_UP not in expired
