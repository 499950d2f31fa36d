"""The stand-in model the fast tier relies on: deterministic across processes, normalized, and
close for texts that share words."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from tests.conftest import REPO
from tests.fake_embedder import MAX_WORDS, HashingEmbedder

PASSAGES = ["Tỉ lệ hộ nghèo đa chiều năm 2025 còn 17,66%.",
            "Bộ trưởng Bộ Quốc phòng Phan Văn Giang dự buổi làm việc.",
            "Tỉnh có 1.446 thôn, bản, tổ dân phố."]


def test_vectors_are_unit_length_and_the_same_in_another_process() -> None:
    vectors = HashingEmbedder().embed_passages(PASSAGES + ["", "?!"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    probe = ("import json, sys\nfrom tests.fake_embedder import HashingEmbedder\n"
             "print(json.dumps(HashingEmbedder().embed_passages(json.load(sys.stdin)).tolist()))")
    done = subprocess.run([sys.executable, "-c", probe], input=json.dumps(PASSAGES),
                          capture_output=True, text=True, cwd=REPO, check=True)
    assert np.allclose(np.array(json.loads(done.stdout)), vectors[:3], atol=1e-6)


def test_a_question_without_diacritics_is_nearest_to_its_passage() -> None:
    model = HashingEmbedder()
    passages = model.embed_passages(PASSAGES)
    for question, expected in (("ti le ho ngheo", 0), ("bo truong quoc phong la ai", 1),
                               ("bao nhieu thon ban", 2)):
        assert int(np.argmax(passages @ model.embed_queries([question])[0])) == expected


def test_truncate_keeps_the_first_words_and_says_so() -> None:
    model = HashingEmbedder()
    text = "một " * (MAX_WORDS + 10)
    cut, was_cut = model.truncate(text)
    assert was_cut and cut.split() == ["một"] * MAX_WORDS
    assert model.truncate("ngắn thôi") == ("ngắn thôi", False)
