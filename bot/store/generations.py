"""The index on disk: FAISS vectors, the chunk table (JSONL), the lexical index and
`manifest.json`, written as a new generation folder and published by an atomic pointer swap.

Layout of the index folder:
    CURRENT            name of the live generation folder (replaced atomically)
    .lock              held while a build writes
    gen-<time>-<pid>/  .qabot-generation (the marker: only marked folders are ever removed),
                       manifest.json, vectors.faiss, chunks.jsonl, lexical/, language_shift.npy ...
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus.chunking import Chunk, in_context
from bot.errors import IndexError_, IndexWriteError
from bot.store import manifest as manifests
from bot.store import ownership
from bot.store.checksums import file_sha256
from bot.store.lexical import LexicalIndex
from bot.store.manifest import Manifest, ManifestError
from bot.store.ownership import POINTER
from bot.store.vectors import VectorIndex, read, write

logger = logging.getLogger(__name__)

FORMAT_VERSION = 5  # 4: the vocabulary leaves file names out; 5: a Markdown "# …" title
# Vectors stored by these formats embed the same texts the same way: a build reuses them.
REUSABLE_FORMATS = (2, 3, 4, 5)


@dataclass
class StoredIndex:
    """A loaded generation: chunks, their vectors (row i is chunk i) and the lexical index."""

    folder: Path
    manifest: Manifest
    chunks: list[Chunk]
    vectors: VectorIndex  # passages (row i is chunk i)
    sentence_vectors: VectorIndex  # the passages' sentences
    sentence_owner: np.ndarray[Any, Any]  # passage row of each sentence row
    lexical: LexicalIndex
    language_shift: np.ndarray[Any, Any]  # see bot.embedding.language_shift
    # Per-index values computed on first use by retrieval (e.g. the z-score sample).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def approximate(self) -> bool:
        """True when the vectors are in HNSW graphs (large corpora), False for exact search."""
        return self.vectors.approximate

    def vector_by_key(self) -> dict[str, np.ndarray[Any, Any]]:
        """Stored vectors keyed by the content hash of the text they embed, for reuse."""
        found: dict[str, np.ndarray[Any, Any]] = {}
        if self.manifest.format not in REUSABLE_FORMATS:
            return found
        try:
            keys = json.loads((self.folder / "keys.json").read_text(encoding="utf-8"))
            for name, vectors in (("passages", self.vectors),
                                  ("sentences", self.sentence_vectors)):
                found.update(zip(keys[name], np.array(vectors.matrix()), strict=True))
        except (OSError, ValueError, KeyError, TypeError):
            return {}  # nothing to reuse: everything gets embedded again
        return found


@dataclass(frozen=True)
class Vectors:
    """What a build embedded: passage rows, sentence rows and each sentence's passage."""

    passages: np.ndarray[Any, Any]
    sentences: np.ndarray[Any, Any]
    owner: np.ndarray[Any, Any]
    passage_keys: list[str]  # content hash of the text behind each row
    sentence_keys: list[str]
    language_shift: np.ndarray[Any, Any]  # English-to-Vietnamese question shift of this model


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")


def live_generation(index_dir: Path) -> Path | None:
    """The folder CURRENT points to, or None when no index was ever published."""
    try:
        name = (index_dir / POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):  # missing, unreadable or garbled: no live index
        return None
    folder = index_dir / name
    return folder if name.startswith("gen-") and folder.is_dir() else None


def read_manifest(index_dir: Path) -> Manifest | None:
    """The live manifest, or None when missing, unreadable or malformed (then the index gets
    rebuilt)."""
    folder = live_generation(index_dir)
    if folder is None:
        return None
    try:
        return manifests.read(folder / "manifest.json")
    except (OSError, ManifestError):
        return None


def verify(folder: Path, manifest: Manifest) -> str | None:
    """Check every data file against the manifest's checksums; a reason string if one fails."""
    expected = manifest.files
    if not expected:
        return "the manifest lists no files"
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if file_sha256(path) != digest:
            return f"{name} does not match its checksum"
    return None


