"""`zi bot` and `zi console`."""

from __future__ import annotations

import click

from zi_app.config import Settings


@click.command("bot")
@click.option("--webhook", is_flag=True, help="Receive updates on a webhook instead of long polling.")
@click.pass_obj
def bot_cmd(settings: Settings, webhook: bool) -> None:
    """Run the Telegram bot (needs ZI_TELEGRAM_TOKEN), e.g. `zi bot` or `zi bot --webhook`."""
    from bot.app import run

    if settings.telegram_token is None:
        raise click.ClickException("ZI_TELEGRAM_TOKEN belum diatur; gunakan `zi console` untuk mencoba secara lokal")
    try:
        run(settings, webhook=webhook)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("console")
@click.pass_obj
def console_cmd(settings: Settings) -> None:
    """Chat with the assistant in the terminal, through the same services and templates as the bot."""
    from bot.console import run_console

    run_console(settings)
