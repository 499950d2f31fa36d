"""`manifest.json`, typed: what an index generation was built from (model, chunker, each source's
hash and stat, the files skipped and why) and the checksum of every file it holds. The only
module that reads or writes it; a manifest that does not have this shape is damaged."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class ManifestError(ValueError):
    """The manifest is not valid JSON of the expected shape (the index counts as damaged)."""


@dataclass(frozen=True)
class ModelInfo:
    """The embedding model whose vectors the index holds."""

    id: str
    dim: int


@dataclass(frozen=True)
class SourceEntry:
    """An indexed article: content hash, the stat seen when it was read, its chunk rows, and
    the metadata a citation shows (None when unknown), so answering never re-reads a file."""

    sha256: str
    size: int
    mtime_ns: int
    chunks: tuple[int, int]  # rows [first, last) in chunks.jsonl
    title: str | None = None
    url: str | None = None
    date: str | None = None
    # Changed by every write and never set back by hand: an edit that keeps the size and
    # restores the mtime (`touch -d`) is still noticed. 0 in a manifest written before it.
    ctime_ns: int = 0


@dataclass(frozen=True)
class SkippedFile:
    """A file in the sources that could not be used, remembered so that it is not read (nor
    warned about) again until its stat changes. `ctime_ns` catches a `chmod` that makes an
    unreadable file readable; `sha256` is None when its bytes could not be read."""

    reason: str
    size: int
    mtime_ns: int
    ctime_ns: int
    sha256: str | None = None


@dataclass(frozen=True)
class Manifest:
    """Everything a generation records about how it was built."""

    format: int
    model: ModelInfo
    chunker: dict[str, int]
    sources: dict[str, SourceEntry]
    skipped: dict[str, SkippedFile] = field(default_factory=dict)
    question_sample: str | None = None  # digest of the language-shift sample (format 3 on)
    built_at: float = 0.0
    chunk_count: int = 0
    search: str = "exact"  # "exact" or "hnsw"
    files: dict[str, str] = field(default_factory=dict)  # sha256 of every data file

    @property
    def approximate(self) -> bool:
        return self.search == "hnsw"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = {name: {**entry, "chunks": list(entry["chunks"])}
                           for name, entry in data["sources"].items()}
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=1)


def _get(data: Mapping[str, Any], key: str, kind: type[T] | tuple[type, ...],
         default: Any = ...) -> Any:
    if key not in data:
        if default is ...:
            raise ManifestError(f"manifest has no {key!r}")
        return default
    value = data[key]
    # bool is an int in Python, never a valid count or size here
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ManifestError(f"manifest field {key!r} has the wrong type")
    return value


def _mapping(data: Mapping[str, Any], key: str, item: Callable[[Any], T],
             default: Any = ...) -> dict[str, T]:
    raw = _get(data, key, dict, {} if default is not ... else ...)
    return {str(name): item(value) for name, value in raw.items()}


def _as_dict(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ManifestError("manifest entry is not a mapping")
    return value


def _source(value: Any) -> SourceEntry:
    entry = _as_dict(value)
    chunks = _get(entry, "chunks", list)
    if len(chunks) != 2 or not all(isinstance(c, int) and not isinstance(c, bool)
                                   for c in chunks) or not 0 <= chunks[0] <= chunks[1]:
        raise ManifestError("manifest chunk range is malformed")
    return SourceEntry(_get(entry, "sha256", str), _get(entry, "size", int),
                       _get(entry, "mtime_ns", int), (chunks[0], chunks[1]),
                       _optional_str(entry, "title"), _optional_str(entry, "url"),
                       _optional_str(entry, "date"), _get(entry, "ctime_ns", int, 0))


def _optional_str(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise ManifestError(f"manifest field {key!r} has the wrong type")
    return value


def _skipped(value: Any) -> SkippedFile:
    entry = _as_dict(value)
    sha = entry.get("sha256")
    if sha is not None and not isinstance(sha, str):
        raise ManifestError("manifest field 'sha256' has the wrong type")
    return SkippedFile(_get(entry, "reason", str), _get(entry, "size", int),
                       _get(entry, "mtime_ns", int), _get(entry, "ctime_ns", int), sha)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ManifestError("manifest chunker setting is not a whole number")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ManifestError("manifest checksum is not a string")
    return value


def parse(data: Any) -> Manifest:
    """A `Manifest` from decoded JSON.

    Raises:
        ManifestError: a field is missing or of the wrong type.
    """
    top = _as_dict(data)
    model = _as_dict(_get(top, "model", dict))
    search = _get(top, "search", str, "exact")
    if search not in ("exact", "hnsw"):
        raise ManifestError(f"manifest search kind {search!r} is unknown")
    return Manifest(
        format=_get(top, "format", int),
        model=ModelInfo(_get(model, "id", str), _get(model, "dim", int)),
        chunker=_mapping(top, "chunker", _int),
        sources=_mapping(top, "sources", _source),
        skipped=_mapping(top, "skipped", _skipped, default={}),
        question_sample=_get(top, "question_sample", str, None),
        built_at=float(_get(top, "built_at", (int, float), 0.0)),
        chunk_count=_get(top, "chunk_count", int, 0),
        search=search,
        files=_mapping(top, "files", _str, default={}),
    )


def read(path: Path) -> Manifest:
    """Read and validate a manifest file.

    Raises:
        OSError: it cannot be read.
        ManifestError: it is not UTF-8 JSON of the expected shape.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"manifest is not valid JSON ({exc})") from exc
    return parse(data)
