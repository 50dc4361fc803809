"""Every `zi` command has help text and appears in the README (bot commands: tests/bot/test_commands.py)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

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
