"""Property tests: any Unicode text through normalization, folding, splitting and chunking."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.corpus.chunking import ChunkerParams, chunk_source
from bot.corpus.sentences import sentence_spans, unit_spans
from bot.corpus.text import clean_question, fold, nfc

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ" \
             "ùúủũụừứửữựỳýỷỹỵĐÂĂÊÔƠƯ .,;:!?%/-–\"'()…\n\t0123456789"
texts = st.one_of(st.text(), st.text(alphabet=VIETNAMESE, max_size=3000))


@given(texts)
def test_folding_is_idempotent_and_never_fails(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert "đ" not in fold(text).lower()


@given(texts)
def test_nfc_is_stable_and_questions_are_clean(text: str) -> None:
    assert nfc(nfc(text)) == nfc(text)
    cleaned = clean_question(text)
    assert cleaned == cleaned.strip() and "\x00" not in cleaned


@given(texts)
def test_sentence_and_unit_spans_are_ordered_trimmed_and_inside_the_text(text: str) -> None:
    for spans in (sentence_spans(text), unit_spans(text)):
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end <= len(text)
            assert not text[start].isspace() and not text[end - 1].isspace()
            previous_end = end


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(min_value=40, max_value=2000))
def test_every_chunk_quotes_its_exact_span(text: str, max_chars: int) -> None:
    source = nfc(text.replace("\r", "\n"))
    for chunk in chunk_source("a.txt", source, ChunkerParams(max_chars=max_chars)):
        assert source[chunk.start:chunk.end] == chunk.text
        assert chunk.text.strip() == chunk.text and chunk.text
        assert chunk.paragraph >= 1


@settings(max_examples=150, deadline=None)
@given(texts)
def test_nfc_and_nfd_versions_give_the_same_chunks(text: str) -> None:
    composed = nfc(text)
    decomposed = nfc(unicodedata.normalize("NFD", composed))
    params = ChunkerParams()
    assert chunk_source("a.txt", composed, params) == chunk_source("a.txt", decomposed, params)
