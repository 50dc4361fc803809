"""The `zi` command line: a thin click layer over `knowledge`, `zi_core` and `bot`."""

from __future__ import annotations

import click

from zi_app.config import Settings

from .logs import configure_logging


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log at DEBUG level.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """ZI Assistant: knowledge base, worksheet scoring and the Telegram bot for Zona Integritas."""
    settings = Settings()
    configure_logging("DEBUG" if verbose else settings.log_level, settings.secrets())
    ctx.obj = settings


def _register() -> None:
    from .backup import backup_cmd, restore_cmd
    from .kb import kb
    from .run import bot_cmd, console_cmd
    from .worksheet import export_cmd, lhe_cmd, lke, review_cmd, score, unit, user

    commands = (
        kb,
        score,
        lke,
        unit,
        user,
        review_cmd,
        lhe_cmd,
        export_cmd,
        backup_cmd,
        restore_cmd,
        bot_cmd,
        console_cmd,
    )
    for command in commands:
        main.add_command(command)


_register()
