"""Telegram update handlers and the `Application` that wires them together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from html import escape

from telegram import BotCommand, InlineQueryResultArticle, InputTextMessageContent, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.errors import QabotError, QuestionError
from bot.frontends.citation import display_date
from bot.frontends.presentation import present
from bot.frontends.telegram import admin
from bot.frontends.telegram.bot import (
    ADMIN_ONLY,
    APOLOGY,
    COMMANDS,
    GREETING,
    NEW_CONVERSATION,
    NOT_AVAILABLE,
    TEXT_ONLY,
    QABot,
    _qabot,
    conversation_key,
    reply,
    with_retries,
)
from bot.frontends.telegram.feedback import vote
from bot.frontends.telegram.render import cited, inline_html, plain_summary
from bot.frontends.telegram.votes import PATTERN as VOTE_PATTERN

logger = logging.getLogger(__name__)

INLINE_RESULTS = 3
INLINE_CACHE_S = 30  # how long Telegram may reuse the results for the same query
INLINE_EMPTY_CACHE_S = 5
FLOOD_RETRIES = 3  # AIORateLimiter's own retries after a 429, before with_retries'


def _question_in(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question a message asks the bot, or None when it is not addressed to the bot."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{bot_username}"
    if bot_username and mention.lower() in text.lower():
        start = text.lower().index(mention.lower())
        return (text[:start] + text[start + len(mention):]).strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


async def check_access(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group -1, before every handler: senders outside the allow-list are refused (once per
    chat, and only when they address the bot) and their update goes no further."""
    bot = _qabot(context)
    if bot.allowed(update):
        return
    callback, inline_query, message = update.callback_query, update.inline_query, update.message
    if callback is not None:
        await with_retries(lambda: callback.answer(NOT_AVAILABLE))
    elif inline_query is not None:
        await with_retries(lambda: inline_query.answer([], cache_time=INLINE_EMPTY_CACHE_S,
                                                       is_personal=True))
    elif message is not None and (
            (message.text or "").startswith("/")
            or _question_in(message, context.bot.username or "", context.bot.id) is not None):
        await bot.refuse_once(message)
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message is not None:
        await reply(update.message, GREETING)


