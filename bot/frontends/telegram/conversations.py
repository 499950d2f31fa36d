"""The Telegram bot's conversations, in memory only: one per private chat, one per user in a
group, and the state as of each answer sent, so that a reply to an answer continues from it."""

from __future__ import annotations

from collections.abc import Callable

from bot.frontends.telegram.lru import LRU
from bot.retrieval.conversation import Conversation

CONVERSATIONS = 10_000  # live conversations kept; the least recently used are forgotten
ANSWERS = 50_000  # answers a reply can continue from, across all chats

# (chat id, user id): in a private chat the user is the chat, so the pair is one per chat.
Key = tuple[int, int]


class ConversationStore:
    """Who is talking about what. Conversations idle for longer than `idle_seconds` start
    anew; the state behind an answer stays until forgotten by the bound (a reply hours
    later still continues it)."""

    def __init__(self, idle_seconds: float, clock: Callable[[], float],
                 conversations: int = CONVERSATIONS, answers: int = ANSWERS) -> None:
        self.idle_seconds, self.clock = idle_seconds, clock
        self._live: LRU[Key, tuple[float, Conversation]] = LRU(conversations)
        self._answers: LRU[tuple[int, int], Conversation] = LRU(answers)

    def current(self, key: Key) -> Conversation:
        """The conversation `key` is in: empty when new, forgotten or idle too long."""
        found = self._live.use(key)
        if found is None or self.clock() - found[0] > self.idle_seconds:
            return Conversation()
        return found[1]

    def at_answer(self, chat_id: int, message_id: int) -> Conversation | None:
        """The conversation as it stood after the answer sent as `message_id`, if known."""
        return self._answers.use((chat_id, message_id))

    def remember(self, key: Key, conversation: Conversation) -> None:
        """`key` is now in `conversation` (its idle time starts again)."""
        self._live.put(key, (self.clock(), conversation))

    def mark(self, chat_id: int, message_ids: list[int], conversation: Conversation) -> None:
        """The messages of an answer, which a reply continues from `conversation`."""
        for message_id in message_ids:
            self._answers.put((chat_id, message_id), conversation)

    def forget(self, key: Key) -> None:
        """`/new`: the next question of `key` starts a new conversation."""
        self._live.pop(key, None)
