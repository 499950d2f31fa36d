"""The engine's freshness policy and thread safety, with a small deterministic embedder (hashed
character n-grams) instead of the model: real chunking, FAISS, BM25 and index generations."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from bot.config import Settings
from bot.engine import Engine, Freshness, Stage
from bot.errors import IndexError_
from bot.store.freshness import Changes
from tests.fake_embedder import HashingEmbedder

MODEL = "fake-ngrams"
WAIT_S = 60.0  # only a deadlock would take this long; every wait is on an event


class NgramEmbedder(HashingEmbedder):
    """The hashing stand-in for the model; `hold(kind, texts)` may make a call wait for a
    test's event."""

    def __init__(self) -> None:
        super().__init__(MODEL)
        self.hold: Callable[[str, list[str]], None] = lambda kind, texts: None

    def embed_queries(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.hold("query", texts)
        return super().embed_queries(texts)

    def embed_passages(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.hold("passage", texts)
        return super().embed_passages(texts)


BRIDGE = ("Cầu Long Biên dài 2.290 mét và bắc qua sông Hồng ở Hà Nội.\n"
          "Cầu được xây dựng từ năm 1898 đến năm 1902 theo thiết kế của người Pháp.\n")
AIRPORT = "Sân bay Điện Biên được mở rộng và đón máy bay lớn từ tháng 12/2025.\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "source_text"
    folder.mkdir()
    (folder / "cau.txt").write_text(BRIDGE, encoding="utf-8")
    return folder


def make_engine(tmp_path: Path, sources: Path, freshness: Freshness,
                clock: Clock | None = None) -> tuple[Engine, NgramEmbedder]:
    model = NgramEmbedder()
    settings = Settings(sources=sources, index=tmp_path / "index", model=MODEL,
                        cache=tmp_path / "cache")
    return Engine(settings, load_model=lambda name: model, clock=clock or Clock(),
                  freshness=freshness), model


def sources_of(engine: Engine, question: str) -> set[str]:
    return {p.source for p in engine.answer(question, 5).passages}


def test_freshness_policies_say_when_a_check_is_due() -> None:
    background = Freshness.in_background(30)
    assert background.due(None, 0) and not background.due(100, 129.9)
    assert background.due(100, 130) and background.wait(100, 110) == 20
    assert Freshness.before_every_question().due(100, 100)
    assert Freshness.once().due(None, 0) and not Freshness.once().due(100, 1e9)
    assert Freshness.once().wait(100, 1e9) is None


def test_nothing_loads_before_start_and_start_makes_the_index_ready(
        tmp_path: Path, sources: Path) -> None:
    loads: list[str] = []
    stages: list[str] = []
    changed: list[Changes] = []

    class Recorder:
        def stage(self, name: str) -> AbstractContextManager[object]:
            stages.append(name)
            return nullcontext()

        def changed(self, changes: Changes) -> None:
            changed.append(changes)

    settings = Settings(sources=sources, index=tmp_path / "index", model=MODEL,
                        cache=tmp_path / "cache")
    engine = Engine(settings, load_model=lambda name: loads.append(name) or NgramEmbedder(),
                    progress=Recorder())
    with pytest.raises(IndexError_, match="start"):
        engine.source_summary()
    assert loads == [] and stages == []
    assert engine.start().reasons == ["new index"]
    assert loads == [MODEL] and stages == [Stage.LOADING_MODEL, Stage.CHECKING_SOURCES]
    assert [c.reasons for c in changed] == [["new index"]]
    assert engine.source_summary() == [("cau.txt", 2)]


def test_before_every_question_an_added_article_is_in_the_next_answer(
        tmp_path: Path, sources: Path) -> None:
    engine, _ = make_engine(tmp_path, sources, Freshness.before_every_question())
    engine.start()
    (sources / "san-bay.txt").write_text(AIRPORT, encoding="utf-8")
    assert "san-bay.txt" in sources_of(engine, "Sân bay Điện Biên mở rộng khi nào?")


def test_once_the_index_is_never_checked_after_start(tmp_path: Path, sources: Path) -> None:
    clock = Clock()
    engine, _ = make_engine(tmp_path, sources, Freshness.once(), clock)
    engine.start()
    (sources / "san-bay.txt").write_text(AIRPORT, encoding="utf-8")
    clock.now += 1e6
    assert not engine.refresh_if_due().any and engine.seconds_until_check() is None
    assert sources_of(engine, "Sân bay Điện Biên mở rộng khi nào?") == {"cau.txt"}
    assert engine.refresh().added == ["san-bay.txt"]  # an explicit check still works


def test_in_background_questions_never_check_and_the_timer_checks_when_due(
        tmp_path: Path, sources: Path) -> None:
    clock = Clock()
    engine, _ = make_engine(tmp_path, sources, Freshness.in_background(30), clock)
    engine.start()
    (sources / "san-bay.txt").write_text(AIRPORT, encoding="utf-8")
    clock.now += 29
    question = "Sân bay Điện Biên mở rộng khi nào?"
    assert sources_of(engine, question) == {"cau.txt"}  # the question did not check
    assert engine.seconds_until_check() == pytest.approx(1)
    assert not engine.refresh_if_due().any
    clock.now += 1
    assert engine.refresh_if_due().added == ["san-bay.txt"]
    assert "san-bay.txt" in sources_of(engine, question)
    assert engine.seconds_until_check() == 30


def test_questions_during_a_rebuild_do_not_wait_and_come_from_the_old_index(
        tmp_path: Path, sources: Path) -> None:
    engine, model = make_engine(tmp_path, sources, Freshness.in_background(30))
    engine.start()
    building, release = threading.Event(), threading.Event()

    def hold_the_build(kind: str, texts: list[str]) -> None:
        if kind == "passage":  # the rebuild embeds the new article
            building.set()
            assert release.wait(WAIT_S)

    model.hold = hold_the_build
    (sources / "san-bay.txt").write_text(AIRPORT, encoding="utf-8")
    rebuild = threading.Thread(target=engine.refresh)
    rebuild.start()
    assert building.wait(WAIT_S)
    answers: list[set[str]] = []
    askers = [threading.Thread(target=lambda: answers.append(
        sources_of(engine, "Sân bay Điện Biên mở rộng khi nào?"))) for _ in range(8)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(WAIT_S)
    assert answers == [{"cau.txt"}] * 8 and rebuild.is_alive()  # answered while it builds
    assert not engine.refresh_if_due().any  # a due check does not wait for the running one
    release.set()
    rebuild.join(WAIT_S)
    assert "san-bay.txt" in sources_of(engine, "Sân bay Điện Biên mở rộng khi nào?")


def test_a_question_in_flight_when_the_index_is_swapped_finishes_on_the_old_index(
        tmp_path: Path, sources: Path) -> None:
    engine, model = make_engine(tmp_path, sources, Freshness.once())
    engine.start()
    asking, release = threading.Event(), threading.Event()

    def hold_the_question(kind: str, texts: list[str]) -> None:
        if kind == "query" and texts == ["Cầu Long Biên dài bao nhiêu mét?"]:
            asking.set()
            assert release.wait(WAIT_S)

    model.hold = hold_the_question
    found = []
    asker = threading.Thread(target=lambda: found.append(
        engine.answer("Cầu Long Biên dài bao nhiêu mét?", 3)))
    asker.start()
    assert asking.wait(WAIT_S)
    (sources / "cau.txt").write_text(AIRPORT, encoding="utf-8")  # every row changes
    assert engine.refresh().changed == ["cau.txt"]  # swapped while the question embeds
    release.set()
    asker.join(WAIT_S)
    old = {line for line in BRIDGE.splitlines()}
    assert found and found[0].passages and {p.text for p in found[0].passages} <= old
    assert all(BRIDGE[p.start:p.end] == p.text for p in found[0].passages)


def test_answers_from_many_threads_during_repeated_swaps_each_come_from_one_index(
        tmp_path: Path, sources: Path) -> None:
    versions = [f"Phiên bản {v}: cầu số {n} dài {v * 100 + n} mét và bắc qua sông Hồng.\n"
                for v in (1, 2) for n in range(4)]
    texts = {1: "".join(versions[:4]), 2: "".join(versions[4:])}
    (sources / "cau.txt").write_text(texts[1], encoding="utf-8")
    engine, _ = make_engine(tmp_path, sources, Freshness.once())
    engine.start()
    stop = threading.Event()
    seen: list[set[str]] = []
    errors: list[BaseException] = []

    def ask() -> None:
        while not stop.is_set():
            try:
                passages = engine.answer("cầu dài bao nhiêu mét", 4).passages
                seen.append({p.text.split(":")[0] for p in passages})
            except BaseException as exc:  # reported below, with the answers seen
                errors.append(exc)
                return

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    for swap in range(6):
        (sources / "cau.txt").write_text(texts[2 - swap % 2], encoding="utf-8")
        assert engine.refresh().changed == ["cau.txt"]
    stop.set()
    for asker in askers:
        asker.join(WAIT_S)
    assert not errors, errors
    assert seen and all(len(versions_in_one) == 1 for versions_in_one in seen)
