"""Helpers and fixtures of the folder tests (test_folders.py, test_change_detection.py and
others): `HashEmbedder`, a sources folder holding one article, and the index target over it.
Registered as a plugin in conftest.py, so the fixtures exist once."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.corpus.chunking import ChunkerParams
from bot.embedding.models import Embeddings as Vectors
from bot.store import generations as store
from bot.store.freshness import IndexTarget
from tests.fake_embedder import HashingEmbedder

ARTICLE = ("Điện Biên có 19 dân tộc cùng sinh sống.\n"
           "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm.\n")


class HashEmbedder(HashingEmbedder):
    """The hashing stand-in for the model, counting what it embeds (what a build re-embeds)."""

    model_id = "test:hashed"

    def __init__(self) -> None:
        super().__init__(HashEmbedder.model_id)
        self.embedded = 0

    def embed_queries(self, texts: list[str]) -> Vectors:
        self.embedded += len(texts)
        return super().embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> Vectors:
        self.embedded += len(texts)
        return super().embed_passages(texts)


class Loader:
    """Hands out the fake model and counts how often a build asked for it."""

    def __init__(self) -> None:
        self.model = HashEmbedder()
        self.loads = 0

    def __call__(self) -> HashEmbedder:
        self.loads += 1
        return self.model


def target_for(sources: Path, index: Path) -> IndexTarget:
    return IndexTarget(sources, index, HashEmbedder.model_id, ChunkerParams())


def live_manifest(index: Path) -> dict:  # type: ignore[type-arg]
    live = store.live_generation(index)
    assert live is not None
    return json.loads((live / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# --- nothing is deleted that qabot did not create --------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "dien-bien.txt").write_text(ARTICLE, encoding="utf-8")
    return sources


@pytest.fixture
def target(folder: Path, tmp_path: Path) -> IndexTarget:
    return target_for(folder, tmp_path / "index")
