"""Webhook mode end to end: PTB's webhook server on 127.0.0.1 receiving updates POSTed the way
Telegram (through a proxy) would, the replies going to the fake Bot API; the secret token is
registered with setWebhook and checked on every request."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bot.config import OpsSettings, Settings
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.frontends.telegram.bot import QABot
from bot.frontends.telegram.config import BotSettings
from bot.frontends.telegram.handlers import build_application
from bot.frontends.telegram.ops import Ops
from bot.frontends.telegram.webhook import webhook_options
from tests.bot_runner import run_app
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.fake_embedder import FAKE_MODEL
from tests.test_telegram import assert_valid_html, run_bot, texts, until

URL = "https://bot.example.org/tg"
SECRET = "test-secret_0123456789"
WebhookScenario = Callable[[FakeBotAPI, "Poster"], Awaitable[None]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def update(update_id: int, text: str, chat_id: int = 111) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": 10 + update_id, "date": int(time.time()), "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "Lan"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Lan"}}}


class Poster:
    """POSTs to the bot's webhook as Telegram would (or as an intruder would)."""

    def __init__(self, port: int, client: httpx.AsyncClient) -> None:
        self.url, self.client = f"http://127.0.0.1:{port}/tg", client

    async def post(self, body: bytes | dict[str, Any], secret: str | None = SECRET) -> int:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        response = await self.client.post(self.url, content=data, headers=headers)
        return response.status_code


def run_webhook_bot(engine: Engine, fake: FakeBotAPI, scenario: WebhookScenario,
                    ops: Ops | None = None) -> None:
    bot = QABot(engine, BotSettings(token=TOKEN, base_url=fake.base_url, watch_seconds=3600.0),
                ops=ops)
    app = build_application(bot)
    port = free_port()
    options = webhook_options(OpsSettings(webhook_url=URL, webhook_port=port), SECRET)

    async def with_poster(api: FakeBotAPI) -> None:
        async with httpx.AsyncClient() as client:
            await scenario(api, Poster(port, client))

    run_app(app, fake, with_poster, start=lambda updater: updater.start_webhook(**options))


def test_webhook_is_registered_with_its_secret_and_answers(fake_seed_engine: Engine,
                                                          fake: FakeBotAPI) -> None:
    statuses: list[int] = []

    async def scenario(api: FakeBotAPI, poster: Poster) -> None:
        statuses.append(await poster.post(update(1, "ti le ho ngheo")))
        await until(lambda: len(api.sent()) == 1)

    run_webhook_bot(fake_seed_engine, fake, scenario)
    (registered,) = fake.sent("setWebhook")
    assert registered["url"] == URL and registered["secret_token"] == SECRET
    assert statuses == [200]
    assert "17,66%" in texts(fake)[0]
    assert not fake.sent("getUpdates")


def test_missing_or_wrong_secret_is_403_and_bad_bodies_do_not_stop_the_bot(
        fake_seed_engine: Engine, fake: FakeBotAPI) -> None:
    statuses: dict[str, int] = {}

    async def scenario(api: FakeBotAPI, poster: Poster) -> None:
        statuses["missing"] = await poster.post(update(1, "ti le ho ngheo"), secret=None)
        statuses["wrong"] = await poster.post(update(2, "ti le ho ngheo"), secret="guess")
        statuses["not an update"] = await poster.post({"hello": "world"})
        statuses["broken json"] = await poster.post(b'{"update_id": 3, "message": {')
        await asyncio.sleep(0.5)
        statuses["after"] = await poster.post(update(4, "Bộ trưởng Bộ Quốc phòng là ai?"))
        await until(lambda: len(api.sent()) == 1)

    run_webhook_bot(fake_seed_engine, fake, scenario)
    assert statuses["missing"] == statuses["wrong"] == 403
    assert statuses["not an update"] == 400
    assert statuses["broken json"] == 400  # bot/frontends/telegram/strict_webhook.py
    assert statuses["after"] == 200
    (only,) = texts(fake)
    assert "Phan Văn Giang" in only


def test_polling_removes_a_webhook_left_from_an_earlier_run(fake_seed_engine: Engine,
                                                           fake: FakeBotAPI) -> None:
    async def scenario(api: FakeBotAPI) -> None:
        api.message("ti le ho ngheo")
        await until(lambda: len(api.sent()) == 1)

    run_bot(fake_seed_engine, fake, scenario)
    assert fake.sent("deleteWebhook") and not fake.sent("setWebhook")


def test_the_real_model_answers_through_the_webhook(embedder: Embedder, settings: Settings,
                                                    seed_index: Path, fake: FakeBotAPI) -> None:
    real = Engine(settings, load_model=lambda name: embedder)
    real.start()

    async def scenario(api: FakeBotAPI, poster: Poster) -> None:
        assert await poster.post(update(1, "Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?")) \
            == 200
        await until(lambda: len(api.sent()) == 1)

    run_webhook_bot(real, fake, scenario)
    (html,) = texts(fake)
    assert_valid_html(html)
    assert "<b>Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm.</b>" \
        in html


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8")


def test_qabot_telegram_runs_a_webhook_with_health_metrics_and_feedback(
        fake: FakeBotAPI, tmp_path: Path, cache_dir: Path) -> None:
    port, metrics = free_port(), free_port()
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "QABOT_CACHE": str(cache_dir),
           "HF_HUB_OFFLINE": "1", "QABOT_MODEL": FAKE_MODEL, "PYTHONPATH": str(repo),
           "QABOT_DB": str(tmp_path / "feedback.sqlite3")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "telegram", "-v", "--base-url", fake.base_url,
         "--sources", str(repo / "source_text"), "--index", str(tmp_path / "index"),
         "--webhook-url", URL, "--listen", "127.0.0.1", "--port", str(port),
         "--metrics-port", str(metrics)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not fake.sent("setWebhook"):
            time.sleep(0.2)
        (registered,) = fake.sent("setWebhook")
        secret = registered["secret_token"]
        health = _get(f"http://127.0.0.1:{metrics}/healthz")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/tg", data=json.dumps(update(1, "ti le ho ngheo")).encode(),
            headers={"Content-Type": "application/json",
                     "X-Telegram-Bot-Api-Secret-Token": secret})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        while time.time() < deadline and not fake.sent():
            time.sleep(0.1)
        exposition = _get(f"http://127.0.0.1:{metrics}/metrics")[1]
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=60)[0].decode("utf-8", "replace")
    assert registered["url"] == URL and len(secret) >= 32, output
    assert health == (200, "ok\n"), output
    assert "17,66%" in texts(fake)[0]
    assert "qabot_questions_total 1.0" in exposition and "qabot_answered_total 1.0" in exposition
    assert "qabot_passages_indexed" in exposition
    assert "webhook secret: set (generated for this run)" in output
    assert secret not in output and TOKEN not in output
    assert (tmp_path / "feedback.sqlite3").exists()


def test_a_taken_webhook_port_is_one_clear_line(fake: FakeBotAPI, tmp_path: Path,
                                                cache_dir: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "QABOT_CACHE": str(cache_dir),
           "HF_HUB_OFFLINE": "1", "QABOT_MODEL": FAKE_MODEL, "PYTHONPATH": str(repo),
           "QABOT_DB": str(tmp_path / "feedback.sqlite3")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot", "telegram", "--base-url", fake.base_url,
             "--sources", str(repo / "source_text"), "--index", str(tmp_path / "index"),
             "--webhook-url", URL, "--port", str(port)],
            env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"Error: cannot listen for the webhook on 127.0.0.1:{port}: Address already in use")
