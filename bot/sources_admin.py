"""Adding and removing articles, one code path for `qabot add` and the bot's admins: a link is
fetched and its article extracted into `<slug>.md` with front matter, a file is copied as it
is; an article already there (same link, or the same passages) is recognised, never
duplicated; then the engine brings the index up to date. Removing moves a file into the hidden
`.removed/` folder of the sources; nothing is ever deleted."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from bot.corpus.chunking import chunk_source
from bot.corpus.extraction import extract_article
from bot.corpus.fetching import MAX_PAGE_BYTES, Fetcher
from bot.corpus.metadata import front_matter_block, web_url
from bot.corpus.sources import SOURCE_SUFFIXES, Unusable, source_from_bytes
from bot.corpus.text import fold
from bot.engine import Article, Engine
from bot.errors import AddError, IndexError_, QabotError, SourcesError
from bot.store.ownership import ADDING_LOCK

logger = logging.getLogger(__name__)

REMOVED = ".removed"  # hidden: never read as articles
SLUG_CHARS = 80
ADD_WAIT_S = 600  # another process adding (fetch done, reindexing) rarely takes a minute
# A file added by hand or sent to the bot, like a fetched page: an article is well under 1 MB,
# and embedding a bigger "article" takes most of an hour.
MAX_ADD_BYTES = MAX_PAGE_BYTES


@dataclass(frozen=True)
class Added:
    """What adding one link or file did: `already` when it was there and nothing was written."""

    name: str  # the file in the sources folder
    title: str
    paragraphs: int
    already: bool = False

    def describe(self) -> str:
        if self.already:
            return f"already there: {self.title} ({self.name})"
        return f"đã thêm: {self.title}, {self.paragraphs} đoạn"


def is_link(text: str) -> bool:
    return re.match(r"^https?://\S+$", text.strip(), re.IGNORECASE) is not None


def slug(text: str) -> str:
    """A file name stem from a title: "Cầu Nậm Rốm" -> "cau-nam-rom"."""
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    return "-".join(words)[:SLUG_CHARS].strip("-") or "bai-viet"


def _safe_name(name: str) -> str:
    """A file name from elsewhere (a Telegram document) made plain: no folders, not hidden."""
    base = PurePosixPath(name.replace("\\", "/")).name.lstrip(".")
    stem, suffix = os.path.splitext(base)
    return f"{slug(stem)}{suffix.lower()}"


class Library:
    """Adds and removes the articles of `engine`'s sources folder; safe from many threads
    (one change at a time)."""

    def __init__(self, engine: Engine, fetcher: Fetcher | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.engine = engine
        self.fetcher = fetcher or Fetcher(allow_private=engine.settings.allow_private_urls)
        self.now = now
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        return self.engine.settings.sources

    # --- adding ------------------------------------------------------------------------------
    def add(self, target: str) -> Added:
        """Add the page at a link, or a local file.

        Raises:
            AddError: it cannot be fetched, read or holds no article text.
        """
        if is_link(target):
            return self.add_url(target.strip())
        path = Path(target)
        if not path.is_file():
            raise AddError(f"{target} is neither an http(s) link nor a file")
        _check_size(target, path.stat().st_size)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise AddError(f"cannot read {target} ({exc.strerror or exc})") from None
        return self.add_document(path.name, raw)

    def add_url(self, url: str) -> Added:
        """Fetch, extract and add the article at `url`."""
        with self._lock:
            self._sync()
            if (known := self._by_url(url)) is not None:
                return self._already(known)
            page = self.fetcher.fetch(url)
            extracted = extract_article(page.html(), page.url)
            fetched = self.now().astimezone(UTC).isoformat(timespec="seconds")
            meta = replace(extracted.meta, url=extracted.meta.url or web_url(page.url),
                           fetched_at=fetched)
            if (known := self._by_url(meta.url)) is not None:
                return self._already(known)
            title = meta.title or PurePosixPath(page.url).name or page.url
            stem = slug(meta.title or PurePosixPath(page.url.rstrip("/")).name)
            text = front_matter_block(meta) + extracted.text
            return self._write(f"{stem}.md", text.encode("utf-8"), title, url, meta.url)

    def add_document(self, name: str, raw: bytes) -> Added:
        """Add a `.txt`, `.md` or `.html` file's bytes (copied as they are)."""
        _check_size(name, len(raw))
        safe = _safe_name(name)
        if not safe.lower().endswith(SOURCE_SUFFIXES):
            raise AddError(f"{name}: only .txt, .md and .html files can be added")
        with self._lock:
            self._sync()
            return self._write(safe, raw, None, name)

    def _write(self, name: str, raw: bytes, title: str | None, origin: str,
               url: str | None = None) -> Added:
        """Under the lock: check the article, recognise a duplicate, write, reindex."""
        source = source_from_bytes(name, raw)
        if isinstance(source, Unusable):
            raise AddError(f"{origin}: {source.reason}")
        passages = [c.text for c in chunk_source(name, source.text, self.engine.settings.chunker)]
        if not passages:
            raise AddError(f"{origin}: no article text found")
        with self._folder_lock():
            # Another qabot (a second `qabot add`, the bot) may have added it meanwhile.
            self._sync()
            if (known := self._by_url(url) or self._by_passages(passages)) is not None:
                return self._already(known)
            return self._written(name, raw, title or source.meta.title, origin)

    @contextmanager
    def _folder_lock(self) -> Iterator[None]:
        """One process at a time adds to the sources folder (its lock file lives in the index
        folder, beside the build's: the sources folder holds the user's articles only)."""
        from filelock import FileLock, Timeout

        index = self.engine.settings.index
        try:
            index.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(index / ADDING_LOCK), timeout=ADD_WAIT_S)
            lock.acquire()
        except Timeout:
            raise AddError("another qabot has been adding an article to this folder for "
                           f"{ADD_WAIT_S} s; try again when it is done") from None
        except OSError as exc:
            raise AddError(f"cannot write in the index folder {index} "
                           f"({exc.strerror or exc})") from None
        try:
            yield
        finally:
            lock.release()

    def _written(self, name: str, raw: bytes, title: str | None, origin: str) -> Added:
        """Write the article under its free name and reindex (the folder lock held)."""
        target = self._free_name(name)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # hidden meanwhile
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            temporary.write_bytes(raw)
        except OSError as exc:
            raise AddError(f"cannot write {target} ({exc.strerror or exc})") from None
        os.replace(temporary, target)
        written = target.relative_to(self.folder).as_posix()
        logger.info("added %s from %s", written, origin)
        self._refresh_or_back_out(target, written)
        counts = {a.name: a.paragraphs for a in self._articles()}
        return Added(written, title or written, counts.get(written, 0))

    def _refresh_or_back_out(self, target: Path, written: str) -> None:
        """Index the new file; when that fails or is interrupted, take the file out again so
        later commands do not try to index it again (the previous index is still whole)."""
        try:
            self.engine.refresh()
        except KeyboardInterrupt:
            target.unlink(missing_ok=True)
            logger.warning("interrupted while indexing %s; it was taken out of the sources "
                           "again", written)
            raise
        except QabotError as exc:
            target.unlink(missing_ok=True)
            raise AddError(f"{written} was taken out of the sources again: the index could "
                           f"not be updated ({exc})") from None

    def _free_name(self, name: str) -> Path:
        stem, suffix = os.path.splitext(name)
        candidate, number = self.folder / name, 2
        while candidate.exists():
            candidate, number = self.folder / f"{stem}-{number}{suffix}", number + 1
        return candidate

    def _sync(self) -> None:
        """Bring the index up to date first, so duplicates are judged against every article;
        a sources folder that is empty or missing has none."""
        try:
            self.engine.refresh()
        except SourcesError as exc:
            logger.debug("no articles yet: %s", exc)

    def _articles(self) -> list[Article]:
        try:
            return self.engine.articles()
        except IndexError_:
            return []

    def _by_url(self, url: str | None) -> Article | None:
        wanted = _comparable(url)
        return next((a for a in self._articles()
                     if wanted and _comparable(a.url) == wanted), None)

    def _by_passages(self, passages: list[str]) -> Article | None:
        by_source: dict[str, list[str]] = {}
        try:
            chunks = self.engine.index.chunks
        except IndexError_:
            return None
        for chunk in chunks:
            by_source.setdefault(chunk.source, []).append(chunk.text)
        same = next((name for name, texts in by_source.items() if texts == passages), None)
        return next((a for a in self._articles() if a.name == same), None)

    def _already(self, article: Article) -> Added:
        return Added(article.name, article.label, article.paragraphs, already=True)

    # --- removing ----------------------------------------------------------------------------
    def remove(self, name: str) -> Article:
        """Move the article `name` into `.removed/` and reindex.

        Raises:
            AddError: there is no such indexed article.
        """
        with self._lock:
            article = next((a for a in self._articles() if a.name == name), None)
            source = (self.folder / name).resolve()
            if article is None or not source.is_relative_to(self.folder.resolve()):
                raise AddError(f"{name} is not one of the indexed articles")
            if len(self._articles()) == 1:  # an empty sources folder cannot be indexed
                raise AddError(f"{name} is the only article; add another before removing it")
            target = self.folder / REMOVED / name
            stamp = self.now().strftime("%Y%m%dT%H%M%S")
            if target.exists():
                target = target.with_name(f"{target.stem}-{stamp}{target.suffix}")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(self.folder / name, target)
            except OSError as exc:
                raise AddError(f"cannot move {name} ({exc.strerror or exc})") from None
            logger.info("moved %s to %s", name, target.relative_to(self.folder).as_posix())
            self.engine.refresh()
            return article


def _check_size(name: str, size: int) -> None:
    if size > MAX_ADD_BYTES:
        raise AddError(f"{name} is larger than {MAX_ADD_BYTES >> 20} MB, the limit for an "
                       "added article")


def _comparable(url: str | None) -> str | None:
    """A link compared loosely: no fragment, no trailing slash, scheme and host in lower case."""
    if not url:
        return None
    base = url.strip().split("#")[0].rstrip("/")
    scheme, _, rest = base.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"
