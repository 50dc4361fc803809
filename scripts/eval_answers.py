"""Answer quality on a QA file: how often the composed answer (not only a retrieved passage) holds a keyphrase.

Usage: python scripts/eval_answers.py --index DIR --qa ../shared/eval/dev-qa.yaml [--lost]

Prints, of the questions answered (not abstained): how many top chunks hold one of the question's keyphrases, how
many answers keep it, and how many answers cite the page the QA file names; `--lost` lists the questions whose top
chunk holds the keyphrase but whose answer left it out (what sentence selection loses).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from knowledge.answer import Answerer
from knowledge.evaluation import load_qa
from knowledge.text import casefold_ws
from zi_app.config import Settings
from zi_app.wiring import served_knowledge_base

logger = logging.getLogger(__name__)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--qa", type=Path, required=True)
    parser.add_argument("--lost", action="store_true")
    args = parser.parse_args()
    kb = served_knowledge_base(Settings(), args.index)
    answerer = Answerer(kb.retriever)
    items = load_qa(args.qa)
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


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
