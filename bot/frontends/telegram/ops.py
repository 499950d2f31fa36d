"""What a running bot reports beyond its answers: Prometheus metrics, the Bot API contact that
/healthz checks, and each answer and vote for the feedback database. `Ops()` records nothing
(tests, and the bot without a metrics port or database)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.feedback.store import FeedbackStore
from bot.ops.health import Health
from bot.ops.metrics import Metrics
from bot.retrieval.answer import Answer

logger = logging.getLogger(__name__)
B = TypeVar("B", bound=ApplicationBuilder)  # type: ignore[type-arg]

ANSWER_ID_CHARS = 16  # 64 random bits: a vote cannot be aimed at someone else's answer
POOL = 256  # PTB's own default for the bot's requests


class ContactRequest(HTTPXRequest):
    """PTB's HTTP client, telling `on_contact` about every successful Bot API call."""

    def __init__(self, on_contact: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_contact = on_contact

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if 200 <= code < 300:
            self.on_contact()
        return code, payload


class Ops:
    """Metrics, health and the feedback store of one bot; each is optional."""

    def __init__(self, metrics: Metrics | None = None, health: Health | None = None,
                 store: FeedbackStore | None = None, heartbeat_s: float | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.metrics, self.health, self.store = metrics, health, store
        self.heartbeat_s = heartbeat_s  # webhook mode: nothing else calls the Bot API when idle
        self.clock = clock

    def configure(self, builder: B) -> B:
        """Route the application's Bot API calls through contact-recording requests."""
        if self.health is None:
            return builder
        contact = self.health.contact
        return builder.request(ContactRequest(contact, connection_pool_size=POOL)) \
            .get_updates_request(ContactRequest(contact, connection_pool_size=1))

    async def heartbeat(self, bot: Bot) -> None:
        """Call getMe every `heartbeat_s` so /healthz knows the Bot API is reachable."""
        while self.heartbeat_s is not None:
            try:
                await bot.get_me()
            except TelegramError as exc:
                logger.warning("the Bot API did not answer the heartbeat: %s", exc)
            await asyncio.sleep(self.heartbeat_s)

    # --- what the bot reports -------------------------------------------------------------
    def new_answer_id(self) -> str | None:
        """An id for an answer's vote buttons; None (no buttons) without a database."""
        return uuid.uuid4().hex[:ANSWER_ID_CHARS] if self.store is not None else None

    def answered(self, answer_id: str | None, result: Answer, chat_id: int, shown: int,
                 started: float) -> None:
        seconds = self.clock() - started
        if self.metrics is not None:
            self.metrics.answer(result.answered, result.context, seconds)
        if self.store is not None and answer_id is not None:
            self.store.record_answer(answer_id, result, chat_id, shown, seconds)

    def shown(self, answer_id: str | None, shown: int) -> None:
        if self.store is not None and answer_id is not None:
            self.store.record_shown(answer_id, shown)

    def vote(self, answer_id: str, user_id: int, vote: int) -> None:
        if self.metrics is not None:
            self.metrics.votes.labels("up" if vote > 0 else "down").inc()
        if self.store is not None:
            self.store.record_vote(answer_id, user_id, vote)

    def rate_limited(self) -> None:
        if self.metrics is not None:
            self.metrics.rate_limited.inc()

    def error(self) -> None:
        if self.metrics is not None:
            self.metrics.errors.inc()
