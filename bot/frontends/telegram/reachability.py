"""One line, not a chain of tracebacks, when the bot cannot talk to the Bot API: a `getMe`
before the model loads, and around the bot itself python-telegram-bot's failed start (logged by
`telegram.ext` with the traceback, kept for -v) turned into a `QabotError` with a short reason."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.errors import QabotError
from bot.frontends.telegram.config import BotSettings

logger = logging.getLogger(__name__)

REASON_CHARS = 120
PTB_LOGGER = "telegram.ext"  # where its network retry loop logs (telegram/ext/_utils)


class QuietGiveUp(logging.Filter):
    """Drops the retry loop's "… Aborting." record: the error it logs is raised right after
    and reported once."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (record.levelno >= logging.ERROR and message.startswith("%s ")
                    and "Aborting" in message)


def short_reason(exc: BaseException, secret: str) -> str:
    """The innermost cause's message on one line (httpx's "All connection attempts failed"
    rather than the wrappers around it), without the token."""
    inner = exc
    while inner.__cause__ is not None:
        inner = inner.__cause__
    reason = " ".join(str(inner).split()) or type(inner).__name__
    if secret:
        reason = reason.replace(secret, "<token>")
    return reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS - 1] + "…"


@contextmanager
def reported_unreachable(token: str, verbose: bool) -> Iterator[None]:
    """Run the bot inside this: a Bot API that cannot be reached (or refuses the token) is a
    `QabotError`; the library's traceback is logged only when `verbose`.

    Raises:
        QabotError: the Bot API cannot be reached, or refuses the token.
    """
    quiet = QuietGiveUp()
    library = logging.getLogger(PTB_LOGGER)
    if not verbose:
        library.addFilter(quiet)
    try:
        yield
    except InvalidToken:
        logger.debug("the Bot API refused the token", exc_info=True)
        raise QabotError("the Telegram Bot API refused the token; check TELEGRAM_BOT_TOKEN "
                         "(from @BotFather)") from None
    except NetworkError as exc:  # TimedOut included
        logger.debug("the Bot API cannot be reached", exc_info=True)
        raise QabotError(f"cannot reach the Telegram Bot API ({short_reason(exc, token)}); "
                         "check the network or --base-url") from None
    finally:
        library.removeFilter(quiet)


def check_reachable(settings: BotSettings) -> None:
    """Call `getMe` once, so an unreachable Bot API or a refused token is reported in seconds,
    before the model loads (run inside `reported_unreachable`)."""
    asyncio.run(_get_me(settings))


async def _get_me(settings: BotSettings) -> None:
    base = (settings.base_url or "https://api.telegram.org").rstrip("/")  # as the app sets it
    async with Bot(settings.token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot"):
        pass  # initializing calls getMe
