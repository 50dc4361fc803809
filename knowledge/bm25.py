"""Okapi BM25 over pre-analysed terms, stored as flat posting arrays (numpy only, fast at 100k+ chunks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for doc_index, terms in enumerate(documents):
            for term, tf in Counter(terms).items():
                postings.setdefault(term, []).append((doc_index, tf))
        self._vocab: dict[str, int] = {}
        offsets = [0]
        doc_ids: list[int] = []
        tfs: list[int] = []
        for term_index, (term, plist) in enumerate(postings.items()):
            self._vocab[term] = term_index
            doc_ids.extend(d for d, _ in plist)
            tfs.extend(t for _, t in plist)
            offsets.append(len(doc_ids))
        self._offsets = np.array(offsets, dtype=np.int64)
        self._docs: IntArray = np.array(doc_ids, dtype=np.int64)
        tf_arr = np.array(tfs, dtype=np.float32)
        norm = k1 * (1 - b + b * lengths[self._docs] / max(avg, 1e-6)) if len(tf_arr) else tf_arr
        self._weights: FloatArray = (tf_arr * (k1 + 1) / (tf_arr + norm)).astype(np.float32)
        df = np.diff(self._offsets).astype(np.float32)
        self._idf: FloatArray = np.log1p((self.size - df + 0.5) / (df + 0.5)).astype(np.float32)

    def scores(self, query_terms: Sequence[str]) -> FloatArray:
        """Dense array of BM25 scores, one per document."""
        out = np.zeros(self.size, dtype=np.float32)
        for term, qtf in Counter(query_terms).items():
            index = self._vocab.get(term)
            if index is None:
                continue
            lo, hi = self._offsets[index], self._offsets[index + 1]
            out[self._docs[lo:hi]] += self._idf[index] * self._weights[lo:hi] * qtf
        return out

    def top(self, query_terms: Sequence[str], k: int) -> tuple[IntArray, FloatArray]:
        scores = self.scores(query_terms)
        k = min(k, self.size)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        keep = scores[idx] > 0
        return idx[keep].astype(np.int64), scores[idx][keep]

    def known(self, term: str) -> bool:
        return term in self._vocab
