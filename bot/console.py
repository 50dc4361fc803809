"""`zi console`: a local chat in the terminal through the same services and templates as the bot."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TextIO

from zi_app.config import Settings
from zi_app.wiring import Actor

from .actions import Actions, AskReply
from .render import to_plain
from .services import Services, build_services

logger = logging.getLogger(__name__)

CONSOLE_USER_ID = 0
DEMO_UNIT = "Unit Contoh"


def _console_actor(services: Services) -> Actor:
    """The local user: an admin bound to a demo unit, so every command can be tried at once."""
    if not services.store.list_units():
        services.store.add_unit(DEMO_UNIT)
    user = services.store.user(CONSOLE_USER_ID)
    if user is None or user.unit is None:
        user = services.store.add_user(CONSOLE_USER_ID, "admin", services.store.list_units()[0].name, "Konsol")
    return Actor(CONSOLE_USER_ID, "Konsol", "admin", user.unit)


async def handle(actions: Actions, actor: Actor, line: str) -> str:
    """One console line -> the reply's HTML (the same actions the Telegram handlers call)."""
    command, _, args = line.partition(" ")
    command = command.lower()
    try:
        if not command.startswith("/"):
            reply = await actions.ask(actor, line)
        elif command == "/tanya":
            reply = await actions.ask(actor, args)
        elif command in ("/start", "/bantuan", "/help"):
            return actions.render("common", "help", actor=actor, first=command == "/start")
        elif command == "/batal":
            return await actions.cancel(actor)
        elif command == "/lapor":
            return actions.lapor(actor, args)
        elif command == "/hasil":
            return actions.hasil(actor, args)
        elif command == "/skor":
            return actions.skor(actor, args)[0]
        elif command == "/celah":
            return actions.celah(actor, args)
        elif command == "/riwayat":
            return actions.riwayat(actor, args)
        elif command == "/unit":
            return actions.units(args)
        elif command == "/koordinator":
            return actions.koordinator(args)
        elif command == "/predikat":
            return await actions.predikat(actor, args)
        elif command == "/rekap":
            return actions.rekap()[0]
        elif command == "/belumterjawab":
            return await actions.unanswered()
        elif command == "/jawab":
            return (await actions.answer_open_question(actor, args)).reply
        elif command == "/muatulang":
            report = await actions.reload()
            return actions.render("admin", "upload_done", report=report)
        else:
            return actions.render("common", "help", actor=actor, first=False)
    except Exception as exc:  # noqa: BLE001 - every error gets the same polite text as in Telegram
        text = actions.error_text(exc)
        if text is None:
            logger.exception("console command failed")
            return actions.render("common", "error")
        return text
    return reply.html if isinstance(reply, AskReply) else reply


def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    services = build_services(settings)
    stdout.write("Menyiapkan basis pengetahuan dan database...\n")
    stdout.flush()
    services.start()
    actions = Actions(services)
    actor = _console_actor(services)
    stdout.write(to_plain(actions.render("common", "help", actor=actor, first=True)) + "\n")
    stdout.write("\nKetik pertanyaan atau perintah; /keluar untuk berhenti.\n")
    try:
        while True:
            if stdin.isatty():
                stdout.write("\n> ")
                stdout.flush()
            line = stdin.readline()
            if not line or line.strip().lower() in ("/keluar", "/exit", "/quit"):
                break
            if not line.strip():
                continue
            html = asyncio.run(handle(actions, actor, line.strip()))
            stdout.write(to_plain(html) + "\n")
            stdout.flush()
    finally:
        services.stop()
