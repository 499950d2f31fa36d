"""10,000 generated hostile questions through `answer()` and through `qabot ask -`: no crash,
no hang, and a valid JSON answer (or a clear refusal) for every one."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine import Engine
from bot.errors import QuestionError
from tests.fuzz_questions import hostile_question

COUNT = 10_000


@pytest.fixture(scope="module")
def native_engine(seed_engine: Engine) -> Engine:
    """The engine as the command line runs it (native question embedding when available)."""
    engine = Engine(Settings(sources=seed_engine.settings.sources,
                             index=seed_engine.settings.index, cache=seed_engine.settings.cache))
    engine.refresh()
    return engine


def test_answer_survives_ten_thousand_hostile_questions(native_engine: Engine) -> None:
    rng = random.Random(20261126)
    questions = [hostile_question(rng) for _ in range(COUNT - 2)]
    questions += [hostile_question(rng, huge=True), "\ud800 lone surrogate \udfff ti le"]
    answered = refused = 0
    for question in questions:
        try:
            result = native_engine.answer(question, 3)
        except QuestionError:
            refused += 1
            continue
        answered += 1
        line = json.dumps(result.to_json(), ensure_ascii=False)
        assert json.loads(line.encode("utf-8"))["passages"], question[:80]
        for passage in result.passages:
            assert passage.highlight in passage.text
    assert answered + refused == COUNT and answered > COUNT // 2


def test_ask_stdin_gives_one_json_line_for_each_hostile_question(
        native_engine: Engine, cache_dir: Path) -> None:
    rng = random.Random(99)
    lines = [hostile_question(rng).replace("\n", " ").replace("\r", " ")
             for _ in range(COUNT - 1)]
    lines.append(hostile_question(rng, huge=True))
    payload = "\n".join(lines).encode("utf-8") + b"\n\xed\xa0\x80 ti le \xff\n"
    expected = [line for line in lines if line.strip()] + ["\ufffd"]
    settings = native_engine.settings
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "-", "--json", "--sources", str(settings.sources),
         "--index", str(settings.index)], input=payload, capture_output=True, timeout=900,
        env={"QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")
    # split on "\n" only: JSON strings may hold U+2028 and other characters splitlines() cuts at
    outputs = [json.loads(line) for line in done.stdout.decode("utf-8").split("\n") if line]
    assert len(outputs) == len(expected)
    for output, line in zip(outputs[:-1], expected, strict=False):
        assert output["question"] == line
        assert isinstance(output["answered"], bool)
        assert output["passages"] or "error" in output
    assert done.returncode == 1  # some lines held no question at all
