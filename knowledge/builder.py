"""Incremental, atomic index builds: only new or changed documents are embedded again."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .chunking import Chunk, ChunkerConfig, chunk_document
from .dense import DEFAULT_HNSW_THRESHOLD, DenseIndex
from .embedders.base import Embedder, Vectors
from .errors import CorruptIndexError, IngestError, ManifestMismatchError
from .loaders import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, load_bytes
from .text import Analyzer, unshouted
from .versions import (
    Manifest,
    current_version,
    latest_valid_version,
    read_version,
    set_aside,
    switch_to,
    write_version,
)

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FileResult:
    doc_id: str
    source: str
    status: str  # indexed | unchanged | skipped | kept_previous | removed
    chunks: int = 0
    reason: str = ""
    detail: str = ""


@dataclass
class BuildReport:
    index_dir: Path
    version: str | None
    files: list[FileResult] = field(default_factory=list)
    embedded_chunks: int = 0
    total_chunks: int = 0
    changed: bool = False

    def by_status(self, status: str) -> list[FileResult]:
        return [f for f in self.files if f.status == status]


def collect_sources(paths: Iterable[Path]) -> list[tuple[str, Path]]:
    """(doc_id, path) for every file under the given files/directories; doc_id is stable across runs."""
    found: dict[str, Path] = {}
    for root in paths:
        root = Path(root)
        if root.is_file():
            found[root.name] = root
            continue
        if not root.is_dir():
            raise IngestError(str(root), "missing", f"sumber tidak ditemukan: {root}")
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found[path.relative_to(root).as_posix()] = path
    return sorted(found.items())


@dataclass
class _DocEntry:
    source: str
    sha256: str
    kind: str
    chunks: list[Chunk]
    terms: list[list[str]]
    vectors: Vectors


class IndexBuilder:
    """Builds versions of one index directory with one embedder, analyzer and chunker configuration."""

    def __init__(
        self,
        embedder: Embedder,
        analyzer: Analyzer,
        chunker: ChunkerConfig | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
    ) -> None:
        self.embedder = embedder
        self.analyzer = analyzer
        self.chunker = chunker or ChunkerConfig()
        self.max_bytes = max_bytes
        self.hnsw_threshold = hnsw_threshold

    def expected_manifest(self) -> Manifest:
        return Manifest.expected(self.embedder, self.chunker, self.analyzer)

    def _previous(self, index_dir: Path) -> tuple[dict[str, _DocEntry], bool]:
        """Entries of the served version that can be reused, and whether their BM25 terms were re-analysed.

        Only an analyzer change keeps the vectors (the terms are computed again, without re-embedding);
        any other settings change means a full rebuild.
        """
        version = current_version(index_dir)
        try:
            stored = read_version(version) if version is not None else None
        except CorruptIndexError as exc:
            assert version is not None
            logger.warning("%s; set aside in %s", exc, set_aside(index_dir, version))
            stored = None
        if stored is None:
            # Reuse the newest older version that reads back whole, if any: only changed documents are embedded.
            older = latest_valid_version(index_dir)
            if older is None:
                return {}, False
            stored = read_version(older)
        expected = self.expected_manifest()
        reanalyse = stored.manifest.analyzer != expected.analyzer
        try:
            stored.manifest.check_compatible(replace(expected, analyzer=stored.manifest.analyzer), index_dir)
        except ManifestMismatchError as exc:
            logger.warning("full rebuild: %s", exc)
            return {}, False
        if reanalyse:
            logger.info(
                "analyzer changed (%s -> %s): BM25 terms are computed again",
                stored.manifest.analyzer,
                expected.analyzer,
            )
        entries: dict[str, _DocEntry] = {}
        for doc_id, meta in stored.manifest.documents.items():
            rows = [i for i, c in enumerate(stored.chunks) if c.doc_id == doc_id]
            chunks = [stored.chunks[i] for i in rows]
            terms = (
                self.analyzer.terms_many(c.indexed_text for c in chunks)
                if reanalyse
                else [stored.terms[i] for i in rows]
            )
            entries[doc_id] = _DocEntry(
                meta["source"],
                meta["sha256"],
                meta.get("kind", ""),
                chunks,
                terms,
                stored.vectors[rows] if rows else np.zeros((0, stored.manifest.dim), dtype=np.float32),
            )
        return entries, reanalyse

    def build(self, sources: Iterable[Path], index_dir: Path, progress: Progress | None = None) -> BuildReport:
        """Index every file under `sources`; switch the served version only when the new one is complete."""
        index_dir.mkdir(parents=True, exist_ok=True)
        files = collect_sources(sources)
        previous, reanalysed = self._previous(index_dir)
        report = BuildReport(index_dir=index_dir, version=None)
        entries: dict[str, _DocEntry] = {}
        self.embedder.warm_up()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed") as pool:
            for position, (doc_id, path) in enumerate(files, start=1):
                if progress:
                    progress(path.name, position, len(files))
                result = self._one(doc_id, path, previous.get(doc_id), entries, pool)
                report.files.append(result)
                if result.status == "indexed":
                    report.embedded_chunks += result.chunks
        for doc_id, old in previous.items():
            if doc_id not in entries and not any(f.doc_id == doc_id for f in report.files):
                report.files.append(FileResult(doc_id, old.source, "removed", len(old.chunks)))
        report.changed = (
            reanalysed
            or any(f.status in {"indexed", "removed"} for f in report.files)
            or not current_version(index_dir)
        )
        report.total_chunks = sum(len(e.chunks) for e in entries.values())
        if not report.changed:
            version = current_version(index_dir)
            report.version = version.name if version else None
            return report
        report.version = self._write(index_dir, entries).name
        return report

    def _one(
        self,
        doc_id: str,
        path: Path,
        old: _DocEntry | None,
        entries: dict[str, _DocEntry],
        pool: ThreadPoolExecutor,
    ) -> FileResult:
        try:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise IngestError(
                    path.name,
                    "unsupported",
                    f"jenis berkas {path.suffix or '(tanpa ekstensi)'} tidak didukung",
                )
            size = path.stat().st_size
            if size > self.max_bytes:
                raise IngestError(
                    path.name,
                    "too_large",
                    f"berkas {size / 1_048_576:.1f} MB melebihi batas {self.max_bytes // 1_048_576} MB",
                )
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if old is not None and old.sha256 == sha:
                entries[doc_id] = old
                return FileResult(doc_id, old.source, "unchanged", len(old.chunks))
            try:
                doc = load_bytes(data, path.name, doc_id=doc_id, max_bytes=self.max_bytes)
                chunks = chunk_document(doc, self.chunker)
            except IngestError:
                raise
            except Exception as exc:  # noqa: BLE001 - a parser's own error on one file is that file's problem
                logger.exception("loading %s failed", path.name)
                raise IngestError(path.name, "error", f"berkas tidak dapat diproses ({type(exc).__name__})") from exc
            if not chunks:
                raise IngestError(path.name, "empty", "tidak ada teks yang bisa diindeks")
            texts = [c.indexed_text for c in chunks]
            # Embedding runs in C without the GIL; stemming (pure Python) overlaps with it.
            future = pool.submit(self.embedder.passage, unshouted(texts))
            terms = self.analyzer.terms_many(texts)
            vectors = future.result()
        except IngestError as exc:  # one bad file never stops the build: reported and skipped
            if old is not None:
                entries[doc_id] = old
                return FileResult(doc_id, old.source, "kept_previous", len(old.chunks), exc.reason, exc.detail)
            return FileResult(doc_id, path.name, "skipped", 0, exc.reason, exc.detail)
        entries[doc_id] = _DocEntry(doc.source, sha, doc.kind, chunks, terms, vectors)
        return FileResult(doc_id, doc.source, "indexed", len(chunks))

    def _write(self, index_dir: Path, entries: dict[str, _DocEntry]) -> Path:
        chunks: list[Chunk] = []
        terms: list[list[str]] = []
        blocks: list[Vectors] = []
        manifest = self.expected_manifest()
        for doc_id in sorted(entries):
            entry = entries[doc_id]
            chunks.extend(entry.chunks)
            terms.extend(entry.terms)
            blocks.append(entry.vectors)
            manifest.documents[doc_id] = {
                "source": entry.source,
                "sha256": entry.sha256,
                "kind": entry.kind,
                "chunks": len(entry.chunks),
            }
        vectors = np.vstack(blocks).astype(np.float32) if blocks else np.zeros((0, manifest.dim), dtype=np.float32)
        dense = DenseIndex.build(vectors, self.hnsw_threshold)
        version = write_version(index_dir, manifest, chunks, terms, vectors, dense)
        switch_to(index_dir, version)
        logger.info("index %s now serves %s (%d chunks)", index_dir, version.name, len(chunks))
        return version
