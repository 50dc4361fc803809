"""The one place where Settings become services: the knowledge base, the store, role resolution.

Every front end builds its services here, so limits (upload size, evidence size) and paths are the same whether a
document arrives through the bot, the console or the command line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from knowledge import make_embedder
from knowledge.service import KnowledgeBase
from zi_core.records import ROLES
from zi_core.store import Store

__all__ = [
    "ROLES",
    "Actor",
    "AppServices",
    "make_knowledge_base",
    "make_store",
    "served_knowledge_base",
]

from .config import Settings

logger = logging.getLogger(__name__)

# Every role a user can hold (zi_core.records.ROLES); what each may do is listed per command in bot/commands.py.
# The rank serves the few checks that are a ladder (a coordinator's unit work is open to admins too); a TPI member
# is not on the unit's side.
RANK = {"pegawai": 0, "tpi": 0, "koordinator": 1, "admin": 2}


@dataclass(frozen=True)
class Actor:
    telegram_id: int
    name: str
    role: str
    unit: str | None

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def make_knowledge_base(
    settings: Settings, index_dir: Path | None = None, sources: list[Path] | None = None
) -> KnowledgeBase:
    embedder = make_embedder(settings.embedding_backend, settings.embedding_model, settings.embedding_threads)
    return KnowledgeBase(
        index_dir=index_dir or settings.resolved_index_dir,
        sources=sources if sources is not None else settings.knowledge_sources,
        embedder=embedder,
        uploads_dir=settings.uploads_dir,
        max_bytes=settings.max_upload_bytes,
        glossary_path=settings.glossary_path,
    )


def served_knowledge_base(settings: Settings, index_dir: Path) -> KnowledgeBase:
    """A knowledge base serving the index already built in `index_dir`, loaded (no sources: it never rebuilds)."""
    kb = make_knowledge_base(settings, index_dir=index_dir, sources=[])
    kb.retriever.load()
    return kb


def make_store(settings: Settings) -> Store:
    """The store, not started (`start()` migrates and connects)."""
    return Store(
        settings.resolved_database_url,
        evidence_dir=settings.evidence_dir,
        max_evidence_bytes=settings.max_upload_bytes,
    )


@dataclass
class AppServices:
    """What every front end holds: settings, the knowledge base and the store; cheap until `start()`."""

    settings: Settings
    kb: KnowledgeBase
    store: Store

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
