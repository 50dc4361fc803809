"""Second backend: any sentence-transformers model by name or local path (no hub access is assumed)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EmbedderError
from .base import Vectors, l2_normalise


class SentenceTransformerEmbedder:
    """E5-family models get their `query: ` / `passage: ` prefixes; others embed the text as is."""

    def __init__(self, model: str, batch_size: int = 32, device: str = "cpu") -> None:
        self._model_ref = model
        self._batch = batch_size
        self._device = device
        self._model: Any = None
        self._dim: int | None = None
        self._lock = threading.Lock()
        self._e5 = "e5" in Path(model).name.lower()

    @property
    def name(self) -> str:
        return f"sentence-transformers:{Path(self._model_ref).name}"

    @property
    def dim(self) -> int:
        self.warm_up()
        assert self._dim is not None
        return self._dim

    def warm_up(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise EmbedderError("sentence-transformers is not installed: pip install 'zi-assistant[st]'") from exc
            try:
                self._model = SentenceTransformer(self._model_ref, device=self._device)
            except Exception as exc:
                raise EmbedderError(f"cannot load sentence-transformers model {self._model_ref!r}: {exc}") from exc
            probe = self._model.encode(["probe"], convert_to_numpy=True)
            self._dim = int(probe.shape[1])

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        items = [f"{prefix}{t}" if self._e5 else t for t in texts]
        out = self._model.encode(items, batch_size=self._batch, convert_to_numpy=True, show_progress_bar=False)
        return l2_normalise(np.asarray(out, dtype=np.float32))

    def query(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "query: ")

    def passage(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "passage: ")
