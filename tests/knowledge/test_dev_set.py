"""The development set (../shared/eval/dev-qa.yaml) over the regulation and the seed article: a regression floor.

The issue's targets (hybrid R@3 >= 0.90, MRR >= 0.80; docs/benchmarks.md) are the floor: a change that loses them
fails here. The hybrid must stay ahead of each side alone, measured in the same run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.evaluation import evaluate, load_qa

pytestmark = pytest.mark.slow


def test_hybrid_retrieval_holds_its_measured_level_and_beats_each_side(real_kb, shared_dir: Path) -> None:
    items = load_qa(shared_dir / "eval" / "dev-qa.yaml")
    assert len(items) == 150
    report = evaluate(real_kb.retriever, items)
    hybrid, bm25, dense = (report.modes[m].as_dict() for m in ("hybrid", "bm25", "dense"))
    # Measured 0.900 / 0.832 with abstentions counted as misses: one question lost (134 of 150) fails.
    assert hybrid["recall@3"] >= 0.895, hybrid
    assert hybrid["mrr"] >= 0.80, hybrid
    assert hybrid["abstain_rate"] <= 0.05
    assert hybrid["answer_holds"] >= 0.70, hybrid  # measured 0.713
    for side in (bm25, dense):
        assert hybrid["recall@3"] > side["recall@3"]
        assert hybrid["mrr"] > side["mrr"]


def test_held_out_regulation_questions_are_found(real_kb) -> None:
    # Pages the development set leaves out, asked after the passage assembly was chosen (measured 1.000 / 0.947).
    items = load_qa(Path(__file__).resolve().parents[2] / "tests" / "data" / "regulation-heldout-qa.yaml")
    assert len(items) == 22
    hybrid = evaluate(real_kb.retriever, items, modes=("hybrid",)).modes["hybrid"].as_dict()
    assert hybrid["recall@3"] >= 0.95, hybrid
    assert hybrid["mrr"] >= 0.9, hybrid
