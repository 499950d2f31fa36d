"""What becomes a passage: real sentences are never dropped as bylines or near-duplicates,
Markdown is read as Markdown, and offsets point into the documented `source` text for files
with a BOM and CRLF or CR line endings."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.corpus.chunking import ChunkerParams, chunk_source, line_kind
from bot.corpus.sources import Source, SourceFile, read_source, source_text
from bot.corpus.text import nfc


def quotes(name: str, text: str) -> list[str]:
    return [c.text for c in chunk_source(name, text, ChunkerParams())]


def test_sentences_that_start_like_a_credit_are_kept() -> None:
    for sentence in ("Theo Bộ Y tế, có 120 ca mắc mới.", "Nguồn vốn đầu tư là 500 tỷ đồng.",
                     "Theo kế hoạch, công trình hoàn thành năm 2026.",
                     "Nguồn nước sạch đã về tới 45 xã."):
        assert line_kind(sentence, 10) == "body", sentence
        assert quotes("a.txt", f"Mở đầu bài viết.\n{sentence}\n")[-1] == sentence


def test_a_short_credit_line_is_still_a_byline() -> None:
    for credit in ("Theo TTXVN", "Nguồn: VnExpress", "Theo Báo Điện tử Chính phủ",
                   "Nguồn: vnexpress.net", "THEO TTXVN"):
        assert line_kind(credit, 10) == "drop", credit


def test_near_duplicates_differing_in_diacritics_or_case_are_both_kept() -> None:
    text = ("Xã Na Sang có 120 hộ nghèo.\nXã Nà Sáng có 120 hộ nghèo.\n"
            "xã nà sáng có 120 hộ nghèo.\nXã Nà Sáng có 120 hộ nghèo.\n")
    assert quotes("a.txt", text) == ["Xã Na Sang có 120 hộ nghèo.",
                                     "Xã Nà Sáng có 120 hộ nghèo.",
                                     "xã nà sáng có 120 hộ nghèo."]


MARKDOWN = """---
title: Các xã nghèo
tags: [Điện Biên]
---
# Danh sách xã nghèo

- Xã Nà Sáng có 120 hộ nghèo
* Xã Na Sang có 95 hộ nghèo
1. Xã Mường Pồn có 80 hộ nghèo

## Ghi chú
Số liệu năm 2025.
"""


def test_markdown_front_matter_headings_and_list_items() -> None:
    chunks = chunk_source("xa.md", MARKDOWN, ChunkerParams())
    assert [c.text for c in chunks] == [
        "Xã Nà Sáng có 120 hộ nghèo", "Xã Na Sang có 95 hộ nghèo",
        "Xã Mường Pồn có 80 hộ nghèo", "Số liệu năm 2025."]
    assert [c.heading for c in chunks] == ["Danh sách xã nghèo"] * 3 + ["Ghi chú"]
    assert all(MARKDOWN[c.start:c.end] == c.text for c in chunks)
    assert not any("title" in c.text or "---" in c.text for c in chunks)


def test_a_markdown_article_is_titled_by_its_opening_heading() -> None:
    from bot.corpus.metadata import read_markdown_meta

    assert read_markdown_meta("# Kết quả thi tốt nghiệp THPT năm 2025\n\nChiều 15/7 …").title == (
        "Kết quả thi tốt nghiệp THPT năm 2025")
    assert read_markdown_meta("\n#  Bão số 7  ##\nMưa lớn.").title == "Bão số 7"
    # front matter's title first; a body opening otherwise, or a level-2 heading, gives none
    assert read_markdown_meta(MARKDOWN).title != "Danh sách xã nghèo"
    assert read_markdown_meta("---\ntitle: A\n---\n# B\n").title == "A"
    assert read_markdown_meta("---\nsite: S\n---\n# B\n").title == "B"
    assert read_markdown_meta("Mưa lớn.\n# B\n").title is None
    assert read_markdown_meta("## B\nMưa lớn.").title is None


def test_the_same_lines_in_a_text_file_keep_the_plain_text_rules() -> None:
    assert quotes("xa.txt", "- Xã Nà Sáng có 120 hộ nghèo\nMột câu.\n") == ["Một câu."]


def _source(tmp_path: Path, raw: bytes) -> Source:
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    stat = path.stat()
    source = read_source(SourceFile("a.txt", path, stat.st_size, stat.st_mtime_ns))
    assert isinstance(source, Source)
    return source


def test_source_text_is_decoded_bom_stripped_line_endings_normalized_nfc(tmp_path: Path) -> None:
    raw = "\ufeffTiêu đề\r\nĐiện Biên có 19 dân tộc.\rCâu cuối.\r\n".encode()
    assert source_text(raw) == "Tiêu đề\nĐiện Biên có 19 dân tộc.\nCâu cuối.\n"
    source = _source(tmp_path, raw)
    assert source.text == source_text(raw) and source.sha256 == hashlib.sha256(raw).hexdigest()


LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
WORDS = st.sampled_from(["Điện", "Biên", "có", "19", "dân", "tộc", "hộ", "nghèo", "17,66%",
                         "TP.", "Theo", "-", "#", "Nà", "Sáng", "\u0301", "e\u0301", " ", "\t"])
ENDS = st.sampled_from(["", ".", "!", "?", ":", "…"])
LINES = st.lists(st.tuples(st.lists(WORDS, max_size=30), ENDS, LINE_ENDINGS), max_size=25)


@settings(max_examples=200, deadline=None)
@given(LINES, st.booleans(), st.sampled_from(["a.txt", "a.md"]), st.integers(40, 400))
def test_offsets_are_exact_in_files_with_bom_crlf_and_cr(
        lines: list[tuple[list[str], str, str]], bom: bool, name: str, max_chars: int) -> None:
    body = "".join(" ".join(words) + end + eol for words, end, eol in lines)
    raw = ("\ufeff" if bom else "").encode() + body.encode("utf-8")
    text = source_text(raw)
    assert text == nfc(body.replace("\r\n", "\n").replace("\r", "\n"))
    for chunk in chunk_source(name, text, ChunkerParams(max_chars=max_chars)):
        assert text[chunk.start:chunk.end] == chunk.text
        assert chunk.text and "\r" not in chunk.text and "\ufeff" not in chunk.text