async def new_conversation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/new`: the sender's next question starts a new conversation."""
    message, user = update.message, update.effective_user
    if message is None or user is None:
        return
    _qabot(context).conversations.forget(conversation_key(message, user.id))
    await reply(message, NEW_CONVERSATION)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, message = _qabot(context), update.message
    if message is None:
        return
    lines = [f"• {cited(a.label, a.url)}"
             + (f" · {escape(date)}" if (date := display_date(a.date)) else "")
             + f" — {a.paragraphs} đoạn" for a in bot.engine.articles()]
    skipped = [f"• {escape(name)}: {escape(why)}" for name, why in bot.engine.skipped_sources()]
    if skipped:
        lines += ["<b>Không lập chỉ mục được</b> <i>(not indexed)</i>", *skipped]
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(bot.engine.built_at()))
    await reply(message, "\n".join(["<b>Các bài viết</b>", *lines,
                                     f"<i>Chỉ mục xây lúc {built}</i>"]))


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, message, user = _qabot(context), update.message, update.effective_user
    if message is None:
        return
    if user is None or user.id not in bot.settings.admin_ids:
        await reply(message, ADMIN_ONLY)
        return
    await reply(message, escape(await bot.refresh(force=False)))


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, message, user = _qabot(context), update.message, update.effective_user
    if message is None or user is None:
        return
    question = _question_in(message, context.bot.username or "", context.bot.id)
    if question is not None:
        await bot.answer_in_chat(message, question, user.id)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, message, user = _qabot(context), update.message, update.effective_user
    if message is None or user is None:
        return
    question = " ".join(context.args or [])
    if not question.strip():
        await reply(message, "Dùng: /ask câu hỏi <i>(usage: /ask your question)</i>")
        return
    await bot.answer_in_chat(message, question, user.id)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await reply(message, TEXT_ONLY)


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Xem thêm": the next passages of the answer already computed."""
    bot, query = _qabot(context), update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    page = bot.pages.get(query.message.chat_id, (query.data or "").removeprefix("more:"))
    if page is None:
        await with_retries(lambda: query.answer("Câu hỏi này đã cũ, hãy hỏi lại."))
        return
    await with_retries(lambda: query.answer())
    if page.shown >= len(page.answer.passages):
        await reply(query.message, "Không còn đoạn nào nữa. <i>(No more passages.)</i>")
        return
    await bot.send_page(query.message, page, bot.settings.page)


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, query = _qabot(context), update.inline_query
    if query is None:
        return
    # Results are personal when there is an allow-list: Telegram must not hand one user's
    # cached results to someone who may not ask.
    personal = bot.settings.allowed_chats is not None
    try:
        result = await bot.ask(query.query, INLINE_RESULTS) if query.query.strip() else None
    except QuestionError:
        result = None
    if result is None:
        await with_retries(lambda: query.answer([], cache_time=INLINE_EMPTY_CACHE_S,
                                                is_personal=personal))
        return
    articles = [InlineQueryResultArticle(
        id=f"{passage.rank}", title=plain_summary(passage),
        description=" · ".join(passage.labels()),
        input_message_content=InputTextMessageContent(inline_html(passage),
                                                      parse_mode=ParseMode.HTML))
        for passage in present(result).passages]
    await with_retries(lambda: query.answer(articles, cache_time=INLINE_CACHE_S,
                                            is_personal=personal))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    logger.error("error while handling an update", exc_info=context.error)
    _qabot(context).ops.error()
    if isinstance(update, Update) and update.effective_message is not None:
        with contextlib.suppress(Exception):
            await update.effective_message.reply_html(APOLOGY)


async def watch_sources(bot: QABot) -> None:
    """Notice changed sources and rebuild in the background, as often as the engine's
    freshness policy says; answers keep using the old index until the new one is swapped in."""
    while (wait := bot.engine.seconds_until_check()) is not None:
        await asyncio.sleep(wait)
        try:
            await bot.refresh_if_due()
        except QabotError as exc:
            logger.warning("sources check failed: %s", exc)


def build_application(bot: QABot) -> Application:  # type: ignore[type-arg]
    """The PTB application with every handler, flood control and the source watcher."""
    tasks: list[asyncio.Task[None]] = []

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await with_retries(lambda: app.bot.set_my_commands(
            [BotCommand(name, description) for name, description in COMMANDS]))
        tasks.append(asyncio.get_running_loop().create_task(watch_sources(bot)))
        tasks.append(asyncio.get_running_loop().create_task(bot.ops.heartbeat(app.bot)))
        logger.info("qabot is ready as @%s", app.bot.username)

    async def post_stop(app: Application) -> None:  # type: ignore[type-arg]
        for task in tasks:
            task.cancel()

    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder().token(bot.settings.token)
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES)).concurrent_updates(True)
        .post_init(post_init).post_stop(post_stop))
    if bot.settings.base_url:
        base = bot.settings.base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    app = bot.ops.configure(builder).build()
    app.bot_data["qabot"] = bot
    app.add_handler(TypeHandler(Update, check_access), group=-1)
    app.add_handler(CommandHandler(["start", "help"], start))
    app.add_handler(CommandHandler("new", new_conversation))
    app.add_handler(CommandHandler("sources", sources))
    app.add_handler(CommandHandler("reload", reload))
    app.add_handler(CommandHandler("ask", ask_command))
    admin.register(app, bot)  # before the handlers below, which would take links and files
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                                   text_message))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT, not_text))
    app.add_handler(CallbackQueryHandler(more, pattern=r"^more:"))
    app.add_handler(CallbackQueryHandler(vote, pattern=VOTE_PATTERN))
    app.add_handler(InlineQueryHandler(inline))
    app.add_error_handler(on_error)
    return app
