"""Collect the evidence qabot sees for dev questions, in and out of the indexed articles.

The out-of-corpus protocol: xquad-dev's 24 articles are split in halves (several random
halvings, seeded); each half is indexed alone and asked the questions of both halves — those
of the other half must be refused, those of the indexed half answered. The seed article is
asked its answerable and near-topic unanswerable questions. Each xquad-dev article is also
indexed alone, as the seed article is, and asked its own questions, their near misses and the
next article's questions: a one-article index spreads its passages' scores differently from a
twelve-article one, and the verdict must hold for both. One JSON line per question asked,
written to bench/out/verdict_data.jsonl (read by bench/fit_verdict.py).

Usage: python bench/verdict_data.py [--halvings N] [--singles N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
XQUAD = SHARED / "eval" / "xquad-dev"
DATA = REPO / "tests" / "data"
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.corpus.chunking import title_of  # noqa: E402
from bot.corpus.text import clean_question, nfc  # noqa: E402
from bot.embedding.models import DEFAULT_MODEL, load_embedder  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.retrieval.answer_type import asked_kind  # noqa: E402
from bot.retrieval.evidence import QuestionTerms, passage_signals, sentence_views  # noqa: E402
from bot.retrieval.fusion import retrieve  # noqa: E402
from bot.retrieval.question import classify, unshouted  # noqa: E402
from bot.retrieval.slang import without_shorthand  # noqa: E402

OUT = REPO / "bench" / "out" / "verdict_data.jsonl"
CACHE = Path(os.environ.get("QABOT_CACHE", Path.home() / ".cache" / "qabot"))


class CachingEmbedder:
    """The real model, remembering every vector it made (halvings share texts)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim
        self.memory: dict[tuple[str, str], np.ndarray[Any, Any]] = {}

    def _embed(self, kind: str, texts: list[str]) -> np.ndarray[Any, Any]:
        missing = [t for t in dict.fromkeys(texts) if (kind, t) not in self.memory]
        if missing:
            made = (self.inner.embed_queries if kind == "q" else self.inner.embed_passages)(missing)
            self.memory.update({(kind, t): v for t, v in zip(missing, made, strict=True)})
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self.memory[(kind, t)] for t in texts])

    def embed_queries(self, texts: list[str]) -> np.ndarray[Any, Any]:
        return self._embed("q", texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray[Any, Any]:
        return self._embed("p", texts)

    def truncate(self, text: str) -> tuple[str, bool]:
        result: tuple[str, bool] = self.inner.truncate(text)
        return result


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def engine_over(files: list[Path], root: Path, embedder: CachingEmbedder) -> Engine:
    folder = root / "source_text"
    folder.mkdir(parents=True)
    for file in files:
        shutil.copy(file, folder / file.name)
    engine = Engine(Settings(sources=folder, index=root / "index", cache=CACHE),
                    load_model=lambda _: embedder)  # type: ignore[arg-type,return-value]
    engine.refresh()
    return engine


def observe(engine: Engine, question: str, gold: str | None,
            source: str | None) -> dict[str, Any]:
    """Everything the verdict, the highlight and the short answer could use, for one question."""
    index = engine.index
    # as bot/retrieval/answer.py reads it
    text = without_shorthand(unshouted(clean_question(question)))
    form = classify(text, index.lexical.restorer)
    found = retrieve(index, engine.build_model(), form)
    kind = asked_kind(text, form.search_text if form.restored else None)
    terms = QuestionTerms(form, index)
    ranked = found.ranked
    rank = None
    if gold:
        rank = next((i + 1 for i, r in enumerate(ranked[:10])
                     if nfc(gold) in index.chunks[r.row].text
                     and (source is None or index.chunks[r.row].source == source)), None)
    top = ranked[0]
    chunk = index.chunks[top.row]
    views = sentence_views(form, top.row, index, kind, found.sentence_cosines, terms)
    valid = found.sentence_cosines[found.sentence_cosines > -1.0]
    return {
        "form": form.kind, "searched": form.search_text, "kind": kind, "rank": rank,
        "passage": asdict(passage_signals(found, index, terms)),
        "sentence_mean": float(valid.mean()) if valid.size else 0.0,
        "sentence_std": float(valid.std()) if valid.size else 1.0,
        "views": [{**asdict(v), "text": chunk.text[v.start:v.end],
                   "gold": bool(gold) and nfc(gold or "") in chunk.text[v.start:v.end]}
                  for v in views],
    }


def ask_all(engine: Engine, rows: list[dict[str, Any]], split: str, answerable: bool,
            out: Any) -> None:
    restorer = engine.index.lexical.restorer
    # Batched once: one question at a time through torch is ten times slower.
    read = [without_shorthand(unshouted(clean_question(r["q"]))) for r in rows]
    engine.build_model().embed_queries([classify(text, restorer).search_text for text in read])
    for row in rows:
        record = observe(engine, row["q"], row.get("gold"), row.get("source"))
        record.update(split=split, group=row["group"], q=row["q"], gold=row.get("gold"),
                      source=row.get("source"), in_corpus=answerable)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def with_lowercase(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows`, and their questions typed without diacritics again without capitals, as people
    type them ("doi thu panthers …"): xquad-dev keeps the capitals of its Vietnamese questions,
    and a verdict that learned to lean on them refused fewer near-topic questions typed
    without (group "…no_diacritics-lower")."""
    lowered = [{**r, "q": r["q"].lower(), "group": f"{r['group']}-lower"}
               for r in rows if r["group"].endswith("no_diacritics")]
    return rows + lowered


_YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")
_NAME = re.compile(r"(?<=\w\s)[A-ZĐ][\w'’-]*(?:\s+[A-ZĐ][\w'’-]*)*")


def near_misses(rows: list[dict[str, Any]], corpus: str,
                others: list[str]) -> list[dict[str, Any]]:
    """The same questions about something the indexed articles don't cover: another year, or
    another article's subject in place of a name — what "the GRDP of Sơn La" is to the seed
    article. None of them may be answered."""
    made = []
    for number, row in enumerate(rows):
        question = row["q"]
        year = _YEAR.search(question)
        name = _NAME.search(question)
        if year and str(int(year.group(0)) + 13) not in corpus:
            changed = question[:year.start()] + str(int(year.group(0)) + 13) + question[year.end():]
        elif name:
            changed = question[:name.start()] + others[number % len(others)] + question[name.end():]
        else:
            continue
        made.append({**row, "q": changed, "gold": None, "group": f"nearmiss-{row['group']}"})
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--halvings", type=int, default=6)
    parser.add_argument("--singles", type=int, default=24, help="articles indexed alone")
    args = parser.parse_args()
    embedder = CachingEmbedder(load_embedder(DEFAULT_MODEL, CACHE))
    articles = sorted((XQUAD / "source_text").glob("*.txt"))
    questions = read_jsonl(XQUAD / "questions.jsonl")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, OUT.open("w", encoding="utf-8") as out:
        seed = engine_over(sorted((REPO / "source_text").glob("*")), Path(tmp) / "seed", embedder)
        seed_rows = [r for f in (SHARED / "eval" / "dev.jsonl", DATA / "seed_answerable.jsonl",
                                 DATA / "seed_unanswerable.jsonl") for r in read_jsonl(f)]
        for r in seed_rows:
            r["group"] = "seed-" + r["group"]
        ask_all(seed, [r for r in seed_rows if r.get("gold")], "seed", True, out)
        ask_all(seed, [r for r in seed_rows if not r.get("gold")], "seed", False, out)
        held = DATA / "seed_heldout.jsonl"
        if held.exists():
            rows = read_jsonl(held)
            for r in rows:
                r["group"] = "heldout-" + r["group"]
            ask_all(seed, [r for r in rows if r.get("gold")], "heldout", True, out)
            ask_all(seed, [r for r in rows if not r.get("gold")], "heldout", False, out)
        for number in range(args.halvings):
            shuffled = list(articles)
            random.Random(number).shuffle(shuffled)
            half = {p.name for p in shuffled[:12]}
            engine = engine_over([p for p in articles if p.name in half],
                                 Path(tmp) / f"half{number}", embedder)
            ask_all(engine, with_lowercase([r for r in questions if r["source"] in half]),
                    f"half{number}", True, out)
            ask_all(engine, with_lowercase([r for r in questions if r["source"] not in half]),
                    f"half{number}", False, out)
            corpus = "\n".join(p.read_text(encoding="utf-8") for p in articles if p.name in half)
            others = [title_of(p.name) for p in articles if p.name not in half]
            ask_all(engine, with_lowercase(near_misses(
                [r for r in questions if r["source"] in half], corpus, others)),
                f"half{number}", False, out)
            print(f"halving {number} done", flush=True)
        for number, article in enumerate(articles[:args.singles]):
            other = articles[(number + 1) % len(articles)]
            engine = engine_over([article], Path(tmp) / f"single{number}", embedder)
            own = [r for r in questions if r["source"] == article.name]
            ask_all(engine, with_lowercase(own), f"single{number}", True, out)
            ask_all(engine, with_lowercase([r for r in questions if r["source"] == other.name]),
                    f"single{number}", False, out)
            ask_all(engine, with_lowercase(near_misses(
                own, article.read_text(encoding="utf-8"),
                [title_of(p.name) for p in articles if p != article])),
                f"single{number}", False, out)
        print(f"{min(args.singles, len(articles))} single articles done", flush=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
