"""Questions: /tanya and plain text; passage and feedback buttons."""

from __future__ import annotations

import asyncio

from telegram import MessageEntity, Update
from telegram.constants import ChatType

from zi_app.wiring import Actor

from ..context import Context
from ..views import answer_view
from . import checklist, review
from .common import actions, args_of, keyboard, reply


async def _answer(update: Update, context: Context, actor: Actor, question: str) -> None:
    result = await actions(context).ask(actor, question)
    if isinstance(result, str):
        await reply(update, result)
        return
    await reply(update, result.html, keyboard(answer_view(actions(context), result)))


async def tanya(update: Update, context: Context, actor: Actor) -> None:
    """/tanya <pertanyaan>."""
    await _answer(update, context, actor, args_of(context))


def _addressed_to_bot(update: Update, context: Context) -> str | None:
    """The question in a message meant for the bot: any private text; in groups only a mention or a reply."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    username = f"@{context.bot.username}".lower()
    mentioned = any(
        e.type == MessageEntity.MENTION and message.text[e.offset : e.offset + e.length].lower() == username
        for e in message.entities
    )
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and (message.reply_to_message.from_user.id == context.bot.id)
    )
    if not (mentioned or replied):
        return None
    return message.text.replace(f"@{context.bot.username}", "").strip()


async def text(update: Update, context: Context, actor: Actor) -> None:
    """Plain text: counts for a pending ratio question, otherwise a question."""
    question = _addressed_to_bot(update, context)
    if question is None:
        return
    if await review.pending_note(update, context, actor, question):
        return
    if await checklist.pending_ratio_text(update, context, actor, question):
        return
    await _answer(update, context, actor, question)


async def passage_button(update: Update, context: Context, actor: Actor) -> None:
    """📄 button: the full passage behind an answer."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    try:
        _, log_id, rank = (query.data or "").split(":")
        html = await actions(context).passage(actor, int(log_id), int(rank))
    except ValueError:
        html = actions(context).render("qa", "passage_gone")
    await reply(update, html)


async def feedback_button(update: Update, context: Context, actor: Actor) -> None:
    """👍/👎 on an answer, stored with the question."""
    query = update.callback_query
    assert query is not None
    try:
        _, log_id, value = (query.data or "").split(":")
        text_ = await asyncio.to_thread(actions(context).feedback, actor, int(log_id), int(value))
    except ValueError:
        text_ = actions(context).render("qa", "feedback", ok=False, value=0)
    await query.answer(text_[:190])
