"""The bot's services: the application's (zi_app.wiring) plus the templates every reply is rendered from."""

from __future__ import annotations

from dataclasses import dataclass

from zi_app.config import Settings
from zi_app.wiring import AppServices, make_knowledge_base, make_store

from .render import Templates


@dataclass
class Services(AppServices):
    templates: Templates


def build_services(settings: Settings) -> Services:
    """Cheap: nothing is loaded until `start()`."""
    return Services(settings, make_knowledge_base(settings), make_store(settings), Templates())
