"""Running a built python-telegram-bot Application against the fake Bot API (long polling, or
a webhook the test posts to) for the length of a test scenario."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application, Updater

from tests.fake_bot_api import FakeBotAPI

Scenario = Callable[[FakeBotAPI], Awaitable[None]]
# How the updater starts receiving updates, when not by long polling (e.g. a webhook).
Starter = Callable[[Updater], Awaitable[Any]]


def run_app(app: Application[Any, Any, Any, Any, Any, Any], fake: FakeBotAPI,
            scenario: Scenario, start: Starter | None = None) -> None:
    """Start `app` (long polling, or `start(updater)`), play `scenario`, stop it cleanly."""
    async def main() -> None:
        async with app:
            assert app.post_init is not None and app.updater is not None
            await app.post_init(app)
            await app.start()
            if start is None:
                await app.updater.start_polling(poll_interval=0.0, timeout=1)
            else:
                await start(app.updater)
            try:
                await asyncio.wait_for(scenario(fake), timeout=120)
            finally:
                await app.updater.stop()
                await app.stop()
                assert app.post_stop is not None
                await app.post_stop(app)

    asyncio.run(main())
