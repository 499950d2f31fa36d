"""Faults during a build: SIGKILL at random points, a full disk, a read-only index folder,
sources deleted or rewritten mid-build. The live index must always load and answer. The
model plays no part in these, so they use the hashing embedder."""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.sources import list_source_files
from bot.embedding.models import Embedder
from bot.engine import Engine
from bot.errors import IndexError_, IndexWriteError
from bot.retrieval.answer import answer
from bot.store import generations as store
from bot.store.freshness import IndexTarget, build
from tests.conftest import REPO, XQUAD, Run

QUESTION = "Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?"
GOLD = "17,66%"
KILLS = 20


def answers_correctly(index_dir: Path, embedder: Embedder) -> bool:
    loaded = store.load(index_dir)  # raises when the live generation is incomplete
    result = answer(QUESTION, loaded, embedder, 1)
    return result.answered and GOLD in result.passages[0].text


def add_articles(sources: Path, count: int) -> None:
    for path in sorted(XQUAD.glob("source_text/*.txt"))[:count]:
        shutil.copy(path, sources / path.name)


def leftovers(index_dir: Path) -> list[str]:
    """Anything in the index folder besides the lock, the pointer and the live generation."""
    live = store.live_generation(index_dir)
    return sorted(p.name for p in index_dir.iterdir()
                  if p.name not in {".lock", store.POINTER} and p != live)


class Hooked:
    """A model, with `before(texts)` run whenever passages are about to be embedded."""

    def __init__(self, inner: Embedder,
                 before: Callable[[list[str]], None]) -> None:
        self._inner, self._before = inner, before

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def embed_passages(self, texts: list[str]) -> object:
        self._before(texts)
        return self._inner.embed_passages(texts)


# --- SIGKILL ---------------------------------------------------------------------------------

