"""Keeping the index fresh: compare the sources, model and chunker with the manifest, rebuild
what changed (re-embedding only new passages) under a lock, and load the result."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import DEFAULT_ANN_MIN_PASSAGES
from bot.corpus.chunking import Chunk, ChunkerParams, chunk_source, content_key
from bot.corpus.sources import SourceFile, list_source_files, read_source
from bot.embedding.language_shift import compute_shift, sample_digest
from bot.embedding.models import Embedder
from bot.errors import IndexError_, IndexLockedError, SourcesError
from bot.store import generations as store

logger = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 600.0


@dataclass
class Changes:
    """What differs between the sources on disk and the live index."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # model, chunker, damage, forced
    embedded: int = 0  # passages and sentences embedded (the rest reused their vectors)
    reused: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.reasons)

    def describe(self) -> str:
        """One line for the user: what the build did, or that nothing changed."""
        if not self.any:
            return "index is up to date"
        parts = [f"{label}: {', '.join(names)}" for label, names in
                 (("added", self.added), ("changed", self.changed), ("removed", self.removed))
                 if names]
        parts += self.reasons
        return (f"index rebuilt ({'; '.join(parts)}); "
                f"{self.embedded} texts embedded, {self.reused} reused")


@dataclass(frozen=True)
class IndexTarget:
    """Which sources, index folder, model id and chunker a fresh index must match."""

    sources: Path
    index: Path
    model_id: str
    chunker: ChunkerParams
    ann_min_passages: int = DEFAULT_ANN_MIN_PASSAGES  # HNSW instead of exact search from here


def _same_stat(entry: dict[str, Any], file: SourceFile) -> bool:
    return bool(entry.get("size") == file.size and entry.get("mtime_ns") == file.mtime_ns)


def detect_changes(target: IndexTarget, files: list[SourceFile],
                   manifest: dict[str, Any] | None) -> Changes:
    """Cheap freshness check: stat first, content hash only for files whose stat moved."""
    changes = Changes()
    if manifest is None:
        changes.reasons.append("no usable index")
        changes.added = [f.name for f in files]
        return changes
    if manifest.get("format") != store.FORMAT_VERSION:
        changes.reasons.append("index format changed")
    if manifest.get("model", {}).get("id") != target.model_id:
        changes.reasons.append(f"model changed to {target.model_id}")
    if manifest.get("chunker") != asdict(target.chunker):
        changes.reasons.append("chunker settings changed")
    if manifest.get("question_sample") != sample_digest():
        changes.reasons.append("question sample changed")
    indexed: dict[str, Any] = manifest.get("sources", {})
    for file in files:
        entry = indexed.get(file.name)
        if entry is None:
            changes.added.append(file.name)
        elif not _same_stat(entry, file):
            source = read_source(file)
            if source is None or source.sha256 != entry.get("sha256"):
                changes.changed.append(file.name)
    names = {f.name for f in files}
    changes.removed = sorted(set(indexed) - names)
    return changes


def _chunk_all(files: list[SourceFile], params: ChunkerParams) -> tuple[list[Chunk],
                                                                         dict[str, Any]]:
    chunks: list[Chunk] = []
    entries: dict[str, Any] = {}
    for file in files:
        source = read_source(file)
        if source is None:
            continue
        first = len(chunks)
        chunks += chunk_source(source.name, source.text, params)
        entries[source.name] = {"sha256": source.sha256, "size": file.size,
                                "mtime_ns": file.mtime_ns, "chunks": [first, len(chunks)]}
    if not entries:
        raise SourcesError("no readable article (.txt or .md, UTF-8) in the sources folder")
    return chunks, entries


