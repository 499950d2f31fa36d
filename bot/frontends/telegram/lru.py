"""A bounded mapping that forgets its least recently used entries: what keeps the bot's
per-chat memory (pages, conversations, refusals) from growing without end."""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRU(OrderedDict[K, V]):
    """A mapping that forgets its least recently used entries beyond `bound`."""

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound

    def use(self, key: K) -> V | None:
        """The value for `key`, now the most recently used; None when forgotten."""
        if key not in self:
            return None
        self.move_to_end(key)
        return self[key]

    def put(self, key: K, value: V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.bound:
            self.popitem(last=False)
