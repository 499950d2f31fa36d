"""`qabot telegram` without a reachable Bot API: one `Error: …` line naming the short reason,
exit code 1, polling and webhook alike, never the token; python-telegram-bot's traceback of
its failed start is kept for -v."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.errors import QabotError
from bot.frontends.telegram.reachability import PTB_LOGGER, reported_unreachable
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.fake_embedder import FAKE_MODEL

REPO = Path(__file__).resolve().parent.parent
UNREACHABLE = ("Error: cannot reach the Telegram Bot API (All connection attempts failed); "
               "check the network or --base-url")


@pytest.fixture
def closed_api() -> str:
    """The base URL of a fake Bot API that has been shut down: nothing listens on its port."""
    with FakeBotAPI() as api:
        url = api.base_url
    return url


def run_telegram(base_url: str, tmp_path: Path, cache_dir: Path,
                 *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "QABOT_CACHE": str(cache_dir),
           "HF_HUB_OFFLINE": "1", "QABOT_MODEL": FAKE_MODEL, "PYTHONPATH": str(REPO),
           "QABOT_DB": str(tmp_path / "feedback.sqlite3")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "telegram", "--base-url", base_url,
         "--sources", str(REPO / "source_text"), "--index", str(tmp_path / "index"), *extra],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120)


@pytest.mark.parametrize("mode", [[], ["--webhook-url", "https://bot.example.org/tg",
                                       "--port", "0"]], ids=["polling", "webhook"])
def test_an_unreachable_bot_api_is_one_line_and_exit_code_1(
        closed_api: str, tmp_path: Path, cache_dir: Path, mode: list[str]) -> None:
    if mode:
        mode[-1] = str(_free_port())
    done = run_telegram(closed_api, tmp_path, cache_dir, *mode)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [UNREACHABLE]
    assert TOKEN not in done.stderr + done.stdout and done.stdout == ""


def test_with_verbose_the_details_are_logged_and_the_last_line_is_the_same(
        closed_api: str, tmp_path: Path, cache_dir: Path) -> None:
    done = run_telegram(closed_api, tmp_path, cache_dir, "-v")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == UNREACHABLE
    assert "Traceback" in done.stderr and TOKEN not in done.stderr


@pytest.mark.parametrize("verbose", [False, True])
def test_the_librarys_failed_start_is_one_error_and_its_traceback_only_when_verbose(
        closed_api: str, caplog: pytest.LogCaptureFixture, verbose: bool) -> None:
    """The bot itself failing to start (the network gone after the first getMe)."""
    app = Application.builder().token(TOKEN).base_url(f"{closed_api}/bot").build()
    with caplog.at_level(logging.DEBUG, logger=PTB_LOGGER), \
            pytest.raises(QabotError) as raised, reported_unreachable(TOKEN, verbose):
        app.run_polling(close_loop=False, stop_signals=None)
    assert str(raised.value) == UNREACHABLE.removeprefix("Error: ")
    aborted = [r for r in caplog.records
               if r.name == PTB_LOGGER and r.levelno >= logging.ERROR]
    assert len(aborted) == (1 if verbose else 0)
    assert all(r.exc_info for r in aborted)
    assert logging.getLogger(PTB_LOGGER).filters == []  # nothing left behind


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
