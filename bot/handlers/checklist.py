"""/checklist and /kesiapan in Telegram: the views of `bot.views` as inline keyboards; counts typed in chat."""

from __future__ import annotations

import asyncio

from telegram import Update

from zi_app.wiring import Actor

from ..context import Context
from ..views import StaleChoice
from .common import actions, reply, show, views


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
