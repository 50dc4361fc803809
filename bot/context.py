"""Typed access to what every handler needs: the services, the actions and the views, set once at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import BotCommand
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from zi_app.wiring import Actor

from .actions import Actions
from .review import ReviewFlow
from .services import Services
from .views import WorksheetViews


class BotData:
    """`context.bot_data`: filled by the composition root (`bot.app.build_application`) before the first update.
    Per-user state is not kept here (it would not survive a restart): it lives in the database."""

    services: Services
    actions: Actions
    views: WorksheetViews
    review: ReviewFlow
    help: Callable[[Actor, bool], str]  # /bantuan for an actor (bot.commands.help_text)
    menu: Callable[[str], list[BotCommand]]  # the command menu of a role (bot.commands.menu)


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context]]


def context_types() -> ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotData]:
    return ContextTypes(context=CallbackContext, bot_data=BotData)
