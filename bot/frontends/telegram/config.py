"""Telegram-only pieces of configuration: the settings themselves are loaded by
`bot.config.load_settings`; this keeps the log filter that hides the token."""

from __future__ import annotations

import logging

from bot.config import TOKEN_PATTERN, BotSettings
from bot.errors import SettingsError

TelegramConfigError = SettingsError  # the name older code and tests import
__all__ = ["TOKEN_PATTERN", "BotSettings", "RedactSecret", "TelegramConfigError"]


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
