"""`qabot telegram`: the Telegram front end (python-telegram-bot v22). The bot's state: the
engine, who may ask, rate limits and the answers awaiting "Xem thêm"; answers are computed in a
worker thread so the bot keeps receiving updates."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.engine import Engine, Freshness
from bot.errors import QuestionError
from bot.frontends.presentation import present
from bot.frontends.telegram.config import BotSettings
from bot.frontends.telegram.conversations import ConversationStore, Key
from bot.frontends.telegram.lru import LRU
from bot.frontends.telegram.ops import Ops
from bot.frontends.telegram.ratelimit import RateLimiter
from bot.frontends.telegram.render import render_messages
from bot.frontends.telegram.votes import vote_buttons
from bot.retrieval.answer import Answer
from bot.retrieval.conversation import Conversation

logger = logging.getLogger(__name__)
T = TypeVar("T")

GREETING = ("Xin chào! Tôi trả lời câu hỏi về các bài viết bằng chính những đoạn trích từ bài.\n"
            "Cứ gửi câu hỏi, có dấu hay không dấu đều được (ví dụ: <i>ti le ho ngheo</i>). "
            "Trong nhóm, hãy nhắc tên tôi, trả lời tin nhắn của tôi hoặc dùng /ask.\n"
            "/new: cuộc trò chuyện mới · /sources: các bài viết · /help: hướng dẫn\n\n"
            "<i>Hi! Ask me about the articles, in Vietnamese or English; I answer with quotes.</i>")
APOLOGY = "Xin lỗi, đã có lỗi. Vui lòng thử lại sau. <i>(Sorry, something went wrong.)</i>"
NOT_ALLOWED = "Xin lỗi, bot này chỉ phục vụ một số cuộc trò chuyện. <i>(Not available here.)</i>"
NOT_AVAILABLE = "Not available here."  # a callback answer is one plain line
SLOW_DOWN = "Bạn hỏi hơi nhanh, vui lòng chậm lại một chút. <i>(Please slow down.)</i>"
TEXT_ONLY = "Tôi chỉ đọc được câu hỏi bằng chữ. <i>(Please send your question as text.)</i>"
ADMIN_ONLY = "Chỉ quản trị viên mới dùng được lệnh này. <i>(Admins only.)</i>"
EMPTY_QUESTION = "Hãy gõ một câu hỏi. <i>(Please type a question.)</i>"
MORE = "Xem thêm"
NEW_CONVERSATION = ("Cuộc trò chuyện mới: câu hỏi sau không dựa vào các câu trước. "
                    "<i>(New conversation.)</i>")
COMMANDS = [("start", "Giới thiệu"), ("help", "Cách hỏi"), ("ask", "Hỏi trong nhóm"),
            ("new", "Cuộc trò chuyện mới"), ("sources", "Các bài viết"),
            ("reload", "Cập nhật chỉ mục (quản trị)"), ("remove", "Gỡ một bài viết (quản trị)")]

RETRY_ATTEMPTS = 5
RETRY_BASE_DELAY_S = 0.25  # doubled on each attempt: 0.5, 1, 2, 4 s
PAGES_PER_CHAT = 20  # "Xem thêm" works on this many recent answers in each chat
PAGE_CHATS = 1000  # chats whose answers are kept; the least recently used are forgotten
REFUSED_CHATS = 10_000  # chats already told they may not ask (told again once forgotten)
TOKEN_CHARS = 16  # callback data is at most 64 bytes; 64 random bits cannot be guessed


async def with_retries(call: Callable[[], Awaitable[T]],
                       attempts: int = RETRY_ATTEMPTS) -> T:
    """Retry a Bot API call on flood control and network errors; bad requests are final."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except (RetryAfter, NetworkError, TimedOut) as exc:
            if attempt == attempts:
                raise
            delay = (exc.retry_after if isinstance(exc, RetryAfter)
                     else RETRY_BASE_DELAY_S * 2**attempt)
            await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds")
                                else float(delay))
    raise AssertionError("unreachable: the last attempt returns or raises")


@dataclass(frozen=True)
class Page:
    """An answer already computed, how many of its passages were sent, and the conversation
    as it stands after it (which a reply to any of its messages continues)."""

    answer: Answer
    shown: int
    conversation: Conversation | None = None
    answer_id: str | None = None  # its record in the feedback database, for the vote buttons


class PageStore:
    """The answers awaiting "Xem thêm", per chat and by token, bounded both ways."""

    def __init__(self, per_chat: int = PAGES_PER_CHAT, chats: int = PAGE_CHATS) -> None:
        self.per_chat = per_chat
        self._chats: LRU[int, LRU[str, Page]] = LRU(chats)

    def put(self, chat_id: int, page: Page) -> str:
        """Keep `page` and return the token its button carries."""
        pages = self._chats.use(chat_id)
        if pages is None:
            pages = LRU(self.per_chat)
            self._chats.put(chat_id, pages)
        token = uuid.uuid4().hex[:TOKEN_CHARS]
        pages.put(token, page)
        return token

    def get(self, chat_id: int, token: str) -> Page | None:
        pages = self._chats.use(chat_id)
        return pages.use(token) if pages is not None else None


