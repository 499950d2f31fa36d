from __future__ import annotations

import unicodedata

from bot.corpus.chunking import ChunkerParams, chunk_source, line_kind, title_of
from tests.conftest import SEED

SEED_FILE = next(SEED.glob("*.md"))
SEED_TEXT = unicodedata.normalize("NFC", SEED_FILE.read_text(encoding="utf-8"))


def seed_chunks() -> list:  # type: ignore[type-arg]
    return chunk_source(SEED_FILE.name, SEED_TEXT, ChunkerParams())


def test_every_quote_is_exactly_its_span_of_the_source() -> None:
    chunks = seed_chunks()
    assert chunks
    for chunk in chunks:
        assert SEED_TEXT[chunk.start:chunk.end] == chunk.text


def test_banner_masthead_and_byline_are_dropped() -> None:
    texts = " ".join(c.text for c in seed_chunks())
    assert "Tải ứng dụng" not in texts
    assert "BÁO ĐIỆN TỬ CHÍNH PHỦ" not in texts
    assert "Theo TTXVN" not in texts


def test_line_rules() -> None:
    assert line_kind("Tải ứng dụng:", 0) == "drop"
    assert line_kind("BÁO ĐIỆN TỬ CHÍNH PHỦ", 1) == "drop"
    assert line_kind("Theo TTXVN", 30) == "drop"
    assert line_kind("Các đại biểu tham dự buổi làm việc - Ảnh: TTXVN", 5) == "caption"
    assert line_kind("Từng bước khẳng định vị trí mới trên bản đồ phát triển", 5) == "heading"
    assert line_kind("Tỉnh có 45 đơn vị xã, phường.", 5) == "body"
    # An all-capitals line deep inside the article is not a masthead.
    assert line_kind("KẾT LUẬN CỦA TỔNG BÍ THƯ", 10) == "heading"


def test_captions_are_marked_and_headings_attach_to_paragraphs_below() -> None:
    chunks = seed_chunks()
    captions = [c for c in chunks if c.caption]
    assert captions and all("Ảnh:" in c.text for c in captions)
    first_body = next(c for c in chunks if "45 đơn vị xã" in c.text)
    assert first_body.heading == "Từng bước khẳng định vị trí mới trên bản đồ phát triển"
    assert first_body.heading not in first_body.text
    assert not any(c.text == first_body.heading for c in chunks)


def test_long_paragraphs_become_windows_of_whole_sentences() -> None:
    text = "Tiêu đề\n" + "".join(
        f"Điện Biên tiếp tục phát triển kinh tế cửa khẩu lần thứ {i}. " for i in range(40))
    chunks = chunk_source("a.txt", text, ChunkerParams(max_chars=300))
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk.text) <= 300
        assert chunk.text.startswith("Điện Biên") and chunk.text.endswith(".")
        assert text[chunk.start:chunk.end] == chunk.text
    assert all(c.paragraph == 2 for c in chunks)


def test_exact_duplicate_passages_are_dropped() -> None:
    text = "Một câu trả lời đầy đủ.\nMột câu khác.\nMột câu trả lời đầy đủ.\n"
    chunks = chunk_source("a.txt", text, ChunkerParams())
    assert [c.text for c in chunks] == ["Một câu trả lời đầy đủ.", "Một câu khác."]
    assert [c.paragraph for c in chunks] == [1, 2]


def test_nfd_and_nfc_sources_give_the_same_chunks() -> None:
    nfd = unicodedata.normalize("NFC", unicodedata.normalize("NFD", SEED_TEXT))
    assert chunk_source("a.txt", nfd, ChunkerParams()) == chunk_source(
        "a.txt", SEED_TEXT, ChunkerParams())


def test_title_comes_from_the_file_name() -> None:
    assert title_of("Super_Bowl_50.txt") == "Super Bowl 50"
    assert title_of("sub/tong-bi-thu-lam-viec.md") == "tong bi thu lam viec"


def test_a_paragraph_without_full_stops_is_cut_between_words() -> None:
    text = " ".join(f"từ{i}" for i in range(2000))  # ~12,000 characters, no sentence ends
    chunks = chunk_source("dai.txt", text, ChunkerParams())
    assert len(chunks) > 1 and max(len(c.text) for c in chunks) <= ChunkerParams().max_chars
    assert all(text[c.start:c.end] == c.text and c.text == c.text.strip() for c in chunks)
    assert " ".join(c.text for c in chunks) == text  # nothing lost between the pieces


def test_a_markdown_title_heads_no_section_but_a_subheading_does() -> None:
    text = ("# Khởi công cao tốc Quảng Ngãi - Kon Tum dài 86,5 km\n\n"
            "Sáng 19/12/2025, tỉnh tổ chức lễ khởi công dự án.\n\n"
            "## Quy mô\n\nTuyến cao tốc có tổng chiều dài 86,5 km.\n")
    lead, scale = chunk_source("cao-toc.md", text, ChunkerParams())
    # the title is the article's (its metadata keeps it): searched under it, the opening
    # alone won every question repeating the name (rt19)
    assert lead.heading == "" and lead.text.startswith("Sáng 19/12/2025")
    assert scale.heading == "Quy mô"
