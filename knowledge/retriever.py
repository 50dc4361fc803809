"""The served retriever: one loaded index, swapped atomically by `reload()` while queries keep running."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from .chunking import ChunkerConfig
from .embedders.base import Embedder
from .errors import IndexNotBuiltError
from .glossary import Glossary
from .index import FusionConfig, Hit, HybridIndex, Mode
from .rerank import RerankConfig, definition_terms, rerank
from .text import Analyzer, citations
from .versions import Manifest, load_index

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Served:
    index: HybridIndex
    manifest: Manifest
    version: str


@dataclass(frozen=True)
class SearchResult:
    """One question searched against one served index version: what the answerer composes from, so an answer given
    during a reload never mixes two versions and the question is analysed once."""

    question: str
    terms: tuple[str, ...]
    expansion: dict[str, list[str]]
    hits: list[Hit]
    served: _Served

    @property
    def version(self) -> str:
        return self.served.version

    @property
    def query_terms(self) -> set[str]:
        """The question's terms with their glossary words."""
        return set(self.terms).union(*self.expansion.values())


class Retriever:
    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        analyzer: Analyzer,
        chunker: ChunkerConfig | None = None,
        fusion: FusionConfig | None = None,
        rerank: RerankConfig | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.embedder = embedder
        self.analyzer = analyzer
        self.chunker = chunker or ChunkerConfig()
        self.fusion = fusion or FusionConfig()
        self.rerank = rerank or RerankConfig()
        self.glossary = glossary or Glossary()
        self._served: _Served | None = None
        self._reload_lock = threading.Lock()

    def expected_manifest(self) -> Manifest:
        return Manifest.expected(self.embedder, self.chunker, self.analyzer)

    def load(self) -> str:
        """Load (or re-load) the served version; queries in flight finish on the index they started with."""
        with self._reload_lock:
            self.embedder.warm_up()
            index, manifest, version = load_index(self.index_dir, self.expected_manifest())
            self._served = _Served(index, manifest, version)  # a single reference swap
            logger.info("serving index %s (%d chunks)", version, len(index))
            return version

    reload = load

    @property
    def served(self) -> _Served:
        served = self._served
        if served is None:
            raise IndexNotBuiltError(f"index in {self.index_dir} is not loaded")
        return served

    @property
    def version(self) -> str | None:
        return self._served.version if self._served else None

    def expand(self, terms: list[str], served: _Served | None = None) -> dict[str, list[str]]:
        """Glossary words for the question's terms, abbreviations spelt out where the served index lacks them."""
        return self.glossary.expand(terms, (served or self.served).index.bm25.known)

    def missing_citation(self, question: str, served: _Served | None = None) -> str | None:
        """A regulation the question cites that no passage of the served material names (its number and year
        together), if any.

        Search leaves citations out of its terms, so without this "Apa isi UU 20/2001?" would be answered from
        whatever passage mentions "isi".
        """
        index = (served or self.served).index
        for cited in citations(question):
            numbers = [t for t in self.analyzer.terms(cited) if t[:1].isdigit()]
            if numbers and not index.bm25.together(numbers):
                return cited
        return None

    def search(self, question: str, k: int = 5, mode: Mode = "hybrid") -> list[Hit]:
        return self.lookup(question, k, mode).hits

    def lookup(self, question: str, k: int = 5, mode: Mode = "hybrid") -> SearchResult:
        """The best `k` passages for `question`, with the terms and served version they were found with."""
        served = self.served
        terms = self.analyzer.query_terms(question)
        expansion = self.expand(terms, served)
        vector = self.embedder.query([question])[0] if mode != "bm25" else None
        depth = max(k, self.rerank.depth)
        if mode != "hybrid":
            hits = served.index.search(vector, terms, k=depth, mode=mode, fusion=self.fusion, expansion=expansion)
            joined = served.index.join_adjacent(hits, self.rerank.join_adjacent)[:k]
            return SearchResult(question, tuple(terms), expansion, joined, served)
        defined = definition_terms(question, self.analyzer)
        # A definition is short and scores low on both sides: look at the whole candidate pool for it.
        if defined:
            depth = max(depth, 2 * self.fusion.candidates)
        hits = served.index.search(vector, terms, k=depth, mode=mode, fusion=self.fusion, expansion=expansion)
        long_forms = self.glossary.long_forms(defined)
        hits = rerank(terms, hits, self.analyzer, self.rerank, defined, long_forms, expansion)
        joined = served.index.join_adjacent(hits, self.rerank.join_adjacent)[:k]
        return SearchResult(question, tuple(terms), expansion, joined, served)
