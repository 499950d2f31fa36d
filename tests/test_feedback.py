"""Readers' 👍 / 👎 and unanswered questions in the SQLite feedback database: through the fake Bot
API with the real python-telegram-bot, then `qabot feedback` and its export read back by
`qabot eval`; a locked, read-only, corrupt or too new database never costs an answer."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine
from bot.feedback import db
from bot.feedback.report import export_lines, summarize
from bot.feedback.store import FeedbackStore
from bot.frontends.telegram.bot import QABot
from bot.frontends.telegram.config import BotSettings
from bot.frontends.telegram.handlers import build_application
from bot.frontends.telegram.ops import Ops
from bot.retrieval.evaluate import read_questions
from tests.bot_runner import run_app
from tests.conftest import Run
from tests.fake_bot_api import BOT_USER, TOKEN, FakeBotAPI
from tests.test_faults import _can_mount, read_only, small_disk
from tests.test_telegram import Scenario, settle, texts, until

ANSWERABLE = "ti le ho ngheo"
UNANSWERABLE = "Who won the 2022 football World Cup?"


def run_recording_bot(engine: Engine, fake: FakeBotAPI, store: FeedbackStore,
                      scenario: Scenario) -> None:
    """The bot with a feedback store, polling the fake API; the store is closed after."""
    bot = QABot(engine, BotSettings(token=TOKEN, base_url=fake.base_url, watch_seconds=3600.0),
                ops=Ops(store=store))
    app = build_application(bot)
    store.start()
    try:
        run_app(app, fake, scenario)
    finally:
        store.close()


def press(api: FakeBotAPI, message: dict[str, Any], button: int, user_id: int,
          query_id: str) -> None:
    """A reader presses button `button` (0 "Xem thêm" when present, then 👍, 👎)."""
    data = message["reply_markup"]["inline_keyboard"][0][button]["callback_data"]
    api.push({"callback_query": {
        "id": query_id, "chat_instance": "ci", "data": data,
        "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
        "message": {"message_id": 5, "date": 0, "chat": {"id": 111, "type": "private"},
                    "from": BOT_USER, "text": "…"}}})


def vote_index(message: dict[str, Any], emoji: str) -> int:
    row = message["reply_markup"]["inline_keyboard"][0]
    return [button["text"] for button in row].index(emoji)


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_one_reader_changing_a_vote_is_one_row_and_two_readers_two(
        fake_seed_engine: Engine, fake: FakeBotAPI, tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"

    async def scenario(api: FakeBotAPI) -> None:
        api.message(ANSWERABLE)
        await until(lambda: len(api.sent()) == 1)
        answer = api.sent()[0]
        press(api, answer, vote_index(answer, "👍"), user_id=111, query_id="q1")
        await until(lambda: len(api.sent("answerCallbackQuery")) == 1)
        press(api, answer, vote_index(answer, "👎"), user_id=111, query_id="q2")
        press(api, answer, vote_index(answer, "👍"), user_id=222, query_id="q3")
        await until(lambda: len(api.sent("answerCallbackQuery")) == 3)

    run_recording_bot(fake_seed_engine, fake, FeedbackStore(path), scenario)
    (answer,) = fake.sent()
    buttons = [b["text"] for b in answer["reply_markup"]["inline_keyboard"][0]]
    assert buttons == ["Xem thêm", "👍", "👎"]
    assert {c["text"] for c in fake.sent("answerCallbackQuery")} >= {"Cảm ơn bạn! 👍"}
    votes = rows(path, "SELECT voter, vote FROM feedback ORDER BY vote")
    assert [vote for _, vote in votes] == [-1, 1]  # reader 111 changed to 👎, reader 222 👍
    assert len({voter for voter, _ in votes}) == 2
    ((question, answered, chat),) = rows(path, "SELECT question, answered, chat FROM answers")
    assert (question, answered) == (ANSWERABLE, 1)
    # A salted hash, never the id (nor its unsalted hash); "111" may well occur inside 32 hex
    # digits by chance, so the test does not look for it there.
    assert re.fullmatch(r"[0-9a-f]{32}", chat), chat
    assert chat != hashlib.sha256(b"111").hexdigest()[:32]
    passages = rows(path, "SELECT rank, source, highlight FROM passages ORDER BY rank")
    assert len(passages) == 7 and passages[0][1].endswith(".md") and "17,66%" in passages[0][2]


def test_refused_questions_are_recorded_and_summarized(fake_seed_engine: Engine,
                                                       fake: FakeBotAPI, tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"

    async def scenario(api: FakeBotAPI) -> None:
        for text in (UNANSWERABLE, ANSWERABLE, UNANSWERABLE.lower()):
            api.message(text)
        await until(lambda: len(api.sent()) == 3)

    run_recording_bot(fake_seed_engine, fake, FeedbackStore(path), scenario)
    summary = summarize(path)
    assert (summary.answers, summary.answered, summary.refused) == (3, 1, 2)
    assert summary.top_refused == [(UNANSWERABLE.lower(), 2)]  # in its latest wording
    assert f"    2  {UNANSWERABLE.lower()}" in summary.describe()


def test_export_round_trips_through_qabot_eval(fake_seed_engine: Engine, fake: FakeBotAPI,
                                               tmp_path: Path, fake_cli: Run) -> None:
    path = tmp_path / "feedback.sqlite3"
    liked, disliked = ANSWERABLE, "Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?"

    async def scenario(api: FakeBotAPI) -> None:
        api.message(liked)
        await until(lambda: len(api.sent()) == 1)
        api.message(disliked)
        await until(lambda: len(api.sent()) == 2)
        api.message(UNANSWERABLE)
        await until(lambda: len(api.sent()) == 3)
        first, second = api.sent()[:2]
        press(api, first, vote_index(first, "👍"), user_id=111, query_id="q1")
        press(api, second, vote_index(second, "👎"), user_id=111, query_id="q2")
        await until(lambda: len(api.sent("answerCallbackQuery")) == 2)
        await settle(api)

    run_recording_bot(fake_seed_engine, fake, FeedbackStore(path), scenario)
    env = {"QABOT_DB": str(path)}
    done = fake_cli("feedback", "export", "out.jsonl", env=env)
    assert done.returncode == 0, done.stderr
    lines = read_questions(tmp_path / "out.jsonl")
    by_group = {line["group"]: line for line in lines}
    assert set(by_group) == {"feedback:up", "review:down", "review:refused"}
    up = by_group["feedback:up"]
    assert up["q"] == liked and "17,66%" in up["gold"] and up["source"].endswith(".md")
    assert by_group["review:refused"]["q"] == UNANSWERABLE
    assert by_group["review:down"]["gold"] is None and by_group["review:down"]["review"]
    report = fake_cli("eval", "out.jsonl", env=env)
    assert report.returncode == 0, report.stderr
    up_row = next(line for line in report.stdout.splitlines() if line.startswith("feedback:up"))
    assert up_row.split()[1:3] == ["1", "1.000"]  # n and R@1: the liked passage is found again
    summary = fake_cli("feedback", env=env)
    assert "answered 2, refused 1" in summary.stdout and "👍 1, 👎 1" in summary.stdout


def test_a_locked_database_costs_the_record_not_the_answer(
        fake_seed_engine: Engine, fake: FakeBotAPI, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "feedback.sqlite3"
    db.connect(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    store = FeedbackStore(path)

    async def scenario(api: FakeBotAPI) -> None:
        blocker.execute("BEGIN EXCLUSIVE")
        api.message(ANSWERABLE)
        await until(lambda: len(api.sent()) == 1)
        await until(lambda: store.stats.dropped == 1)
        blocker.execute("COMMIT")
        api.message(UNANSWERABLE)
        await until(lambda: len(api.sent()) == 2)

    with caplog.at_level(logging.WARNING, logger="bot.feedback"):
        run_recording_bot(fake_seed_engine, fake, store, scenario)
    assert "17,66%" in texts(fake)[0]
    assert "feedback not recorded (database is locked)" in caplog.text
    assert rows(path, "SELECT question FROM answers") == [(UNANSWERABLE,)]


def test_a_read_only_database_folder_warns_and_the_answer_goes_out(
        fake_seed_engine: Engine, fake: FakeBotAPI, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()

    async def scenario(api: FakeBotAPI) -> None:
        api.message(ANSWERABLE)
        await until(lambda: len(api.sent()) == 1)

    with read_only(folder), caplog.at_level(logging.WARNING, logger="bot.feedback"):
        run_recording_bot(fake_seed_engine, fake, FeedbackStore(folder / "f.sqlite3"),
                          scenario)
    assert "17,66%" in texts(fake)[0]
    assert "cannot open the feedback database" in caplog.text
    assert not (folder / "f.sqlite3").exists()


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small tmpfs")
def test_a_full_disk_drops_records_with_a_warning(fake_seed_engine: Engine, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    answer = fake_seed_engine.answer(ANSWERABLE, 7)
    with small_disk(tmp_path / "disk") as shrink:
        store = FeedbackStore(tmp_path / "disk" / "f.sqlite3")
        with caplog.at_level(logging.WARNING, logger="bot.feedback"):
            store.start()
            store.flush()
            shrink(4096)
            for number in range(300):
                store.record_answer(f"{number:016x}", answer, 1, 1, 0.01)
            store.close()
    assert store.stats.dropped > 0 and store.stats.written > 0
    assert "feedback not recorded (database or disk is full)" in caplog.text


def test_a_corrupt_database_is_moved_aside_and_a_new_one_started(
        fake_seed_engine: Engine, fake: FakeBotAPI, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "feedback.sqlite3"
    path.write_bytes(b"this is not an SQLite database, only garbage" * 100)

    async def scenario(api: FakeBotAPI) -> None:
        api.message(ANSWERABLE)
        await until(lambda: len(api.sent()) == 1)

    with caplog.at_level(logging.WARNING, logger="bot.feedback"):
        run_recording_bot(fake_seed_engine, fake, FeedbackStore(path), scenario)
    assert "17,66%" in texts(fake)[0]
    assert "is damaged; moved to feedback.sqlite3.corrupt-" in caplog.text
    (aside,) = tmp_path.glob("feedback.sqlite3.corrupt-*")
    assert aside.read_bytes().startswith(b"this is not an SQLite")
    assert rows(path, "SELECT question FROM answers") == [(ANSWERABLE,)]


def test_old_answers_are_purged_at_start_with_their_votes(fake_seed_engine: Engine,
                                                          tmp_path: Path) -> None:
    path, day = tmp_path / "feedback.sqlite3", 86400.0
    now = [1_000 * day]
    answer = fake_seed_engine.answer(ANSWERABLE, 3)
    store = FeedbackStore(path, retention_days=90, clock=lambda: now[0])
    store.start()
    store.record_answer("0" * 16, answer, 1, 1, 0.01)
    store.record_vote("0" * 16, 7, 1)
    now[0] += 50 * day
    store.record_answer("1" * 16, answer, 1, 1, 0.01)
    store.close()
    now[0] += 45 * day  # the first answer is now 95 days old, the second 45
    later = FeedbackStore(path, retention_days=90, clock=lambda: now[0])
    later.start()
    later.flush()
    assert rows(path, "SELECT id FROM answers") == [("1" * 16,)]
    assert rows(path, "SELECT count(*) FROM feedback") == [(0,)]
    now[0] += 46 * day  # a bot running all along forgets the second one too, within a day
    later.record_vote("1" * 16, 7, 1)
    later.close()
    assert rows(path, "SELECT count(*) FROM answers") == [(0,)]


def test_a_database_from_a_newer_qabot_is_left_alone(fake_seed_engine: Engine, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    store = FeedbackStore(path)
    with caplog.at_level(logging.WARNING, logger="bot.feedback"):
        store.start()
        store.record_answer("2" * 16, fake_seed_engine.answer(ANSWERABLE, 3), 1, 1, 0.01)
        store.close()
    assert "newer than this qabot's" in caplog.text
    assert rows(path, "PRAGMA user_version") == [(db.SCHEMA_VERSION + 1,)]
    assert store.stats.written == 0


def test_feedback_without_a_database_is_one_clear_line(fake_cli: Run, tmp_path: Path) -> None:
    done = fake_cli("feedback", env={"QABOT_DB": str(tmp_path / "none.sqlite3")})
    assert done.returncode == 1
    assert done.stderr.startswith("Error: no feedback database at")


def test_export_lines_keep_one_line_per_question_with_a_count(fake_seed_engine: Engine,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    store.start()
    for number in range(3):
        answer_id = f"{number:016x}"
        store.record_answer(answer_id, fake_seed_engine.answer(UNANSWERABLE, 3), 1, 1, 0.01)
    store.close()
    (line,) = export_lines(path)
    assert line["group"] == "review:refused" and line["count"] == 3
    assert json.loads(json.dumps(line)) == line



def test_more_passages_shown_are_recorded_and_keep_their_vote_buttons(
        fake_seed_engine: Engine, fake: FakeBotAPI, tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"

    async def scenario(api: FakeBotAPI) -> None:
        api.message(ANSWERABLE)
        await until(lambda: len(api.sent()) == 1)
        press(api, api.sent()[0], 0, user_id=111, query_id="more")
        await until(lambda: len(api.sent()) == 2)

    run_recording_bot(fake_seed_engine, fake, FeedbackStore(path), scenario)
    first, more = fake.sent()
    def votes(message: dict[str, Any]) -> list[str]:
        return [b["callback_data"] for b in message["reply_markup"]["inline_keyboard"][0][1:]]

    assert votes(more) == votes(first) and len(votes(first)) == 2  # same answer, same votes
    assert rows(path, "SELECT shown FROM answers") == [(3,)]  # 1, then 2 more
