"""Reading articles from the sources folder: which files count, UTF-8 decoding, NFC, hashes."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.text import nfc
from bot.errors import SourcesError

logger = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".txt", ".md")
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # an "article" larger than this is almost surely not one


@dataclass(frozen=True)
class SourceFile:
    """A candidate source on disk: its path relative to the folder and a cheap stat signature."""

    name: str
    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Source:
    """One article: its relative name, NFC text (what quotes index into) and content hash."""

    name: str
    text: str
    sha256: str


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def list_source_files(folder: Path) -> list[SourceFile]:
    """Every `*.txt` / `*.md` file under `folder`, sorted; links leading outside are skipped.

    Raises:
        SourcesError: the folder does not exist or is not a folder.
    """
    if not folder.is_dir():
        raise SourcesError(f"sources folder {folder} does not exist; create it and put "
                           "articles (.txt or .md, UTF-8) in it, or pass --sources DIR")
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in SOURCE_SUFFIXES or any(
                part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if not _inside(path, folder):
            logger.warning("skipping %s: it links outside the sources folder", path)
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            name = path.relative_to(folder).as_posix()
            found.append(SourceFile(name, path, stat.st_size, stat.st_mtime_ns))
    return found


def read_source(file: SourceFile) -> Source | None:
    """Read and NFC-normalize one source; None (with a warning) when it is not UTF-8 text."""
    if file.size > MAX_SOURCE_BYTES:
        logger.warning("skipping %s: larger than %d MB", file.name, MAX_SOURCE_BYTES >> 20)
        return None
    try:
        raw = file.path.read_bytes()
    except OSError as exc:
        logger.warning("skipping %s: cannot read it (%s)", file.name, exc.strerror)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.warning("skipping %s: not UTF-8 text; re-save it as UTF-8", file.name)
        return None
    if "\x00" in text:
        logger.warning("skipping %s: binary data, not text", file.name)
        return None
    return Source(file.name, nfc(text.replace("\r\n", "\n").replace("\r", "\n")),
                  hashlib.sha256(raw).hexdigest())
