"""Change detection: an unusable file is skipped once and remembered, a touched file is hashed
once, a rebuild that embeds nothing loads no model, a long build reports progress, and a build
running elsewhere is waited for (or, for a question, answered around), with the hashed n-gram
embedder."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from filelock import FileLock

from bot.corpus.sources import Unusable, source_from_bytes
from bot.store.building import BuildProgress
from bot.store.freshness import IndexTarget, ensure_fresh
from tests.folder_fixtures import (
    HashEmbedder,
    Loader,
    live_manifest,
    warnings_in,
)

# --- a file that cannot be used is skipped once, remembered, never a rebuild loop -----------

@pytest.mark.parametrize("name, data", [
    ("latin1.txt", "Điện Biên, phố núi.".encode("latin-1", "replace")),
    ("utf16.txt", "Điện Biên có 19 dân tộc.".encode("utf-16")),
    ("binary.md", bytes(range(256)) * 4),
])
def test_an_unusable_file_is_warned_about_once_and_never_rebuilds_again(
        folder: Path, target: IndexTarget, caplog: pytest.LogCaptureFixture,
        name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)
    loader = Loader()
    ensure_fresh(target, loader)
    assert [w for w in warnings_in(caplog) if name in w]
    assert name in live_manifest(target.index)["skipped"]
    caplog.clear()
    for _ in range(3):
        _, changes = ensure_fresh(target, loader)
        assert not changes.any and name in changes.skipped
    assert warnings_in(caplog) == [] and loader.loads == 1
    assert name in changes.describe() and "not indexed" in changes.describe()


def test_an_unreadable_file_is_remembered_until_its_permissions_change(
        folder: Path, target: IndexTarget) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    secret = folder / "secret.txt"
    secret.write_text("Bí mật của Điện Biên.\n", encoding="utf-8")
    secret.chmod(0)
    ensure_fresh(target, Loader())
    assert not ensure_fresh(target, Loader())[1].any
    secret.chmod(0o644)
    loaded, changes = ensure_fresh(target, Loader())
    assert changes.changed == ["secret.txt"]
    assert "secret.txt" in {c.source for c in loaded.chunks}


def test_a_fixed_file_is_indexed_on_the_next_check(folder: Path, target: IndexTarget) -> None:
    bad = folder / "latin1.txt"
    bad.write_bytes("Lai Châu có thác nước đẹp.".encode("cp1258", "replace"))
    ensure_fresh(target, Loader())
    bad.write_text("Lai Châu có thác nước đẹp.\n", encoding="utf-8")
    os.utime(bad, ns=(1, 1))  # a different stat even on a coarse clock
    loaded, changes = ensure_fresh(target, Loader())
    assert changes.changed == ["latin1.txt"] and not changes.skipped
    assert "latin1.txt" in {c.source for c in loaded.chunks}


def test_a_touched_file_is_hashed_once_then_its_new_stat_is_remembered(
        folder: Path, target: IndexTarget) -> None:
    ensure_fresh(target, Loader())
    path = folder / "dien-bien.txt"
    os.utime(path, ns=(10**18, 10**18))
    _, changes = ensure_fresh(target, Loader())
    assert not changes.any
    assert live_manifest(target.index)["sources"]["dien-bien.txt"]["mtime_ns"] == 10**18
    _, again = ensure_fresh(target, Loader())
    assert not again.touched  # the stat matches now: the file is not read again


def test_an_edit_that_keeps_the_size_and_restores_the_mtime_is_still_noticed(
        folder: Path, target: IndexTarget) -> None:
    path = folder / "dien-bien.txt"
    path.write_text("Điện Biên có 500 héc-ta rừng.\n", encoding="utf-8")
    ensure_fresh(target, Loader())
    before = path.stat()
    path.write_text("Điện Biên có 900 héc-ta rừng.\n", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    index, changes = ensure_fresh(target, Loader())
    assert changes.changed == ["dien-bien.txt"]
    assert any("900 héc-ta" in chunk.text for chunk in index.chunks)
    _, again = ensure_fresh(target, Loader())
    assert not again.any and not again.touched  # its new stat is remembered


def test_a_rebuild_that_embeds_nothing_never_loads_the_model(
        folder: Path, target: IndexTarget) -> None:
    (folder / "lai-chau.txt").write_text("Lai Châu có thác nước đẹp.\n", encoding="utf-8")
    ensure_fresh(target, Loader())

    def no_model() -> HashEmbedder:
        raise AssertionError("the model was loaded for a build that embeds nothing")

    (folder / "lai-chau.txt").unlink()
    loaded, changes = ensure_fresh(target, no_model)
    assert changes.removed == ["lai-chau.txt"] and changes.embedded == 0
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}
    (folder / "junk.txt").write_bytes(b"\x00\x01\x02")
    assert ensure_fresh(target, no_model)[1].added == ["junk.txt"]


# --- waiting and progress ------------------------------------------------------------------

def test_a_long_build_reports_progress_to_the_injected_callback(
        folder: Path, target: IndexTarget) -> None:
    lines = "".join(f"Đoạn văn số {i} kể về bản làng thứ {i} ở Điện Biên.\n" for i in range(300))
    (folder / "long.txt").write_text(lines, encoding="utf-8")
    seen: list[BuildProgress] = []
    _, changes = ensure_fresh(target, Loader(), progress=seen.append)
    assert len(seen) >= 2 and seen[-1].done == seen[-1].total == changes.embedded
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert all(p.total == changes.embedded for p in seen)


class Signal(logging.Handler):
    """Sets an event when a log record containing `text` is emitted."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text, self.seen = text, threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.seen.set()


def test_a_question_during_another_build_answers_from_the_live_index_with_a_note(
        folder: Path, target: IndexTarget) -> None:
    ensure_fresh(target, Loader())
    (folder / "new.txt").write_text("Một bài viết mới về Lai Châu.\n", encoding="utf-8")
    with FileLock(str(target.index / ".lock")):  # another process is building
        loaded, changes = ensure_fresh(target, Loader(), stale_ok=True)
    assert changes.note is not None and "another build is running" in changes.note
    assert {c.source for c in loaded.chunks} == {"dien-bien.txt"}
    assert "another build is running" in changes.describe()


def test_a_build_waiting_for_another_says_so_then_finishes(
        folder: Path, target: IndexTarget) -> None:
    ensure_fresh(target, Loader())
    (folder / "new.txt").write_text("Một bài viết mới về Lai Châu.\n", encoding="utf-8")
    waiting = Signal("waiting for it")
    logging.getLogger("bot").addHandler(waiting)
    other = FileLock(str(target.index / ".lock"))
    other.acquire()
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(ensure_fresh(target, Loader())))
    try:
        worker.start()
        assert waiting.seen.wait(timeout=60)
    finally:
        other.release()
        logging.getLogger("bot").removeHandler(waiting)
    worker.join(timeout=60)
    loaded, changes = result[0]  # type: ignore[misc]
    assert changes.added == ["new.txt"]


def test_a_binary_or_utf16_file_is_called_what_it_is() -> None:
    png = source_from_bytes("anh.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert isinstance(png, Unusable) and png.reason.startswith("binary data")
    utf16 = source_from_bytes("bai.txt", "Lai Châu".encode("utf-16"))
    assert isinstance(utf16, Unusable)
    assert utf16.reason == "UTF-16 or UTF-32 text; re-save it as UTF-8"
    latin = source_from_bytes("cu.txt", "Lai Châu".encode("cp1258"))
    assert isinstance(latin, Unusable) and latin.reason.startswith("not UTF-8 text")
