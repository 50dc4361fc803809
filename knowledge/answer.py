"""Answer composition: best sentences from the top passages, cited; abstain when the evidence is weak."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .chunking import Chunk, split_sentences
from .index import Hit
from .loaders import is_byline
from .rerank import defined_term
from .retriever import Retriever, SearchResult


@dataclass(frozen=True)
class AbstainPolicy:
    """Answer when the top passage is semantically close OR shares enough of the question's terms.

    Calibrated on ../shared/eval/dev-qa.yaml, the bundled material's questions, out-of-domain questions and
    near-domain ones (civil-service topics the material does not cover) by `scripts/calibrate_abstain.py`.
    """

    min_dense: float = 0.84
    min_coverage: float = 0.3
    floor_dense: float = 0.78
    # (Almost) no question word occurs in the passage, weighted by IDF: only a very close passage may answer. "Kapan
    # libur lebaran tahun depan?" shares only "tahun" (coverage 0.09) with an FAQ entry it is semantically near.
    no_overlap_dense: float = 0.86
    little_coverage: float = 0.1

    def abstains(self, top: Hit | None) -> bool:
        if top is None:
            return True
        if top.defines >= 1.0:  # it defines exactly what a definition question asks about
            return top.dense < self.floor_dense
        if top.dense < self.floor_dense or (top.coverage < self.little_coverage and top.dense < self.no_overlap_dense):
            return True
        return top.dense < self.min_dense and top.coverage < self.min_coverage


@dataclass(frozen=True)
class Passage:
    """A passage as shown: the page it starts on and, when it runs on, the page it ends on; the heading of the chunk
    that was found (a passage joined from neighbouring chunks may run under the next heading too)."""

    rank: int
    score: float
    text: str
    source: str
    page: int | None
    section: str
    last_page: int | None = None
    # The chunks it was made of: the one that was found first, then the others in document order.
    chunk_ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, rank: int, hit: Hit) -> Passage:
        """The hit's text from its first page to its last, under the heading of the chunk that was found."""
        first, last = hit.chunks[0], hit.chunks[-1]
        ids = (hit.chunk.chunk_id, *(c.chunk_id for c in hit.chunks if c.chunk_id != hit.chunk.chunk_id))
        return cls(rank, hit.score, hit.text, first.source, first.page, hit.chunk.section, last.page, ids)

    @property
    def pages(self) -> str:
        """The pages as shown: "12", or "12–13" for a passage running on; empty for a document without pages."""
        if self.page is None:
            return ""
        return f"{self.page}–{self.last_page}" if self.last_page and self.last_page != self.page else str(self.page)

    @property
    def heading(self) -> str:
        return short_heading(self.section)

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "text": self.text,
            "source": self.source,
            "page": self.page,
            "section": self.section,
        }


@dataclass(frozen=True)
class Citation:
    """Where the answer's sentences come from: a document, its page (PDF), the passage's own heading."""

    source: str
    page: int | None
    section: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "page": self.page, "section": self.section}


@dataclass(frozen=True)
class Answer:
    """A structured answer: the front ends render it (zi_app/templates/answer.html.j2); knowledge writes no text
    for users."""

    question: str
    abstained: bool
    passages: tuple[Passage, ...]
    sentences: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    # Set when it abstains because the question cites a regulation the material never mentions.
    missing_citation: str | None = None
    # The passages the answer's sentences were taken from (two when a list goes on in the next passage).
    citations: tuple[Citation, ...] = ()
    # The index version the answer was composed from.
    version: str = ""
    # "Atau mungkin yang Anda maksud": a short answer from the second passage when the two best are close and come
    # from different places; empty otherwise.
    alternative: tuple[str, ...] = ()
    alternative_citations: tuple[Citation, ...] = ()

    @property
    def shown_text(self) -> str:
        """The answer's own words as shown (its sentences and the alternative's), without the citation lines; empty
        when it abstains."""
        return " ".join((*self.sentences, *self.alternative))

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "abstained": self.abstained,
            "sentences": list(self.sentences),
            "citations": [c.to_json() for c in self.citations],
            "alternative": list(self.alternative),
            "alternative_citations": [c.to_json() for c in self.alternative_citations],
            "suggestions": list(self.suggestions),
            "missing_citation": self.missing_citation,
            "passages": [p.to_json() for p in self.passages],
            "version": self.version,
        }


def _citations(used: Sequence[Chunk]) -> tuple[Citation, ...]:
    """Where sentences come from; two chunks of one page under one heading are one citation."""
    return tuple(dict.fromkeys(Citation(c.source, c.page, short_heading(c.section)) for c in used))


