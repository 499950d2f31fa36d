"""`qabot add` and the bot's admin add refuse a file over the size cap, and a file whose
indexing fails or is interrupted is taken out of the sources again, so later commands do not
rebuild for it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.embedding.models import Embeddings
from bot.engine import Engine
from bot.errors import AddError, ModelError
from bot.sources_admin import MAX_ADD_BYTES, Library
from tests.conftest import Run
from tests.fake_embedder import FAKE_MODEL, HashingEmbedder

MARKER = "sânbayđiệnbiên"  # a word only the article that fails to embed contains
NOTE = f"Sân bay Điện Biên đón chuyến bay thẳng từ Đà Nẵng từ tháng 12/2026 ({MARKER}).\n"


class FailingEmbedder(HashingEmbedder):
    """The hashing model, except that embedding the marked article raises `failure`."""

    def __init__(self, failure: BaseException) -> None:
        super().__init__(f"python:{FAKE_MODEL}")
        self.failure = failure

    def embed_passages(self, texts: list[str]) -> Embeddings:
        if any(MARKER in text for text in texts):
            raise self.failure
        return super().embed_passages(texts)


def library_failing_with(settings: Settings, failure: BaseException) -> Library:
    embedder = FailingEmbedder(failure)
    engine = Engine(replace(settings, model=FAKE_MODEL), load_model=lambda name: embedder)
    engine.refresh()
    return Library(engine)


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_qabot_add_refuses_a_file_over_the_cap_and_names_it(fake_cli: Run,
                                                            tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Dien Bien. " * (MAX_ADD_BYTES // 11 + 1))
    before = listing(tmp_path / "source_text")
    done = fake_cli("add", str(big))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        f"Error: {big} is larger than 5 MB, the limit for an added article")
    assert listing(tmp_path / "source_text") == before


def test_a_document_over_the_cap_is_refused_before_anything_is_written(
        settings: Settings) -> None:
    library = library_failing_with(settings, AssertionError("not embedded"))
    before = listing(library.folder)
    with pytest.raises(AddError, match="larger than 5 MB"):
        library.add_document("big.txt", b"x" * (MAX_ADD_BYTES + 1))
    assert listing(library.folder) == before


def test_an_interrupted_index_update_takes_the_new_file_out_again(
        settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    library = library_failing_with(settings, KeyboardInterrupt())
    before = listing(library.folder)
    note = tmp_path / "ghi-chu.txt"
    note.write_text(NOTE, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        library.add(str(note))
    assert listing(library.folder) == before
    assert "interrupted while indexing ghi-chu.txt; it was taken out of the sources again" \
        in caplog.text
    assert not library.engine.refresh().any  # nothing left to rebuild for
    assert note.read_text(encoding="utf-8") == NOTE  # the user's own file is untouched


def test_a_failed_index_update_takes_the_new_file_out_again_and_says_so(
        settings: Settings, tmp_path: Path) -> None:
    library = library_failing_with(settings, ModelError("the model cannot be loaded"))
    before = listing(library.folder)
    with pytest.raises(AddError) as raised:
        library.add_document("ghi-chu.txt", NOTE.encode("utf-8"))
    assert str(raised.value) == ("ghi-chu.txt was taken out of the sources again: the index "
                                 "could not be updated (the model cannot be loaded)")
    assert listing(library.folder) == before
    assert not library.engine.refresh().any
