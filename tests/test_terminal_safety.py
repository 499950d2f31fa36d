"""Text from articles, file names and questions cannot drive the terminal: control and bidi
characters are shown, not obeyed, in `qabot ask` and the REPL; JSON stays exact and one line."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from rich.console import Console

from bot.frontends.render_text import format_answer
from bot.frontends.repl import render_answer
from bot.frontends.terminal import json_text, safe
from bot.retrieval.answer import Answer, Passage, ShortAnswer

TITLE = "\x1b]0;owned\x07"  # sets the terminal's window title
CLEAR = "\x1b[2J"  # clears the screen
HOSTILE = ["\x00", "\x08", "\r", "\x0b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u2028"]
SOURCE = (f"Giá vàng {TITLE}tăng mạnh. Giá xăng {CLEAR}giảm nhẹ{''.join(HOSTILE)}. "
          "Chứng khoán\u202e đi ngang.")
Run = Callable[..., CompletedProcess[str]]
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold: the only sequences we emit ourselves


def hostile_answer() -> Answer:
    second = SOURCE.index("Giá xăng")
    end = SOURCE.index(" Chứng")
    passage = Passage(SOURCE, "bài\nviết\x1b[31m.txt", 2, 0, len(SOURCE), 1.0,
                      SOURCE[second:end], highlight_start=second, highlight_end=end)
    return Answer(f"giá {CLEAR}xăng\u202e?\nHỏi: giả", True, [passage], f"giá {CLEAR}xăng",
                  note=f"cut {TITLE}", short=ShortAnswer(f"giảm{TITLE}", second, end))


def assert_inert(text: str) -> None:
    """Nothing but our own colour codes, printable characters and line breaks."""
    rest = SGR.sub("", text)
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                         r"\u2066-\u2069\u2028\u2029]", rest), repr(rest)


@pytest.mark.parametrize("color", [False, True])
def test_plain_answer_shows_control_characters_instead_of_obeying_them(color: bool) -> None:
    text = format_answer(hostile_answer(), color=color)
    assert_inert(text)
    assert "␛]0;owned␇" in text and "␛[2J" in text and "<U+202E>" in text
    assert "<U+009B>" in text and "␍" in text


def test_a_newline_in_a_file_name_or_question_keeps_the_plain_layout() -> None:
    lines = format_answer(hostile_answer()).splitlines()
    assert lines[0].startswith("Hỏi: giá ") and "␊Hỏi: giả" in lines[0]
    assert lines[1].startswith("➜ giảm")
    assert lines[2].startswith("(tìm theo: ") and lines[3].startswith("(lưu ý: ")
    assert lines[4].startswith("[1] bài␊viết␛[31m.txt · đoạn 2 (ký tự 0–")
    assert lines[5].startswith("  → Giá xăng")
    assert all(line.startswith("    │ ") for line in lines[6:]) and len(lines) > 6


def test_rich_answer_shows_control_characters_instead_of_obeying_them() -> None:
    out = io.StringIO()
    Console(file=out, width=100, force_terminal=True, color_system="standard").print(
        render_answer(hostile_answer()))
    text = out.getvalue()
    assert_inert(text)
    assert "␛]0;owned␇" in text and "bài␊viết␛[31m.txt" in text and "<U+202E>" in text


def test_safe_leaves_vietnamese_and_ordinary_punctuation_alone() -> None:
    text = "Tỉ lệ hộ nghèo “đa chiều” – 17,66% (năm 2025)… ✓"
    assert safe(text) == text
    assert safe("a\tb") == "a b"


def test_json_escapes_line_separators_and_invisible_controls_but_decodes_exactly() -> None:
    data = hostile_answer().to_json()
    line = json_text(data)
    assert json.loads(line) == data
    assert len(line.splitlines()) == 1 and "\n" not in line
    assert_inert(line)
    assert "\\u2028" in line and "\\u202e" in line and "\\u0085" in line
    assert "Giá vàng" in line  # Vietnamese stays readable


def test_pretty_json_for_the_repl_decodes_exactly_too() -> None:
    data = hostile_answer().to_json()
    text = json_text(data, indent=2)
    assert json.loads(text) == data
    assert_inert(text)


def test_qabot_ask_shows_a_hostile_article_inertly_and_its_json_exactly(run_cli: Run,
                                                                       tmp_path: Path) -> None:
    name = "cảnh\nbáo\x1b[2J.txt"
    text = f"Hồ Pá Khoang {TITLE}có diện tích 600 ha{CLEAR}, nằm ở\u202e Điện Biên.\n"
    (tmp_path / "source_text" / name).write_text(text, encoding="utf-8")
    question = f"Hồ Pá Khoang {CLEAR}có diện tích bao nhiêu?"
    shown = run_cli("ask", question, "--top-k", "1")
    assert shown.returncode == 0, shown.stderr
    assert_inert(shown.stdout + shown.stderr)
    assert "cảnh␊báo␛[2J.txt · đoạn 1" in shown.stdout and "␛]0;owned␇" in shown.stdout
    assert shown.stdout.startswith("Hỏi: Hồ Pá Khoang ␛[2Jcó")
    exact = run_cli("ask", question, "--top-k", "1", "--json")
    assert exact.returncode == 0, exact.stderr
    (line,) = exact.stdout.splitlines()
    (passage,) = json.loads(line)["passages"]
    assert passage["source"] == name and passage["text"] == text.strip()
    assert json.loads(line)["question"] == question


def test_error_messages_show_a_hostile_folder_name_inertly(run_cli: Run,
                                                           tmp_path: Path) -> None:
    done = run_cli("index", "--sources", str(tmp_path / f"bài{TITLE}\nx"))
    assert done.returncode == 1
    assert "␛]0;owned␇␊x" in done.stderr
    assert_inert(done.stderr)
