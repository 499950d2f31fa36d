"""A reader's 👍 / 👎 press: acknowledged at once, recorded once per reader and answer (a
second press replaces the first)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.frontends.telegram.bot import _qabot, with_retries
from bot.frontends.telegram.votes import parse_vote

THANKS = {1: "Cảm ơn bạn! 👍", -1: "Cảm ơn, chúng tôi sẽ xem lại câu trả lời này. 👎"}
NOT_A_VOTE = "Nút này không còn dùng được."


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    bot, query = _qabot(context), update.callback_query
    if query is None:
        return
    parsed = parse_vote(query.data)
    if parsed is None:
        await with_retries(lambda: query.answer(NOT_A_VOTE))
        return
    answer_id, value = parsed
    bot.ops.vote(answer_id, query.from_user.id, value)
    await with_retries(lambda: query.answer(THANKS[value]))
