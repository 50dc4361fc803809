"""Knowledge engine: ingest socialization material, index it (FAISS + BM25) and answer with citations."""

from __future__ import annotations

from .answer import AbstainPolicy, Answer, Answerer, Citation, Passage
from .builder import BuildReport, FileResult, IndexBuilder, collect_sources
from .chunking import Chunk, ChunkerConfig, chunk_document
from .embedders import Embedder, make_embedder
from .errors import EmbedderError, IndexNotBuiltError, IngestError, KnowledgeError, ManifestMismatchError
from .index import FusionConfig, Hit, HybridIndex
from .loaders import LoadedDocument, Segment, load_bytes, load_file
from .retriever import Retriever
from .text import Analyzer

__all__ = [
    "AbstainPolicy",
    "Analyzer",
    "Answer",
    "Answerer",
    "BuildReport",
    "Chunk",
    "ChunkerConfig",
    "Citation",
    "Embedder",
    "EmbedderError",
    "FileResult",
    "FusionConfig",
    "Hit",
    "HybridIndex",
    "IndexBuilder",
    "IndexNotBuiltError",
    "IngestError",
    "KnowledgeError",
    "LoadedDocument",
    "ManifestMismatchError",
    "Passage",
    "Retriever",
    "Segment",
    "chunk_document",
    "collect_sources",
    "load_bytes",
    "load_file",
    "make_embedder",
]
