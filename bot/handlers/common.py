"""Helpers every handler uses: typed services, the role guard, HTML replies, /bantuan, /batal, the error handler."""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import traceback
from collections.abc import Awaitable, Callable, Collection, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from zi_app.wiring import Actor

from ..actions import Actions
from ..context import Context
from ..render import split_message
from ..services import Services
from ..views import View, WorksheetViews

logger = logging.getLogger(__name__)

Handler = Callable[[Update, Context, Actor], Awaitable[None]]


def services(context: Context) -> Services:
    return context.bot_data.services


def actions(context: Context) -> Actions:
    return context.bot_data.actions


def views(context: Context) -> WorksheetViews:
    return context.bot_data.views


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send HTML, split cleanly over Telegram's 4096-character limit; buttons go on the last part."""
    message = update.effective_message
    if message is None:
        return None
    parts = split_message(text)
    sent = None
    for i, part in enumerate(parts):
        sent = await message.reply_text(
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if i == len(parts) - 1 else None,
            disable_web_page_preview=True,
        )
    return sent


def guard(roles: Collection[str]) -> Callable[[Handler], Callable[[Update, Context], Coroutine[Any, Any, None]]]:
    """Resolve the user's role from the store; refuse politely unless it is one of `roles`. Wraps every handler
    (bot.app registers them from the command table)."""

    def wrap(handler: Handler) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
        @functools.wraps(handler)
        async def inner(update: Update, context: Context) -> None:
            user = update.effective_user
            if user is None:
                return
            # Store calls run in worker threads: a database busy with a writer never stalls other chats.
            actor = await asyncio.to_thread(services(context).actor, user.id, user.full_name)
            act = actions(context)
            if actor is None:
                await _deny(update, act.render("common", "not_allowed"))
                return
            if actor.role not in roles:
                await _deny(update, act.render("common", "refused"))
                return
            try:
                await handler(update, context, actor)
            except Exception as exc:
                text = act.error_text(exc)
                if text is None:
                    raise  # unexpected: the error handler logs it and tells the admins
                await _deny(update, text)

        return inner

    return wrap


def keyboard(view: View) -> InlineKeyboardMarkup | None:
    if not view.rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in view.rows]
    )


async def show(update: Update, view: View) -> None:
    """A view as a new message, or in place of the message whose button was pressed."""
    for notice in view.notices:
        await reply(update, notice)
    query = update.callback_query
    if query is None:
        await reply(update, view.text, keyboard(view))
        return
    try:
        await query.edit_message_text(view.text, parse_mode=ParseMode.HTML, reply_markup=keyboard(view))
    except BadRequest as exc:  # "message is not modified" when the same button is tapped twice
        if "not modified" not in str(exc).lower():
            raise


async def _deny(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, text)


def args_of(context: Context) -> str:
    return " ".join(context.args or [])


async def start(update: Update, context: Context, actor: Actor) -> None:
    """/start and /bantuan: what the bot can do for this user's role."""
    first = bool(update.effective_message and (update.effective_message.text or "").startswith("/start"))
    await reply(update, context.bot_data.help(actor, first))


async def unknown(update: Update, context: Context, actor: Actor) -> None:
    """A command nobody registered: say so, instead of silence."""
    text = (update.effective_message.text or "/") if update.effective_message else "/"
    name = text.split()[0][1:].split("@")[0][:32]
    await reply(update, actions(context).render("common", "unknown_command", name=name))


async def batal(update: Update, context: Context, actor: Actor) -> None:
    """/batal: forget what the next message was to complete (a file after /unggah or /bukti, counts)."""
    await reply(update, await actions(context).cancel(actor))


async def on_error(update: object, context: Context) -> None:
    """Log the traceback, answer the user politely and notify the admins."""
    error = context.error
    logger.error("update failed", exc_info=error)
    act = actions(context)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await reply(update, act.render("common", "error"))
        except Exception:  # noqa: BLE001 - the reply itself may be what failed
            logger.warning("could not tell the user about the error")
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()[-500:] if error else "?"
    for admin in await asyncio.to_thread(services(context).admin_ids):
        try:
            await context.bot.send_message(
                admin,
                act.render("common", "admin_alert", kind=type(error).__name__, detail=detail),
                parse_mode=ParseMode.HTML,
            )
        except Exception:  # noqa: BLE001
            logger.warning("could not notify admin %s", admin)


def escape(text: Any) -> str:
    return html.escape(str(text))
