"""PTB's webhook request handler, made to refuse a body that is not JSON with 400: PTB parses
the body outside its own error handling, so tornado would answer 500 and log a traceback
(python-telegram-bot issue 3979)."""

from __future__ import annotations

import json

import tornado.web
from telegram.ext._utils import webhookhandler


class StrictJSONHandler(webhookhandler.TelegramHandler):
    """The same handler; a body that does not parse as JSON is a client error."""

    async def post(self) -> None:
        self._validate_post()  # the secret is checked first: a stranger still gets 403
        try:
            json.loads(self.request.body.decode())
        except (UnicodeDecodeError, ValueError):
            raise tornado.web.HTTPError(400, reason="Body is not JSON") from None
        await super().post()


def refuse_broken_json() -> None:
    """Make PTB's webhook server use `StrictJSONHandler`. It names its handler class when the
    server starts, so this must run before `run_webhook` / `Updater.start_webhook`."""
    if webhookhandler.TelegramHandler is not StrictJSONHandler:
        setattr(webhookhandler, "TelegramHandler", StrictJSONHandler)  # noqa: B010
