"""Benchmark: last-turn recall of conversations (tests/data/conversations.jsonl) over one index
of the xquad-dev articles and the seed article, three ways in one run: the last turn asked
alone, all turns concatenated (the naive baseline), and qabot's conversation mode.

Usage: python bench/conversations.py [--keep DIR]   (builds the index once; a few minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from bot.config import Settings  # noqa: E402
from bot.corpus.text import nfc  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.retrieval.answer import Answer  # noqa: E402
from bot.retrieval.conversation import Conversation  # noqa: E402

CONVERSATIONS = REPO / "tests" / "data" / "conversations.jsonl"
CACHE = Path(os.environ.get("QABOT_CACHE", Path.home() / ".cache" / "qabot"))
Mode = Callable[[Engine, list[str]], Answer]


def alone(engine: Engine, turns: list[str]) -> Answer:
    return engine.answer(turns[-1], 3)


def concatenated(engine: Engine, turns: list[str]) -> Answer:
    return engine.answer(" ".join(turns), 3)


def conversation(engine: Engine, turns: list[str]) -> Answer:
    state = Conversation()
    for turn in turns:
        result = engine.answer(turn, 3, state)
        if result.turn is not None:
            state = state.after(result.turn)
    return result


def rank(result: Answer, gold: str, source: str) -> int | None:
    return next((i for i, p in enumerate(result.passages, 1)
                 if nfc(gold) in p.text and p.source == source), None)


def engine_over(root: Path) -> Engine:
    sources = root / "source_text"
    if not sources.exists():
        shutil.copytree(SHARED / "eval" / "xquad-dev" / "source_text", sources)
        for article in (REPO / "source_text").iterdir():  # the seed article, under its name
            shutil.copy(article, sources / article.name)
    engine = Engine(Settings(sources=sources, index=root / "index", cache=CACHE))
    engine.refresh()
    return engine


def measure(engine: Engine, rows: list[dict[str, Any]], mode: Mode, verbose: bool
            ) -> dict[str, tuple[int, ...]]:
    """Per group: conversations, right first passage, used context, answered, and right first
    passage whose highlight holds the gold answer."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row in rows:
        result = mode(engine, row["turns"])
        hit = rank(result, row["gold"], row["source"]) == 1
        group = totals[row["group"]]
        group[0] += 1
        group[1] += hit
        group[2] += result.context
        group[3] += result.answered
        group[4] += hit and nfc(row["gold"]) in result.passages[0].highlight
        if verbose and not hit:
            print(f"  miss [{row['group']}] {row['turns']} -> searched {result.searched!r}"
                  f" first={result.passages[0].source if result.passages else None}")
    return {g: tuple(v) for g, v in sorted(totals.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build (or reuse) the index in this folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args()
    rows = [json.loads(line) for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        engine = engine_over(root)
        modes: dict[str, Mode] = {"last turn alone": alone,
                                  "concatenated": concatenated, "qabot conversation": conversation}
        results = {name: measure(engine, rows, mode, args.verbose and name.startswith("qabot"))
                   for name, mode in modes.items()}
    groups = sorted({g for r in results.values() for g in r})
    print(f"\nLast-turn R@1 over {len(rows)} conversations "
          f"(xquad-dev + seed in one index; 'ctx' = turns read as follow-ups)")
    print(f"{'mode':<22}" + "".join(f"{g:>18}" for g in groups))
    for name, result in results.items():
        cells = "".join(f"{result[g][1] / result[g][0]:>9.3f} ({result[g][2]:>2} ctx)"
                        for g in groups)
        print(f"{name:<22}{cells}")
    print("\nConversation mode: answered share / highlight holds the gold answer (over "
          "right first passages)")
    chat = results["qabot conversation"]
    cells = "".join(f"{chat[g][3] / chat[g][0]:>9.3f} / {chat[g][4] / max(chat[g][1], 1):.3f}"
                    for g in groups)
    print(f"{'':<22}{cells}")


if __name__ == "__main__":
    main()
