"""Admin commands: /unggah, /muatulang, /unit, /koordinator, /rekap, /belumterjawab, /jawab, /pengingat."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import BotCommandScopeChat, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from knowledge import IngestError
from zi_app.wiring import Actor

from ..charts import rekap_table
from ..context import Context
from ..reminders import reminder_hour, schedule
from .common import actions, args_of, reply, services

logger = logging.getLogger(__name__)


class _ProgressEditor:
    """Edits one progress message from the build thread, at most once a second."""

    def __init__(self, context: Context, message: Message, loop: asyncio.AbstractEventLoop) -> None:
        self.context, self.message, self.loop = context, message, loop
        self.last = 0.0

    def __call__(self, name: str, position: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and position != total:
            return
        self.last = now
        text = actions(self.context).render("admin", "upload_progress", name=name, position=position, total=total)
        asyncio.run_coroutine_threadsafe(self._edit(text), self.loop)

    async def _edit(self, text: str) -> None:
        try:
            await self.message.edit_text(text, parse_mode=ParseMode.HTML)
        except Exception:  # noqa: BLE001 - progress is best effort ("message is not modified")
            return


async def ingest(update: Update, context: Context, data: bytes, filename: str) -> None:
    """Validate and ingest an uploaded document; a bad file leaves the served index untouched."""
    act = actions(context)
    status = await reply(update, act.render("admin", "upload_progress", name=filename, position=0, total=1))
    progress = _ProgressEditor(context, status, asyncio.get_running_loop()) if status else None
    try:
        result = await act.upload(data, filename, progress)
    except IngestError as exc:
        await reply(update, act.render("admin", "upload_failed", detail=exc.detail))
        return
    await reply(update, act.render("admin", "upload_saved", result=result))
    await reply(update, act.render("admin", "upload_done", report=result.report))


async def unggah(update: Update, context: Context, actor: Actor) -> None:
    """/unggah: the next document (within 10 minutes) is new knowledge-base material."""
    await asyncio.to_thread(services(context).records.set_pending, actor.telegram_id, "upload", {})
    await reply(update, actions(context).render("admin", "upload_prompt"))


async def muatulang(update: Update, context: Context, actor: Actor) -> None:
    """/muatulang: rebuild what changed and hot-swap the index; questions keep being answered."""
    act = actions(context)
    status = await reply(update, act.render("admin", "reload_started"))
    progress = _ProgressEditor(context, status, asyncio.get_running_loop()) if status else None
    report = await act.reload(progress)
    await reply(update, act.render("admin", "upload_done", report=report))


async def unit(update: Update, context: Context, actor: Actor) -> None:
    """/unit [tambah <nama>]."""
    await reply(update, await asyncio.to_thread(actions(context).units, args_of(context)))


async def koordinator(update: Update, context: Context, actor: Actor) -> None:
    """/koordinator <telegram_id> <unit>; the new coordinator's command menu is updated at once."""
    text = await asyncio.to_thread(actions(context).koordinator, args_of(context))
    await reply(update, text)
    words = args_of(context).split(maxsplit=1)
    user = (
        await asyncio.to_thread(services(context).store.user, int(words[0]))
        if words[0:1] and words[0].isdigit()
        else None
    )
    if user is not None:
        await context.bot.set_my_commands(context.bot_data.menu(user.role), scope=BotCommandScopeChat(user.telegram_id))


async def rekap(update: Update, context: Context, actor: Actor) -> None:
    """/rekap: every unit's score, gates and completion as a table image and XLSX."""
    act = actions(context)
    result = await asyncio.to_thread(act.rekap)
    await reply(update, result.text)
    image = await asyncio.to_thread(rekap_table, result.rows, result.stages)
    message = update.effective_message
    assert message is not None
    await message.reply_photo(image)
    xlsx = await asyncio.to_thread(act.rekap_xlsx, result)
    await message.reply_document(xlsx, filename="rekap-zi.xlsx")


async def belumterjawab(update: Update, context: Context, actor: Actor) -> None:
    """/belumterjawab: the most frequent unanswered or 👎 questions, each with the id /jawab takes."""
    await reply(update, await actions(context).unanswered())


async def jawab(update: Update, context: Context, actor: Actor) -> None:
    """/jawab ID teks: answer an open question; the askers are told and the answer joins the knowledge base."""
    message = update.effective_message
    raw = (message.text or "") if message else ""
    outcome = await actions(context).answer_open_question(actor, raw.partition(" ")[2])
    await reply(update, outcome.reply)
    for uid in outcome.askers:
        try:
            await context.bot.send_message(uid, outcome.notice, parse_mode=ParseMode.HTML)
        except TelegramError:
            logger.warning("could not tell user %s their question was answered", uid)


async def predikat(update: Update, context: Context, actor: Actor) -> None:
    """/predikat Nama Unit; WBK|WBBM; nomor SK; YYYY-MM-DD: record the predicate a unit holds."""
    await reply(update, await actions(context).predikat(actor, args_of(context)))


async def pengingat(update: Update, context: Context, actor: Actor) -> None:
    """/pengingat <jam>: the hour of the daily deadline reminder, rescheduled at once."""
    text, changed = await asyncio.to_thread(actions(context).set_reminder_hour, args_of(context))
    if changed:
        schedule(context.job_queue, await asyncio.to_thread(reminder_hour, services(context)))
    await reply(update, text)
