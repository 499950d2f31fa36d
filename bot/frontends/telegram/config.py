"""Telegram settings from the environment: the token (validated, never printed), the Bot API
address, the allow-list, the admins and the limits."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import QabotError

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")


class TelegramConfigError(QabotError):
    """A missing or malformed Telegram setting."""


@dataclass(frozen=True)
class BotSettings:
    """How the Telegram front end runs."""

    token: str
    base_url: str | None = None
    allowed_chats: frozenset[int] | None = None  # None: everyone may ask
    admin_ids: frozenset[int] = frozenset()
    questions_per_minute: int = 10
    watch_seconds: float = 30.0
    first_page: int = 1  # passages in the first reply; "Xem thêm" shows `page` more
    page: int = 2
    max_passages: int = 7

    def __repr__(self) -> str:  # the token must never reach a log line
        return f"BotSettings(base_url={self.base_url!r}, admins={len(self.admin_ids)})"


def _ids(name: str, value: str | None) -> frozenset[int] | None:
    if value is None or not value.strip():
        return None
    try:
        return frozenset(int(part) for part in re.split(r"[\s,]+", value.strip()) if part)
    except ValueError:
        raise TelegramConfigError(f"{name} must be numeric chat or user ids separated by "
                                  "commas") from None


def _number(name: str, value: str | None, default: float) -> float:
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError:
        raise TelegramConfigError(f"{name} must be a number") from None
    if number <= 0:
        raise TelegramConfigError(f"{name} must be positive")
    return number


def load_bot_settings(env: Mapping[str, str], base_url: str | None = None) -> BotSettings:
    """Read TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL and the QABOT_* bot settings.

    Raises:
        TelegramConfigError: the token is missing or malformed, or a setting is invalid.
    """
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise TelegramConfigError("TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather "
                                  "and export its token")
    if not TOKEN_PATTERN.match(token):
        raise TelegramConfigError("TELEGRAM_BOT_TOKEN is malformed; it looks like "
                                  "123456789:AA... as given by @BotFather")
    return BotSettings(
        token=token,
        base_url=(base_url or env.get("TELEGRAM_API_BASE_URL") or None),
        allowed_chats=_ids("QABOT_ALLOWED_CHATS", env.get("QABOT_ALLOWED_CHATS")),
        admin_ids=_ids("QABOT_ADMIN_IDS", env.get("QABOT_ADMIN_IDS")) or frozenset(),
        questions_per_minute=int(_number("QABOT_RATE_LIMIT", env.get("QABOT_RATE_LIMIT"), 10)),
        watch_seconds=_number("QABOT_WATCH_SECONDS", env.get("QABOT_WATCH_SECONDS"), 30.0),
    )


class RedactSecret(logging.Filter):
    """Replaces the token in every log record, message and traceback alike."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "<token>")
        record.msg, record.args = message.replace(self.secret, "<token>"), ()
        return True
