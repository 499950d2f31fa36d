"""Shared fixtures: one model cache and one loaded model per test session, and per-test copies
of the sources so tests never touch the repository's own index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import DEFAULT_MODEL, Settings
from bot.embedding.models import SentenceTransformerEmbedder, load_embedder
from bot.engine import Engine
from tests.fake_bot_api import FakeBotAPI

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source_text"
SHARED = REPO.parent / "shared"
XQUAD = SHARED / "eval" / "xquad-dev"
DATA = Path(__file__).resolve().parent / "data"

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_VERBOSITY"] = "error"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """A fake Telegram Bot API server on 127.0.0.1 for this test."""
    with FakeBotAPI() as api:
        yield api


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("qabot-cache")


@pytest.fixture(scope="session")
def embedder(cache_dir: Path) -> SentenceTransformerEmbedder:
    return load_embedder(DEFAULT_MODEL, cache_dir)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "source_text"
    shutil.copytree(SEED, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, sources: Path, cache_dir: Path) -> Settings:
    return Settings(sources=sources, index=tmp_path / "index", cache=cache_dir)


@pytest.fixture
def engine(settings: Settings, embedder: SentenceTransformerEmbedder) -> Engine:
    return Engine(settings, load_model=lambda name: embedder)


@pytest.fixture(scope="session")
def seed_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                embedder: SentenceTransformerEmbedder) -> Engine:
    """An engine over an unchanging copy of the seed article, shared by read-only tests."""
    root = tmp_path_factory.mktemp("seed")
    shutil.copytree(SEED, root / "source_text")
    engine = Engine(Settings(sources=root / "source_text", index=root / "index",
                             cache=cache_dir), load_model=lambda name: embedder)
    engine.refresh()
    return engine


def xquad_copy_engine(root: Path, cache_dir: Path, embedder: SentenceTransformerEmbedder,
                      ann_min_passages: int | None = None) -> Engine:
    """An engine over a copy of the 24 xquad-dev articles in `root`, index built."""
    shutil.copytree(XQUAD / "source_text", root / "source_text")
    settings = Settings(sources=root / "source_text", index=root / "index", cache=cache_dir)
    if ann_min_passages is not None:
        settings = replace(settings, ann_min_passages=ann_min_passages)
    engine = Engine(settings, load_model=lambda name: embedder)
    engine.refresh()
    return engine


@pytest.fixture
def run_cli(tmp_path: Path, cache_dir: Path) -> Iterator[object]:
    """Run `python -m bot ...` as a user would, in a scratch folder with the seed article."""

    def run(*args: str, stdin: str | bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1",
                    **(env or {})}
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        done = subprocess.run([sys.executable, "-m", "bot", *args], input=data,
                              capture_output=True, cwd=tmp_path, env=full_env, timeout=300)
        return subprocess.CompletedProcess(done.args, done.returncode,
                                           done.stdout.decode("utf-8", "replace"),
                                           done.stderr.decode("utf-8", "replace"))

    if not (tmp_path / "source_text").exists():
        shutil.copytree(SEED, tmp_path / "source_text")
    yield run
