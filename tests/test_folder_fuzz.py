"""Folder fuzzing: random trees of files (random names, non-UTF-8 bytes included), encodings,
contents and symbolic links (loops, duplicates, links outside) through a real build with the
hashed n-gram embedder. It must never crash, loop, drop a readable article, index anything
outside the sources or the index folder, or delete anything qabot did not create."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.chunking import ChunkerParams, chunk_source
from bot.corpus.sources import source_text
from bot.errors import SourcesError
from bot.store.freshness import ensure_fresh
from tests.folder_fixtures import Loader, target_for

SECRET = "Bí mật bên ngoài thư mục nguồn không được lập chỉ mục."
SENTENCES = ["Điện Biên có 19 dân tộc cùng sinh sống.", "Tỉ lệ hộ nghèo còn 17,66%.",
             "Xã Nà Sáng có 120 hộ nghèo", "Theo TTXVN", "- Một mục trong danh sách",
             "# Tiêu đề", "", "   ", "Nguồn vốn đầu tư là 500 tỷ đồng.", "...", "---"]
NAME_PARTS = [b"a", b"b", b"bai-viet", b"Vi\xe1\xbb\x87t", b"caf\xe9", b"\xff\xfe", b".an",
              b"gen-ai", b"index", b"x y", b"CURRENT"]
SUFFIXES = [b".txt", b".md", b".TXT", b".bin", b""]

text_body = st.lists(st.sampled_from(SENTENCES), max_size=6).map("\n".join)
encoded = st.one_of(
    text_body.map(lambda t: t.encode("utf-8")),
    text_body.map(lambda t: "\ufeff".encode() + t.replace("\n", "\r\n").encode("utf-8")),
    text_body.map(lambda t: t.encode("latin-1", "replace")),
    text_body.map(lambda t: t.encode("utf-16")),
    st.binary(max_size=200),
)
names = st.tuples(st.sampled_from(NAME_PARTS), st.sampled_from(SUFFIXES)).map(b"".join)
folders = st.lists(st.sampled_from([b"sub", b".hidden", b"d\xe9j\xe0", b"deep"]), max_size=3)
files = st.tuples(folders, names, encoded)
link_names = st.tuples(st.sampled_from(NAME_PARTS),
                       st.sampled_from([b".txt", b".md"])).map(b"".join)
link_kinds = st.sampled_from(["file", "self", "loop", "parent", "outside", "dangling"])
links = st.tuples(folders, link_names, link_kinds)


def _write(root: bytes, folder: list[bytes], name: bytes, data: bytes) -> None:
    where = os.path.join(root, *folder) if folder else root
    os.makedirs(where, exist_ok=True)
    path = os.path.join(where, name)
    if os.path.lexists(path) or os.path.isdir(path):
        return
    with open(path, "wb") as handle:
        handle.write(data)


def _link(root: bytes, outside: bytes, folder: list[bytes], name: bytes, kind: str,
          existing: list[bytes]) -> None:
    where = os.path.join(root, *folder) if folder else root
    os.makedirs(where, exist_ok=True)
    path = os.path.join(where, b"link-" + name)
    if os.path.lexists(path):
        return
    target = {"self": path, "loop": path + b".other", "parent": root,
              "outside": os.path.join(outside, b"secret.txt"), "dangling": b"/nonexistent/x",
              "file": existing[0] if existing else root}[kind]
    os.symlink(target, path)
    if kind == "loop":
        os.symlink(path, path + b".other")


def _snapshot(root: Path, skip: Path) -> dict[str, bytes]:
    """Every file and link below `root` (outside `skip`) with its content or link target."""
    seen: dict[str, bytes] = {}
    for here, dirs, found in os.walk(os.fsencode(root)):
        dirs[:] = [d for d in dirs if os.path.join(here, d) != os.fsencode(skip)]
        for name in found + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            path = os.path.join(here, name)
            seen[os.fsdecode(path)] = (os.readlink(path) if os.path.islink(path)
                                       else open(path, "rb").read())
    return seen


def _expected_articles(sources: Path, index: Path) -> set[str]:
    """Readable, non-linked, non-hidden articles with valid names that yield passages."""
    expected = set()
    for path in sources.rglob("*"):
        relative = path.relative_to(sources)
        if (path.is_symlink() or not path.is_file() or path.is_relative_to(index)
                or any(part.startswith(".") for part in relative.parts)
                or any(parent.is_symlink() for parent in path.parents)
                or path.suffix.lower() not in (".txt", ".md")):
            continue
        name = relative.as_posix()
        try:
            name.encode("utf-8")
            text = source_text(path.read_bytes())
        except (UnicodeError, OSError):
            continue
        if "\x00" not in text and chunk_source(name, text, ChunkerParams()):
            expected.add(name)
    return expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(files, max_size=8), st.lists(links, max_size=5), st.booleans(), st.booleans())
def test_any_folder_is_indexed_without_crash_loop_loss_or_deletion(
        tree: list[tuple[list[bytes], bytes, bytes]],
        linked: list[tuple[list[bytes], bytes, str]], index_inside: bool,
        users_folder: bool) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        sources, outside = root / "sources", root / "outside"
        sources.mkdir()
        outside.mkdir()
        (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
        raw = os.fsencode(sources)
        for folder, name, data in tree:
            _write(raw, folder, name, data)
        made = [p for p in map(os.fsencode, sources.rglob("*")) if os.path.isfile(p)]
        for folder, name, kind in linked:
            _link(raw, os.fsencode(outside), folder, name, kind, made)
        index = sources / "idx" if index_inside else root / "index"
        before = _snapshot(root, index)
        _check(sources, index, root, before, users_folder)


def _check(sources: Path, index: Path, root: Path, before: dict[str, bytes],
           users_folder: bool) -> None:
    expected = _expected_articles(sources, index)
    loader = Loader()
    try:
        loaded, _ = ensure_fresh(target_for(sources, index), loader)
    except SourcesError as exc:
        assert not expected, f"{exc} although {sorted(expected)} are readable"
        assert _snapshot(root, index) == before
        return
    indexed = {c.source for c in loaded.chunks}
    assert expected <= indexed  # no readable article dropped
    assert not any(SECRET in c.text for c in loaded.chunks)
    real = {(sources / name).resolve() for name in indexed if "\\x" not in name}
    assert len(real) == len([n for n in indexed if "\\x" not in n])  # nothing indexed twice
    if users_folder:
        (index / "gen-ai").mkdir()
        (index / "gen-ai" / "mine.txt").write_text("của tôi", encoding="utf-8")
    _, again = ensure_fresh(target_for(sources, index), loader)
    assert not again.any, again.describe()  # no rebuild loop
    ensure_fresh(target_for(sources, index), loader, force=True)
    assert _snapshot(root, index) == before  # nothing outside the index folder changed
    if users_folder:
        assert (index / "gen-ai" / "mine.txt").read_text(encoding="utf-8") == "của tôi"
