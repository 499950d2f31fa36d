"""The command line as a user runs it: output, the JSON contract and exit codes. The contract
is checked with the hashing embedder (`fake_cli`); one `ask` runs the real model end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import REPO, Run
from tests.fake_embedder import FAKE_MODEL


def test_help_lists_the_commands(fake_cli: Run) -> None:
    done = fake_cli("--help")
    assert done.returncode == 0
    for command in ("ask", "repl", "index", "eval", "add"):
        assert command in done.stdout
    # plain `qabot` without a terminal prints the help instead of opening the REPL
    assert fake_cli(stdin="").stdout == done.stdout


@pytest.mark.slow
def test_ask_prints_the_quote_its_place_and_the_best_sentence(run_cli: Run,
                                                              seed_index: Path) -> None:
    done = run_cli("ask", "Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?")
    assert done.returncode == 0, done.stderr
    assert "đoạn 8" in done.stdout
    assert "→ Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm." in done.stdout
    assert "Traceback" not in done.stderr


def test_ask_json_contract_for_a_batch_from_stdin(fake_cli: Run, tmp_path: Path) -> None:
    questions = ["ti le ho ngheo", "", "Who won the 2022 football World Cup?",
                 unicodedata.normalize("NFD", "Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?")]
    done = fake_cli("ask", "-", "--json", "--top-k", "2", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["question"] for line in lines] == [q for q in questions if q]
    source_text = unicodedata.normalize(
        "NFC", next((tmp_path / "source_text").glob("*.md")).read_text(encoding="utf-8"))
    for line in lines:
        assert set(line) == {"question", "answered", "answer", "searched", "context", "note",
                             "passages"}
        assert isinstance(line["answered"], bool) and len(line["passages"]) == 2
        for passage in line["passages"]:
            assert set(passage) == {"text", "source", "paragraph", "start", "end", "score",
                                    "highlight", "highlight_start", "highlight_end",
                                    "title", "url", "date"}
            assert passage["source"] == "tong-bi-thu-to-lam-lam-viec-voi-dien-bien.md"
            assert passage["title"] == "Tổng Bí thư Tô Lâm làm việc với tỉnh Điện Biên"
            assert passage["url"] is None and passage["date"] is None  # none invented
            assert source_text[passage["start"]:passage["end"]] == passage["text"]
            highlight = source_text[passage["highlight_start"]:passage["highlight_end"]]
            assert highlight == passage["highlight"] and highlight in passage["text"]
            assert isinstance(passage["score"], float) and isinstance(passage["paragraph"], int)
    assert lines[0]["answered"] and "17,66%" in lines[0]["passages"][0]["text"]
    assert lines[0]["searched"] == "tỉ lệ hộ nghèo" and lines[0]["context"] is False
    assert not lines[1]["answered"]
    assert "Nguyễn Duy Ngọc" in lines[2]["passages"][0]["text"]


def test_index_reports_what_changed(fake_cli: Run, tmp_path: Path) -> None:
    first = fake_cli("index")
    assert first.returncode == 0 and "index rebuilt" in first.stdout
    assert fake_cli("index").stdout.strip() == "index is up to date"
    (tmp_path / "source_text" / "moi.md").write_text("Bài mới về Điện Biên.\n", encoding="utf-8")
    changed = fake_cli("index")
    assert "added: moi.md" in changed.stdout
    assert "forced rebuild" in fake_cli("index", "--force").stdout


def test_settings_come_from_flags_over_environment(fake_cli: Run, tmp_path: Path) -> None:
    done = fake_cli("index", env={"QABOT_SOURCES": str(tmp_path / "nowhere"),
                                 "QABOT_INDEX": str(tmp_path / "env-index")})
    assert done.returncode == 1 and "nowhere" in done.stderr
    done = fake_cli("index", "--sources", "source_text",
                   env={"QABOT_SOURCES": str(tmp_path / "nowhere"),
                        "QABOT_INDEX": str(tmp_path / "env-index")})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "env-index" / "CURRENT").is_file()


@pytest.mark.parametrize("args", [("--top-k", "1", "ask", "ti le ho ngheo", "--json"),
                                  ("ask", "ti le ho ngheo", "--json", "--top-k", "1")])
def test_top_k_may_come_before_or_after_the_command(fake_cli: Run,
                                                    args: tuple[str, ...]) -> None:
    done = fake_cli(*args)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["passages"]) == 1


@pytest.mark.parametrize(("args", "code", "message"), [
    (("ask", "   "), 1, "Error: the question is empty"),
    (("ask", "?!..."), 1, "Error: the question has no letters or digits, only punctuation"),
    (("ask", "x", "--sources", "missing"), 1, "Error: sources folder missing does not exist"),
    (("ask", "x", "--top-k", "0"), 2, "--top-k"),
    (("--top-k", "51", "ask", "x"), 2, "--top-k"),
    (("--top-k", "2", "index"), 2, "--top-k applies to ask, repl and eval"),
    pytest.param(("ask", "x", "--model", "no-such-model-anywhere"), 1,
                 "Error: cannot load the embedding", marks=pytest.mark.slow),  # imports torch
    (("ask", "x", "--model", "no_such_module:Embedder"), 1, "Error: cannot load the embedder"),
    (("eval", "missing.jsonl"), 1, "Error: missing.jsonl does not exist"),
    (("frobnicate",), 2, "invalid choice"),
    (("telegram",), 1, "Error: TELEGRAM_BOT_TOKEN is not set"),
])
def test_bad_input_is_one_line_and_a_nonzero_exit(fake_cli: Run, args: tuple[str, ...],
                                                  code: int, message: str) -> None:
    done = fake_cli(*args)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_malformed_token_is_refused_without_echoing_it(fake_cli: Run) -> None:
    done = fake_cli("telegram", env={"TELEGRAM_BOT_TOKEN": "12345:short-secret-value"})
    assert done.returncode == 1 and "TELEGRAM_BOT_TOKEN is malformed" in done.stderr
    assert "short-secret-value" not in done.stderr + done.stdout


def test_empty_sources_folder_is_an_error(fake_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = fake_cli("ask", "x", "--sources", "empty")
    assert done.returncode == 1 and "no articles in empty" in done.stderr


def test_non_utf8_source_is_named_and_skipped(fake_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "source_text" / "cp1258.txt").write_bytes(b"\xd0i\xea\xf2n Bi\xean \xff\xfe")
    done = fake_cli("ask", "--json", "Điện Biên có bao nhiêu dân tộc?")
    assert done.returncode == 0
    assert "cp1258.txt" in done.stderr and "not UTF-8" in done.stderr
    assert "19 dân tộc" in json.loads(done.stdout)["passages"][0]["text"]


def test_eval_prints_recall_per_group_and_rejection(fake_cli: Run, tmp_path: Path) -> None:
    rows = [{"q": "Tỉ lệ hộ nghèo đa chiều năm 2025?", "gold": "17,66%", "group": "vi"},
            {"q": "ti le ho ngheo", "gold": "17,66%", "group": "nd",
             "source": "tong-bi-thu-to-lam-lam-viec-voi-dien-bien.md"},
            {"q": "Who won the 2022 football World Cup?", "gold": None,
             "group": "unanswerable"},
            {"q": "ti le ho ngheo", "gold": "17,66%", "group": "typo", "source": "dien-bien.txt"}]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    done = fake_cli("eval", str(path))
    assert done.returncode == 0, done.stderr
    assert "source dien-bien.txt is not an indexed article" in done.stderr
    assert "tong-bi-thu" not in done.stderr
    table = {line.split()[0]: line.split() for line in done.stdout.splitlines()}
    assert table["vi"][2] == "1.000" and table["nd"][2] == "1.000"
    assert table["unanswerable"][-1] == "1.000"


def test_corrupt_index_is_rebuilt_with_a_warning(fake_cli: Run, tmp_path: Path) -> None:
    assert fake_cli("index").returncode == 0
    current = (tmp_path / "index" / "CURRENT").read_text().strip()
    (tmp_path / "index" / current / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    done = fake_cli("ask", "--json", "ti le ho ngheo")
    assert done.returncode == 0
    assert "damaged" in done.stderr and "rebuilding" in done.stderr
    assert json.loads(done.stdout)["answered"]


@pytest.mark.parametrize("chat", [[], ["--chat"]], ids=["ask", "chat"])
def test_an_unaskable_line_has_every_key_of_an_answer_and_the_error(fake_cli: Run,
                                                                    chat: list[str]) -> None:
    done = fake_cli("ask", "-", "--json", *chat, stdin="ti le ho ngheo\n ?  \n🙂\u200b🙂\n")
    assert done.returncode == 1
    first, mark, emoji = (json.loads(line) for line in done.stdout.splitlines())
    for line in (mark, emoji):
        assert set(line) == set(first) | {"error"}
        assert line["answered"] is False and line["context"] is False
        assert line["passages"] == [] and line["answer"] is None
    assert (mark["question"], mark["searched"]) == (" ?  ", "?")
    assert (emoji["question"], emoji["searched"]) == ("🙂\u200b🙂", "🙂 🙂")


def test_stdin_in_utf16_or_with_a_bom_is_read_and_bad_bytes_are_reported(fake_cli: Run) -> None:
    # Windows PowerShell pipes UTF-16 with a BOM; Notepad saves UTF-8 with one.
    for data in ("ti le ho ngheo\n".encode("utf-16"), b"\xef\xbb\xbfti le ho ngheo\n"):
        done = fake_cli("ask", "-", "--json", stdin=data)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["question"] == "ti le ho ngheo"
    done = fake_cli("ask", "-", stdin=b"ti le ho ngheo\nt\xe9 l\xea\n")
    assert done.returncode == 1 and "17,66%" in done.stdout
    assert "Error: line 2: the line is not UTF-8 text" in done.stderr
    # a bad sequence in UTF-16 loses that line only
    line = "ti le ho ngheo\n".encode("utf-16-le")
    utf16 = b"\xff\xfe" + line + b"\x00\xd8" + "\n".encode("utf-16-le") + line
    done = fake_cli("ask", "-", "--json", stdin=utf16)
    assert done.returncode == 1
    assert [json.loads(out).get("error") is None for out in done.stdout.splitlines()] == [
        True, False, True]


def test_the_scripted_repl_runs_quit_and_new_and_asks_no_command(fake_cli: Run) -> None:
    done = fake_cli("repl", "--json",
                    stdin="ti le ho ngheo\n:k 1\n:new\nCòn GRDP?\n:quit\nti le ho ngheo\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["ti le ho ngheo", "Còn GRDP?"]
    assert lines[1]["context"] is False  # :new started another conversation
    assert "line 2: :k is not run from a script (only :quit and :new are); skipped" in done.stderr


def test_the_scripted_repl_quits_on_a_bare_quit_and_names_an_unknown_command(
        fake_cli: Run) -> None:
    done = fake_cli("repl", "--json", stdin="ti le ho ngheo\n:foo\nquit\nti le ho ngheo\n")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["question"] for line in done.stdout.splitlines()] == [
        "ti le ho ngheo"]
    assert "line 2: unknown command :foo; skipped" in done.stderr


def test_the_common_options_go_before_the_command_or_after_it(fake_cli: Run) -> None:
    before = fake_cli("-v", "ask", "--json", "ti le ho ngheo")
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["answered"]
    missing = fake_cli("--sources", "missing", "ask", "x")
    assert missing.returncode == 1 and "sources folder missing does not exist" in missing.stderr
    # given after the command too, the later one counts
    assert fake_cli("--sources", "missing", "ask", "x", "--sources", "source_text").returncode == 0


def test_a_closed_or_full_output_gets_no_unexpected_error(fake_cli: Run, tmp_path: Path,
                                                          cache_dir: Path) -> None:
    fake_cli("index")  # built once; the shell runs below only ask
    env = {**os.environ, "QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1",
           "QABOT_MODEL": FAKE_MODEL, "PYTHONPATH": str(REPO)}
    ask = f"{sys.executable} -m bot ask 'Tỉ lệ hộ nghèo là bao nhiêu?'"
    for redirect in (">&-", "<&-", "2>&-"):  # a stream the caller closed
        done = subprocess.run(["bash", "-c", f"{ask} {redirect}"], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=120)
        assert done.returncode == 0 and "unexpected" not in done.stdout + done.stderr, redirect
    full = subprocess.run(["bash", "-c", f"{ask} > /dev/full"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert full.returncode == 1
    assert full.stderr.strip() == "Error: cannot write the output (No space left on device)"
