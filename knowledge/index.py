"""The hybrid index: FAISS dense search and BM25 over the same chunks, fused into one ranking."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from .bm25 import BM25
from .chunking import Chunk, join_chunks
from .dense import DenseIndex
from .embedders.base import Vectors

Mode = Literal["hybrid", "bm25", "dense"]
Fusion = Literal["weighted", "rrf"]


@dataclass(frozen=True)
class FusionConfig:
    """Weighted fusion of normalised scores (dense min-max, BM25 divided by its max) or reciprocal ranks."""

    method: Fusion = "weighted"
    dense_weight: float = 0.4
    candidates: int = 50
    rrf_k: int = 60


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    dense: float
    bm25: float
    coverage: float
    # For a definition question: how fully this passage defines what is asked (1.0: exactly that term).
    defines: float = 0.0
    # The consecutive chunks of one document this passage spans, in document order, when neighbouring chunks were
    # found for the same question (see `HybridIndex.join_adjacent`); empty for a passage of `chunk` alone. The scores
    # are `chunk`'s, the best-ranked of them.
    parts: tuple[Chunk, ...] = ()

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return self.parts or (self.chunk,)

    @property
    def text(self) -> str:
        return join_chunks(self.parts) if self.parts else self.chunk.text


def names(present: Collection[str], term: str, expansion: Mapping[str, Sequence[str]]) -> bool:
    """Whether `present` (a passage's or heading's terms) holds a question term, itself or a glossary word for it."""
    return term in present or any(a in present for a in expansion.get(term, ()))


class HybridIndex:
    def __init__(
        self,
        chunks: Sequence[Chunk],
        terms: Sequence[Sequence[str]],
        vectors: Vectors,
        dense: DenseIndex,
    ) -> None:
        self.chunks = list(chunks)
        self.terms: list[Sequence[str]] = list(terms)  # the rows themselves, not copies (100k chunks: ~15M terms)
        self.vectors = vectors
        self.dense = dense
        self.bm25 = BM25(self.terms)
        self._position = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    def __len__(self) -> int:
        return len(self.chunks)

    def chunk(self, chunk_id: str) -> Chunk | None:
        i = self._position.get(chunk_id)
        return self.chunks[i] if i is not None else None

    def in_order(self, chunks: Sequence[Chunk]) -> tuple[Chunk, ...]:
        """`chunks` of this index in document order."""
        return tuple(sorted(chunks, key=lambda c: self._position.get(c.chunk_id, -1)))

    def following(self, chunk: Chunk) -> Chunk | None:
        """The chunk after `chunk` in its document (a document's chunks are stored together, in order)."""
        i = self._position.get(chunk.chunk_id)
        if i is None or i + 1 >= len(self.chunks):
            return None
        nxt = self.chunks[i + 1]
        return nxt if nxt.doc_id == chunk.doc_id else None

    def join_adjacent(self, hits: Sequence[Hit], max_parts: int) -> list[Hit]:
        """Hits found next to each other in a document made one passage, ranked where the better of them was.

        Chunks overlap, so two neighbours found for one question show the same sentences twice and fill two of the
        few places a reader looks at; joined, the passage reads on and the places below it go to other passages. A
        passage defining what a definition question asks (`Hit.defines`) stands alone.
        """
        groups: list[tuple[Hit, list[int]]] = []
        for hit in hits:
            i = self._position.get(hit.chunk.chunk_id)
            if i is not None and hit.defines <= 0:
                group = next((g for g in groups if self._joins(g, i, max_parts)), None)
                if group is not None:
                    group[1].append(i)
                    continue
            groups.append((hit, [i] if i is not None else []))
        return [
            replace(hit, parts=tuple(self.chunks[j] for j in sorted(positions))) if len(positions) > 1 else hit
            for hit, positions in groups
        ]

    def _joins(self, group: tuple[Hit, list[int]], i: int, max_parts: int) -> bool:
        first, positions = group
        if first.defines > 0 or not positions or len(positions) >= max_parts:
            return False
        doc = self.chunks[i].doc_id
        return any(abs(i - j) == 1 and self.chunks[j].doc_id == doc for j in positions)

    def search(
        self,
        query_vector: Vectors | None,
        query_terms: Sequence[str],
        k: int = 5,
        mode: Mode = "hybrid",
        fusion: FusionConfig | None = None,
        expansion: Mapping[str, Sequence[str]] | None = None,
    ) -> list[Hit]:
        """Best `k` chunks. `expansion` maps a question term to other words for it (from a glossary): they are
        searched by BM25 too, and a passage holding one of them covers that question term."""
        expansion = expansion or {}
        extra = list(dict.fromkeys(t for alternatives in expansion.values() for t in alternatives))
        fusion = fusion or FusionConfig()
        n = fusion.candidates
        dense_scores: dict[int, float] = {}
        bm25_scores: dict[int, float] = {}
        if mode in ("hybrid", "dense") and query_vector is not None:
            ids, scores = self.dense.search(query_vector, n)
            dense_scores = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
        all_bm25 = (
            self.bm25.scores([*query_terms, *extra], self._stand_in_weights(query_terms, expansion))
            if mode in ("hybrid", "bm25")
            else None
        )
        if all_bm25 is not None:
            ids, scores = self.bm25.top_of(all_bm25, n)
            bm25_scores = {int(i): float(s) for i, s in zip(ids, scores, strict=True)}
        pool = set(dense_scores) | set(bm25_scores)
        if not pool:
            return []
        if mode == "hybrid" and query_vector is not None:
            # Score every candidate on both sides so that fusion compares like with like.
            for i in pool - set(dense_scores):
                dense_scores[i] = float(self.vectors[i] @ query_vector.reshape(-1))
            if all_bm25 is not None:
                for i in pool - set(bm25_scores):
                    bm25_scores[i] = float(all_bm25[i])
        fused = self._fuse(pool, dense_scores, bm25_scores, mode, fusion)
        order = sorted(pool, key=lambda i: (-fused[i], i))[:k]
        # Coverage weighs each question term by its rarity: a passage sharing "cara" and "baik" with a question
        # about wifi covers little of it, one sharing "gratifikasi" covers much.
        weights = {t: self.bm25.idf(t) for t in set(query_terms)}
        total = sum(weights.values())
        hits = []
        for i in order:
            present = set(self.terms[i])
            covered = sum(w for t, w in weights.items() if names(present, t, expansion))
            coverage = covered / total if total else 0.0
            hits.append(Hit(self.chunks[i], fused[i], dense_scores.get(i, 0.0), bm25_scores.get(i, 0.0), coverage))
        return hits

    def _stand_in_weights(self, query_terms: Sequence[str], expansion: Mapping[str, Sequence[str]]) -> dict[str, float]:
        """A glossary word stands in for a question word: it may weigh as much as that word, not more. Otherwise
        "kriteria" (rare in the material) added for "syarat" (common) outweighs "syarat" itself, and a passage with
        the stand-in beats the one with the word that was asked."""
        weights: dict[str, float] = {}
        asked = set(query_terms)
        for term, alternatives in expansion.items():
            for alt in alternatives:
                if alt in asked:
                    continue
                share = min(1.0, self.bm25.idf(term) / (self.bm25.idf(alt) or 1.0))
                weights[alt] = max(weights.get(alt, 0.0), share)
        return weights

    @staticmethod
    def _fuse(
        pool: set[int], dense: dict[int, float], bm25: dict[int, float], mode: Mode, fusion: FusionConfig
    ) -> dict[int, float]:
        if mode == "dense":
            return {i: dense.get(i, 0.0) for i in pool}
        if mode == "bm25":
            return {i: bm25.get(i, 0.0) for i in pool}
        if fusion.method == "rrf":
            out = dict.fromkeys(pool, 0.0)
            for side in (dense, bm25):
                for rank, i in enumerate(sorted(side, key=lambda j: -side[j])):
                    out[i] += 1.0 / (fusion.rrf_k + rank + 1)
            return out
        d = np.array([dense.get(i, 0.0) for i in pool])
        b = np.array([bm25.get(i, 0.0) for i in pool])
        d_span = float(d.max() - d.min()) or 1.0
        d_norm = (d - d.min()) / d_span
        b_norm = b / (float(b.max()) or 1.0)
        w = fusion.dense_weight
        return {i: float(w * dn + (1 - w) * bn) for i, dn, bn in zip(pool, d_norm, b_norm, strict=True)}
