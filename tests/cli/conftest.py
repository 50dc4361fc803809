"""The `zi` command line through click's runner, on a temporary data directory with the fast hashing embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZI_EMBEDDING_BACKEND", "hashing")
    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    return CliRunner()