class QABot:
    """The bot's state: the engine, who may ask, rate limits and pending "Xem thêm" pages.
    The engine checks the sources in the background, every `watch_seconds`."""

    def __init__(self, engine: Engine, settings: BotSettings,
                 limiter: RateLimiter | None = None, ops: Ops | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine, self.settings = engine, settings
        self.ops = ops or Ops()  # metrics, health and the feedback database, when running
        engine.freshness = Freshness.in_background(settings.watch_seconds)
        self.limiter = limiter or RateLimiter(settings.questions_per_minute)
        self.pages = PageStore()
        self.conversations = ConversationStore(settings.conversation_minutes * 60, clock)
        self._refused: LRU[int, bool] = LRU(REFUSED_CHATS)
        self._chat_locks: dict[int, asyncio.Lock] = {}

    # --- work done off the event loop -------------------------------------------------------
    async def ask(self, question: str, top_k: int,
                  conversation: Conversation | None = None) -> Answer:
        return await asyncio.to_thread(self.engine.answer, question, top_k, conversation)

    async def refresh(self, force: bool = False) -> str:
        """`/reload`: check now and say what changed (a failed write is reported)."""
        changes = await asyncio.to_thread(self.engine.refresh, force)
        return changes.describe()

    async def refresh_if_due(self) -> None:
        """The source watcher: check when the engine's policy says so; a rebuild that
        cannot be written keeps the old index."""
        await asyncio.to_thread(self.engine.refresh_if_due)

    # --- access ------------------------------------------------------------------------------
    def allowed(self, update: Update) -> bool:
        allowed = self.settings.allowed_chats
        if allowed is None:
            return True
        ids = {update.effective_chat.id if update.effective_chat else None,
               update.effective_user.id if update.effective_user else None}
        return bool(ids & allowed)

    async def refuse_once(self, message: Message) -> None:
        if self._refused.use(message.chat_id) is None:
            self._refused.put(message.chat_id, True)
            await reply(message, NOT_ALLOWED)

    # --- answering ---------------------------------------------------------------------------
    async def answer_in_chat(self, message: Message, question: str, user_id: int) -> None:
        """Answer in the chat; answers within one chat leave in the order questions came."""
        if not self.limiter.allow(user_id):
            self.ops.rate_limited()
            if self.limiter.should_warn(user_id):
                await reply(message, SLOW_DOWN)
            return
        # Updates run concurrently; a per-chat lock (FIFO) keeps each chat's answers in order.
        async with self._chat_locks.setdefault(message.chat_id, asyncio.Lock()):
            await self._answer_and_send(message, question, conversation_key(message, user_id))

    def conversation_for(self, message: Message, key: Key) -> Conversation:
        """A reply to one of our answers continues that answer's conversation (whoever
        replies, however late); any other message continues the sender's own."""
        replied = message.reply_to_message
        if replied is not None:
            found = self.conversations.at_answer(message.chat_id, replied.message_id)
            if found is not None:
                return found
        return self.conversations.current(key)

    async def _answer_and_send(self, message: Message, question: str, key: Key) -> None:
        conversation = self.conversation_for(message, key)
        # Every passage "Xem thêm" may show is computed now: paging never asks again.
        started = self.ops.clock()
        try:
            result = await self.ask(question, self.settings.max_passages, conversation)
        except QuestionError:
            await reply(message, EMPTY_QUESTION)
            return
        after = conversation.after(result.turn) if result.turn is not None else conversation
        self.conversations.remember(key, after)
        page = Page(result, 0, conversation=after, answer_id=self.ops.new_answer_id())
        await self.send_page(message, page, self.settings.first_page)
        self.ops.answered(page.answer_id, result, message.chat_id,
                          min(self.settings.first_page, len(result.passages)), started)

    async def send_page(self, message: Message, page: Page, count: int) -> None:
        """Send `count` passages of `page.answer` after the `page.shown` already sent, with a
        "Xem thêm" button on the last message when more remain."""
        stop = min(page.shown + count, len(page.answer.passages))
        messages = render_messages(present(page.answer), page.shown, stop)
        more = stop < len(page.answer.passages)
        token = self.pages.put(message.chat_id, replace(page, shown=stop)) if more else None
        if page.shown:
            self.ops.shown(page.answer_id, stop)
        buttons = self.buttons(token, page.answer_id)
        sent = []
        for index, html in enumerate(messages):
            last = index == len(messages) - 1
            sent.append(await reply(message, html, buttons if last else None))
        if page.conversation is not None:
            self.conversations.mark(message.chat_id, [m.message_id for m in sent],
                                    page.conversation)

    def buttons(self, token: str | None, answer_id: str | None) -> InlineKeyboardMarkup | None:
        """"Xem thêm" when more passages remain, 👍 / 👎 when the answer is recorded."""
        row = [InlineKeyboardButton(MORE, callback_data=f"more:{token}")] if token else []
        row += vote_buttons(answer_id) if answer_id else []
        return InlineKeyboardMarkup([row]) if row else None



def conversation_key(message: Message, user_id: int) -> Key:
    """One conversation per private chat; in a group, one per user within the chat."""
    chat_id = message.chat_id
    return (chat_id, chat_id) if message.chat.type == ChatType.PRIVATE else (chat_id, user_id)


async def reply(message: Message, html: str,
                markup: InlineKeyboardMarkup | None = None) -> Message:
    sent: Message = await with_retries(lambda: message.reply_html(
        html, reply_markup=markup, disable_web_page_preview=True))
    return sent


def _qabot(context: ContextTypes.DEFAULT_TYPE) -> QABot:
    found: QABot = context.application.bot_data["qabot"]
    return found