def load(index_dir: Path) -> StoredIndex:
    """Load and verify the live generation.

    Raises:
        IndexError_: no index, or a file is missing, truncated or altered.
    """
    folder = live_generation(index_dir)
    if folder is None:
        raise IndexError_(f"no usable index in {index_dir}; run `qabot index`")
    try:
        manifest = manifests.read(folder / "manifest.json")
    except (OSError, ManifestError) as exc:
        raise IndexError_(f"the index in {index_dir} is damaged ({exc})") from exc
    problem = verify(folder, manifest)
    if problem:
        raise IndexError_(f"the index in {index_dir} is damaged ({problem})")
    try:
        with (folder / "chunks.jsonl").open(encoding="utf-8") as handle:
            chunks = [Chunk(**json.loads(line)) for line in handle]
        vectors = read(folder / "vectors.faiss")
        sentence_vectors = read(folder / "sentences.faiss")
        owner = np.load(folder / "sentence_owner.npy", allow_pickle=False)
        lexical = LexicalIndex.load(folder / "lexical")
        shift = _read_shift(folder, vectors.dim)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise IndexError_(f"the index in {index_dir} is damaged ({exc})") from exc
    if (vectors.size != len(chunks) or lexical.size != len(chunks)
            or sentence_vectors.size != len(owner) or shift.shape != (vectors.dim,)):
        raise IndexError_(f"the index in {index_dir} is damaged (row counts disagree)")
    return StoredIndex(folder, manifest, chunks, vectors, sentence_vectors, owner, lexical,
                       shift.astype(np.float32))


def _read_shift(folder: Path, dim: int) -> np.ndarray[Any, Any]:
    """The stored language shift; an index of format 2 has none (no shift), and is loaded
    only so that the upgrading build can reuse its vectors. A current index lists the file
    in its checksums, so there a missing file is caught as damage before this point."""
    path = folder / "language_shift.npy"
    return np.load(path, allow_pickle=False) if path.exists() else np.zeros(dim, np.float32)


def _spelled(chunk: Chunk, manifest: Manifest) -> str:
    """A passage as the vocabulary learns it: under the article's own title when it has one,
    not its file name, which is often a title stripped of diacritics ("tong-bi-thu-to-lam-…"
    made "tong bi thu" the spelling a question typed without marks was restored to)."""
    entry = manifest.sources.get(chunk.source)
    title = entry.title if entry is not None and entry.title else chunk.context_title
    return in_context(title, chunk.heading, chunk.text)


def _write_generation(folder: Path, chunks: list[Chunk], vectors: Vectors,
                      manifest: Manifest) -> None:
    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
    dim = manifest.model.dim
    approximate = manifest.approximate
    write(folder / "vectors.faiss", vectors.passages, dim, approximate)
    write(folder / "sentences.faiss", vectors.sentences, dim, approximate)
    np.save(folder / "sentence_owner.npy", vectors.owner.astype(np.int32), allow_pickle=False)
    np.save(folder / "language_shift.npy", vectors.language_shift.astype(np.float32),
            allow_pickle=False)
    (folder / "keys.json").write_text(
        json.dumps({"passages": vectors.passage_keys, "sentences": vectors.sentence_keys}),
        encoding="utf-8")
    (folder / "lexical").mkdir()
    LexicalIndex.build([c.search_text for c in chunks],
                       [_spelled(c, manifest) for c in chunks]).save(folder / "lexical")
    manifest = replace(manifest, format=FORMAT_VERSION,
                       files={p.relative_to(folder).as_posix(): file_sha256(p)
                              for p in _data_files(folder)})
    _write_durably(folder / "manifest.json", manifest.dumps())
    for path in _data_files(folder):
        _fsync(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def publish(index_dir: Path, chunks: list[Chunk], vectors: Vectors,
            manifest: Manifest) -> Path:
    """Write a new generation and make it live atomically; older generations are removed.

    A build killed at any point leaves CURRENT pointing at the previous, complete generation.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
    folder = index_dir / name
    try:
        folder.mkdir()  # never exist_ok: only a folder made here may be removed below
    except OSError as exc:
        raise write_failure(index_dir, exc) from exc
    try:
        ownership.mark_generation(folder)
        _write_generation(folder, chunks, vectors, manifest)
        _write_durably(index_dir / POINTER, name + "\n")
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise write_failure(index_dir, exc) from exc
    ownership.remove_stale_generations(index_dir, live_generation(index_dir))
    return folder


def rewrite_manifest(folder: Path, manifest: Manifest) -> None:
    """Replace a generation's manifest atomically (to refresh the stat of sources that were
    touched but not changed; the data files and their checksums stay as they are).

    Raises:
        OSError: it cannot be written.
    """
    _write_durably(folder / "manifest.json", manifest.dumps())


def write_failure(index_dir: Path, exc: OSError) -> IndexWriteError:
    """The one-line error for a build that could not write (full disk, read-only folder)."""
    return IndexWriteError(f"cannot write the index in {index_dir} ({exc.strerror or exc}); "
                           "the previous index is unchanged: free some disk space, make the "
                           "folder writable or choose another one with --index")


def check_writable(index_dir: Path) -> None:
    """Fail before any embedding work when the index folder cannot take new files.

    Raises:
        OSError: the folder cannot be created or written.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    probe = index_dir / f".probe-{os.getpid()}"
    probe.write_bytes(b"")
    probe.unlink(missing_ok=True)
