"""Settings loading: flags over environment over defaults, one number parser, one clear error
per bad value, the Telegram token required only by `qabot telegram` and never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BotSettings, Settings, load_settings, parse_number
from bot.errors import SettingsError
from bot.frontends.cli import build_parser

TOKEN = "123456789:" + "A" * 35


def test_defaults_without_flags_or_environment() -> None:
    settings = load_settings(env={})
    assert settings.sources == Path("source_text") and settings.index == Path("index")
    assert settings.model == Settings().model and settings.top_k == 3
    assert settings.telegram.questions_per_minute == 10
    assert settings.telegram.watch_seconds == 30.0 and settings.telegram.token == ""


def test_flags_win_over_environment_which_wins_over_defaults() -> None:
    env = {"QABOT_SOURCES": "/env/src", "QABOT_INDEX": "/env/idx", "QABOT_MODEL": "env-model",
           "TELEGRAM_API_BASE_URL": "http://env", "QABOT_CACHE": "/env/cache"}
    from_env = load_settings(env=env)
    assert (from_env.sources, from_env.index, from_env.model) == (
        Path("/env/src"), Path("/env/idx"), "env-model")
    assert from_env.cache == Path("/env/cache")
    assert from_env.telegram.base_url == "http://env"
    flags = load_settings("/flag/src", "/flag/idx", "flag-model", env=env, top_k=7,
                          base_url="http://flag")
    assert (flags.sources, flags.index, flags.model, flags.top_k) == (
        Path("/flag/src"), Path("/flag/idx"), "flag-model", 7)
    assert flags.telegram.base_url == "http://flag"


def test_bot_settings_come_from_the_same_loader() -> None:
    settings = load_settings(env={"QABOT_RATE_LIMIT": "4", "QABOT_WATCH_SECONDS": "2.5",
                                  "QABOT_ALLOWED_CHATS": "1, -100 7", "QABOT_ADMIN_IDS": "9",
                                  "TELEGRAM_BOT_TOKEN": TOKEN}, telegram=True)
    bot = settings.telegram
    assert (bot.questions_per_minute, bot.watch_seconds) == (4, 2.5)
    assert bot.allowed_chats == frozenset({1, -100, 7}) and bot.admin_ids == frozenset({9})
    assert bot.token == TOKEN


@pytest.mark.parametrize(("name", "value", "message"), [
    ("QABOT_RATE_LIMIT", "0.5", "QABOT_RATE_LIMIT must be a whole number ≥ 1, not '0.5'"),
    ("QABOT_RATE_LIMIT", "0", "QABOT_RATE_LIMIT must be a whole number ≥ 1"),
    ("QABOT_RATE_LIMIT", "ten", "QABOT_RATE_LIMIT must be a whole number ≥ 1"),
    ("QABOT_WATCH_SECONDS", "-1", "QABOT_WATCH_SECONDS must be a number ≥ 1"),
    ("QABOT_WATCH_SECONDS", "nan", "QABOT_WATCH_SECONDS must be a number ≥ 1"),
    ("QABOT_WATCH_SECONDS", "inf", "QABOT_WATCH_SECONDS must be a number ≥ 1"),
    ("QABOT_ANN_MIN_PASSAGES", "1e4", "QABOT_ANN_MIN_PASSAGES must be a whole number ≥ 1"),
    ("QABOT_ALLOWED_CHATS", "1,abc", "QABOT_ALLOWED_CHATS must be numeric"),
    ("QABOT_EMBEDDER", "gpu", "QABOT_EMBEDDER must be one of"),
])
def test_every_bad_value_is_one_clear_error_for_every_front_end(
        name: str, value: str, message: str) -> None:
    for telegram in (False, True):
        with pytest.raises(SettingsError) as raised:
            load_settings(env={name: value, "TELEGRAM_BOT_TOKEN": TOKEN}, telegram=telegram)
        assert message in str(raised.value) and "\n" not in str(raised.value)


def test_the_token_is_required_only_for_telegram_and_never_shown() -> None:
    assert load_settings(env={}).telegram.token == ""
    assert load_settings(env={"TELEGRAM_BOT_TOKEN": "garbage"}).telegram.token == ""
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set"):
        load_settings(env={}, telegram=True)
    with pytest.raises(SettingsError, match="malformed") as raised:
        load_settings(env={"TELEGRAM_BOT_TOKEN": "12345:short-secret"}, telegram=True)
    assert "short-secret" not in str(raised.value)
    settings = load_settings(env={"TELEGRAM_BOT_TOKEN": TOKEN}, telegram=True)
    assert TOKEN not in repr(settings) and TOKEN not in repr(settings.telegram)
    assert TOKEN not in str(BotSettings(token=TOKEN))


def test_one_number_parser_serves_flags_and_environment() -> None:
    assert parse_number("--top-k", "50", maximum=50) == 50
    with pytest.raises(SettingsError, match="--top-k must be a whole number between 1 and 50"):
        parse_number("--top-k", "51", maximum=50)
    assert parse_number("X", " 2.5 ", whole=False) == 2.5


def test_top_k_flag_uses_the_same_rule(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ask", "x", "--top-k", "1.5"])
    assert "--top-k must be a whole number between 1 and 50" in capsys.readouterr().err
