"""Shared fixtures in two tiers. The real model (`embedder`, `engine`, `seed_engine`, `run_cli`)
is loaded once per session, and every test using it is marked `slow`; the `fake_*` fixtures
use tests/fake_embedder.py, need no model and make up `make test-fast`. Tests get per-test
copies of the sources, so they never touch the repository's own index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import DEFAULT_MODEL, Settings
from bot.embedding.models import Embedder, SentenceTransformerEmbedder, load_embedder
from bot.engine import Engine
from tests.fake_bot_api import FakeBotAPI
from tests.fake_embedder import FAKE_MODEL

# The folder tests' helpers and fixtures (`folder`, `target`), defined once for every module.
pytest_plugins = ["tests.folder_fixtures"]

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source_text"
SHARED = REPO.parent / "shared"
XQUAD = SHARED / "eval" / "xquad-dev"
DATA = Path(__file__).resolve().parent / "data"
# Fixtures that load the real model (directly or through one another, or in a subprocess).
REAL_MODEL_FIXTURES = frozenset({"embedder", "run_cli"})

os.environ["HF_HUB_OFFLINE"] = "1"
# The fake model is an embedder written in Python (`--model tests.fake_embedder:...`).
os.environ["QABOT_PYTHON_MODELS"] = "1"
os.environ["TRANSFORMERS_VERBOSITY"] = "error"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"

Run = Callable[..., subprocess.CompletedProcess[str]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test that loads the real model, so `pytest -m "not slow"` never
    does, whoever wrote the test."""
    for item in items:
        if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    """A fake Telegram Bot API server on 127.0.0.1 for this test."""
    with FakeBotAPI() as api:
        yield api


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("qabot-cache")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "source_text"
    shutil.copytree(SEED, folder, dirs_exist_ok=True)  # `run_cli` may have copied it already
    return folder


@pytest.fixture
def settings(tmp_path: Path, sources: Path, cache_dir: Path) -> Settings:
    return Settings(sources=sources, index=tmp_path / "index", cache=cache_dir,
                    python_models=True)


def seed_copy_engine(root: Path, cache_dir: Path, model: str,
                     load_model: Callable[[str], Embedder] | None) -> Engine:
    """An engine over a copy of the seed article in `root`, index built."""
    shutil.copytree(SEED, root / "source_text")
    engine = Engine(Settings(sources=root / "source_text", index=root / "index",
                             cache=cache_dir, model=model, python_models=True),
                    load_model=load_model)
    engine.refresh()
    return engine


def xquad_copy_engine(root: Path, cache_dir: Path, embedder: Embedder,
                      ann_min_passages: int | None = None, model: str = DEFAULT_MODEL) -> Engine:
    """An engine over a copy of the 24 xquad-dev articles in `root`, index built."""
    shutil.copytree(XQUAD / "source_text", root / "source_text")
    settings = Settings(sources=root / "source_text", index=root / "index", cache=cache_dir,
                        model=model, python_models=True)
    if ann_min_passages is not None:
        settings = replace(settings, ann_min_passages=ann_min_passages)
    engine = Engine(settings, load_model=lambda name: embedder)
    engine.refresh()
    return engine


def _cli_runner(folder: Path, cache_dir: Path, model_env: dict[str, str]) -> Run:
    """`python -m bot ...` as a user runs it, in `folder` (which gets a copy of the seed)."""
    # the subprocess runs in a scratch folder: put the repository on its path for `tests.*`
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)

    def run(*args: str, stdin: str | bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1",
                    "PYTHONPATH": path, **model_env, **(env or {})}
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        done = subprocess.run([sys.executable, "-m", "bot", *args], input=data,
                              capture_output=True, cwd=folder, env=full_env, timeout=300)
        return subprocess.CompletedProcess(done.args, done.returncode,
                                           done.stdout.decode("utf-8", "replace"),
                                           done.stderr.decode("utf-8", "replace"))

    if not (folder / "source_text").exists():
        shutil.copytree(SEED, folder / "source_text")
    return run


# --- the fake model: no torch, no weights ----------------------------------------------------

@pytest.fixture(scope="session")
def fake_embedder(cache_dir: Path) -> Embedder:
    """The hashing embedder, loaded the way `--model tests.fake_embedder:HashingEmbedder`
    loads it, so indexes built here and by `fake_cli` processes agree on the model."""
    return load_embedder(FAKE_MODEL, cache_dir, python_models=True)


@pytest.fixture
def fake_settings(settings: Settings) -> Settings:
    return replace(settings, model=FAKE_MODEL)


@pytest.fixture
def fake_engine(fake_settings: Settings, fake_embedder: Embedder) -> Engine:
    return Engine(fake_settings, load_model=lambda name: fake_embedder)


@pytest.fixture(scope="session")
def fake_seed_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                     fake_embedder: Embedder) -> Engine:
    """The hashing model over an unchanging copy of the seed article, for read-only tests."""
    return seed_copy_engine(tmp_path_factory.mktemp("fake-seed"), cache_dir, FAKE_MODEL,
                            lambda name: fake_embedder)


@pytest.fixture
def fake_cli(tmp_path: Path, cache_dir: Path) -> Run:
    """`python -m bot ...` with QABOT_MODEL set to the hashing embedder."""
    return _cli_runner(tmp_path, cache_dir, {"QABOT_MODEL": FAKE_MODEL})


# --- the real model --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def embedder(cache_dir: Path) -> SentenceTransformerEmbedder:
    loaded = load_embedder(DEFAULT_MODEL, cache_dir)
    assert isinstance(loaded, SentenceTransformerEmbedder)
    return loaded


@pytest.fixture
def engine(settings: Settings, embedder: SentenceTransformerEmbedder) -> Engine:
    return Engine(settings, load_model=lambda name: embedder)


@pytest.fixture(scope="session")
def seed_engine(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path,
                embedder: SentenceTransformerEmbedder) -> Engine:
    """The real model over an unchanging copy of the seed article, shared by read-only tests."""
    return seed_copy_engine(tmp_path_factory.mktemp("seed"), cache_dir, DEFAULT_MODEL,
                            lambda name: embedder)


@pytest.fixture
def seed_index(tmp_path: Path, sources: Path, seed_engine: Engine) -> Path:
    """`tmp_path/index`: a copy of `seed_engine`'s index, up to date with `sources`, so a test
    of the real model (or a `run_cli` process) starts without a 10 s build."""
    shutil.copytree(seed_engine.settings.index, tmp_path / "index")
    return tmp_path / "index"


@pytest.fixture
def run_cli(tmp_path: Path, cache_dir: Path) -> Run:
    """`python -m bot ...` with the default (real) model."""
    return _cli_runner(tmp_path, cache_dir, {})
