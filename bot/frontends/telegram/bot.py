"""`qabot telegram`: the Telegram front end (python-telegram-bot v22). Handlers decide who may
ask and what counts as a question; answers come from the same `Engine` as the CLI, computed in
a worker thread so the bot keeps receiving updates."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.engine import Engine, Freshness
from bot.errors import QuestionError
from bot.frontends.telegram.config import BotSettings
from bot.frontends.telegram.ratelimit import RateLimiter
from bot.frontends.telegram.render import render_messages
from bot.retrieval.answer import Answer

logger = logging.getLogger(__name__)
T = TypeVar("T")

GREETING = ("Xin chào! Tôi trả lời câu hỏi về các bài viết bằng chính những đoạn trích từ bài.\n"
            "Cứ gửi câu hỏi, có dấu hay không dấu đều được (ví dụ: <i>ti le ho ngheo</i>). "
            "Trong nhóm, hãy nhắc tên tôi, trả lời tin nhắn của tôi hoặc dùng /ask.\n"
            "/sources: các bài viết · /help: hướng dẫn\n\n"
            "<i>Hi! Ask me about the articles, in Vietnamese or English; I answer with quotes.</i>")
APOLOGY = "Xin lỗi, đã có lỗi. Vui lòng thử lại sau. <i>(Sorry, something went wrong.)</i>"
NOT_ALLOWED = "Xin lỗi, bot này chỉ phục vụ một số cuộc trò chuyện. <i>(Not available here.)</i>"
SLOW_DOWN = "Bạn hỏi hơi nhanh, vui lòng chậm lại một chút. <i>(Please slow down.)</i>"
TEXT_ONLY = "Tôi chỉ đọc được câu hỏi bằng chữ. <i>(Please send your question as text.)</i>"
ADMIN_ONLY = "Chỉ quản trị viên mới dùng được lệnh này. <i>(Admins only.)</i>"
MORE = "Xem thêm"
COMMANDS = [("start", "Giới thiệu"), ("help", "Cách hỏi"), ("ask", "Hỏi trong nhóm"),
            ("sources", "Các bài viết"), ("reload", "Cập nhật chỉ mục (quản trị)")]


async def with_retries(call: Callable[[], Awaitable[T]], attempts: int = 5) -> T:
    """Retry a Bot API call on flood control and network errors; bad requests are final."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except (RetryAfter, NetworkError, TimedOut) as exc:
            if attempt == attempts:
                raise
            delay = exc.retry_after if isinstance(exc, RetryAfter) else 0.25 * 2**attempt
            await asyncio.sleep(delay.total_seconds() if hasattr(delay, "total_seconds")
                                else float(delay))
    raise AssertionError("unreachable: the last attempt returns or raises")


class QABot:
    """The bot's state: the engine, who may ask, rate limits and pending "Xem thêm" pages.
    The engine checks the sources in the background, every `watch_seconds`."""

    def __init__(self, engine: Engine, settings: BotSettings,
                 limiter: RateLimiter | None = None) -> None:
        self.engine, self.settings = engine, settings
        engine.freshness = Freshness.in_background(settings.watch_seconds)
        self.limiter = limiter or RateLimiter(settings.questions_per_minute)
        self._pages: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._refused: set[int] = set()
        self._chat_locks: dict[int, asyncio.Lock] = {}

    # --- work done off the event loop -------------------------------------------------------
    async def ask(self, question: str, top_k: int) -> Answer:
        return await asyncio.to_thread(self.engine.answer, question, top_k)

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

    async def refuse_once(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is not None and update.effective_message and chat.id not in self._refused:
            self._refused.add(chat.id)
            await reply(update.effective_message, NOT_ALLOWED)

    # --- answering ---------------------------------------------------------------------------
    async def answer_in_chat(self, message: Message, question: str, user_id: int) -> None:
        """Answer in the chat; answers within one chat leave in the order questions came."""
        if not self.limiter.allow(user_id):
            if self.limiter.should_warn(user_id):
                await reply(message, SLOW_DOWN)
            return
        # Updates run concurrently; a per-chat lock (FIFO) keeps each chat's answers in order.
        async with self._chat_locks.setdefault(message.chat_id, asyncio.Lock()):
            await self._answer_and_send(message, question)

    async def _answer_and_send(self, message: Message, question: str) -> None:
        try:
            result = await self.ask(question, self.settings.first_page)
        except QuestionError:
            await reply(message, "Hãy gõ một câu hỏi. <i>(Please type a question.)</i>")
            return
        token = self.remember(question, self.settings.first_page)
        messages = render_messages(result)
        for index, html in enumerate(messages):
            last = index == len(messages) - 1
            await reply(message, html, self.more_button(token) if last else None)

    def remember(self, question: str, shown: int) -> str:
        token = uuid.uuid4().hex[:16]
        self._pages[token] = (question, shown)
        while len(self._pages) > 2000:
            self._pages.popitem(last=False)
        return token

    def more_button(self, token: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton(MORE, callback_data=f"more:{token}")]])

    def page(self, token: str) -> tuple[str, int] | None:
        return self._pages.get(token)


async def reply(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await with_retries(lambda: message.reply_html(html, reply_markup=markup,
                                                  disable_web_page_preview=True))


def _qabot(context: ContextTypes.DEFAULT_TYPE) -> QABot:
    found: QABot = context.application.bot_data["qabot"]
    return found
