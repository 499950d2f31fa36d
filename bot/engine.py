"""The one object front ends talk to: settings in, a fresh index and `Answer`s out. It loads
the embedding model only when a question or a build needs it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.answer import Answer, answer
from bot.config import Settings
from bot.embedding import Embedder, load_embedder, resolve_model
from bot.indexer import Changes, IndexTarget, ensure_fresh
from bot.store import StoredIndex

logger = logging.getLogger(__name__)


class Engine:
    """Answers questions over the sources in `settings`, keeping the index fresh."""

    def __init__(self, settings: Settings,
                 load_model: Callable[[str], Embedder] | None = None) -> None:
        self.settings = settings
        self._load_model = load_model or (lambda name: load_embedder(name, settings.cache))
        self._embedder: Embedder | None = None
        self._index: StoredIndex | None = None
        self._target: IndexTarget | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._load_model(self.settings.model)
        return self._embedder

    @property
    def target(self) -> IndexTarget:
        if self._target is None:
            model_id = (self._embedder.model_id if self._embedder is not None
                        else resolve_model(self.settings.model, self.settings.cache)[0])
            self._target = IndexTarget(self.settings.sources, self.settings.index, model_id,
                                       self.settings.chunker)
        return self._target

    def refresh(self, force: bool = False) -> Changes:
        """Check the sources against the index and rebuild what changed."""
        self._index, changes = ensure_fresh(self.target, lambda: self.embedder, force=force)
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
        value = self.index.manifest.get("built_at")
        return float(value) if isinstance(value, int | float) else 0.0

    def answer(self, question: str, top_k: int) -> Answer:
        """Answer one question from the current index (call `refresh` to pick up changes)."""
        return answer(question, self.index, self.embedder, top_k)
