"""Evaluation on a QA file: Recall@1/3/5, MRR, abstain rate and whether the answer holds the fact, per mode and style.

In the hybrid mode (what users get) an abstention is a miss for recall as for the answer: the user was shown nothing.
"answer holds the fact" is the share of questions whose composed answer text (what the bot shows, citations aside)
contains one of the question's keyphrases. Questions on documents the index does not hold are skipped and counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .answer import AbstainPolicy, Answer, Answerer
from .index import Hit, Mode
from .retriever import Retriever
from .text import casefold_ws

# Document keys used by ../shared/eval/dev-qa.yaml.
DEFAULT_DOC_KEYS = {"D1": "permenpanrb-90-2021.pdf", "D2": "klhk-sosialisasi-zi-2023.txt"}


@dataclass(frozen=True)
class QAItem:
    qid: str
    question: str
    source: str
    keyphrases: tuple[str, ...]
    style: str
    page: int | None


def load_qa(path: Path, doc_keys: Mapping[str, str] | None = None) -> list[QAItem]:
    keys = {**DEFAULT_DOC_KEYS, **(doc_keys or {})}
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise ValueError(f"{path}: expected a list of questions")
    return [
        QAItem(
            str(r["id"]),
            str(r["question"]),
            keys.get(str(r["doc"]), str(r["doc"])),
            tuple(str(k) for k in r["keyphrases"]),
            str(r.get("style", "natural")),
            r.get("page"),
        )
        for r in rows
    ]


def found_rank(item: QAItem, hits: Sequence[Hit]) -> int | None:
    """1-based rank of the first passage from the item's document holding one of its keyphrases."""
    phrases = [casefold_ws(k) for k in item.keyphrases]
    for rank, hit in enumerate(hits, start=1):
        if hit.chunk.source != item.source:
            continue
        text = casefold_ws(hit.text)
        if any(p in text for p in phrases):
            return rank
    return None


def holds_fact(item: QAItem, answer: Answer) -> bool:
    """Whether the answer as shown (its sentences, citations aside) contains one of the item's keyphrases."""
    if answer.abstained:
        return False
    text = casefold_ws(answer.shown_text)
    return any(casefold_ws(k) in text for k in item.keyphrases)


@dataclass
class Scores:
    n: int = 0
    r1: int = 0
    r3: int = 0
    r5: int = 0
    rr: float = 0.0
    abstained: int = 0
    held: int = 0

    def add(self, rank: int | None, abstained: bool, held: bool = False) -> None:
        self.n += 1
        self.abstained += int(abstained)
        self.held += int(held)
        if rank is not None:
            self.r1 += int(rank <= 1)
            self.r3 += int(rank <= 3)
            self.r5 += int(rank <= 5)
            self.rr += 1.0 / rank

    def as_dict(self) -> dict[str, float]:
        n = self.n or 1
        return {
            "n": self.n,
            "recall@1": self.r1 / n,
            "recall@3": self.r3 / n,
            "recall@5": self.r5 / n,
            "mrr": self.rr / n,
            "abstain_rate": self.abstained / n,
            "answer_holds": self.held / n,
        }


@dataclass
class EvalReport:
    modes: dict[str, Scores] = field(default_factory=dict)
    by_style: dict[str, dict[str, Scores]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    # Questions on documents the index does not hold (another set's material).
    skipped: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "modes": {m: s.as_dict() for m, s in self.modes.items()},
            "by_style": {m: {st: s.as_dict() for st, s in d.items()} for m, d in self.by_style.items()},
            "misses": self.misses,
            "skipped": self.skipped,
        }


GAP_MEASURES = ("recall@3", "mrr", "answer_holds")


def generalization_gap(dev: EvalReport, heldout: EvalReport, mode: str = "hybrid") -> dict[str, float]:
    """Development minus held-out, per measure: how much of the development figure is fitted to that set."""
    d, h = dev.modes[mode].as_dict(), heldout.modes[mode].as_dict()
    return {m: d[m] - h[m] for m in GAP_MEASURES}


def evaluate(
    retriever: Retriever,
    items: Sequence[QAItem],
    policy: AbstainPolicy | None = None,
    modes: Sequence[Mode] = ("hybrid", "bm25", "dense"),
    depth: int = 5,
    answerer: Answerer | None = None,
) -> EvalReport:
    answerer = answerer or Answerer(retriever, policy)
    report = EvalReport()
    held_sources = {c.source for c in retriever.served.index.chunks}
    kept = [item for item in items if item.source in held_sources]
    report.skipped = len(items) - len(kept)
    for mode in modes:
        total = Scores()
        styles: dict[str, Scores] = defaultdict(Scores)
        for item in kept:
            result = retriever.lookup(item.question, k=depth, mode=mode)
            rank = found_rank(item, result.hits)
            abstained = held = False
            if mode == "hybrid":
                answer = answerer.compose(result, top_k=depth)
                abstained, held = answer.abstained, holds_fact(item, answer)
                if abstained:
                    rank = None  # nothing was shown
            total.add(rank, abstained, held)
            styles[item.style].add(rank, abstained, held)
            if mode == "hybrid" and (rank is None or rank > 3):
                report.misses.append(
                    {
                        "id": item.qid,
                        "style": item.style,
                        "question": item.question,
                        "rank": rank,
                        "abstained": abstained,
                        "terms": list(result.terms),
                        "glossary": result.expansion,
                    }
                )
        report.modes[mode] = total
        report.by_style[mode] = dict(sorted(styles.items()))
    return report
