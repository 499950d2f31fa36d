"""/healthz and /metrics: the real prometheus_client exposition served on 127.0.0.1, counting
what the bot did through the fake Bot API; health from the index and the last Bot API contact
(the clock injected)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.engine import Engine
from bot.errors import SettingsError
from bot.frontends.telegram.bot import SLOW_DOWN, QABot
from bot.frontends.telegram.config import BotSettings
from bot.frontends.telegram.handlers import build_application
from bot.frontends.telegram.ops import Ops
from bot.frontends.telegram.ratelimit import RateLimiter
from bot.ops.health import Health, OpsServer
from bot.ops.metrics import Metrics
from tests.bot_runner import run_app
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.test_telegram import settle, texts, until


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8")


def value(exposition: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", exposition, re.MULTILINE)
    assert match is not None, f"{name} not in the exposition"
    return float(match.group(1))


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


@pytest.fixture
def served(fake_seed_engine: Engine, clock: list[float]) -> Iterator[tuple[Ops, str]]:
    metrics = Metrics()
    health = Health(lambda: fake_seed_engine.loaded, window_s=60.0, clock=lambda: clock[0])
    metrics.watch(index_age=lambda: 5.0, passages=lambda: len(fake_seed_engine.index.chunks),
                  contact_age=health.contact_age)
    server = OpsServer("127.0.0.1", 0, metrics, health)
    server.start()
    try:
        yield Ops(metrics=metrics, health=health), f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def test_health_needs_the_index_and_a_recent_bot_api_contact(clock: list[float]) -> None:
    loaded = [False]
    health = Health(lambda: loaded[0], window_s=60.0, clock=lambda: clock[0])
    assert health.check() == (False, "the index is not loaded")
    loaded[0] = True
    assert health.check() == (False, "no successful contact with the Bot API yet")
    health.contact()
    clock[0] += 59
    assert health.check() == (True, "ok")
    clock[0] += 2
    assert health.check() == (False, "no successful contact with the Bot API for 61 s "
                                     "(limit 60 s)")


def test_metrics_count_what_readers_saw_and_health_follows_the_api(
        fake_seed_engine: Engine, fake: FakeBotAPI, served: tuple[Ops, str],
        clock: list[float]) -> None:
    ops, base = served
    assert get(f"{base}/healthz") == (503, "no successful contact with the Bot API yet\n")
    bot = QABot(fake_seed_engine, BotSettings(token=TOKEN, base_url=fake.base_url,
                                              watch_seconds=3600.0),
                limiter=RateLimiter(3, clock=lambda: 0.0), ops=ops)
    app = build_application(bot)
    seen: dict[str, tuple[int, str]] = {}

    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo", chat_id=1, user_id=1)
        api.message("Who won the 2022 football World Cup?", chat_id=2, user_id=2)
        await until(lambda: len(api.sent()) == 2)
        api.fail("sendMessage", 400, "Bad Request: chat not found")
        api.message("ti le ho ngheo", chat_id=3, user_id=3)
        await until(lambda: len(api.sent()) == 3)  # the apology after the error
        for _ in range(4):
            api.message("ti le ho ngheo", chat_id=4, user_id=4)
        await until(lambda: SLOW_DOWN in texts(api, 4))
        await settle(api)
        seen["healthz"] = get(f"{base}/healthz")

    run_app(app, fake, scenario)
    assert seen["healthz"] == (200, "ok\n")
    exposition = get(f"{base}/metrics")[1]
    # answered + refused; the question whose reply failed is an error, not a question
    assert value(exposition, "qabot_questions_total") == 5
    assert value(exposition, "qabot_answered_total") == 4
    assert value(exposition, "qabot_refused_total") == 1
    assert value(exposition, "qabot_errors_total") == 1
    assert value(exposition, "qabot_rate_limited_total") == 1
    assert value(exposition, "qabot_answer_latency_seconds_count") == 5
    assert value(exposition, "qabot_passages_indexed") == len(fake_seed_engine.index.chunks)
    assert value(exposition, "qabot_index_age_seconds") == 5.0
    clock[0] += 61
    status, reason = get(f"{base}/healthz")
    assert status == 503 and reason.startswith("no successful contact with the Bot API for")
    assert get(f"{base}/nothing")[0] == 404


def test_rebuilds_are_counted_with_their_duration(fake_engine: Engine, sources: Path) -> None:
    metrics = Metrics()
    fake_engine.on_rebuild = metrics.rebuilt
    fake_engine.refresh()
    fake_engine.refresh()  # nothing changed: no rebuild
    (sources / "moi.txt").write_text("Một bài mới về cầu treo Nậm Rốm.\n", encoding="utf-8")
    fake_engine.refresh()
    assert metrics.rebuilds._value.get() == 2
    assert metrics.rebuild_seconds._sum.get() > 0


def test_ops_settings_come_from_flags_over_the_environment(tmp_path: Path) -> None:
    env = {"QABOT_WEBHOOK_URL": "https://a.example/tg", "QABOT_WEBHOOK_PORT": "9000",
           "QABOT_METRICS_PORT": "9100", "QABOT_DB": str(tmp_path / "f.db"),
           "QABOT_FEEDBACK_DAYS": "30", "QABOT_HEALTH_WINDOW": "45.5"}
    settings = load_settings(env=env, ops_flags={"QABOT_WEBHOOK_PORT": "8443",
                                                 "QABOT_WEBHOOK_URL": None})
    ops = settings.ops
    assert (ops.webhook_url, ops.webhook_port, ops.metrics_port) == (
        "https://a.example/tg", 8443, 9100)
    assert (settings.feedback_db, ops.retention_days, ops.health_window_s) == (
        tmp_path / "f.db", 30, 45.5)
    defaults = load_settings(env={"QABOT_CACHE": str(tmp_path)}).ops
    assert defaults.webhook_url is None and defaults.metrics_port is None
    assert load_settings(env={"QABOT_CACHE": str(tmp_path)}).feedback_db == \
        tmp_path / "feedback.sqlite3"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("QABOT_WEBHOOK_URL", "http://a.example/tg", "must be an https:// URL"),
    ("QABOT_WEBHOOK_URL", "https://a.example:9999/tg", "port must be one Telegram delivers to"),
    ("QABOT_WEBHOOK_PORT", "70000", "QABOT_WEBHOOK_PORT must be a whole number between 1"),
    ("QABOT_METRICS_PORT", "x", "QABOT_METRICS_PORT must be a whole number"),
    ("QABOT_FEEDBACK_DAYS", "0", "QABOT_FEEDBACK_DAYS must be a whole number ≥ 1"),
    ("QABOT_WEBHOOK_SECRET", "has spaces and ünïcode", "QABOT_WEBHOOK_SECRET must be"),
])
def test_bad_ops_settings_are_one_clear_line(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)) as raised:
        load_settings(env={name: value})
    if name == "QABOT_WEBHOOK_SECRET":
        assert value not in str(raised.value)


def test_follow_ups_are_counted(fake_seed_engine: Engine, fake: FakeBotAPI,
                                served: tuple[Ops, str]) -> None:
    ops, base = served
    bot = QABot(fake_seed_engine, BotSettings(token=TOKEN, base_url=fake.base_url,
                                              watch_seconds=3600.0), ops=ops)

    async def scenario(api: FakeBotAPI) -> None:
        api.message("Bí thư Tỉnh ủy Điện Biên là ai?", chat_id=7, user_id=7)
        await until(lambda: len(api.sent()) == 1)
        api.message("Ông ấy nói gì về hộ nghèo?", chat_id=7, user_id=7)
        await until(lambda: len(api.sent()) == 2)
        await settle(api)

    run_app(build_application(bot), fake, scenario)
    exposition = get(f"{base}/metrics")[1]
    assert value(exposition, "qabot_questions_total") == 2
    assert value(exposition, "qabot_follow_ups_total") == 1
