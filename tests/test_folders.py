"""Real folders: odd files, links and names, empty content, a damaged manifest and a shared
index folder, with `HashEmbedder`, a fast hashed n-gram stand-in for the model (also used by
the change-detection, fuzz and /sources tests)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.chunking import ChunkerParams
from bot.embedding.models import Vectors
from bot.errors import IndexError_, SourcesError
from bot.store import generations as store
from bot.store.freshness import IndexTarget, ensure_fresh
from bot.store.ownership import GENERATION_MARKER

ARTICLE = ("Điện Biên có 19 dân tộc cùng sinh sống.\n"
           "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm.\n")


class HashEmbedder:
    """A deterministic stand-in for the model: hashed character 3-grams, L2-normalized."""

    model_id = "test:hashed-3grams"
    dim = 64

    def __init__(self) -> None:
        self.embedded = 0  # texts embedded so far, to see what a build re-embeds

    def _vector(self, text: str) -> np.ndarray:  # type: ignore[type-arg]
        vector = np.zeros(self.dim, np.float32)
        padded = f"  {text.lower()} "
        for i in range(len(padded) - 2):
            digest = hashlib.blake2b(padded[i:i + 3].encode("utf-8", "replace"), digest_size=4)
            vector[int.from_bytes(digest.digest(), "little") % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def _embed(self, texts: list[str]) -> Vectors:
        self.embedded += len(texts)
        return np.array([self._vector(t) for t in texts], np.float32).reshape(-1, self.dim)

    def embed_queries(self, texts: list[str]) -> Vectors:
        return self._embed(texts)

    def embed_passages(self, texts: list[str]) -> Vectors:
        return self._embed(texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        return text, False


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


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "dien-bien.txt").write_text(ARTICLE, encoding="utf-8")
    return sources


@pytest.fixture
def target(folder: Path, tmp_path: Path) -> IndexTarget:
    return target_for(folder, tmp_path / "index")


def live_manifest(index: Path) -> dict:  # type: ignore[type-arg]
    live = store.live_generation(index)
    assert live is not None
    return json.loads((live / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# --- nothing is deleted that qabot did not create --------------------------------------------

def test_a_users_gen_folder_next_to_the_index_survives_every_build(
        folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ensure_fresh(target_for(folder, index), Loader())
    mine = index / "gen-ai"
    mine.mkdir()
    (mine / "notes.txt").write_text("my notes", encoding="utf-8")
    (folder / "more.txt").write_text("Một bài viết mới về Lai Châu.\n", encoding="utf-8")
    ensure_fresh(target_for(folder, index), Loader())
    ensure_fresh(target_for(folder, index), Loader(), force=True)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "my notes"
    marked = [p for p in index.glob("gen-*") if (p / GENERATION_MARKER).is_file()]
    assert marked == [store.live_generation(index)]  # qabot's own leftovers are still removed


@pytest.mark.parametrize("content", ["notes.txt", "gen-ai/plan.md", "sub/"])
def test_a_non_empty_folder_that_is_not_an_index_is_refused(
        folder: Path, tmp_path: Path, content: str) -> None:
    index = tmp_path / "home"
    if content.endswith("/"):
        (index / content).mkdir(parents=True)
    else:
        (index / content).parent.mkdir(parents=True, exist_ok=True)
        (index / content).write_text("mine", encoding="utf-8")
    before = sorted(p.relative_to(index) for p in index.rglob("*"))
    loader = Loader()
    with pytest.raises(IndexError_, match="refusing to use .* not a qabot index"):
        ensure_fresh(target_for(folder, index), loader)
    assert sorted(p.relative_to(index) for p in index.rglob("*")) == before
    assert loader.loads == 0


def test_an_empty_folder_or_one_with_only_a_readme_becomes_the_index(
        folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "README.md").write_text("Generated by qabot.\n", encoding="utf-8")
    loaded, _ = ensure_fresh(target_for(folder, index), Loader())
    assert loaded.chunks and (index / "README.md").is_file()


def test_an_index_from_before_markers_is_adopted_and_its_old_generation_removed_later(
        folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ensure_fresh(target_for(folder, index), Loader())
    old = store.live_generation(index)
    assert old is not None
    (old / GENERATION_MARKER).unlink()
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"][GENERATION_MARKER]
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "more.txt").write_text("Một bài viết mới về Lai Châu.\n", encoding="utf-8")
    ensure_fresh(target_for(folder, index), Loader())
    assert not old.exists() and len(list(index.glob("gen-*"))) == 1


def test_an_index_folder_inside_the_sources_is_not_read_as_articles(folder: Path) -> None:
    index = folder / "index"
    ensure_fresh(target_for(folder, index), Loader())
    (index / "README.md").write_text("Một ghi chú không phải bài viết.\n", encoding="utf-8")
    loaded, changes = ensure_fresh(target_for(folder, index), Loader())
    assert not changes.any
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}


@pytest.mark.parametrize("where", ["same", "inside"])
def test_sources_inside_or_equal_to_the_index_folder_are_refused(
        tmp_path: Path, where: str) -> None:
    index = tmp_path / "index"
    sources = index if where == "same" else index / "articles"
    sources.mkdir(parents=True)
    (sources / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(SourcesError, match="same|inside the index folder"):
        ensure_fresh(target_for(sources, index), Loader())
    assert (sources / "a.txt").read_text(encoding="utf-8") == ARTICLE


# --- no crash on odd names, links or empty content ------------------------------------------

@pytest.mark.parametrize("content", ["", "   \n\t\n", "Tải ứng dụng:\nTheo TTXVN\n",
                                     "Tiêu đề một\nTiêu đề hai\n", "...\n---\n"])
def test_sources_without_indexable_text_fail_clearly_before_any_model_loads(
        tmp_path: Path, content: str) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "empty.txt").write_text(content, encoding="utf-8")
    loader = Loader()
    with pytest.raises(SourcesError, match="no indexable text in .*empty.txt"):
        ensure_fresh(target_for(sources, tmp_path / "index"), loader)
    assert loader.loads == 0
    assert list((tmp_path / "index").glob("gen-*")) == []


def test_a_file_that_yields_nothing_is_named_and_the_rest_is_indexed(
        folder: Path, target: IndexTarget, caplog: pytest.LogCaptureFixture) -> None:
    (folder / "headings.md").write_text("Tiêu đề một\n\nTiêu đề hai\n", encoding="utf-8")
    loaded, _ = ensure_fresh(target, Loader())
    assert any("headings.md has no indexable text" in w for w in warnings_in(caplog))
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}


def test_odd_names_and_link_loops_are_skipped_with_a_warning(
        folder: Path, target: IndexTarget, caplog: pytest.LogCaptureFixture) -> None:
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink("self.txt", folder / "self.txt")
    os.symlink(folder, folder / "again")  # a folder linking to its parent
    os.mkfifo(folder / "pipe.txt")  # opening it would block forever
    bad_name = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(bad_name, "wb") as handle:
        handle.write("Quán cà phê ở Điện Biên.\n".encode())
    loaded, changes = ensure_fresh(target, Loader())
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}
    shown = "\n".join(warnings_in(caplog))
    for name in ("loop-a.txt", "loop-b.txt", "self.txt", "caf\\xe9.txt"):
        assert name in shown
    assert "caf\\xe9.txt" in changes.skipped
    caplog.clear()
    assert not ensure_fresh(target, Loader())[1].any


def test_a_link_to_another_source_does_not_index_it_twice(
        folder: Path, target: IndexTarget) -> None:
    os.symlink("dien-bien.txt", folder / "a-link.txt")
    os.link(folder / "dien-bien.txt", folder / "hard-link.txt")
    loaded, _ = ensure_fresh(target, Loader())
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}


@pytest.mark.parametrize("damage", [
    {"sources": []}, {"sources": {"dien-bien.txt": {"sha256": 5}}}, {"model": "e5"},
    {"chunk_count": "many"}, {"skipped": {"x.txt": []}}, {"files": {"chunks.jsonl": None}},
])
def test_a_manifest_of_the_wrong_shape_is_damage_and_rebuilt(
        target: IndexTarget, caplog: pytest.LogCaptureFixture, damage: dict) -> None:  # type: ignore[type-arg]
    ensure_fresh(target, Loader())
    live = store.live_generation(target.index)
    assert live is not None
    (live / "manifest.json").write_text(
        json.dumps({**live_manifest(target.index), **damage}), encoding="utf-8")
    loaded, changes = ensure_fresh(target, Loader())
    assert changes.reasons == ["index damaged"] and changes.added == []
    assert any("damaged" in w for w in warnings_in(caplog))
    assert loaded.chunks and store.read_manifest(target.index) is not None
    (store.live_generation(target.index) / "manifest.json").write_text("[]")  # type: ignore[operator]
    assert ensure_fresh(target, Loader(), force=True)[0].chunks


def test_a_path_longer_than_the_system_allows_is_skipped_with_a_warning(
        folder: Path, target: IndexTarget, caplog: pytest.LogCaptureFixture) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 x 250 bytes: past PATH_MAX (4096) on Linux
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        deep = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(deep, "Một bài ở rất sâu.\n".encode())
        os.close(deep)
    finally:
        os.close(fd)
    loaded, _ = ensure_fresh(target, Loader())
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}
    assert any("File name too long" in w for w in warnings_in(caplog))


def test_an_empty_generation_left_by_a_build_killed_before_marking_it_is_removed(
        folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ensure_fresh(target_for(folder, index), Loader())
    killed = index / "gen-20250101T000000-123456789-4242"
    killed.mkdir()
    look_alike = index / "gen-20250101T000000-123456789-4243"
    look_alike.mkdir()
    (look_alike / "keep.txt").write_text("not empty", encoding="utf-8")
    ensure_fresh(target_for(folder, index), Loader(), force=True)
    assert not killed.exists() and (look_alike / "keep.txt").is_file()