def short_heading(section: str, limit: int = 80) -> str:
    """A passage's own (last) heading for display, cut at a word boundary with "…" when longer than `limit`."""
    last = re.sub(r"\s+", " ", section.split(" > ")[-1]).strip() if section else ""
    if len(last) <= limit:
        return last
    cut = last[: limit - 1].rsplit(" ", 1)[0] if " " in last[: limit - 1] else last[: limit - 1]
    return cut.rstrip(" ,;:-–") + "…"


# Headings that name a place in a document, not a topic one could ask about: "LAMPIRAN III", "BAB II", "Pasal 1".
_BARE_HEADING_RE = re.compile(r"^(?:LAMPIRAN|BAB)(?:\s+[IVXLC]+)?$|^Pasal\s+\d+\w?$", re.IGNORECASE)


def suggestions(hits: Sequence[Hit], limit: int = 3) -> tuple[str, ...]:
    """The closest topics to offer when abstaining: the hits' own headings, without bare document places."""
    topics = (short_heading(h.chunk.section) for h in hits)
    return tuple(dict.fromkeys(t for t in topics if t and not _BARE_HEADING_RE.match(t)))[:limit]


def abstention(retriever: Retriever, policy: AbstainPolicy, result: SearchResult) -> tuple[bool, str | None]:
    """Whether to abstain on a searched question, and the cited regulation the material lacks, if that is why."""
    missing = retriever.missing_citation(result.question, result.served)
    return missing is not None or policy.abstains(result.hits[0] if result.hits else None), missing


