"""A real REPL session: prompt_toolkit reading keystrokes from a pipe, rich writing to a buffer.
Sessions run on the hashing embedder; the JSON comparison with `ask` runs the real model."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from bot.engine import Engine
from bot.frontends.repl import Repl, ReplState
from tests.conftest import Run


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def session(engine: Engine, pipe: PipeInput, keys: str,
            before_read: dict[int, Callable[[], None]] | None = None) -> str:
    """Type `keys` into a REPL over `engine`; `before_read[n]` runs before the n-th prompt."""
    prompt: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput())
    reads = 0

    def read_line() -> str:
        nonlocal reads
        reads += 1
        (before_read or {}).get(reads, lambda: None)()
        return prompt.prompt("hỏi › ")

    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None, force_terminal=False)
    pipe.send_text(keys)
    assert Repl(engine, console, read_line, ReplState(), clock=lambda: 4e9).run() == 0
    return out.getvalue()


def test_question_and_its_quote_commands_and_ctrl_d(fake_engine: Engine, pipe: PipeInput) -> None:
    out = session(fake_engine, pipe, "ti le ho ngheo\r:sources\r:k 1\r:nope\r:help\r:reload\r\x04")
    assert "Sẵn sàng" in out
    assert "tìm theo: tỉ lệ hộ nghèo" in out
    assert "đoạn 8" in out and "17,66%" in out and "●●●●●" in out
    assert ("Tổng Bí thư Tô Lâm làm việc với tỉnh Điện Biên "
            "(tong-bi-thu-to-lam-lam-viec-voi-dien-bien.md) — 20 đoạn") in out
    assert "Chỉ mục xây cách đây" in out
    assert "Mỗi câu trả lời có 1 đoạn trích." in out
    assert "Unknown command — try :help" in out
    assert ":reload" in out  # the help text
    assert "The index is up to date." in out
    assert out.rstrip().endswith("Tạm biệt. Bye.")


def test_bare_help_and_quit_are_commands(fake_engine: Engine, pipe: PipeInput) -> None:
    out = session(fake_engine, pipe, "help\rti le ho ngheo\rThoát\rti le ho ngheo\r\x04")
    assert ":reload" in out  # the help text, not an answer
    assert out.count("tìm theo: tỉ lệ hộ nghèo") == 1  # asked once: "Thoát" ended it
    assert out.rstrip().endswith("Tạm biệt. Bye.")


def test_pasted_multi_line_text_is_one_question(fake_engine: Engine, pipe: PipeInput) -> None:
    paste = "\x1b[200~Tỉ lệ hộ nghèo\nđa chiều năm 2025\x1b[201~"
    out = session(fake_engine, pipe, f":json\r{paste}\r\x04")
    assert '"question": "Tỉ lệ hộ nghèo\\nđa chiều năm 2025"' in out
    assert "17,66%" in out


def test_ctrl_c_clears_the_line_and_the_session_goes_on(fake_engine: Engine,
                                                        pipe: PipeInput) -> None:
    out = session(fake_engine, pipe, "half a questi\x03ti le ho ngheo\r:quit\r")
    assert "17,66%" in out and "half a questi" not in out


def test_source_edited_mid_session_is_rebuilt_before_the_next_question(
        fake_engine: Engine, pipe: PipeInput, sources: Path) -> None:
    def add_article() -> None:
        (sources / "san-bay.txt").write_text(
            "Sân bay Điện Biên được mở rộng, đón máy bay lớn từ tháng 12/2025.\n",
            encoding="utf-8")

    out = session(fake_engine, pipe, "ti le ho ngheo\rsân bay Điện Biên mở rộng khi nào\r\x04",
                  before_read={2: add_article})
    assert "sources changed" in out and "added: san-bay.txt" in out
    assert "san-bay.txt · đoạn 1" in out and "tháng 12/2025" in out


@pytest.mark.slow
def test_json_mode_gives_the_same_passages_as_ask_json(engine: Engine, pipe: PipeInput,
                                                       run_cli: Run, seed_index: Path) -> None:
    question = "Ai là Chủ nhiệm Ủy ban Kiểm tra Trung ương?"
    ask = run_cli("ask", "--json", question)
    assert ask.returncode == 0, ask.stderr
    # the same engine set-up as the command line: no injected model, native questions
    out = session(Engine(engine.settings), pipe, f":json\r{question}\r\x04")
    start = out.index("{")
    repl_json = json.loads(out[start:out.rindex("}") + 1])
    assert repl_json == json.loads(ask.stdout)


def test_without_a_terminal_it_answers_line_by_line_without_prompt_or_colour(
        fake_cli: Run) -> None:
    done = fake_cli("repl", stdin="ti le ho ngheo\nWho is the Minister of Public Security?\n")
    assert done.returncode == 0, done.stderr
    assert "hỏi ›" not in done.stdout
    assert not re.search(r"\x1b\[", done.stdout)
    assert done.stdout.count("Hỏi:") == 2 and "17,66%" in done.stdout
