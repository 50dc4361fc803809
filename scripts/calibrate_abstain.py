"""Calibrate the abstain policy: top-hit dense score and term coverage, in-domain vs out-of-domain.

Usage: python scripts/calibrate_abstain.py --index DIR --qa ../shared/eval/dev-qa.yaml
Prints the grid of thresholds that abstain on >= 90% of out-of-domain questions and <= 10% of in-domain ones, with
the share of near-domain questions (civil-service topics the material does not cover: pay, leave, PPPK) that abstain.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np

from knowledge.answer import AbstainPolicy
from knowledge.evaluation import load_qa
from knowledge.index import Hit
from zi_app.config import Settings
from zi_app.wiring import served_knowledge_base

logger = logging.getLogger(__name__)
OOD = Path(__file__).resolve().parents[1] / "tests" / "data" / "ood-questions.txt"
NEAR = Path(__file__).resolve().parents[1] / "tests" / "data" / "near-domain-questions.txt"


def _questions(path: Path) -> list[str]:
    return [q.strip() for q in path.read_text(encoding="utf-8").splitlines() if q.strip()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qa", type=Path, required=True)
    args = parser.parse_args()
    kb = served_knowledge_base(Settings(), args.index)

    def top(question: str) -> Hit | None:
        hits = kb.retriever.search(question, k=1)
        return hits[0] if hits else None

    inside = [top(i.question) for i in load_qa(args.qa)]
    outside = [top(q) for q in _questions(OOD)]
    near = [top(q) for q in _questions(NEAR)]
    print(f"in-domain n={len(inside)}, out-of-domain n={len(outside)}, near-domain n={len(near)}")
    print("floor  min_dense  min_cov  abstain_in  abstain_ood  abstain_near")
    for floor in (0.78, 0.79, 0.80):
        for min_dense in (0.82, 0.83, 0.84, 0.85):
            for min_cov in (0.3, 0.4, 0.5):
                # The policy the application runs, with these thresholds (its other rules unchanged).
                policy = AbstainPolicy(min_dense=min_dense, min_coverage=min_cov, floor_dense=floor)
                a_in = float(np.mean([policy.abstains(hit) for hit in inside]))
                a_out = float(np.mean([policy.abstains(hit) for hit in outside]))
                a_near = float(np.mean([policy.abstains(hit) for hit in near]))
                if a_out >= 0.9 and a_in <= 0.1:
                    row = f"{floor:5.2f}  {min_dense:9.2f}  {min_cov:7.2f}  {a_in:10.3f}  {a_out:11.3f}"
                    print(f"{row}  {a_near:12.3f}")


if __name__ == "__main__":
    main()
