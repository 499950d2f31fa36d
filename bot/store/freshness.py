"""Keeping the index fresh: compare the sources, model and chunker with the manifest, rebuild
what changed (re-embedding only new passages, loading the model only when something must be
embedded) under a lock, and load the result."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import DEFAULT_ANN_MIN_PASSAGES
from bot.corpus.chunking import ChunkerParams
from bot.corpus.sources import SourceFile, list_source_files
from bot.embedding.models import Embedder
from bot.errors import IndexError_, IndexLockedError, SourcesError
from bot.store import generations as store
from bot.store import ownership
from bot.store.building import ProgressFn, build
from bot.store.changes import Changes, detect_changes, nested_index, with_fresh_stats
from bot.store.manifest import Manifest

if TYPE_CHECKING:
    from filelock import BaseFileLock

logger = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 600.0
__all__ = ["Changes", "IndexTarget", "ensure_fresh", "load_or_none", "LOCK_TIMEOUT_S"]


@dataclass(frozen=True)
class IndexTarget:
    """Which sources, index folder, model id and chunker a fresh index must match."""

    sources: Path
    index: Path
    model_id: str
    chunker: ChunkerParams
    ann_min_passages: int = DEFAULT_ANN_MIN_PASSAGES  # HNSW instead of exact search from here


def load_or_none(index_dir: Path, warn: bool) -> store.StoredIndex | None:
    try:
        return store.load(index_dir)
    except IndexError_ as exc:
        if warn and store.live_generation(index_dir) is not None:
            logger.warning("%s; rebuilding it", exc)
        elif warn and (index_dir / ownership.POINTER).exists():
            logger.warning("the index's %s file names no complete index; rebuilding it",
                           ownership.POINTER)
        return None


def _list(target: IndexTarget) -> list[SourceFile]:
    try:
        inside = nested_index(target.sources, target.index)
    except ValueError as exc:
        raise SourcesError(str(exc)) from None
    files = list_source_files(target.sources, exclude=inside)
    if not files:
        raise SourcesError(f"no articles in {target.sources}; add .txt, .md or .html files")
    return files


def _detect(target: IndexTarget, files: list[SourceFile],
            manifest: Manifest | None) -> Changes:
    return detect_changes(target.model_id, target.chunker, store.FORMAT_VERSION, files, manifest)


def ensure_fresh(target: IndexTarget, embedder: Callable[[], Embedder], force: bool = False,
                 current: store.StoredIndex | None = None, progress: ProgressFn | None = None,
                 stale_ok: bool = False) -> tuple[store.StoredIndex, Changes]:
    """Bring the index up to date with the sources (under a lock) and return it loaded.

    `embedder` is called only when something must be embedded. `current`, the index already
    in memory, is returned as it is when it is still the live one and nothing changed.
    `stale_ok` (before answering a question): when another process is building, answer from
    the live index with a note instead of waiting. `progress` hears how embedding advances.
    """
    files = _list(target)
    changes = _detect(target, files, store.read_manifest(target.index))
    if not changes.any and not force:
        if changes.touched:
            _refresh_stats(target.index, changes)
        if current is not None and current.folder == store.live_generation(target.index):
            return current, changes
        loaded = load_or_none(target.index, warn=False)
        if loaded is not None:
            return loaded, changes
    return _rebuild(target, embedder, force, progress, stale_ok)


def _refresh_stats(index_dir: Path, changes: Changes) -> None:
    """Record the new stat of touched files, if the lock is free; otherwise the next check
    hashes them again (correct, only slower)."""
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(index_dir / ".lock"), timeout=0):
            live = store.live_generation(index_dir)
            manifest = store.read_manifest(index_dir)
            if live is not None and manifest is not None:
                store.rewrite_manifest(live, with_fresh_stats(manifest, changes.touched))
    except (Timeout, OSError) as exc:
        logger.debug("stat refresh skipped: %s", exc)


def _lock(target: IndexTarget, stale_ok: bool) -> tuple[BaseFileLock, store.StoredIndex | None]:
    """Take the build lock; with `stale_ok`, hand back the live index instead of waiting."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(target.index / ".lock"))
    try:
        lock.acquire(timeout=0)
        return lock, None
    except Timeout:
        pass
    if stale_ok and (previous := load_or_none(target.index, warn=False)) is not None:
        return lock, previous
    logger.warning("another qabot process is building the index in %s; waiting for it "
                   "(at most %d minutes)", target.index, LOCK_TIMEOUT_S // 60)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S)
    except Timeout as exc:
        raise IndexLockedError(f"another qabot process is building the index in "
                               f"{target.index}; try again when it finishes") from exc
    return lock, None


def _stale(previous: store.StoredIndex) -> tuple[store.StoredIndex, Changes]:
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(previous.manifest.built_at))
    note = f"another build is running; answering from the index of {built}"
    logger.warning("%s", note)
    return previous, Changes(note=note)


def _rebuild(target: IndexTarget, embedder: Callable[[], Embedder], force: bool,
             progress: ProgressFn | None,
             stale_ok: bool) -> tuple[store.StoredIndex, Changes]:
    try:
        ownership.claim_index_folder(target.index, store.live_generation(target.index))
        # Probe first: a read-only folder fails here, before any embedding work.
        store.check_writable(target.index)
        lock, stale = _lock(target, stale_ok)
    except OSError as exc:
        raise store.write_failure(target.index, exc) from exc
    if stale is not None:
        return _stale(stale)
    try:
        files = _list(target)
        previous = load_or_none(target.index, warn=True)
        # Another process may have finished the same build while we waited for the lock.
        changes = _detect(target, files, previous.manifest if previous else None)
        if previous is not None and not changes.any and not force:
            return previous, changes
        if previous is None:  # every article is new to the index: no need to list them
            damaged = store.live_generation(target.index) is not None
            changes.added, changes.reasons = [], ["index damaged" if damaged else "new index"]
        if force:
            changes.reasons.append("forced rebuild")
        loaded, changes.embedded, changes.reused = build(
            target, embedder, previous, files, progress, reuse=not force)
    finally:
        lock.release()
    changes.skipped = {name: s.reason for name, s in loaded.manifest.skipped.items()}
    return loaded, replace(changes, touched={})
