"""What each command does in `zi console`: the same actions and views as in Telegram, with a local twist where
Telegram would carry a file (a path is named instead, and exports are written to a folder).

Blocking actions run in a worker thread, as in the bot, so a slow database never stalls the prompt's loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from zi_app.wiring import Actor

from .actions import Actions, AskReply
from .review import Outcome, ReviewFlow
from .views import View, WorksheetViews, answer_view

Reply = str | View
HelpText = Callable[[Actor, bool], str]


@dataclass(frozen=True)
class ConsoleIO:
    actions: Actions
    views: WorksheetViews
    review: ReviewFlow
    help: HelpText
    files_dir: Path  # where /ekspor and /rekap write their files
    max_file_bytes: int


ConsoleHandler = Callable[[ConsoleIO, Actor, str], Awaitable[Reply]]


def _render(io: ConsoleIO, group: str, name: str, /, **context: object) -> str:
    return io.actions.render(group, name, **context)


def _read_local(io: ConsoleIO, raw: str) -> tuple[bytes, str] | str:
    """(data, name) of a local file named on the console, or the polite reason it cannot be used."""
    path = Path(raw.strip().strip("'\"")).expanduser()
    if not raw.strip() or not path.is_file():
        return _render(io, "common", "console_no_file", path=raw.strip())
    if path.stat().st_size > io.max_file_bytes:
        return _render(io, "common", "file_too_big", limit_mb=io.max_file_bytes // 1_048_576)
    return path.read_bytes(), path.name


def _write(io: ConsoleIO, files: list[tuple[str, bytes]]) -> str:
    io.files_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files:
        target = io.files_dir / name
        target.write_bytes(data)
        paths.append(str(target))
    return _render(io, "common", "console_files", paths=paths)


async def tanya(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    result = await io.actions.ask(actor, args)
    return answer_view(io.actions, result) if isinstance(result, AskReply) else result


async def bantuan(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return io.help(actor, False)


async def checklist(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.views.checklist, actor)


async def kesiapan(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.views.readiness, actor)


async def lapor(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.actions.lapor, actor, args)


async def hasil(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.actions.hasil, actor, args)


async def skor(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    text, _ = await asyncio.to_thread(io.actions.skor, actor, args)
    return text


async def celah(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.actions.celah, actor, args)


async def riwayat(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.actions.riwayat, actor, args)


async def ekspor(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    xlsx, csv, base = await asyncio.to_thread(io.actions.ekspor, actor, args)
    return _write(io, [(f"{base}.xlsx", xlsx), (f"{base}.csv", csv)])


async def bukti(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    """/bukti ID PATH: the file named is stored as evidence (in Telegram the file is sent after /bukti ID)."""
    qid, _, path = args.strip().partition(" ")
    accepted, prompt = await asyncio.to_thread(io.actions.bukti_prompt, actor, qid.upper())
    if not accepted:
        return prompt
    if not path.strip():
        return _render(io, "worksheet", "evidence_console_usage", qid=qid.upper())
    local = _read_local(io, path)
    if isinstance(local, str):
        return local
    return await asyncio.to_thread(io.actions.bukti, actor, qid.upper(), *local)


async def batal(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await io.actions.cancel(actor)


async def unggah(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    """/unggah PATH: the file named becomes knowledge-base material (in Telegram it is sent after /unggah)."""
    if not args.strip():
        return _render(io, "admin", "upload_console_usage")
    local = _read_local(io, args)
    if isinstance(local, str):
        return local
    result = await io.actions.upload(*local)
    saved = _render(io, "admin", "upload_saved", result=result)
    return saved + "\n" + _render(io, "admin", "upload_done", report=result.report)


async def muatulang(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return _render(io, "admin", "upload_done", report=await io.actions.reload())


async def unit(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.actions.units, args)


async def koordinator(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await asyncio.to_thread(io.actions.koordinator, args)


async def rekap(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    result = await asyncio.to_thread(io.actions.rekap)
    xlsx = await asyncio.to_thread(io.actions.rekap_xlsx, result)
    return result.text + "\n" + _write(io, [("rekap-zi.xlsx", xlsx)])


async def predikat(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await io.actions.predikat(actor, args)


async def belumterjawab(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return await io.actions.unanswered()


async def jawab(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    return (await io.actions.answer_open_question(actor, args)).reply


async def pengingat(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    text, _ = await asyncio.to_thread(io.actions.set_reminder_hour, args)
    return text


def _outcome(io: ConsoleIO, outcome: Outcome) -> Reply:
    """A review outcome on the console: a file is written to the files folder; notices are listed, since the
    console cannot deliver them."""
    extra = []
    if outcome.document is not None:
        extra.append(_write(io, [outcome.document]))
    if outcome.notices:
        extra.append(_render(io, "common", "console_notices", count=len({t for t, _ in outcome.notices})))
    reply = outcome.reply
    if not extra:
        return reply
    if isinstance(reply, View):
        return View(reply.text + "\n\n" + "\n".join(extra), reply.rows, reply.notices)
    return reply + "\n\n" + "\n".join(extra)


def review_handler(pick: Callable[[ReviewFlow], Callable[[Actor, str], Outcome]]) -> ConsoleHandler:
    """A console handler running one ReviewFlow method on the command's arguments."""

    async def handler(io: ConsoleIO, actor: Actor, args: str) -> Reply:
        return _outcome(io, await asyncio.to_thread(pick(io.review), actor, args))

    return handler


async def tpi(io: ConsoleIO, actor: Actor, args: str) -> Reply:
    outcome, _ = await asyncio.to_thread(io.review.assign, args)
    return _outcome(io, outcome)


async def note_text(io: ConsoleIO, actor: Actor, text: str) -> Reply | None:
    """A plain line after "📝 Catatan": that question's note (None when none is awaited)."""
    outcome = await asyncio.to_thread(io.review.note_text, actor, text)
    return None if outcome is None else _outcome(io, outcome)


async def press(io: ConsoleIO, actor: Actor, data: str) -> Reply:
    """A numbered choice typed on the console: the button's callback data, routed as in Telegram."""
    kind, _, rest = data.partition(":")
    if kind == "p":
        log_id, _, rank = rest.partition(":")
        return await io.actions.passage(actor, int(log_id), int(rank))
    if kind == "f":
        log_id, _, value = rest.partition(":")
        return await asyncio.to_thread(io.actions.feedback, actor, int(log_id), int(value))
    if kind == "t":
        return _outcome(io, await asyncio.to_thread(io.review.press, actor, data))
    pressed = await asyncio.to_thread(io.views.press, actor, data)
    parts: list[Reply] = [*pressed.replies]
    if pressed.view is None:
        return "\n\n".join(str(p) for p in parts)
    return View("\n\n".join([*map(str, parts), pressed.view.text]), pressed.view.rows)
