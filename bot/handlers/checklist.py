"""/checklist and /kesiapan in Telegram: the views of `bot.views` as inline keyboards; counts typed in chat."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from zi_app.wiring import Actor

from ..context import Context
from ..views import StaleChoice, View
from .common import actions, reply, views


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


async def start(update: Update, context: Context, actor: Actor) -> None:
    """/checklist: choose an area; resume where one stopped."""
    await show(update, await asyncio.to_thread(views(context).checklist, actor))


async def kesiapan(update: Update, context: Context, actor: Actor) -> None:
    """/kesiapan: the Tabel 5 entry criteria as a checklist the coordinator fills by tapping."""
    await show(update, await asyncio.to_thread(views(context).readiness, actor))


async def button(update: Update, context: Context, actor: Actor) -> None:
    """Every checklist and readiness button."""
    query = update.callback_query
    assert query is not None
    try:
        pressed = await asyncio.to_thread(views(context).press, actor, query.data or "")
    except StaleChoice:
        await query.answer(actions(context).render("worksheet", "stale_button"), show_alert=True)
        return
    await query.answer()
    for text in pressed.replies:
        await reply(update, text)
    if pressed.view is not None:
        await show(update, pressed.view)


async def pending_ratio_text(update: Update, context: Context, actor: Actor, text: str) -> bool:
    """If a ratio question waits for counts, show their percentage with save/cancel; False otherwise."""
    view = await asyncio.to_thread(views(context).ratio_counts, actor, text)
    if view is None:
        return False
    await show(update, view)
    return True