class Zygote:
    """Drives tests/build_zygote.py: each `build()` forks a forced rebuild and returns its pid."""

    def __init__(self, settings: Settings) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.build_zygote", str(settings.sources),
             str(settings.index), str(settings.cache), settings.model], cwd=REPO, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ,
                                                                  "HF_HUB_OFFLINE": "1"})

    def build(self) -> int:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def status(self) -> int:
        assert self.process.stdout
        return int(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def generations(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.glob("gen-*")}


def wait_for_publishing(pid: int, index_dir: Path, before: set[str]) -> None:
    """Return when the build `pid` starts writing a new generation folder (or has ended)."""
    while _alive(pid) and not generations(index_dir) - before:
        time.sleep(0.0005)


def calibrate(zygote: Zygote, index_dir: Path) -> tuple[float, float]:
    """One unkilled build: seconds until its generation folder appears, and then until it
    ends (the write phase)."""
    pid, start = zygote.build(), time.monotonic()
    wait_for_publishing(pid, index_dir, generations(index_dir))
    publishing = time.monotonic() - start
    while _alive(pid):
        time.sleep(0.0005)
    assert zygote.status() == 0, "the calibration build failed"
    return publishing, time.monotonic() - start - publishing


def test_sigkill_at_random_points_always_leaves_a_loadable_correct_index(
        fake_engine: Engine, fake_settings: Settings, fake_embedder: Embedder) -> None:
    fake_engine.refresh()
    zygote = Zygote(fake_settings)
    seed = int(os.environ.get("QABOT_KILL_SEED", time.time_ns() % 10**6))
    rng = random.Random(seed)
    killed = during_write = 0
    try:
        before_writing, writing = calibrate(zygote, fake_settings.index)
        for attempt in range(KILLS):
            before = generations(fake_settings.index)
            pid = zygote.build()
            # Half the kills at a random point while loading and embedding, half at a random
            # point of the short write phase (which a uniform draw would almost never hit).
            if attempt % 2 == 0:
                time.sleep(rng.uniform(0, before_writing))
            else:
                wait_for_publishing(pid, fake_settings.index, before)
                time.sleep(rng.uniform(0, 0.6 * writing))  # write phases vary a little
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            status = zygote.status()
            if os.WIFSIGNALED(status):
                killed += 1
                # a half-written generation folder: the kill landed in the write phase
                during_write += bool(generations(fake_settings.index) - before)
            else:
                assert os.WEXITSTATUS(status) == 0, f"seed {seed}: build {attempt} failed"
            assert answers_correctly(fake_settings.index, fake_embedder), (
                f"seed {seed}: kill {attempt} broke the index")
    finally:
        zygote.close()
    assert killed >= KILLS // 2, f"seed {seed}: only {killed} builds were killed"
    assert during_write >= 3, f"seed {seed}: {during_write} kills hit the write phase"
    fake_engine.refresh(force=True)  # the next build clears what killed builds left behind
    assert leftovers(fake_settings.index) == [], f"seed {seed}"
    assert answers_correctly(fake_settings.index, fake_embedder)


# --- full disk and read-only folder ----------------------------------------------------------

def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[Callable[[int], None]]:
    """`folder` on a tmpfs; the yielded function shrinks it to what it holds plus `spare`
    bytes (grow it again with a large spare). Without root, a file size limit stands in."""
    folder.mkdir(parents=True, exist_ok=True)
    if _can_mount():
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)],
                       check=True)

        def resize(spare: int) -> None:
            used = shutil.disk_usage(folder).used
            subprocess.run(["mount", "-o", f"remount,size={used + spare}", str(folder)],
                           check=True)
        try:
            yield resize
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

    def limit(spare: int) -> None:
        small = spare if hard == resource.RLIM_INFINITY else min(spare, hard)
        resource.setrlimit(resource.RLIMIT_FSIZE, (small if spare < 2**20 else soft, hard))
    try:
        yield limit
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` read-only for this process and its children, root included."""
    if _can_mount():
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(mode)


def test_full_disk_is_a_clear_error_and_keeps_the_old_index(
        fake_engine: Engine, fake_settings: Settings, fake_embedder: Embedder) -> None:
    with small_disk(fake_settings.index) as shrink:
        fake_engine.refresh()
        live = store.live_generation(fake_settings.index)
        shrink(16 * 1024)
        add_articles(fake_settings.sources, 1)
        with pytest.raises(IndexWriteError, match=r"cannot write the index .*(No space left|"
                                                  r"too large).*previous index is unchanged"):
            fake_engine.refresh()
        assert store.live_generation(fake_settings.index) == live
        assert leftovers(fake_settings.index) == []  # the half-written generation was removed
        assert answers_correctly(fake_settings.index, fake_embedder)
        # Answering a question keeps the previous index instead of failing.
        assert not fake_engine.refresh(strict=False).any
        assert GOLD in fake_engine.answer(QUESTION, 1).passages[0].text
        shrink(64 * 2**20)  # space freed: the next strict refresh publishes the new article
        assert fake_engine.refresh().added == [min(XQUAD.glob("source_text/*.txt")).name]
        assert leftovers(fake_settings.index) == []


def test_read_only_index_folder_fails_before_embedding_and_keeps_the_old_index(
        fake_settings: Settings, fake_embedder: Embedder, fake_cli: Run,
        tmp_path: Path) -> None:
    calls: list[int] = []
    counting = Hooked(fake_embedder, lambda texts: calls.append(len(texts)))
    engine = Engine(fake_settings, load_model=lambda name: counting)  # type: ignore[arg-type,return-value]
    engine.refresh()
    calls.clear()
    add_articles(fake_settings.sources, 1)
    with read_only(fake_settings.index):
        with pytest.raises(IndexWriteError, match="cannot write the index"):
            engine.refresh()
        assert calls == []  # refused before any embedding work
        engine.refresh(strict=False)
        assert GOLD in engine.answer(QUESTION, 1).passages[0].text
        paths = ("--sources", str(fake_settings.sources), "--index", str(fake_settings.index))
        done = fake_cli("index", *paths)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and done.stderr.startswith(
            "Error: cannot write the index") and "Traceback" not in done.stderr
        asked = fake_cli("ask", "--json", QUESTION, *paths)
        assert asked.returncode == 0 and GOLD in asked.stdout
        assert "answering from the previous index" in asked.stderr
    assert answers_correctly(fake_settings.index, fake_embedder)


# --- sources changing during a build ---------------------------------------------------------

def test_sources_rewritten_or_deleted_during_a_build_are_caught_by_the_next_check(
        fake_settings: Settings, fake_embedder: Embedder) -> None:
    add_articles(fake_settings.sources, 2)
    first, second = sorted(p for p in fake_settings.sources.glob("*.txt")
                           if not p.name.startswith("tong-bi-thu"))

    def another_program_edits_the_sources(texts: list[str]) -> None:
        if second.exists():
            first.write_text("Bài viết mới: cầu Long Biên dài 2.290 mét.\n", encoding="utf-8")
            second.unlink()

    meddling = Hooked(fake_embedder, another_program_edits_the_sources)
    engine = Engine(fake_settings, load_model=lambda name: meddling)  # type: ignore[arg-type,return-value]
    engine.refresh()
    assert answers_correctly(fake_settings.index, fake_embedder)  # what was read is consistent
    changes = engine.refresh()
    assert changes.changed == [first.name] and changes.removed == [second.name]
    top = engine.answer("Cầu Long Biên dài bao nhiêu mét?", 1).passages[0]
    assert top.source == first.name and "2.290 mét" in top.text
    assert not engine.refresh().any


def test_a_source_vanishing_between_listing_and_reading_is_skipped(
        fake_settings: Settings, fake_embedder: Embedder,
        caplog: pytest.LogCaptureFixture) -> None:
    add_articles(fake_settings.sources, 1)
    files = list_source_files(fake_settings.sources)
    gone = next(f for f in files if not f.name.startswith("tong-bi-thu"))
    gone.path.unlink()
    target = IndexTarget(fake_settings.sources, fake_settings.index, fake_embedder.model_id,
                         fake_settings.chunker)
    loaded, _, _ = build(target, lambda: fake_embedder, None, files)
    assert {c.source for c in loaded.chunks} == {f.name for f in files} - {gone.name}
    assert "cannot read it" in caplog.text


# --- damaged files ---------------------------------------------------------------------------

def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = bytes(255 - b for b in data[middle:middle + 8])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _garble])
def test_every_index_file_truncated_or_garbled_is_detected_and_rebuilt(
        damage: Callable[[Path], None], fake_engine: Engine, fake_settings: Settings,
        fake_embedder: Embedder) -> None:
    fake_engine.refresh()
    live = store.live_generation(fake_settings.index)
    assert live is not None
    pristine = fake_settings.index.parent / "pristine"
    shutil.copytree(fake_settings.index, pristine)
    files = sorted(p.relative_to(fake_settings.index) for p in fake_settings.index.rglob("*")
                   if p.is_file() and p.stat().st_size > 0 and p.name != ".lock")
    assert len(files) >= 8  # CURRENT, manifest, chunks, vectors, sentences, owner, lexical...
    for name in files:
        damage(fake_settings.index / name)
        with pytest.raises(IndexError_, match="damaged|no usable index"):
            store.load(fake_settings.index)
        shutil.copy(pristine / name, fake_settings.index / name)
    damage(fake_settings.index / live.name / "vectors.faiss")
    changes = Engine(fake_settings, load_model=lambda name: fake_embedder).refresh()
    assert changes.any and answers_correctly(fake_settings.index, fake_embedder)


def test_a_damaged_index_pointer_is_warned_about_and_rebuilt(
        fake_engine: Engine, fake_settings: Settings, fake_embedder: Embedder,
        caplog: pytest.LogCaptureFixture) -> None:
    fake_engine.refresh()
    (fake_settings.index / "CURRENT").write_text("gen-2026", encoding="utf-8")
    changes = Engine(fake_settings, load_model=lambda name: fake_embedder).refresh()
    assert changes.any and answers_correctly(fake_settings.index, fake_embedder)
    assert "CURRENT file names no complete index; rebuilding it" in caplog.text
