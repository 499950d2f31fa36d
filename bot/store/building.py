"""Building a generation: read and chunk every source (remembering the ones that cannot be
used), embed only texts without a stored vector (reporting progress), publish."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.corpus.chunking import Chunk, ChunkerParams, chunk_source, content_key
from bot.corpus.sources import SourceFile, Unusable, read_source
from bot.embedding.language_shift import compute_shift, sample_digest
from bot.embedding.models import Embedder
from bot.errors import SourcesError
from bot.store import generations as store
from bot.store.manifest import Manifest, ModelInfo, SkippedFile, SourceEntry

if TYPE_CHECKING:
    from bot.store.freshness import IndexTarget

logger = logging.getLogger(__name__)

EMBED_BATCH = 256  # texts per embedding call: small enough for a lively progress report


@dataclass(frozen=True)
class BuildProgress:
    """How far the embedding of a build has come."""

    done: int
    total: int
    elapsed: float  # seconds since embedding started

    @property
    def rate(self) -> float:
        """Texts embedded per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, None before there is a rate."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None


ProgressFn = Callable[[BuildProgress], None]


@dataclass
class _Read:
    chunks: list[Chunk]
    sources: dict[str, SourceEntry]
    skipped: dict[str, SkippedFile]


def _remembered(name: str, file: SourceFile, before: Manifest | None) -> bool:
    """True when the previous build already skipped this file, unchanged (no new warning)."""
    old = before.skipped.get(name) if before is not None else None
    return old is not None and (old.size, old.mtime_ns) == (file.size, file.mtime_ns)


def _read_all(files: list[SourceFile], params: ChunkerParams, before: Manifest | None) -> _Read:
    done = _Read([], {}, {})
    for file in files:
        source = read_source(file)
        if isinstance(source, Unusable):
            if not _remembered(file.name, file, before):
                logger.warning("skipping %s: %s", file.name, source.reason)
            done.skipped[file.name] = SkippedFile(source.reason, file.size, file.mtime_ns,
                                                  file.ctime_ns, source.sha256)
            continue
        first = len(done.chunks)
        done.chunks += chunk_source(source.name, source.text, params)
        old = before.sources.get(file.name) if before is not None else None
        if first == len(done.chunks) and (old is None or old.sha256 != source.sha256):
            logger.warning("%s has no indexable text (it is empty or holds only headings, "
                           "bylines or banners)", file.name)
        done.sources[file.name] = SourceEntry(
            source.sha256, file.size, file.mtime_ns, (first, len(done.chunks)),
            source.meta.title, source.meta.url, source.meta.date, file.ctime_ns)
    if not done.chunks:
        raise SourcesError("no indexable text in the sources folder: "
                           f"{_listing(done)}; add articles with paragraphs of text")
    return done


def _listing(done: _Read) -> str:
    names = [*done.sources, *(f"{n} ({s.reason})" for n, s in done.skipped.items())]
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _embed(embedder: Embedder, texts: list[str], progress: ProgressFn | None
           ) -> np.ndarray[Any, Any]:
    started, parts = time.monotonic(), []
    for first in range(0, len(texts), EMBED_BATCH):
        parts.append(embedder.embed_passages(texts[first:first + EMBED_BATCH]))
        if progress is not None:
            progress(BuildProgress(min(first + EMBED_BATCH, len(texts)), len(texts),
                                   time.monotonic() - started))
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dim), np.float32)


class _LazyModel:
    """The embedding model, loaded on first use: a build that embeds nothing never loads it."""

    def __init__(self, load: Callable[[], Embedder]) -> None:
        self._load = load
        self.loaded: Embedder | None = None

    def __call__(self) -> Embedder:
        if self.loaded is None:
            self.loaded = self._load()
        return self.loaded


def build(target: IndexTarget, embedder: Callable[[], Embedder],
          previous: store.StoredIndex | None, files: list[SourceFile],
          progress: ProgressFn | None = None, reuse: bool = True
          ) -> tuple[store.StoredIndex, int, int]:
    """Chunk every source, embed the texts not already embedded, publish; returns the index
    and the counts of embedded and reused texts.

    Raises:
        SourcesError: no source yields a passage (before any model is loaded).
    """
    read = _read_all(files, target.chunker, previous.manifest if previous else None)
    if previous is not None and (not reuse or previous.manifest.model.id != target.model_id):
        previous = None  # another model's vectors and shift are never reused
    known = previous.vector_by_key() if previous is not None else {}
    chunks = read.chunks
    passage_texts = [c.search_text for c in chunks]
    sentence_texts = [text for c in chunks for text in c.sentence_texts()]
    owner = np.array([row for row, c in enumerate(chunks) for _ in c.sentence_texts()], np.int32)
    by_key = {content_key(t): t for t in passage_texts + sentence_texts}
    missing = [key for key in by_key if key not in known]
    model = _LazyModel(embedder)
    if missing:
        known.update(zip(missing, _embed(model(), [by_key[k] for k in missing], progress),
                         strict=True))
    shift = (previous.language_shift if previous is not None
             and previous.manifest.question_sample == sample_digest()
             else compute_shift(model()))  # 280 short questions embedded
    dim = model.loaded.dim if model.loaded is not None else int(shift.shape[0])

    def matrix(texts: list[str]) -> np.ndarray[Any, Any]:
        if not texts:
            return np.zeros((0, dim), np.float32)
        return np.stack([known[content_key(t)] for t in texts])

    vectors = store.Vectors(matrix(passage_texts), matrix(sentence_texts), owner,
                            [content_key(t) for t in passage_texts],
                            [content_key(t) for t in sentence_texts], shift)
    manifest = Manifest(
        format=store.FORMAT_VERSION, model=ModelInfo(target.model_id, dim),
        chunker=asdict(target.chunker), sources=read.sources, skipped=read.skipped,
        question_sample=sample_digest(), built_at=time.time(), chunk_count=len(chunks),
        search="hnsw" if len(chunks) >= target.ann_min_passages else "exact")
    store.publish(target.index, chunks, vectors, manifest)
    return store.load(target.index), len(missing), len(by_key) - len(missing)
