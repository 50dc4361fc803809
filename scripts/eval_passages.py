"""How much of the joined-passage gain is only length: passages as built against two baselines, in one run.

Usage: python scripts/eval_passages.py --index DIR --qa ../shared/eval/dev-qa.yaml

- "chunks": every chunk a passage of its own (`RerankConfig.join_adjacent = 1`);
- "joined": neighbouring chunks found for the same question made one passage (the default);
- "each + next": every chunk of the "chunks" ranking shown with the chunk after it under the same heading, whether
  that one was found or not: as much text as "joined" or more, with none of its choice.

Prints R@1/3/5, MRR and the mean number of words in the top 3 passages for each.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from knowledge.evaluation import QAItem, Scores, found_rank, load_qa
from knowledge.index import Hit
from knowledge.retriever import Retriever
from zi_app.config import Settings
from zi_app.wiring import served_knowledge_base

logger = logging.getLogger(__name__)


def _with_next(retriever: Retriever, hits: Sequence[Hit]) -> list[Hit]:
    index = retriever.served.index
    out = []
    for hit in hits:
        nxt = index.following(hit.chunk)
        same = nxt is not None and nxt.section == hit.chunk.section
        out.append(dataclasses.replace(hit, parts=(hit.chunk, nxt)) if same and nxt is not None else hit)
    return out


def _measure(
    retriever: Retriever, items: Sequence[QAItem], join: int, shown: Callable[[Sequence[Hit]], list[Hit]]
) -> tuple[Scores, float]:
    retriever.rerank = dataclasses.replace(retriever.rerank, join_adjacent=join)
    scores, words = Scores(), 0
    for item in items:
        hits = shown(retriever.search(item.question, k=5))
        scores.add(found_rank(item, hits), False)
        words += sum(len(h.text.split()) for h in hits[:3])
    return scores, words / max(len(items), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qa", type=Path, required=True)
    args = parser.parse_args()
    retriever = served_knowledge_base(Settings(), args.index).retriever
    joined = retriever.rerank.join_adjacent
    items = load_qa(args.qa)
    runs = {
        "chunks": (1, list),
        "joined": (joined, list),
        "each + next": (1, lambda hits: _with_next(retriever, hits)),
    }
    logger.info("%d questions", len(items))
    print(f"{'passages':12} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6} {'words in top 3':>15}")
    for name, (join, shown) in runs.items():
        scores, words = _measure(retriever, items, join, shown)
        d = scores.as_dict()
        print(f"{name:12} {d['recall@1']:6.3f} {d['recall@3']:6.3f} {d['recall@5']:6.3f} {d['mrr']:6.3f} {words:15.0f}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
