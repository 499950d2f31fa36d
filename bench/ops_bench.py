"""Benchmark for running the bot for real: the answer latency of long polling and of the webhook
through the fake Bot API (from the update leaving "Telegram" to the reply reaching it; p50/p95
over N questions), each with and without the feedback database, all in this one run.

Usage: python bench/ops_bench.py [--questions 200]   (the real model; about two minutes)
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.config import OpsSettings, Settings  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.feedback.store import FeedbackStore  # noqa: E402
from bot.frontends.telegram.bot import QABot  # noqa: E402
from bot.frontends.telegram.config import BotSettings  # noqa: E402
from bot.frontends.telegram.handlers import build_application  # noqa: E402
from bot.frontends.telegram.ops import Ops  # noqa: E402
from bot.frontends.telegram.ratelimit import RateLimiter  # noqa: E402
from bot.frontends.telegram.webhook import webhook_options  # noqa: E402
from tests.fake_bot_api import TOKEN, FakeBotAPI  # noqa: E402

SECRET = "bench-secret"
URL = "https://bot.example.org/tg"
CACHE = Path(os.environ.get("QABOT_CACHE", Path.home() / ".cache" / "qabot"))
PAUSE_S = 0.06  # between questions: stay under AIORateLimiter's 30 messages/s


class TimedAPI(FakeBotAPI):
    """The fake Bot API, noting when each reply arrives."""

    def __init__(self) -> None:
        super().__init__()
        # a long poll cut short when the bot stops is not worth a traceback
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.replies: list[float] = []
        self.arrived = threading.Event()

    def _respond(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "sendMessage":
            self.replies.append(time.perf_counter())
            self.arrived.set()
        return super()._respond(method, params)


def questions(count: int) -> list[str]:
    found = []
    for name in ("seed_answerable.jsonl", "seed_heldout.jsonl", "seed_unanswerable.jsonl"):
        lines = (REPO / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()
        found += [json.loads(line)["q"] for line in lines if line.strip()]
    return [found[i % len(found)] for i in range(count)]


def message(update_id: int, text: str) -> dict[str, Any]:
    chat = 10_000 + update_id  # one reader per question
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "chat": {"id": chat, "type": "private", "first_name": "B"},
        "from": {"id": chat, "is_bot": False, "first_name": "B"}}}


def post(port: int, body: bytes) -> float:
    """POST one update to the webhook; returns when it left."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    conn.request("POST", "/tg", body, {"Content-Type": "application/json",
                                       "X-Telegram-Bot-Api-Secret-Token": SECRET})
    conn.getresponse().read()
    conn.close()
    return started


async def ask_all(api: TimedAPI, texts: list[str], webhook_port: int | None) -> list[float]:
    """Ask one question at a time; the latency of each in seconds."""
    latencies = []
    for number, text in enumerate(texts, 1):
        api.arrived.clear()
        update = message(number, text)
        if webhook_port is None:
            started = time.perf_counter()
            api.push({k: v for k, v in update.items() if k != "update_id"})
        else:
            started = await asyncio.to_thread(post, webhook_port,
                                              json.dumps(update).encode("utf-8"))
        await asyncio.to_thread(api.arrived.wait, 30)
        latencies.append(api.replies[-1] - started)
        await asyncio.sleep(PAUSE_S)
    return latencies


def run_mode(engine: Engine, texts: list[str], webhook: bool, database: Path | None
             ) -> list[float]:
    store = FeedbackStore(database) if database is not None else None
    with TimedAPI() as api:
        bot = QABot(engine, BotSettings(token=TOKEN, base_url=api.base_url,
                                        watch_seconds=3600.0, questions_per_minute=10**6),
                    limiter=RateLimiter(10**9), ops=Ops(store=store))
        app = build_application(bot)
        port = _free_port()
        options = webhook_options(OpsSettings(webhook_url=URL, webhook_port=port), SECRET)

        async def main() -> list[float]:
            async with app:
                assert app.updater is not None
                await app.start()
                if webhook:
                    await app.updater.start_webhook(**options)
                else:
                    await app.updater.start_polling(poll_interval=0.0, timeout=10)
                try:
                    return await ask_all(api, texts, port if webhook else None)
                finally:
                    await app.updater.stop()
                    await app.stop()

        if store is not None:
            store.start()
        try:
            return asyncio.run(main())
        finally:
            if store is not None:
                store.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def writer_cost(engine: Engine, folder: Path, count: int) -> float:
    """Milliseconds the writer thread spends per recorded answer (7 passages each)."""
    answer = engine.answer("Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?", 7)
    store = FeedbackStore(folder / "writer.sqlite3")
    store.start()
    store.flush()
    started = time.perf_counter()
    for number in range(count):
        store.record_answer(f"{number:016x}", answer, number, 1, 0.05)
    store.flush()
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed / count * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qabot-ops-bench-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "source_text", root / "source_text")
        settings = Settings(sources=root / "source_text", index=root / "index", cache=CACHE)
        engine = Engine(settings)  # as `qabot telegram` runs: native question model
        engine.start()
        texts = questions(args.questions)
        half = args.questions // 2
        modes = [("polling", False, False), ("polling + database", False, True),
                 ("webhook", True, False), ("webhook + database", True, True)]
        results: dict[str, list[float]] = {name: [] for name, _, _ in modes}
        # Two rounds in opposite orders, so a busy moment on the machine hits every mode.
        for round_modes, chunk in ((modes, texts[:half]), (modes[::-1], texts[half:])):
            for name, webhook, with_db in round_modes:
                database = root / f"{name.replace(' ', '')}.sqlite3" if with_db else None
                results[name] += run_mode(engine, chunk, webhook, database)
        print(f"Answer latency through the fake Bot API, {args.questions} questions per mode "
              "(real model, seed article; one question at a time)")
        print(f"{'mode':<22}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
        for name, values in results.items():
            print(f"{name:<22}{len(values):>5}{pct(values, 0.5):>9.1f}{pct(values, 0.95):>9.1f}"
                  f"{statistics.fmean(values) * 1000:>9.1f}")
        cost = writer_cost(engine, root, args.questions)
        print(f"feedback writer: {cost:.2f} ms per recorded answer (7 passages), in its own "
              "thread after the reply is sent")


if __name__ == "__main__":
    main()
