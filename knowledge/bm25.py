"""Okapi BM25 over pre-analysed terms, stored as flat posting arrays (numpy only, fast at 100k+ chunks)."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = n = len(documents)
        self._vocab: dict[str, int] = {}
        flat = array("q")  # term ids of every document, concatenated (no per-posting Python objects)
        lengths = np.zeros(n, dtype=np.int64)
        for doc_index, terms in enumerate(documents):
            flat.extend(self._vocab.setdefault(t, len(self._vocab)) for t in terms)
            lengths[doc_index] = len(terms)
        term_ids = np.frombuffer(flat, dtype=np.int64) if len(flat) else np.zeros(0, dtype=np.int64)
        doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        # one (term, doc) key per posting; unique() sorts by term then doc and counts term frequencies
        keys, tf = np.unique(term_ids * max(n, 1) + doc_of, return_counts=True)
        posting_terms = keys // max(n, 1)
        self._docs: IntArray = keys % max(n, 1)
        self._offsets = np.zeros(len(self._vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(posting_terms, minlength=len(self._vocab)), out=self._offsets[1:])
        avg = float(lengths.mean()) if n else 1.0
        tf_arr = tf.astype(np.float32)
        norm = k1 * (1 - b + b * lengths[self._docs].astype(np.float32) / max(avg, 1e-6))
        self._weights: FloatArray = (tf_arr * (k1 + 1) / (tf_arr + norm)).astype(np.float32)
        df = np.diff(self._offsets).astype(np.float32)
        self._idf: FloatArray = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)

    def scores(self, query_terms: Sequence[str], weights: Mapping[str, float] | None = None) -> FloatArray:
        """Dense array of BM25 scores, one per document; `weights` scales some terms' share (default 1)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term, qtf in Counter(query_terms).items():
            index = self._vocab.get(term)
            if index is None:
                continue
            lo, hi = self._offsets[index], self._offsets[index + 1]
            weight = qtf * (weights.get(term, 1.0) if weights else 1.0)
            out[self._docs[lo:hi]] += self._idf[index] * self._weights[lo:hi] * weight
        return out

    def top(self, query_terms: Sequence[str], k: int) -> tuple[IntArray, FloatArray]:
        return self.top_of(self.scores(query_terms), k)

    def top_of(self, scores: FloatArray, k: int) -> tuple[IntArray, FloatArray]:
        """The best `k` documents with a positive score, from scores already computed."""
        k = min(k, self.size)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        keep = scores[idx] > 0
        return idx[keep].astype(np.int64), scores[idx][keep]

    def known(self, term: str) -> bool:
        return term in self._vocab

    def together(self, terms: Sequence[str]) -> bool:
        """Whether one document holds every one of `terms`."""
        docs: IntArray | None = None
        for term in set(terms):
            index = self._vocab.get(term)
            if index is None:
                return False
            posting = self._docs[self._offsets[index] : self._offsets[index + 1]]
            docs = posting if docs is None else np.intersect1d(docs, posting, assume_unique=True)
            if not len(docs):
                return False
        return docs is not None

    def idf(self, term: str) -> float:
        """The term's inverse document frequency; a term no document holds gets the highest (df = 0)."""
        index = self._vocab.get(term)
        if index is None:
            return float(np.log1p((self.size + 0.5) / 0.5))
        return float(self._idf[index])
