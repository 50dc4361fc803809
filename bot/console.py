"""`zi console`: a local chat in the terminal through the same command table, actions, views and templates as
the bot. Buttons become numbered choices: typing a number presses that button of the last reply."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TextIO

from zi_app.config import Settings
from zi_app.wiring import Actor

from . import commands, console_actions
from .actions import Actions
from .console_actions import ConsoleIO, Reply
from .render import to_plain
from .review import ReviewFlow
from .services import Services, build_services
from .views import Button, StaleChoice, View, WorksheetViews

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


class Console:
    """One local user's session: the command table, and the buttons of the last reply as numbered choices."""

    def __init__(self, services: Services, actor: Actor) -> None:
        actions = Actions(services)
        self.actor = actor
        self.io = ConsoleIO(
            actions=actions,
            views=WorksheetViews(actions),
            review=ReviewFlow(actions, services.templates),
            help=lambda who, first: commands.help_text(services.templates, who, first),
            files_dir=services.settings.data_dir / "konsol",
            max_file_bytes=services.settings.max_upload_bytes,
        )
        self.choices: list[Button] = []

    async def handle(self, line: str) -> str:
        """One typed line -> the reply as plain text (numbered choices appended)."""
        reply = await self._reply(line.strip())
        if isinstance(reply, View):
            self.choices = reply.buttons
            text = "\n\n".join([*reply.notices, reply.text])
            if self.choices:
                text += "\n\n" + self.io.actions.render("common", "console_choices", buttons=self.choices)
            return to_plain(text)
        self.choices = []
        return to_plain(reply)

    async def _reply(self, line: str) -> Reply:
        act = self.io.actions
        try:
            if line.isdigit() and self.choices:
                return await self._press(int(line))
            if not line.startswith("/"):
                note = await console_actions.note_text(self.io, self.actor, line)
                if note is not None:
                    return note
                counts = await asyncio.to_thread(self.io.views.ratio_counts, self.actor, line)
                return counts if counts is not None else await console_actions.tanya(self.io, self.actor, line)
            name, _, args = line[1:].partition(" ")
            command = commands.find(name)
            if command is None:
                return act.render("common", "unknown_command", name=name)
            if not command.allows(self.actor):
                return act.render("common", "refused")
            return await command.console(self.io, self.actor, args)
        except StaleChoice:
            return act.render("worksheet", "stale_button")
        except Exception as exc:  # noqa: BLE001 - every error gets the same polite text as in Telegram
            text = act.error_text(exc)
            if text is None:
                logger.exception("console command failed")
                return act.render("common", "error")
            return text

    async def _press(self, number: int) -> Reply:
        if not 1 <= number <= len(self.choices):
            return self.io.actions.render("common", "console_no_choice", number=number)
        data = self.choices[number - 1].data
        route = next((r for r in commands.BUTTONS if data.startswith(r.prefix)), None)
        if route is None or self.actor.role not in route.roles:
            return self.io.actions.render("common", "refused")
        return await console_actions.press(self.io, self.actor, data)


def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    services = build_services(settings)
    stdout.write(to_plain(services.templates.render("common", "console_starting")) + "\n")
    stdout.flush()
    services.start()
    console = Console(services, _console_actor(services))
    stdout.write(to_plain(commands.help_text(services.templates, console.actor, first=True)) + "\n\n")
    stdout.write(to_plain(services.templates.render("common", "console_prompt")) + "\n")
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
            stdout.write(asyncio.run(console.handle(line)) + "\n")
            stdout.flush()
    finally:
        services.stop()
