"""Running a built python-telegram-bot Application against the fake Bot API (long polling) for
the length of a test scenario."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from tests.fake_bot_api import FakeBotAPI

Scenario = Callable[[FakeBotAPI], Awaitable[None]]


def run_app(app: Application[Any, Any, Any, Any, Any, Any], fake: FakeBotAPI,
            scenario: Scenario) -> None:
    async def main() -> None:
        async with app:
            assert app.post_init is not None and app.updater is not None
            await app.post_init(app)
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                await asyncio.wait_for(scenario(fake), timeout=120)
            finally:
                await app.updater.stop()
                await app.stop()
                assert app.post_stop is not None
                await app.post_stop(app)

    asyncio.run(main())
