"""A deterministic, model-free embedder for fast unit tests: hashed word and character-trigram features."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from .base import Vectors, l2_normalise


class HashingEmbedder:
    """Similar texts get similar vectors; no semantics beyond shared words. Never used in production."""

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim
        self.calls = 0
        self.texts_embedded = 0

    @property
    def name(self) -> str:
        return f"hashing:{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def warm_up(self) -> None:
        return None

    def _vector(self, text: str) -> Vectors:
        vec = np.zeros(self._dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            feats = [word] + [word[i : i + 3] for i in range(max(len(word) - 2, 0))]
            for feat in feats:
                h = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "little")
                vec[h % self._dim] += 1.0 if feat == word else 0.3
        return vec

    def _encode(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        self.texts_embedded += len(texts)
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return l2_normalise(np.vstack([self._vector(t) for t in texts]))

    def query(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def passage(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)
