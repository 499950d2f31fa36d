"""Admins add and remove articles from a private chat: a link, or a `.txt`/`.md`/`.html`
document, is added through the same code path as `qabot add` (`bot.sources_admin`); `/remove`
lists the articles with buttons and, after a confirmation, moves the chosen file into the
hidden `.removed/` folder. Anyone else's link or document is politely refused."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.corpus.sources import SOURCE_SUFFIXES
from bot.errors import AddError
from bot.frontends.telegram.bot import ADMIN_ONLY, QABot, reply, with_retries
from bot.frontends.telegram.lru import LRU
from bot.frontends.telegram.render import cited, escape
from bot.sources_admin import MAX_ADD_BYTES, REMOVED, Library

logger = logging.getLogger(__name__)

ADD_ADMIN_ONLY = ("Chỉ quản trị viên mới thêm được bài viết; hãy gửi câu hỏi bằng chữ. "
                  "<i>(Only admins can add articles; ask a question instead.)</i>")
NOT_AN_ARTICLE = ("Chỉ thêm được tệp .txt, .md hoặc .html. "
                  "<i>(Only .txt, .md and .html files can be added.)</i>")
NOTHING_TO_REMOVE = "Chưa có bài viết nào. <i>(No articles.)</i>"
PICK = "Chọn bài viết cần gỡ: <i>(choose the article to remove)</i>"
CANCELLED = "Đã huỷ, không gỡ bài nào. <i>(Cancelled.)</i>"
EXPIRED = "Danh sách đã cũ, hãy gửi lại /remove."
BUTTON_CHARS = 60
PENDING = 200  # removal choices remembered (buttons of older lists say to start again)
LINKS = filters.Regex(r"^\s*https?://\S+(\s+https?://\S+)*\s*$")
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


class Admin:
    """The library behind the bot's admin commands and the removals awaiting confirmation."""

    def __init__(self, bot: QABot, library: Library) -> None:
        self.bot, self.library = bot, library
        self.pending: LRU[str, str] = LRU(PENDING)  # token -> file name

    def is_admin(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.bot.settings.admin_ids

    def remember(self, name: str) -> str:
        token = uuid.uuid4().hex[:16]
        self.pending.put(token, name)
        return token


def _admin(context: ContextTypes.DEFAULT_TYPE) -> Admin:
    found: Admin = context.application.bot_data["qabot_admin"]
    return found


async def _from_admin(update: Update, context: ContextTypes.DEFAULT_TYPE,
                      refusal: str) -> tuple[Admin, Message] | None:
    """The admin state and the message, when an admin sent it; anyone else gets `refusal`."""
    admin, message = _admin(context), update.message
    if message is None:
        return None
    if not admin.is_admin(update):
        await reply(message, refusal)
        return None
    return admin, message


async def _add(message: Message, work: Callable[[], Awaitable[str]]) -> None:
    try:
        await reply(message, escape(await work()))
    except AddError as exc:
        await reply(message, f"Không thêm được: {escape(str(exc))} <i>(not added)</i>")


async def link_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private message that is only links: an admin's are added, one by one."""
    if (sent := await _from_admin(update, context, ADD_ADMIN_ONLY)) is None:
        return
    admin, message = sent
    for url in (message.text or "").split():
        async def added(url: str = url) -> str:
            result = await asyncio.to_thread(admin.library.add_url, url)
            return result.describe()

        await _add(message, added)


async def document_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's `.txt`/`.md`/`.html` document is added as a file."""
    if (sent := await _from_admin(update, context, ADD_ADMIN_ONLY)) is None:
        return
    admin, message = sent
    if message.document is None:
        return
    document, name = message.document, message.document.file_name or ""
    if not name.lower().endswith(SOURCE_SUFFIXES):
        await reply(message, NOT_AN_ARTICLE)
        return
    if (document.file_size or 0) > MAX_ADD_BYTES:
        await reply(message, f"Tệp quá lớn (hơn {MAX_ADD_BYTES >> 20} MB). <i>(too large)</i>")
        return

    async def added() -> str:
        file = await with_retries(document.get_file)
        data = bytes(await with_retries(file.download_as_bytearray))
        result = await asyncio.to_thread(admin.library.add_document, name, data)
        return result.describe()

    await _add(message, added)


async def remove_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/remove`: the articles as buttons (admins only)."""
    if (sent := await _from_admin(update, context, ADMIN_ONLY)) is None:
        return
    admin, message = sent
    articles = admin.bot.engine.articles()
    if not articles:
        await reply(message, NOTHING_TO_REMOVE)
        return
    rows = [[InlineKeyboardButton(_button(article.label),
                                  callback_data=f"rm:{admin.remember(article.name)}")]
            for article in articles]
    await reply(message, PICK, InlineKeyboardMarkup(rows))


def _button(label: str) -> str:
    return label if len(label) <= BUTTON_CHARS else label[:BUTTON_CHARS - 1] + "…"


async def _chosen(update: Update, context: ContextTypes.DEFAULT_TYPE
                  ) -> tuple[Admin, CallbackQuery, Message, str, str] | None:
    """The admin, the button press, its message, the token and the file it names; None (with
    the press answered) when it is not an admin's or the list is too old."""
    admin, query = _admin(context), update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    if not admin.is_admin(update):
        await with_retries(lambda: query.answer("Admins only."))
        return None
    token = (query.data or "").partition(":")[2]
    name = admin.pending.use(token)
    if name is None:
        await with_retries(lambda: query.answer(EXPIRED))
        return None
    await with_retries(lambda: query.answer())
    return admin, query, query.message, token, name


async def remove_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of the list: ask to confirm."""
    chosen = await _chosen(update, context)
    if chosen is None:
        return
    admin, _, message, token, name = chosen
    label = next((a.label for a in admin.bot.engine.articles() if a.name == name), name)
    buttons = InlineKeyboardMarkup([[
        InlineKeyboardButton("Gỡ bài", callback_data=f"rmyes:{token}"),
        InlineKeyboardButton("Thôi", callback_data=f"rmno:{token}")]])
    await reply(message, f"Gỡ bài <b>{escape(label)}</b> ({escape(name)})? Tệp được chuyển "
                         f"vào {REMOVED}/, không bị xoá. <i>(Remove it? Nothing is deleted.)</i>",
                buttons)


async def remove_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chosen = await _chosen(update, context)
    if chosen is None:
        return
    admin, _, message, token, name = chosen
    admin.pending.pop(token, None)  # a second press does nothing
    try:
        article = await asyncio.to_thread(admin.library.remove, name)
    except AddError as exc:
        await reply(message, f"Không gỡ được: {escape(str(exc))}")
        return
    await reply(message, f"Đã gỡ: {cited(article.label, article.url)} "
                         f"<i>(moved to {REMOVED}/{escape(name)})</i>")


async def remove_cancelled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chosen = await _chosen(update, context)
    if chosen is not None:  # the list's button still works
        await reply(chosen[2], CANCELLED)


def register(app: Application, bot: QABot) -> None:  # type: ignore[type-arg]
    """Add the admin handlers; call before the handlers for questions and other messages,
    which would otherwise take links and documents."""
    app.bot_data["qabot_admin"] = Admin(bot, Library(bot.engine))
    app.add_handler(CommandHandler("remove", remove_command))
    app.add_handler(MessageHandler(PRIVATE & LINKS & ~filters.COMMAND, link_message))
    app.add_handler(MessageHandler(PRIVATE & filters.Document.ALL, document_message))
    app.add_handler(CallbackQueryHandler(remove_choice, pattern=r"^rm:"))
    app.add_handler(CallbackQueryHandler(remove_confirmed, pattern=r"^rmyes:"))
    app.add_handler(CallbackQueryHandler(remove_cancelled, pattern=r"^rmno:"))
