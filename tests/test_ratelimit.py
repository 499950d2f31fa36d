"""The Telegram bot's per-user rate limit and its bounded "Xem thêm" store, with time and
answers supplied by the test."""

from __future__ import annotations

from bot.frontends.telegram.bot import Page, PageStore
from bot.frontends.telegram.lru import LRU
from bot.frontends.telegram.ratelimit import RateLimiter
from bot.retrieval.answer import Answer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_allows_that_many_questions_a_minute_then_refuses() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    assert [limiter.allow(7) for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow(8), "another user has a limit of their own"


def test_questions_are_allowed_again_as_the_window_slides() -> None:
    clock = Clock()
    limiter = RateLimiter(2, window=60.0, clock=clock)
    assert limiter.allow(1)
    clock.now += 30
    assert limiter.allow(1)
    assert not limiter.allow(1)
    clock.now += 30  # the first question is now a minute old
    assert limiter.allow(1)
    assert not limiter.allow(1)
    clock.now += 29.5  # the second is 59.5 s old
    assert not limiter.allow(1) and limiter.allow(2)
    clock.now += 0.5
    assert limiter.allow(1)


def test_refused_questions_do_not_count_against_the_user() -> None:
    clock = Clock()
    limiter = RateLimiter(1, window=10.0, clock=clock)
    assert limiter.allow(1)
    for _ in range(20):
        clock.now += 0.25
        assert not limiter.allow(1)
    clock.now += 5.0  # ten seconds after the one question that was answered
    assert limiter.allow(1)


def test_slow_down_is_said_once_per_window() -> None:
    clock = Clock()
    limiter = RateLimiter(1, window=60.0, clock=clock)
    assert limiter.should_warn(1)
    assert not limiter.should_warn(1)
    assert limiter.should_warn(2)
    clock.now += 59
    assert not limiter.should_warn(1)
    clock.now += 1
    assert limiter.should_warn(1)


def answer(name: str) -> Answer:
    return Answer(name, True, [], name)


def test_pages_are_kept_per_chat_and_a_token_from_another_chat_finds_nothing() -> None:
    store = PageStore()
    token = store.put(1, Page(answer("a"), 1))
    found = store.get(1, token)
    assert found is not None and found.answer.question == "a" and found.shown == 1
    assert store.get(2, token) is None
    assert store.get(1, "not-a-token") is None
    assert len(f"more:{token}".encode()) <= 64  # Telegram's limit for callback data


def test_each_chat_keeps_only_its_most_recently_used_pages() -> None:
    store = PageStore(per_chat=2, chats=10)
    first = store.put(1, Page(answer("first"), 1))
    second = store.put(1, Page(answer("second"), 1))
    assert store.get(1, first) is not None  # used again: now the most recent
    store.put(1, Page(answer("third"), 1))
    assert store.get(1, second) is None and store.get(1, first) is not None


def test_only_the_most_recently_used_chats_keep_pages() -> None:
    store = PageStore(per_chat=5, chats=2)
    tokens = {chat: store.put(chat, Page(answer(str(chat)), 1)) for chat in (1, 2)}
    assert store.get(1, tokens[1]) is not None
    store.put(3, Page(answer("3"), 1))
    assert store.get(2, tokens[2]) is None and store.get(1, tokens[1]) is not None


def test_lru_forgets_the_least_recently_used_beyond_its_bound() -> None:
    seen: LRU[str, int] = LRU(2)
    seen.put("a", 1)
    seen.put("b", 2)
    assert seen.use("a") == 1
    seen.put("c", 3)
    assert list(seen) == ["a", "c"] and seen.use("b") is None
