"""The bot's services: the application's (zi_app.wiring), the templates every reply is rendered from, and the
bot's own records."""

from __future__ import annotations

from dataclasses import dataclass

from zi_app.config import Settings
from zi_app.wiring import AppServices, make_knowledge_base, make_store

from .records import BotRecords
from .render import Templates


@dataclass
class Services(AppServices):
    templates: Templates
    records: BotRecords  # the bot's own records (question log, pending actions, settings) in the store's database


def build_services(settings: Settings) -> Services:
    """Cheap: nothing is loaded until `start()`."""
    store = make_store(settings)
    return Services(settings, make_knowledge_base(settings), store, Templates(), BotRecords(store))
