"""Change detection: which sources were added, changed, removed or only touched since the live
index was built, by stat first and content hash only for files whose stat moved."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bot.corpus.chunking import ChunkerParams
from bot.corpus.sources import SourceFile
from bot.embedding.language_shift import sample_digest
from bot.store.checksums import file_sha256
from bot.store.manifest import Manifest, SkippedFile, SourceEntry

FORMAT_REASON = "index format changed"
SHOWN_SKIPPED = 10  # a summary names this many skipped files, then counts the rest


@dataclass
class Changes:
    """What differs between the sources on disk and the live index."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # new index, model, chunker, damage, forced
    embedded: int = 0  # passages and sentences embedded (the rest reused their vectors)
    reused: int = 0
    # Stat moved, content the same: no rebuild, the manifest's stat is refreshed.
    touched: dict[str, tuple[SourceFile, str]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # file -> why it is not indexed
    note: str | None = None  # e.g. that another build is running

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.reasons)

    def describe(self) -> str:
        """What the build did (or that nothing changed), then the files that are skipped."""
        lines = [self.note] if self.note else []
        if not self.any:
            lines.append("index is up to date")
        else:
            parts = [f"{label}: {', '.join(names)}" for label, names in
                     (("added", self.added), ("changed", self.changed),
                      ("removed", self.removed)) if names]
            lines.append(f"index rebuilt ({'; '.join(parts + self.reasons)}); "
                         f"{self.embedded} texts embedded, {self.reused} reused")
        if self.skipped:
            shown = [f"{name} ({why})" for name, why in sorted(self.skipped.items())]
            more = len(shown) - SHOWN_SKIPPED
            lines.append(f"not indexed: {', '.join(shown[:SHOWN_SKIPPED])}"
                         + (f" and {more} more" if more > 0 else ""))
        return "\n".join(lines)


def _digest(file: SourceFile) -> str | None:
    try:
        return file_sha256(file.path)
    except OSError:
        return None


def _compare(file: SourceFile, entry: SourceEntry | SkippedFile, changes: Changes) -> None:
    same = entry.size == file.size and entry.mtime_ns == file.mtime_ns
    # A chmod may make a skipped file readable; an indexed one may have been rewritten with its
    # size and mtime kept (ctime moves then too, and the hash tells).
    if isinstance(entry, SkippedFile) or entry.ctime_ns:
        same = same and entry.ctime_ns == file.ctime_ns
    if same:
        return
    digest = _digest(file)
    if digest is not None and digest == entry.sha256:
        changes.touched[file.name] = (file, digest)
    else:
        changes.changed.append(file.name)


def detect_changes(model_id: str, chunker: ChunkerParams, format_version: int,
                   files: list[SourceFile], manifest: Manifest | None) -> Changes:
    """Cheap freshness check against `manifest` (None: no usable index)."""
    changes = Changes()
    if manifest is None:
        changes.reasons.append("no usable index")
        changes.added = [f.name for f in files]
        return changes
    if manifest.format != format_version:
        changes.reasons.append(FORMAT_REASON)
    if manifest.model.id != model_id:
        changes.reasons.append(f"model changed to {model_id}")
    if manifest.chunker != asdict(chunker):
        changes.reasons.append("chunker settings changed")
    if manifest.question_sample != sample_digest():
        changes.reasons.append("question sample changed")
    for file in files:
        entry = manifest.sources.get(file.name) or manifest.skipped.get(file.name)
        if entry is None:
            changes.added.append(file.name)
        else:
            _compare(file, entry, changes)
    names = {f.name for f in files}
    changes.removed = sorted((set(manifest.sources) | set(manifest.skipped)) - names)
    changes.skipped = {name: s.reason for name, s in manifest.skipped.items() if name in names}
    return changes


def with_fresh_stats(manifest: Manifest, touched: dict[str, tuple[SourceFile, str]]) -> Manifest:
    """`manifest` with the stat of touched-but-unchanged files updated (so they are not hashed
    again on every check); entries whose hash no longer matches are left alone."""
    sources, skipped = dict(manifest.sources), dict(manifest.skipped)
    for name, (file, digest) in touched.items():
        if (entry := sources.get(name)) is not None and entry.sha256 == digest:
            sources[name] = replace(entry, size=file.size, mtime_ns=file.mtime_ns,
                                    ctime_ns=file.ctime_ns)
        elif (gone := skipped.get(name)) is not None and gone.sha256 == digest:
            skipped[name] = replace(gone, size=file.size, mtime_ns=file.mtime_ns,
                                    ctime_ns=file.ctime_ns)
    return replace(manifest, sources=sources, skipped=skipped)


def nested_index(sources: Path, index: Path) -> Path | None:
    """The index folder when it lies inside the sources folder (its files must not be read
    as articles), else None.

    Raises:
        ValueError: the two are the same folder, or the sources lie inside the index folder.
    """
    sources, index = _real(sources), _real(index)
    if sources == index:
        raise ValueError(f"the sources folder and the index folder are the same ({sources}); "
                         "choose another index folder with --index")
    if sources.is_relative_to(index):
        raise ValueError(f"the sources folder {sources} is inside the index folder {index}; "
                         "choose an index folder outside it with --index")
    return index if index.is_relative_to(sources) else None


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop: compare the path as written
        return path.absolute()
