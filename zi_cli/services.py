"""Factories that turn Settings into the services the CLI and the bot use (the composition helpers)."""

from __future__ import annotations

from pathlib import Path

from knowledge import make_embedder
from knowledge.service import KnowledgeBase

from .settings import Settings


def make_knowledge_base(
    settings: Settings, index_dir: Path | None = None, sources: list[Path] | None = None
) -> KnowledgeBase:
    embedder = make_embedder(settings.embedding_backend, settings.embedding_model, settings.embedding_threads)
    return KnowledgeBase(
        index_dir=index_dir or settings.resolved_index_dir,
        sources=sources if sources is not None else settings.knowledge_sources,
        embedder=embedder,
        uploads_dir=settings.uploads_dir,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        glossary_path=settings.glossary_path,
    )


def served_knowledge_base(settings: Settings, index_dir: Path) -> KnowledgeBase:
    """A knowledge base serving the index already built in `index_dir`, loaded (no sources: it never rebuilds)."""
    kb = make_knowledge_base(settings, index_dir=index_dir, sources=[])
    kb.retriever.load()
    return kb
