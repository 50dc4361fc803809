"""The TPI review in Telegram: thin wrappers over `bot.review.ReviewFlow`; notices go to the other users."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import BotCommandScopeChat, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from zi_app.wiring import Actor

from ..context import Context
from ..review import Outcome, ReviewFlow
from ..views import StaleChoice, View
from .common import actions, args_of, reply, show

logger = logging.getLogger(__name__)


async def deliver(update: Update, context: Context, outcome: Outcome) -> None:
    """The reply (text or view), the file, then each notice to its user (one blocked user stops no one)."""
    if isinstance(outcome.reply, View):
        await show(update, outcome.reply)
    else:
        await reply(update, outcome.reply)
    message = update.effective_message
    if outcome.document is not None and message is not None:
        name, data = outcome.document
        await message.reply_document(data, filename=name)
    for chat_id, text in outcome.notices:
        try:
            await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError:
            logger.warning("could not notify user %s", chat_id)


TelegramHandler = Callable[[Update, Context, Actor], Coroutine[Any, Any, None]]


def flow(pick: Callable[[ReviewFlow], Callable[[Actor, str], Outcome]]) -> TelegramHandler:
    """A command handler running one ReviewFlow method on the command's arguments, off the event loop."""

    async def handler(update: Update, context: Context, actor: Actor) -> None:
        outcome = await asyncio.to_thread(pick(context.bot_data.review), actor, args_of(context))
        await deliver(update, context, outcome)

    return handler


async def tpi(update: Update, context: Context, actor: Actor) -> None:
    """/tpi <telegram_id> <unit>[; <unit>]: a TPI member and their units; their command menu is updated at once."""
    outcome, member = await asyncio.to_thread(context.bot_data.review.assign, args_of(context))
    await deliver(update, context, outcome)
    if member is not None:
        await context.bot.set_my_commands(context.bot_data.menu("tpi"), scope=BotCommandScopeChat(member))


async def button(update: Update, context: Context, actor: Actor) -> None:
    """Every review button (t:...)."""
    query = update.callback_query
    assert query is not None
    try:
        outcome = await asyncio.to_thread(context.bot_data.review.press, actor, query.data or "")
    except StaleChoice:
        await query.answer(actions(context).render("worksheet", "stale_button"), show_alert=True)
        return
    await query.answer()
    await deliver(update, context, outcome)


async def pending_note(update: Update, context: Context, actor: Actor, text: str) -> bool:
    """The message after "📝 Catatan" is that question's note; False when no note is awaited."""
    outcome = await asyncio.to_thread(context.bot_data.review.note_text, actor, text)
    if outcome is None:
        return False
    await deliver(update, context, outcome)
    return True
