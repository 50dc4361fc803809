"""Composition root: builds the Application from Settings and the services; no business logic here."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from typing import Any

from telegram import BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import InvalidToken
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from zi_app.config import Settings

from . import commands
from .actions import Actions
from .context import App, context_types
from .handlers import common, qa, worksheet
from .handlers.common import guard
from .reminders import reminder_hour, schedule
from .review import ReviewFlow
from .services import Services, build_services
from .views import WorksheetViews

logger = logging.getLogger(__name__)


async def _post_init(application: App) -> None:
    """Load the model, the index and the database once, off the event loop; set menus; start reminders."""
    data = application.bot_data
    services = data.services
    await asyncio.to_thread(services.start)
    bot = application.bot
    await bot.set_my_commands(data.menu("pegawai"), scope=BotCommandScopeDefault())
    for user in await asyncio.to_thread(services.store.list_users):
        if user.role != "pegawai":
            await bot.set_my_commands(data.menu(user.role), scope=BotCommandScopeChat(user.telegram_id))
    for admin_id in services.settings.admin_ids:
        await bot.set_my_commands(data.menu("admin"), scope=BotCommandScopeChat(admin_id))
    schedule(application.job_queue, await asyncio.to_thread(reminder_hour, services))


async def _post_shutdown(application: App) -> None:
    application.bot_data.services.stop()


def build_application(
    settings: Settings,
    services: Services | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = True,
) -> App:
    """The bot, wired: services, actions and views reach handlers through the typed `context.bot_data`.
    `request` lets tests use a fake Bot API."""
    if settings.telegram_token is None:
        raise ValueError("ZI_TELEGRAM_TOKEN is not set")
    services = services or build_services(settings)
    builder: Any = (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(context_types())
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:
        # Flood control (429 with retry_after) is waited out and retried, twice at most.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: App = builder.build()
    data = application.bot_data
    data.services = services
    data.actions = Actions(services)
    data.views = WorksheetViews(data.actions)
    data.review = ReviewFlow(data.actions, services.templates)
    data.help = functools.partial(commands.help_text, services.templates)
    data.menu = functools.partial(commands.menu, services.templates)
    _register(application)
    return application


def _register(app: App) -> None:
    """Every command and button of the command table, each behind its role check."""
    for command in commands.COMMANDS:
        app.add_handler(CommandHandler([command.name, *command.aliases], guard(command.roles)(command.telegram)))
    for route in commands.BUTTONS:
        app.add_handler(CallbackQueryHandler(guard(route.roles)(route.telegram), pattern=f"^{re.escape(route.prefix)}"))
    app.add_handler(MessageHandler(filters.COMMAND, guard(commands.EVERYONE)(common.unknown)))
    app.add_handler(MessageHandler(filters.Document.ALL | filters.PHOTO, guard(commands.EVERYONE)(worksheet.document)))
    private_text = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    group_text = filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS & (filters.Entity("mention") | filters.REPLY)
    app.add_handler(MessageHandler(private_text | group_text, guard(commands.EVERYONE)(qa.text)))
    app.add_error_handler(common.on_error)


WEBHOOK_PATH = "telegram"
MIN_WEBHOOK_SECRET = 32
_SECRET_CHARS = re.compile(r"[A-Za-z0-9_-]{1,256}")


def webhook_options(settings: Settings) -> dict[str, Any]:
    """`run_webhook`'s arguments, refusing to open the door without a strong secret token.

    Telegram sends the secret in the X-Telegram-Bot-Api-Secret-Token header; requests without it get 403. Without a
    secret anyone who can reach the port could post a forged update "from" an admin, so there is no such mode.
    """
    if not settings.webhook_url:
        raise ValueError("ZI_WEBHOOK_URL is required for --webhook")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if len(secret) < MIN_WEBHOOK_SECRET or not _SECRET_CHARS.fullmatch(secret):
        raise ValueError(
            f"--webhook needs ZI_WEBHOOK_SECRET: at least {MIN_WEBHOOK_SECRET} characters of A-Z, a-z, 0-9, _ or -. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": settings.webhook_url.rstrip("/") + "/" + WEBHOOK_PATH,
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def run(settings: Settings, webhook: bool = False) -> None:
    """`zi bot`: long polling, or a webhook with a secret token (checked before anything starts)."""
    options = webhook_options(settings) if webhook else None
    application = build_application(settings)
    try:
        if options is None:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            application.run_webhook(**options)
    except InvalidToken as exc:
        # The library's message quotes the token.
        raise ValueError("Telegram menolak ZI_TELEGRAM_TOKEN; periksa token dari @BotFather") from exc