def build(target: IndexTarget, embedder: Embedder, previous: store.StoredIndex | None,
          files: list[SourceFile]) -> tuple[store.StoredIndex, int, int]:
    """Chunk every source, embed passages not already embedded, publish; returns the index
    and the counts of embedded and reused passages."""
    chunks, entries = _chunk_all(files, target.chunker)
    if previous is not None and previous.manifest.get("model", {}).get("id") != embedder.model_id:
        previous = None  # another model's vectors and shift are never reused
    known = previous.vector_by_key() if previous is not None else {}
    passage_texts = [c.search_text for c in chunks]
    sentence_texts = [text for c in chunks for text in c.sentence_texts()]
    owner = np.array([row for row, c in enumerate(chunks) for _ in c.sentence_texts()], np.int32)
    by_key = {content_key(t): t for t in passage_texts + sentence_texts}
    missing = [key for key in by_key if key not in known]
    known.update(zip(missing, embedder.embed_passages([by_key[k] for k in missing]), strict=True))
    shift = _language_shift(embedder, previous)

    def matrix(texts: list[str]) -> np.ndarray[Any, Any]:
        if not texts:
            return np.zeros((0, embedder.dim), np.float32)
        return np.stack([known[content_key(t)] for t in texts])

    vectors = store.Vectors(matrix(passage_texts), matrix(sentence_texts), owner,
                            [content_key(t) for t in passage_texts],
                            [content_key(t) for t in sentence_texts], shift)
    manifest = {"model": {"id": embedder.model_id, "dim": embedder.dim},
                "chunker": asdict(target.chunker), "question_sample": sample_digest(),
                "sources": entries, "built_at": time.time(), "chunk_count": len(chunks),
                "search": "hnsw" if len(chunks) >= target.ann_min_passages else "exact"}
    store.publish(target.index, chunks, vectors, manifest)
    return store.load(target.index), len(missing), len(by_key) - len(missing)


def _language_shift(embedder: Embedder,
                    previous: store.StoredIndex | None) -> np.ndarray[Any, Any]:
    """The model's English-to-Vietnamese question shift, kept from the previous index (same
    model) when the question sample is the same (else 280 short questions embedded)."""
    if previous is not None and previous.manifest.get("question_sample") == sample_digest():
        return previous.language_shift
    return compute_shift(embedder)


def load_or_none(index_dir: Path, warn: bool) -> store.StoredIndex | None:
    try:
        return store.load(index_dir)
    except IndexError_ as exc:
        if warn and store.live_generation(index_dir) is not None:
            logger.warning("%s; rebuilding it", exc)
        return None


def ensure_fresh(target: IndexTarget, embedder: Callable[[], Embedder], force: bool = False,
                 current: store.StoredIndex | None = None) -> tuple[store.StoredIndex, Changes]:
    """Bring the index up to date with the sources (under a lock) and return it loaded.

    `embedder` is called only when something must be embedded, so an up-to-date index never
    loads the model here. `current`, the index already in memory, is returned as it is when
    it is still the live one and nothing changed (a REPL or bot checks before every question).
    """
    files = list_source_files(target.sources)
    if not files:
        raise SourcesError(f"no articles in {target.sources}; add .txt or .md files (UTF-8)")
    changes = detect_changes(target, files, store.read_manifest(target.index))
    if not changes.any and not force:
        if current is not None and current.folder == store.live_generation(target.index):
            return current, changes
        loaded = load_or_none(target.index, warn=False)
        if loaded is not None:
            return loaded, changes
    return _rebuild(target, embedder, force)


def _rebuild(target: IndexTarget, embedder: Callable[[], Embedder],
             force: bool) -> tuple[store.StoredIndex, Changes]:
    from filelock import FileLock, Timeout

    lock = FileLock(str(target.index / ".lock"), timeout=LOCK_TIMEOUT_S)
    try:
        # Probe first: a read-only folder fails here, before any embedding work.
        store.check_writable(target.index)
        lock.acquire()
    except Timeout as exc:
        raise IndexLockedError(f"another qabot process is building the index in "
                               f"{target.index}; try again when it finishes") from exc
    except OSError as exc:
        raise store.write_failure(target.index, exc) from exc
    try:
        files = list_source_files(target.sources)
        previous = load_or_none(target.index, warn=True)
        # Another process may have finished the same build while we waited for the lock.
        changes = detect_changes(target, files, previous.manifest if previous else None)
        if previous is not None and not changes.any and not force:
            return previous, changes
        if previous is None and store.live_generation(target.index) is not None:
            changes.reasons = ["index damaged"]
        if force:
            changes.reasons.append("forced rebuild")
        loaded, changes.embedded, changes.reused = build(
            target, embedder(), None if force else previous, files)
    finally:
        lock.release()
    logger.info("%s", changes.describe())
    return loaded, changes
