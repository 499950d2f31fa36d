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
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.errors import QabotError, QuestionError
from bot.frontends.telegram.bot import (
    ADMIN_ONLY,
    APOLOGY,
    COMMANDS,
    GREETING,
    TEXT_ONLY,
    QABot,
    _qabot,
    reply,
    with_retries,
)
from bot.frontends.telegram.render import MESSAGE_LIMIT, plain_summary, render_messages

logger = logging.getLogger(__name__)


async def _admitted(update: Update, context: ContextTypes.DEFAULT_TYPE
                    ) -> tuple[QABot, Message] | None:
    """The bot and the message when the sender may ask; refuses (once) those who may not."""
    bot, message = _qabot(context), update.message
    if message is None:
        return None
    if not bot.allowed(update):
        await bot.refuse_once(update)
        return None
    return bot, message


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if admitted := await _admitted(update, context):
        await reply(admitted[1], GREETING)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not (admitted := await _admitted(update, context)):
        return
    bot, message = admitted
    lines = [f"• {escape(name)} — {count} đoạn" for name, count in bot.engine.source_summary()]
    skipped = [f"• {escape(name)}: {escape(why)}" for name, why in bot.engine.skipped_sources()]
    if skipped:
        lines += ["<b>Không lập chỉ mục được</b> <i>(not indexed)</i>", *skipped]
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(bot.engine.built_at()))
    await reply(message, "\n".join(["<b>Các bài viết</b>", *lines,
                                     f"<i>Chỉ mục xây lúc {built}</i>"]))


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not (admitted := await _admitted(update, context)):
        return
    bot, message = admitted
    user = update.effective_user
    if user is None or user.id not in bot.settings.admin_ids:
        await reply(message, ADMIN_ONLY)
        return
    await reply(message, escape(await bot.refresh(force=False)))


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


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, message, user = _qabot(context), update.message, update.effective_user
    if message is None or user is None:
        return
    question = _question_in(message, context.bot.username or "", context.bot.id)
    if question is None:
        return
    if not bot.allowed(update):
        await bot.refuse_once(update)
        return
    await bot.answer_in_chat(message, question, user.id)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    if user is None or not (admitted := await _admitted(update, context)):
        return
    bot, message = admitted
    question = " ".join(context.args or [])
    if not question.strip():
        await reply(message, "Dùng: /ask câu hỏi <i>(usage: /ask your question)</i>")
        return
    await bot.answer_in_chat(message, question, user.id)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is not None and message.chat.type == ChatType.PRIVATE and _qabot(
            context).allowed(update):
        await reply(message, TEXT_ONLY)


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, query = _qabot(context), update.callback_query
    if query is None or query.message is None or not isinstance(query.message, Message):
        return
    if not bot.allowed(update):
        await with_retries(lambda: query.answer("Not available here."))
        return
    pending = bot.page((query.data or "").removeprefix("more:"))
    if pending is None:
        await with_retries(lambda: query.answer("Câu hỏi này đã cũ, hãy hỏi lại."))
        return
    await with_retries(lambda: query.answer())
    question, shown = pending
    wanted = min(shown + bot.settings.page, bot.settings.max_passages)
    result = await bot.ask(question, wanted)
    extra = result.passages[shown:]
    if not extra:
        await reply(query.message, "Không còn đoạn nào nữa. <i>(No more passages.)</i>")
        return
    page = type(result)(result.question, result.answered, extra)
    messages = render_messages(page, first_rank=shown + 1, intro=False)
    token = bot.remember(question, wanted) if wanted < bot.settings.max_passages else None
    for index, html in enumerate(messages):
        markup = bot.more_button(token) if token and index == len(messages) - 1 else None
        await reply(query.message, html, markup)


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, query = _qabot(context), update.inline_query
    if query is None:
        return
    if not bot.allowed(update) or not query.query.strip():
        await with_retries(lambda: query.answer([], cache_time=5))
        return
    try:
        result = await bot.ask(query.query, 3)
    except QuestionError:
        await with_retries(lambda: query.answer([], cache_time=5))
        return
    articles = []
    for rank, passage in enumerate(result.passages, 1):
        single = type(result)(result.question, result.answered, [passage])
        html = render_messages(single, first_rank=rank)[0][:MESSAGE_LIMIT]
        articles.append(InlineQueryResultArticle(
            id=f"{rank}", title=plain_summary(passage),
            description=f"{passage.source} · đoạn {passage.paragraph}",
            input_message_content=InputTextMessageContent(html, parse_mode=ParseMode.HTML)))
    await with_retries(lambda: query.answer(articles, cache_time=30))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        with contextlib.suppress(Exception):
            await update.effective_message.reply_html(APOLOGY)


async def watch_sources(bot: QABot) -> None:
    """Notice changed sources and rebuild in the background; answers keep using the old
    index until the new one is swapped in."""
    while True:
        await asyncio.sleep(bot.settings.watch_seconds)
        try:
            await bot.refresh(strict=False)
        except QabotError as exc:
            logger.warning("sources check failed: %s", exc)


def build_application(bot: QABot) -> Application:  # type: ignore[type-arg]
    """The PTB application with every handler, flood control and the source watcher."""
    tasks: list[asyncio.Task[None]] = []

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await with_retries(lambda: app.bot.set_my_commands(
            [BotCommand(name, description) for name, description in COMMANDS]))
        tasks.append(asyncio.get_running_loop().create_task(watch_sources(bot)))
        logger.info("qabot is ready as @%s", app.bot.username)

    async def post_stop(app: Application) -> None:  # type: ignore[type-arg]
        for task in tasks:
            task.cancel()

    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder().token(bot.settings.token)
        .rate_limiter(AIORateLimiter(max_retries=3)).concurrent_updates(True)
        .post_init(post_init).post_stop(post_stop))
    if bot.settings.base_url:
        base = bot.settings.base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    app = builder.build()
    app.bot_data["qabot"] = bot
    app.add_handler(CommandHandler(["start", "help"], start))
    app.add_handler(CommandHandler("sources", sources))
    app.add_handler(CommandHandler("reload", reload))
    app.add_handler(CommandHandler("ask", ask_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                                   text_message))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT, not_text))
    app.add_handler(CallbackQueryHandler(more, pattern=r"^more:"))
    app.add_handler(InlineQueryHandler(inline))
    app.add_error_handler(on_error)
    return app
