"""10,000 generated hostile questions through `answer()` and through `qabot ask -`: no crash,
no hang, and a valid JSON answer (or a clear refusal) for every one. The hashing embedder
stands in for the model: what is under test is everything around the embedding. The fast tier
asks the first 1,000 (answering takes ~5 ms a question even without a model)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.errors import QuestionError
from tests.conftest import REPO
from tests.fake_embedder import FAKE_MODEL
from tests.fuzz_questions import hostile_question

# The same generator seeds in both tiers: the fast run's questions begin the full run's.
COUNTS = [1_000, pytest.param(10_000, marks=pytest.mark.slow)]


@pytest.fixture(scope="module")
def cli_engine(fake_seed_engine: Engine) -> Engine:
    """The engine as the command line sets it up: the model loaded by its name."""
    engine = Engine(replace(fake_seed_engine.settings, model=FAKE_MODEL))
    engine.refresh()
    return engine


@pytest.mark.parametrize("count", COUNTS)
def test_answer_survives_generated_hostile_questions(cli_engine: Engine, count: int) -> None:
    rng = random.Random(20261126)
    questions = [hostile_question(rng) for _ in range(count - 2)]
    questions += [hostile_question(rng, huge=True), "\ud800 lone surrogate \udfff ti le"]
    answered = refused = 0
    for question in questions:
        try:
            result = cli_engine.answer(question, 3)
        except QuestionError:
            refused += 1
            continue
        answered += 1
        line = json.dumps(result.to_json(), ensure_ascii=False)
        assert json.loads(line.encode("utf-8"))["passages"], question[:80]
        for passage in result.passages:
            assert passage.highlight in passage.text
    assert answered + refused == count and answered > count // 2


@pytest.mark.parametrize("count", COUNTS)
def test_ask_stdin_gives_one_json_line_for_each_hostile_question(
        cli_engine: Engine, cache_dir: Path, count: int) -> None:
    rng = random.Random(99)
    lines = [hostile_question(rng).replace("\n", " ").replace("\r", " ")
             for _ in range(count - 1)]
    lines.append(hostile_question(rng, huge=True))
    payload = "\n".join(lines).encode("utf-8") + b"\n\xed\xa0\x80 ti le \xff\n"
    expected = [line for line in lines if line.strip()] + ["\ufffd"]
    settings = cli_engine.settings
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "-", "--json", "--sources", str(settings.sources),
         "--index", str(settings.index)], input=payload, capture_output=True, timeout=900,
        env={"QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin",
             "QABOT_MODEL": FAKE_MODEL, "QABOT_PYTHON_MODELS": "1", "PYTHONPATH": str(REPO)})
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")
    # split on "\n" only: JSON strings may hold U+2028 and other characters splitlines() cuts at
    outputs = [json.loads(line) for line in done.stdout.decode("utf-8").split("\n") if line]
    assert len(outputs) == len(expected)
    for output, line in zip(outputs[:-1], expected, strict=False):
        assert output["question"] == line
        assert isinstance(output["answered"], bool)
        assert output["passages"] or "error" in output
    assert done.returncode == 1  # some lines held no question at all
