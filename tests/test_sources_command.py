"""`/sources` in the Telegram bot names the files that are not indexed, and why (the fast
hashed embedder behind the real engine, the real PTB application, a fake Bot API)."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.engine import Engine
from tests.fake_bot_api import FakeBotAPI
from tests.folder_fixtures import ARTICLE, HashEmbedder
from tests.test_telegram import run_bot, texts, until


def test_sources_lists_the_articles_and_the_files_that_are_skipped(
        tmp_path: Path, fake: FakeBotAPI) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "dien-bien.txt").write_text(ARTICLE, encoding="utf-8")
    (sources / "cu.txt").write_bytes("Lai Châu".encode("utf-16"))
    model = HashEmbedder()
    # A model folder is resolved without loading anything; the fake stands in for it.
    settings = Settings(sources=sources, index=tmp_path / "index", model=str(tmp_path),
                        cache=tmp_path / "cache")
    engine = Engine(settings, load_model=lambda name: model)
    engine.refresh()

    async def scenario(api: FakeBotAPI) -> None:
        api.message("/sources")
        await until(lambda: len(api.sent()) == 1)

    run_bot(engine, fake, scenario)
    (reply,) = texts(fake)
    assert "dien-bien.txt — 2 đoạn" in reply
    assert "cu.txt: UTF-16 or UTF-32 text; re-save it as UTF-8" in reply


def test_a_question_while_another_process_builds_is_answered_from_the_live_index(
        tmp_path: Path) -> None:
    from filelock import FileLock

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "dien-bien.txt").write_text(ARTICLE, encoding="utf-8")
    model = HashEmbedder()
    settings = Settings(sources=sources, index=tmp_path / "index", model=str(tmp_path),
                        cache=tmp_path / "cache")
    Engine(settings, load_model=lambda name: model).refresh()
    (sources / "moi.txt").write_text("Lai Châu có thác nước đẹp.\n", encoding="utf-8")
    asking = Engine(settings, load_model=lambda name: model)
    with FileLock(str(settings.index / ".lock")):
        changes = asking.refresh(strict=False)
    assert changes.note is not None and changes.note.startswith("another build is running")
    assert asking.answer("Điện Biên có bao nhiêu dân tộc?", 1).passages
