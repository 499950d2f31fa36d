"""Reading articles from the sources folder: which files count, decoding, metadata, hashes.

An article's `source` text, into which every offset points, is the file's bytes decoded as
UTF-8 with a leading BOM removed, line endings normalized (CRLF and lone CR become LF), then
NFC-normalized: `source_text(raw)`. For `.html` it is the article text extracted from the page
(`bot.corpus.extraction`), normalized the same way.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.metadata import ArticleMeta, read_markdown_meta
from bot.corpus.text import nfc
from bot.errors import SourcesError

logger = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # an "article" larger than this is almost surely not one


@dataclass(frozen=True)
class SourceFile:
    """A candidate source on disk: its path relative to the folder and a cheap stat signature.

    `problem` is set for a file that is listed only to be remembered as skipped (e.g. its name
    is not valid UTF-8); it is never read.
    """

    name: str
    path: Path
    size: int
    mtime_ns: int
    ctime_ns: int = 0
    problem: str | None = None


@dataclass(frozen=True)
class Source:
    """One article: its relative name, `source` text (what quotes index into), hash of the
    file's bytes, and its metadata (front matter of a `.md`, what an `.html` page says)."""

    name: str
    text: str
    sha256: str
    meta: ArticleMeta = ArticleMeta()


@dataclass(frozen=True)
class Unusable:
    """Why a file was skipped; `sha256` of its bytes when they could be read."""

    name: str
    reason: str
    sha256: str | None = None


def source_text(raw: bytes) -> str:
    """The text offsets index into (see the module docstring).

    Raises:
        UnicodeDecodeError: `raw` is not UTF-8.
    """
    text = raw.decode("utf-8-sig")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def is_html(name: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES)


def is_markdown(name: str) -> bool:
    return name.lower().endswith(".md")


def display_name(name: str) -> str:
    """A file name safe to print and store as UTF-8: undecodable bytes shown as `\\xNN`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _candidates(folder: Path, exclude: Path | None) -> list[tuple[str, Path]]:
    """(relative name, path) of every source (`*.txt`, `*.md`, `*.html`) below `folder`,
    hidden folders and `exclude` left out; links to folders are not followed (no loops, no
    duplicates)."""
    found: list[tuple[str, Path]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or folder)
        logger.warning("skipping folder %s: %s", display_name(_relative(where, folder)),
                       error.strerror or "cannot be read")

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (exclude is None or here / d != exclude))
        for file in sorted(files):
            if Path(file).suffix.lower() in SOURCE_SUFFIXES and not file.startswith("."):
                found.append(((here / file).relative_to(folder).as_posix(), here / file))
    return sorted(found)


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def list_source_files(folder: Path, exclude: Path | None = None) -> list[SourceFile]:
    """Every source (`*.txt`, `*.md`, `*.html`, `*.htm`) under `folder`, sorted by name; links
    leading outside the folder are skipped, and a file reached twice (a link to another
    source, a hard link) is listed once, under its first name.

    Raises:
        SourcesError: the folder does not exist or is not a folder.
    """
    if not folder.exists():
        raise SourcesError(f"sources folder {folder} does not exist; create it and put "
                           "articles (.txt, .md or .html) in it, or pass --sources DIR")
    if not folder.is_dir():
        raise SourcesError(f"sources folder {folder} is not a folder; pass the folder that "
                           "holds the articles with --sources DIR")
    real_folder = folder.resolve()
    exclude = exclude.resolve() if exclude is not None else None
    listed: dict[tuple[int, int], SourceFile] = {}
    # Real files first, so that a link to another source never hides the source's own name.
    for name, path in sorted(_candidates(real_folder, exclude),
                             key=lambda found: (found[1].is_symlink(), found[0])):
        shown = display_name(name)
        problem = _link_problem(path, real_folder, exclude) if path.is_symlink() else None
        try:
            # A link not followed is listed (its own stat) to be remembered as skipped: warned
            # about once, by the build, and shown among the files not indexed.
            stat = path.lstat() if problem is not None else path.stat()
        except (OSError, ValueError) as exc:  # vanished, name too long, ...
            logger.warning("skipping %s: %s", shown, getattr(exc, "strerror", None) or exc)
            continue
        identity = (stat.st_dev, stat.st_ino)
        if (problem is None and not path.is_file()) or identity in listed:
            continue  # a second name (link, hard link) of a source already listed
        if problem is None and shown != name:
            problem = "its name is not valid UTF-8; rename it"
        listed[identity] = SourceFile(shown, path, stat.st_size, stat.st_mtime_ns,
                                      stat.st_ctime_ns, problem)
    return sorted(listed.values(), key=lambda file: file.name)


def _link_problem(path: Path, folder: Path, exclude: Path | None) -> str | None:
    """Why a symbolic link is not followed, or None when it leads to a file inside."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11)
        return "it is a broken link or a link loop"
    if not target.is_relative_to(folder) or (exclude is not None
                                             and target.is_relative_to(exclude)):
        return "it links outside the sources folder"
    return None


def read_source(file: SourceFile) -> Source | Unusable:
    """Read one source and make its `source` text, or say why it cannot be used."""
    if file.problem is not None:
        return Unusable(file.name, file.problem)
    if file.size > MAX_SOURCE_BYTES:
        return Unusable(file.name, f"larger than {MAX_SOURCE_BYTES >> 20} MB")
    try:
        raw = file.path.read_bytes()
    except OSError as exc:
        return Unusable(file.name, f"cannot read it ({exc.strerror or exc})")
    return source_from_bytes(file.name, raw)


def source_from_bytes(name: str, raw: bytes) -> Source | Unusable:
    """The article a file named `name` holding `raw` makes, or why it cannot be used."""
    digest = hashlib.sha256(raw).hexdigest()
    if is_html(name):
        return _html_source(name, raw, digest)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # UTF-32's start so too
        return Unusable(name, "UTF-16 or UTF-32 text; re-save it as UTF-8", digest)
    if b"\x00" in raw[:8192]:  # UTF-8 text has no NUL bytes; an image or a document has many
        return Unusable(name, "binary data (or UTF-16 text without a BOM), not UTF-8 text",
                        digest)
    try:
        text = source_text(raw)
    except UnicodeDecodeError:
        return Unusable(name, "not UTF-8 text; re-save it as UTF-8", digest)
    if "\x00" in text:
        return Unusable(name, "binary data, not text", digest)
    meta = read_markdown_meta(text) if is_markdown(name) else ArticleMeta()
    return Source(name, text, digest, meta)


def _html_source(name: str, raw: bytes, digest: str) -> Source | Unusable:
    """A page's article text (the page may declare any encoding)."""
    from bot.corpus.extraction import extract_article

    if b"\x00" in raw:
        return Unusable(name, "binary data, not text", digest)
    extracted = extract_article(raw)
    return Source(name, source_text(extracted.text.encode("utf-8")), digest, extracted.meta)
