"""How `qabot telegram` runs: long polling, or PTB's webhook server (`run_webhook`) behind an
HTTPS proxy with a secret token; plus what runs beside it (health and metrics server, feedback
database). The handlers are the same either way."""

from __future__ import annotations

import logging
import secrets
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from telegram import Update

from bot.config import OpsSettings, Settings
from bot.engine import Engine
from bot.errors import QabotError
from bot.feedback.store import FeedbackStore
from bot.frontends.telegram.bot import QABot
from bot.frontends.telegram.config import RedactSecret
from bot.frontends.telegram.handlers import build_application
from bot.frontends.telegram.ops import Ops
from bot.frontends.telegram.strict_webhook import refuse_broken_json
from bot.ops.health import Health, OpsServer
from bot.ops.metrics import Metrics

logger = logging.getLogger(__name__)


def webhook_options(ops: OpsSettings, secret: str) -> dict[str, Any]:
    """`run_webhook`'s (and `Updater.start_webhook`'s) arguments: listen on the path of the
    public URL, register that URL with the secret Telegram must send back on every request.
    The server it starts refuses a body that is not JSON with 400."""
    assert ops.webhook_url is not None
    refuse_broken_json()
    return {"listen": ops.webhook_listen, "port": ops.webhook_port,
            "url_path": urlsplit(ops.webhook_url).path.lstrip("/"),
            "webhook_url": ops.webhook_url, "secret_token": secret,
            "allowed_updates": Update.ALL_TYPES}


def webhook_secret(ops: OpsSettings) -> str:
    """QABOT_WEBHOOK_SECRET, or a new random one (Telegram keeps it with the webhook)."""
    if ops.webhook_secret:
        logger.info("webhook secret: set (QABOT_WEBHOOK_SECRET)")
        return ops.webhook_secret
    logger.info("webhook secret: set (generated for this run)")
    return secrets.token_urlsafe(32)


@dataclass
class Running:
    """What runs beside the bot and must be stopped with it."""

    ops: Ops
    server: OpsServer | None = None
    closers: list[FeedbackStore] = field(default_factory=list)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        for store in self.closers:
            store.close()


def start_ops(engine: Engine, settings: Settings, heartbeat_s: float | None) -> Running:
    """The feedback database (always) and, with a metrics port, metrics and /healthz."""
    ops_settings = settings.ops
    metrics = Metrics() if ops_settings.metrics_port is not None else None
    store = FeedbackStore(settings.feedback_db, ops_settings.retention_days,
                          ops_settings.chat_salt,
                          on_failure=metrics.db_failure if metrics is not None else None)
    store.start()
    running = Running(Ops(metrics=metrics, store=store), closers=[store])
    if metrics is not None and ops_settings.metrics_port is not None:
        health = Health(lambda: engine.loaded, ops_settings.health_window_s)
        running.ops.health, running.ops.heartbeat_s = health, heartbeat_s
        engine.on_rebuild = metrics.rebuilt
        metrics.watch(index_age=lambda: _index_age(engine),
                      passages=lambda: len(engine.index.chunks),
                      contact_age=health.contact_age)
        try:
            running.server = OpsServer(ops_settings.metrics_listen, ops_settings.metrics_port,
                                       metrics, health)
        except OSError as exc:
            running.close()
            raise QabotError(f"cannot serve metrics on {ops_settings.metrics_listen}:"
                             f"{ops_settings.metrics_port}: {exc.strerror or exc}") from None
        running.server.start()
    return running


def _index_age(engine: Engine) -> float:
    return time.time() - engine.built_at()


def _check_free(host: str, port: int) -> None:
    """Fail in one line before the bot starts, not with its tasks half started."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds
            probe.bind((host, port))
    except OSError as exc:
        raise QabotError(f"cannot listen for the webhook on {host}:{port}: "
                         f"{exc.strerror or exc}") from None


def serve(engine: Engine, settings: Settings) -> None:
    """Run the bot until interrupted: webhook when QABOT_WEBHOOK_URL is set, else polling."""
    ops = settings.ops
    webhook = ops.webhook_url is not None
    # Idle webhook bots make no Bot API calls of their own; /healthz needs a recent one.
    heartbeat = min(30.0, ops.health_window_s / 3) if webhook else None
    if webhook:
        _check_free(ops.webhook_listen, ops.webhook_port)
    running = start_ops(engine, settings, heartbeat)
    app = build_application(QABot(engine, settings.telegram, ops=running.ops))
    try:
        if not webhook:
            app.run_polling()  # deletes a webhook left from an earlier run first
            return
        secret = webhook_secret(ops)
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactSecret(secret))
        options = webhook_options(ops, secret)
        logger.info("webhook: listening on %s:%d/%s for %s", ops.webhook_listen,
                    ops.webhook_port, options["url_path"], ops.webhook_url)
        app.run_webhook(**options)
    finally:
        running.close()
