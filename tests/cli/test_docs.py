"""Every `zi` command has help text and appears in the README; every bot command is in the help template."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from bot.menus import COMMANDS
from bot.render import Templates
from zi_app.wiring import Actor
from zi_cli import main

REPO = Path(__file__).resolve().parents[2]


def _commands(group: click.Group, prefix: str = "zi") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in group.commands.items():
        out.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix} {name}"))
    return out


@pytest.mark.parametrize(("path", "command"), _commands(main), ids=lambda v: v if isinstance(v, str) else "")
def test_every_cli_command_is_documented(path: str, command: click.Command) -> None:
    assert command.help, f"{path} has no help text"
    assert path in (REPO / "README.md").read_text(encoding="utf-8"), f"{path} is missing from the README"


def test_every_bot_command_is_in_the_help_of_its_role() -> None:
    help_admin = Templates().render("common", "help", actor=Actor(1, "", "admin", "Balai"), first=False)
    for role, commands in COMMANDS.items():
        for name, _ in commands:
            assert f"/{name}" in help_admin, f"/{name} ({role}) is missing from /bantuan"