class Answerer:
    """Composes cited answers from a search's passages.

    `alternative_margin`: when the second passage scores within this share of the first and comes from another
    place, a short answer from it (`alternative_words`) follows as "Atau mungkin yang Anda maksud". Chosen on the
    development sets, where the first passage holds the fact for only 0.63 of the questions whose two best passages
    are within 15% of each other (0.98 above 25%): 0.10 is the knee of answers gained against answers carrying an
    alternative (bundled 103 -> 106 of 122 from 0.05, then one more per further 0.05; regulation 107 of 150
    throughout; 23% and 17% of answers carry one), see docs/benchmarks.md. 0 turns it off.
    """

    def __init__(
        self,
        retriever: Retriever,
        policy: AbstainPolicy | None = None,
        max_words: int = 90,
        alternative_margin: float = 0.10,
        alternative_words: int = 45,
    ) -> None:
        self.retriever = retriever
        self.policy = policy or AbstainPolicy()
        self.max_words = max_words
        self.alternative_margin = alternative_margin
        self.alternative_words = alternative_words

    def ask(self, question: str, top_k: int = 5) -> Answer:
        return self.compose(self.retriever.lookup(question, k=max(top_k, 3)), top_k)

    def compose(self, result: SearchResult, top_k: int = 5) -> Answer:
        """The answer to a searched question, from that search's hits and index version alone."""
        question, hits = result.question, result.hits
        passages = tuple(Passage.of(rank, h) for rank, h in enumerate(hits[:top_k], start=1))
        abstains, missing = abstention(self.retriever, self.policy, result)
        if abstains:
            topics = suggestions(hits)
            return Answer(question, True, passages, (), topics, missing, version=result.version)
        sentences, used = self._select(result, self.max_words)
        sentences, used = self._complete_list(sentences, used, result, self.max_words)
        sentences, used = self._second_definition(sentences, used, hits)
        alternative, alt_used = self._alternative(result, used)
        citations, alt_citations = _citations(used), _citations(alt_used)
        return Answer(
            question,
            False,
            passages,
            tuple(sentences),
            citations=citations,
            version=result.version,
            alternative=tuple(alternative),
            alternative_citations=alt_citations,
        )

    def _alternative(self, result: SearchResult, used: list[Chunk]) -> tuple[list[str], list[Chunk]]:
        """A short answer from the second passage when it scores close to the first and comes from another place
        (another heading); none when it would itself be abstained on or repeats what the answer used."""
        hits = result.hits
        if self.alternative_margin <= 0 or len(hits) < 2:
            return [], []
        first, second = hits[0], hits[1]
        if first.score <= 0 or (first.score - second.score) / first.score >= self.alternative_margin:
            return [], []
        if second.chunk.section == first.chunk.section or second.chunk in used or self.policy.abstains(second):
            return [], []
        rest = replace(result, hits=hits[1:])
        sentences, alt_used = self._select(rest, self.alternative_words)
        return self._complete_list(sentences, alt_used, rest, self.alternative_words)

    def _second_definition(
        self, sentences: list[str], used: list[Chunk], hits: Sequence[Hit]
    ) -> tuple[list[str], list[Chunk]]:
        """A question naming two defined terms ("Apa bedanya WBK dan WBBM?") is answered with both definitions (not
        with two passages defining the same term)."""
        if len(hits) < 2 or hits[0].defines < 1.0 or hits[1].defines < 1.0 or hits[1].chunk in used:
            return sentences, used
        second = hits[1].chunk
        if defined_term(second.text) == defined_term(hits[0].chunk.text) or len(second.text.split()) > self.max_words:
            return sentences, used
        return [*sentences, *(split_sentences(second.text) or [second.text])], [*used, second]

    def _complete_list(
        self, sentences: list[str], used: list[Chunk], result: SearchResult, max_words: int
    ) -> tuple[list[str], list[Chunk]]:
        """An answer ending in "... sebagai berikut:" goes on with the list it announces: the sentences after it
        (in the next passage of the document when the list starts there), the first one whatever its length (a
        table read as one sentence), more while they fit in half the answer's length again."""
        if not sentences or not sentences[-1].rstrip().endswith(":"):
            return sentences, used
        chunk = used[-1]
        own = split_sentences(chunk.text) or [chunk.text]
        after = own[own.index(sentences[-1]) + 1 :] if sentences[-1] in own else []
        source = chunk
        if not after:
            nxt = result.served.index.following(chunk)
            if nxt is None:
                return sentences, used
            seen = set(own)
            after = [s for s in split_sentences(nxt.text) if s not in seen]
            source = nxt
        budget = max_words // 2
        added: list[str] = []
        for sentence in after:
            words = len(sentence.split())
            if added and words > budget:
                break
            added.append(sentence)
            budget -= words
        if not added:
            return sentences, used
        return sentences + added, used if source is chunk else [*used, source]

    def _select(self, result: SearchResult, max_words: int) -> tuple[list[str], list[Chunk]]:
        """A contiguous window of sentences of at most `max_words` words from the top passage: the one holding the
        sentence that shares most with the question (each shared term weighed by its rarity), and of those the one
        sharing most in all; an article's byline is left out unless the question asks about it (who wrote it).

        The best sentence comes from the chunk that was found; the window may read on into a neighbouring chunk
        joined to it under the same heading (a neighbour under the next FAQ question answers that question, not
        this one). Summing over the window, not growing it from the best sentence, keeps "Desk evaluasi dilakukan
        melalui pendalaman dan pengujian LKE ..." between two sentences naming desk evaluasi and TPN. Against the
        window grown from the best sentence: development answers 105 -> 107 of 150, held-out 118 -> 119 of 140
        (`scripts/ablation.py`, docs/benchmarks.md).
        """
        analyzer = self.retriever.analyzer
        qterms = result.query_terms
        hit = result.hits[0]
        found = hit.chunk
        sentences: list[str] = []
        owners: list[Chunk] = []
        for chunk in hit.chunks:
            if chunk.section != found.section:
                continue
            for sentence in split_sentences(chunk.text) or [chunk.text]:
                if sentence not in sentences:  # the overlap of neighbouring chunks, once
                    sentences.append(sentence)
                    owners.append(chunk)
        kept = [i for i, s in enumerate(sentences) if not is_byline(s) or qterms & set(analyzer.terms(s))]
        if kept:
            sentences, owners = [sentences[i] for i in kept], [owners[i] for i in kept]
        lengths = [len(s.split()) for s in sentences]
        if all(o is found for o in owners) and sum(lengths) <= max_words:
            return sentences, [found]
        # Each shared term weighs by its rarity: "penulis" and "editor" point at the byline more than "ZI" and
        # "KLHK", which every sentence of the article shares.
        bm25 = result.served.index.bm25
        overlap = [sum(bm25.idf(t) for t in qterms & set(analyzer.terms(s))) for s in sentences]
        # The found chunk's best sentences (all of the passage's when a byline was all it had).
        own = [i for i, o in enumerate(owners) if o is found] or list(range(len(sentences)))
        peak = max(overlap[i] for i in own)
        peaks = {i for i in own if overlap[i] == peak}
        best: tuple[float, int, int] | None = None
        for lo in range(len(sentences)):
            words, total, holds_peak = 0, 0.0, False
            for hi in range(lo, len(sentences)):
                words += lengths[hi]
                if words > max_words and hi > lo:
                    break
                total += overlap[hi]
                holds_peak = holds_peak or hi in peaks
                if holds_peak and (best is None or total > best[0]):
                    best = (total, lo, hi)
        assert best is not None  # a window of one peak sentence alone always qualifies
        _, lo, hi = best
        return sentences[lo : hi + 1], list(dict.fromkeys(owners[lo : hi + 1]))
