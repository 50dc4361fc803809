"""Exceptions raised by the knowledge engine.

KnowledgeError
 ├── IngestError            a file could not be read (kind, size, encryption, no text layer, ...)
 ├── IndexNotBuiltError     no served index exists in the index directory
 ├── ManifestMismatchError  the served index was built with other settings than the running ones
 ├── CorruptIndexError      a version on disk is damaged (manifest, chunk file, vectors, counts that disagree)
 └── EmbedderError          the embedding backend could not be loaded or used
"""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class of every error raised by `knowledge`."""


class IngestError(KnowledgeError):
    """A source file could not be turned into text; `reason` is a short machine-readable code."""

    def __init__(self, source: str, reason: str, detail: str) -> None:
        super().__init__(f"{source}: {detail}")
        self.source = source
        self.reason = reason
        self.detail = detail


class IndexNotBuiltError(KnowledgeError):
    """The index directory holds no served version yet."""


class ManifestMismatchError(KnowledgeError):
    """The index on disk was built with settings that differ from the running configuration."""


class CorruptIndexError(KnowledgeError):
    """An index version on disk cannot be trusted: unreadable files or counts that disagree."""


class EmbedderError(KnowledgeError):
    """The embedding backend failed to load or to encode."""
