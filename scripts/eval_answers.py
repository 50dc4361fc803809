"""Answer quality on a QA file: how often the composed answer (not only a retrieved passage) holds a keyphrase.

Usage: python scripts/eval_answers.py --index DIR --qa ../shared/eval/dev-qa.yaml [--lost] [--alternatives]

Prints, of the questions answered (not abstained): how many top chunks hold one of the question's keyphrases, how
many answers keep it, and how many answers cite the page the QA file names; `--lost` lists the questions whose top
chunk holds the keyphrase but whose answer left it out (what sentence selection loses). `--alternatives` measures
the "Atau mungkin yang Anda maksud" margin: how often the first passage holds the fact by the gap between the two
best passages (from different places), and per margin the answers holding the fact, the share of answers carrying
an alternative and the words shown.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from knowledge.answer import Answerer
from knowledge.evaluation import QAItem, found_rank, holds_fact, load_qa
from knowledge.index import Hit
from knowledge.retriever import Retriever
from knowledge.text import casefold_ws
from zi_app.config import Settings
from zi_app.wiring import served_knowledge_base

logger = logging.getLogger(__name__)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qa", type=Path, required=True)
    parser.add_argument("--lost", action="store_true")
    parser.add_argument("--alternatives", action="store_true")
    args = parser.parse_args()
    kb = served_knowledge_base(Settings(), args.index)
    answerer = Answerer(kb.retriever)
    items = load_qa(args.qa)
    if args.alternatives:
        alternatives(kb.retriever, items)
        return
    answered = in_chunk = kept = with_page = right_page = 0
    for item in items:
        answer = answerer.ask(item.question)
        if answer.abstained:
            continue
        answered += 1
        phrases = [casefold_ws(k) for k in item.keyphrases]
        top = kb.retriever.search(item.question, k=1)[0].chunk
        holds = top.source == item.source and any(p in casefold_ws(top.text) for p in phrases)
        keeps = any(p in casefold_ws(" ".join(answer.sentences)) for p in phrases)
        in_chunk += holds
        kept += holds and keeps
        if item.page is not None:
            with_page += 1
            right_page += any(c.source == item.source and c.page == item.page for c in answer.citations)
        if args.lost and holds and not keeps:
            print(f"  lost {item.qid}: {item.question}  [{item.keyphrases[0]}]")
    print(f"questions {len(items)}, answered {answered}")
    print(f"top chunk holds a keyphrase {in_chunk}, the answer keeps it {kept} ({kept / max(in_chunk, 1):.3f})")
    print(f"answer cites the expected page {right_page} of {with_page}")


GAP_BINS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 1.01)
MARGINS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25)


def alternatives(retriever: Retriever, items: Sequence[QAItem]) -> None:
    held_sources = {c.source for c in retriever.served.index.chunks}
    items = [item for item in items if item.source in held_sources]  # as `zi kb eval` does
    results = [retriever.lookup(item.question) for item in items]

    def holds(item: QAItem, hit: Hit) -> bool:
        return found_rank(item, [hit]) == 1

    pairs = [
        ((r.hits[0].score - r.hits[1].score) / r.hits[0].score, holds(item, r.hits[0]), holds(item, r.hits[1]))
        for item, r in zip(items, results, strict=True)
        if len(r.hits) > 1 and r.hits[0].score > 0 and r.hits[0].chunk.section != r.hits[1].chunk.section
    ]
    print("gap between the two best passages (different places): n, first holds the fact, only the second does")
    for lo, hi in zip(GAP_BINS, GAP_BINS[1:], strict=False):
        rows = [p for p in pairs if lo <= p[0] < hi]
        if rows:
            first = sum(p[1] for p in rows) / len(rows)
            second = sum(p[2] and not p[1] for p in rows) / len(rows)
            print(f"  {lo:.2f}-{min(hi, 1.0):.2f}  {len(rows):4d}  {first:.2f}  {second:.2f}")
    print("margin: answers holding the fact, share carrying an alternative, mean words shown (answered questions)")
    for margin in MARGINS:
        answerer = Answerer(retriever, alternative_margin=margin)
        answers = [answerer.compose(r) for r in results]
        held = sum(holds_fact(item, a) for item, a in zip(items, answers, strict=True))
        answered = [a for a in answers if not a.abstained] or answers
        share = sum(bool(a.alternative) for a in answered) / len(answered)
        words = sum(len(a.shown_text.split()) for a in answered) / len(answered)
        print(f"  {margin:.2f}  {held:4d} of {len(items)}  {share:.2f}  {words:.0f}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
