"""50 simulated users sending 20 questions each through the fake Bot API, with and without
failures from the API: every question answered exactly once and in order within each chat.
The hashing embedder stands in for the model (what is measured is the bot, not the model).
PTB's rate limiter sends at most 30 messages a second, so the full load takes over 30 s: the
fast tier runs 10 users with 10 questions each."""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest

from bot.engine import Engine
from bot.frontends.telegram.ratelimit import RateLimiter
from tests.fake_bot_api import FakeBotAPI
from tests.test_telegram import run_bot, until

LOADS = [pytest.param(10, 10, id="10x10"),
         pytest.param(50, 20, id="50x20", marks=pytest.mark.slow)]
# question -> a text only its answer contains; consecutive questions of a chat differ
TOPICS = {"ti le ho ngheo": "17,66%",
          "Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?": "Nguyễn Duy Ngọc",
          "Bộ trưởng Bộ Quốc phòng là ai?": "Phan Văn Giang",
          "Tỉnh có bao nhiêu thôn, bản, tổ dân phố?": "1.446 thôn"}
QUESTION_LIST = list(TOPICS)


def _load(engine: Engine, fake: FakeBotAPI, capsys: pytest.CaptureFixture[str],
          label: str, users: int, questions: int) -> None:
    asked_at: dict[int, list[float]] = {}
    answered_at: dict[int, list[float]] = {}

    def expected(user: int) -> list[str]:
        return [QUESTION_LIST[(user + round_) % len(QUESTION_LIST)] for round_ in range(questions)]

    def record_answers(api: FakeBotAPI) -> bool:
        for params in api.sent()[sum(len(v) for v in answered_at.values()):]:
            answered_at.setdefault(int(params["chat_id"]), []).append(time.monotonic())
        return sum(len(v) for v in answered_at.values()) >= users * questions

    async def scenario(api: FakeBotAPI) -> None:
        for round_ in range(questions):
            for user in range(1, users + 1):
                api.message(expected(user)[round_], chat_id=user, user_id=user)
                asked_at.setdefault(user, []).append(time.monotonic())
        await until(lambda: record_answers(api), timeout=600)
        await asyncio.sleep(1.0)

    started = time.monotonic()
    run_bot(engine, fake, scenario, limiter=RateLimiter(10_000))
    elapsed = time.monotonic() - started
    answers = fake.sent()
    assert len(answers) == users * questions  # nothing lost, nothing twice
    for user in range(1, users + 1):
        mine = [str(a["text"]) for a in answers if a["chat_id"] == user]
        assert len(mine) == questions
        for round_, (question, text) in enumerate(zip(expected(user), mine, strict=True)):
            assert TOPICS[question] in text, f"chat {user}, answer {round_} is out of order"
    waits = sorted(done - asked for user in asked_at
                   for asked, done in zip(asked_at[user], answered_at[user], strict=True))
    with capsys.disabled():
        print(f"\n{label}: {len(answers)} questions answered once, in order, in {elapsed:.1f} s;"
              f" answer time p50 {statistics.median(waits):.2f} s, "
              f"p95 {waits[int(0.95 * len(waits))]:.2f} s")


@pytest.mark.parametrize(("users", "questions"), LOADS)
def test_many_users_asking_at_once_are_each_answered_in_order(
        fake_seed_engine: Engine, fake: FakeBotAPI, capsys: pytest.CaptureFixture[str],
        users: int, questions: int) -> None:
    _load(fake_seed_engine, fake, capsys, "load", users, questions)


@pytest.mark.parametrize(("users", "questions"), LOADS)
def test_same_load_while_the_api_fails_now_and_then(
        fake_seed_engine: Engine, fake: FakeBotAPI, capsys: pytest.CaptureFixture[str],
        users: int, questions: int) -> None:
    fake.fail_randomly("sendMessage", 23, ((429, 1), (502, None), (0, None)))
    fake.fail_randomly("getUpdates", 7, ((502, None), (0, None)))
    _load(fake_seed_engine, fake, capsys, "load with 429/502/dropped connections", users,
          questions)
    assert fake.injected["sendMessage"] >= users * questions // 23 // 2  # the load met failures
