"""Coordinators' worksheet commands: /lapor, /hasil, /skor, /celah, /riwayat, /ekspor, /bukti and files."""

from __future__ import annotations

import asyncio

from telegram import Update

from zi_app.wiring import Actor

from ..charts import area_chart
from ..context import Context
from . import admin
from .common import actions, args_of, reply, services


async def lapor(update: Update, context: Context, actor: Actor) -> None:
    """/lapor <ID> <jawaban>."""
    await reply(update, await asyncio.to_thread(actions(context).lapor, actor, args_of(context)))


async def hasil(update: Update, context: Context, actor: Actor) -> None:
    """/hasil ipak=3.7 ipkp=3.5 capaian_kinerja=B."""
    await reply(update, await asyncio.to_thread(actions(context).hasil, actor, args_of(context)))


async def skor(update: Update, context: Context, actor: Actor) -> None:
    """/skor: scorecard and a chart of the areas against the minima."""
    act = actions(context)
    text, assessment = await asyncio.to_thread(act.skor, actor, args_of(context))
    await reply(update, text)
    chart = await asyncio.to_thread(area_chart, assessment)
    message = update.effective_message
    assert message is not None
    await message.reply_photo(chart, caption=act.render("worksheet", "chart_caption", unit=assessment.worksheet.unit))


async def celah(update: Update, context: Context, actor: Actor) -> None:
    """/celah: the improvements worth most points, with a what-if."""
    await reply(update, await asyncio.to_thread(actions(context).celah, actor, args_of(context)))


async def riwayat(update: Update, context: Context, actor: Actor) -> None:
    """/riwayat [ID]: who changed what, when."""
    await reply(update, await asyncio.to_thread(actions(context).riwayat, actor, args_of(context)))


async def ekspor(update: Update, context: Context, actor: Actor) -> None:
    """/ekspor: the worksheet as XLSX and CSV."""
    act = actions(context)
    xlsx, csv, base = await asyncio.to_thread(act.ekspor, actor, args_of(context))
    message = update.effective_message
    assert message is not None
    caption = act.render("worksheet", "export_caption", unit=base)
    await message.reply_document(xlsx, filename=f"{base}.xlsx", caption=caption)
    await message.reply_document(csv, filename=f"{base}.csv")


async def bukti(update: Update, context: Context, actor: Actor) -> None:
    """/bukti <ID>: the next document or photo is evidence for that question."""
    act = actions(context)
    qid = args_of(context).strip().upper()
    accepted, text = await asyncio.to_thread(act.bukti_prompt, actor, qid)
    if accepted:
        await asyncio.to_thread(services(context).records.set_pending, actor.telegram_id, "evidence", {"qid": qid})
    await reply(update, text)


async def document(update: Update, context: Context, actor: Actor) -> None:
    """A document or photo: evidence after /bukti, knowledge material after /unggah (admins)."""
    message = update.effective_message
    assert message is not None
    act = actions(context)
    records = services(context).records
    limit = services(context).settings.max_upload_mb * 1024 * 1024
    if message.document is not None:
        file_id, name, size = (
            message.document.file_id,
            message.document.file_name or "berkas",
            message.document.file_size,
        )
    elif message.photo:
        photo = message.photo[-1]
        file_id, name, size = photo.file_id, f"foto-{photo.file_unique_id}.jpg", photo.file_size
    else:
        return
    # One pending action per user: the latest of /unggah and /bukti decides where the file goes.
    pending = await asyncio.to_thread(records.pending, actor.telegram_id)
    is_upload = pending is not None and pending.kind == "upload" and actor.role == "admin"
    is_evidence = pending is not None and pending.kind == "evidence"
    if pending is None or not (is_upload or is_evidence):
        await reply(update, act.render("common", "no_file_expected"))
        return
    await asyncio.to_thread(records.clear_pending, actor.telegram_id)
    if size is not None and size > limit:
        await reply(update, act.render("common", "file_too_big", limit_mb=limit // 1_048_576))
        return
    telegram_file = await context.bot.get_file(file_id)
    data = bytes(await telegram_file.download_as_bytearray())
    if is_upload:
        await admin.ingest(update, context, data, name)
        return
    await reply(update, await asyncio.to_thread(act.bukti, actor, str(pending.payload.get("qid", "")), data, name))
