"""`qabot feedback export` never writes over a database (the feedback one by any name, or any
SQLite file) and writes whole files; the export takes the common options after `export`; a
folder or an empty file as QABOT_DB is named for what it is."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.errors import QabotError
from bot.feedback import db
from bot.feedback.report import export
from bot.feedback.store import FeedbackStore
from tests.conftest import Run

UNANSWERABLE = "Who won the 2022 football World Cup?"


@pytest.fixture
def database(fake_seed_engine: Engine, tmp_path: Path) -> Path:
    """A feedback database holding one refused question, written by the bot's writer."""
    path = tmp_path / "fb.sqlite3"
    store = FeedbackStore(path)
    store.start()
    store.record_answer("1" * 16, fake_seed_engine.answer(UNANSWERABLE, 3), 1, 1, 0.01)
    store.close()
    return path


def answers(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM answers").fetchone()[0])


def test_exporting_onto_the_database_itself_is_refused_and_keeps_it(
        database: Path, fake_cli: Run) -> None:
    done = fake_cli("feedback", "export", str(database), env={"QABOT_DB": str(database)})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: {database} is the feedback database (or one of its files); "
        "export to a .jsonl file elsewhere"]
    assert answers(database) == 1


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_the_databases_side_files_are_refused_by_name(database: Path, suffix: str) -> None:
    side = database.with_name(database.name + suffix)
    with pytest.raises(QabotError, match="is the feedback database"):
        export(database, side)
    assert answers(database) == 1


def test_a_symlink_a_hard_link_or_a_relative_path_to_the_database_is_refused(
        database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sym.jsonl").symlink_to(database)
    os.link(database, tmp_path / "hard.jsonl")
    monkeypatch.chdir(tmp_path)
    for target in (tmp_path / "sym.jsonl", tmp_path / "hard.jsonl", Path("fb.sqlite3"),
                   tmp_path / "sub" / ".." / "fb.sqlite3"):
        with pytest.raises(QabotError, match="is the feedback database"):
            export(database, target)
    assert answers(database) == 1


def test_any_other_sqlite_file_is_refused(database: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    with pytest.raises(QabotError, match="is an SQLite database"):
        export(database, other)
    assert other.read_bytes() == before


def test_an_existing_jsonl_file_is_replaced_whole_and_no_temporary_file_is_left(
        database: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    assert export(database, target) == 1
    (line,) = target.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["q"] == UNANSWERABLE
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["fb.sqlite3", "out.jsonl", *(p.name for p in tmp_path.glob("fb.sqlite3-*"))])


def test_a_failed_write_leaves_the_old_file_and_no_half_file(database: Path,
                                                             tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    folder.chmod(0o500)  # the file stays writable, the folder takes no temporary file
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(QabotError, match="cannot write"):
            export(database, target)
    finally:
        folder.chmod(0o700)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in folder.iterdir()] == ["out.jsonl"]


def test_common_options_work_after_export_and_before_it(database: Path, fake_cli: Run,
                                                        tmp_path: Path) -> None:
    env = {"QABOT_DB": str(database)}
    after = fake_cli("feedback", "export", "a.jsonl", "--sources", "source_text",
                     "--index", "idx", "-v", env=env)
    assert after.returncode == 0, after.stderr
    assert after.stdout == "1 questions written to a.jsonl\n"
    before = fake_cli("feedback", "--sources", "source_text", "export", "b.jsonl", env=env)
    assert before.returncode == 0, before.stderr
    summary = fake_cli("feedback", "--sources", "source_text", env=env)
    assert summary.returncode == 0 and "refused 1" in summary.stdout
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_a_folder_as_the_database_is_called_a_folder(fake_cli: Run, tmp_path: Path) -> None:
    done = fake_cli("feedback", env={"QABOT_DB": str(tmp_path)})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: QABOT_DB {tmp_path} is a folder; set it to a file such as "
        f"{tmp_path / 'feedback.sqlite3'}"]


def test_an_empty_database_file_is_called_empty_and_the_writer_starts_it(
        fake_cli: Run, fake_seed_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    done = fake_cli("feedback", env={"QABOT_DB": str(path)})
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: the feedback database {path} is empty; `qabot telegram` fills it"]
    store = FeedbackStore(path)
    store.start()
    store.record_answer("2" * 16, fake_seed_engine.answer(UNANSWERABLE, 3), 1, 1, 0.01)
    store.close()
    assert answers(path) == 1 and store.stats.written >= 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION


def test_a_rename_that_fails_leaves_no_temporary_file(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    target = folder / "review.jsonl"
    target.mkdir(parents=True)  # a folder by that name: the temporary file cannot replace it
    (target / "keep.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(QabotError, match=f"cannot write {target}"):
        export(database, target)
    assert [p.name for p in folder.iterdir()] == ["review.jsonl"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "kept"
