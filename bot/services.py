"""The services the bot and the console share, built once from Settings, and role resolution."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from knowledge.service import KnowledgeBase
from zi_cli.services import make_knowledge_base
from zi_cli.settings import Settings
from zi_core.store import Store

from .render import Templates

logger = logging.getLogger(__name__)

RANK = {"pegawai": 0, "koordinator": 1, "admin": 2}


@dataclass(frozen=True)
class Actor:
    telegram_id: int
    name: str
    role: str
    unit: str | None

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    store: Store
    templates: Templates

    def start(self) -> None:
        """Heavy start-up: database migrations, the knowledge index (built when missing or stale), the model."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store.start()
        report = self.kb.ensure_ready()
        if report is not None:
            logger.info("knowledge base built: %d chunks", report.total_chunks)

    def stop(self) -> None:
        self.store.close()

    def actor(self, telegram_id: int, name: str = "") -> Actor | None:
        """The user's role from the store (admins also from ZI_ADMIN_IDS); None when not allowed."""
        user = self.store.user(telegram_id)
        if telegram_id in self.settings.admin_ids:
            return Actor(telegram_id, name, "admin", user.unit if user else None)
        if user is not None:
            return Actor(telegram_id, name or user.name, user.role, user.unit)
        allowed = self.settings.allowed_user_ids
        if allowed and telegram_id not in allowed:
            return None
        return Actor(telegram_id, name, "pegawai", None)

    def admin_ids(self) -> set[int]:
        return set(self.settings.admin_ids) | {u.telegram_id for u in self.store.list_users("admin")}


def build_services(settings: Settings) -> Services:
    """Cheap: nothing is loaded until `start()`."""
    store = Store(
        settings.resolved_database_url,
        evidence_dir=settings.evidence_dir,
        max_evidence_bytes=settings.max_upload_mb * 1024 * 1024,
    )
    return Services(settings, make_knowledge_base(settings), store, Templates())
