"""On-disk layout of an index directory: immutable version directories and an atomically switched CURRENT.

DIR/CURRENT                      name of the served version (replaced with os.replace)
DIR/versions/<name>/manifest.json
DIR/versions/<name>/chunks.jsonl one chunk per line, with its BM25 terms
DIR/versions/<name>/vectors.npy  float32 passage vectors, row i = chunk i
DIR/versions/<name>/dense.faiss  the FAISS index
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .chunking import Chunk, ChunkerConfig
from .dense import DenseIndex
from .embedders.base import Embedder, Vectors
from .errors import CorruptIndexError, IndexNotBuiltError, ManifestMismatchError
from .index import HybridIndex
from .text import ANALYZER_VERSION, Analyzer

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
KEEP_VERSIONS = 3


@dataclass
class Manifest:
    embedder: str
    dim: int
    chunker: dict[str, int]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    analyzer: str = ANALYZER_VERSION
    format: int = FORMAT_VERSION
    package_version: str = "0.1.0"
    built_at: str = ""
    chunk_count: int = 0
    dense_index: str = "flat"

    @classmethod
    def expected(cls, embedder: Embedder, chunker: ChunkerConfig, analyzer: Analyzer) -> Manifest:
        """The settings an index must have been built with to be served by these components."""
        return cls(embedder=embedder.name, dim=embedder.dim, chunker=chunker.as_dict(), analyzer=analyzer.fingerprint)

    def settings_key(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "embedder": self.embedder,
            "dim": self.dim,
            "chunker": self.chunker,
            "analyzer": self.analyzer,
        }

    def check_compatible(self, expected: Manifest, where: Path) -> None:
        """Raise ManifestMismatchError naming every setting that differs."""
        ours, theirs = self.settings_key(), expected.settings_key()
        diffs = [f"{k}: index has {ours[k]!r}, configured {theirs[k]!r}" for k in ours if ours[k] != theirs[k]]
        if diffs:
            raise ManifestMismatchError(
                f"index at {where} was built with other settings ({'; '.join(diffs)}); "
                "rebuild it with `zi kb build` using the current settings"
            )


def current_version(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    path = index_dir / "versions" / name
    return path if (path / "manifest.json").exists() else None


def read_manifest(version_dir: Path) -> Manifest:
    data = json.loads((version_dir / "manifest.json").read_text(encoding="utf-8"))
    return Manifest(**data)


@dataclass
class StoredVersion:
    manifest: Manifest
    chunks: list[Chunk]
    terms: list[list[str]]
    vectors: Vectors
    path: Path


def read_version(version_dir: Path) -> StoredVersion:
    """A version's files, checked against each other; CorruptIndexError when any is unreadable or they disagree
    (chunks against the manifest's counts, per document and in all; vectors against chunks and dimension)."""
    try:
        manifest = read_manifest(version_dir)
        chunks: list[Chunk] = []
        terms: list[list[str]] = []
        with (version_dir / "chunks.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                # One string object per distinct term: 100k chunks hold ~15M term occurrences of ~20k words.
                terms.append([sys.intern(t) for t in row.pop("terms")])
                chunks.append(Chunk(**row))
        # Mapped, not read: search reads a few rows per question (FAISS holds its own copy), so at 100k chunks this
        # keeps ~150 MB out of the process.
        vectors = np.load(version_dir / "vectors.npy", allow_pickle=False, mmap_mode="r")
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CorruptIndexError(f"index version {version_dir.name} is unreadable: {type(exc).__name__}") from exc
    problems = []
    if manifest.chunk_count != len(chunks):
        problems.append(f"manifest says {manifest.chunk_count} chunks, chunks.jsonl has {len(chunks)}")
    counted = Counter(c.doc_id for c in chunks)
    if any(int(meta.get("chunks", -1)) != counted.get(doc, 0) for doc, meta in manifest.documents.items()) or (
        set(counted) - set(manifest.documents)
    ):
        problems.append("documents' chunk counts disagree with chunks.jsonl")
    if vectors.ndim != 2 or vectors.shape[0] != len(chunks) or vectors.shape[1] != manifest.dim:
        problems.append(f"vectors {vectors.shape} for {len(chunks)} chunks of dimension {manifest.dim}")
    if problems:
        raise CorruptIndexError(f"index version {version_dir.name} is damaged: {'; '.join(problems)}")
    return StoredVersion(manifest, chunks, terms, vectors.astype(np.float32, copy=False), version_dir)


def set_aside(index_dir: Path, version_dir: Path) -> Path:
    """Move a damaged version out of `versions/` (kept for inspection) and stop serving it."""
    target = index_dir / "corrupt" / f"{version_dir.name}-{uuid.uuid4().hex[:6]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(version_dir), target)
    pointer = index_dir / "CURRENT"
    if pointer.exists() and pointer.read_text(encoding="utf-8").strip() == version_dir.name:
        pointer.unlink()
    return target


def latest_valid_version(index_dir: Path) -> Path | None:
    """The newest finished version that reads back whole, setting damaged ones aside on the way."""
    versions_dir = index_dir / "versions"
    if not versions_dir.exists():
        return None
    for version in sorted(
        (p for p in versions_dir.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True
    ):
        try:
            read_version(version)
        except CorruptIndexError as exc:
            logger.warning("%s; set aside in %s", exc, set_aside(index_dir, version))
            continue
        return version
    return None


def load_index(index_dir: Path, expected: Manifest | None) -> tuple[HybridIndex, Manifest, str]:
    """Load the served version; refuse it when its manifest does not match `expected`."""
    version = current_version(index_dir)
    if version is None:
        raise IndexNotBuiltError(
            f"no index in {index_dir}; build one with `zi kb build --source PATH --index {index_dir}`"
        )
    stored = read_version(version)
    manifest = stored.manifest
    if expected is not None:
        manifest.check_compatible(expected, index_dir)
    dense_path = version / "dense.faiss"
    try:
        dense = DenseIndex.load(dense_path) if dense_path.exists() else DenseIndex.build(stored.vectors)
    except RuntimeError as exc:  # FAISS's error for a damaged file
        raise CorruptIndexError(f"index version {version.name}: dense.faiss is unreadable") from exc
    if dense.size != len(stored.chunks):
        raise CorruptIndexError(f"index version {version.name}: dense.faiss holds {dense.size} vectors")
    return HybridIndex(stored.chunks, stored.terms, stored.vectors, dense), manifest, version.name


def write_version(
    index_dir: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    terms: list[list[str]],
    vectors: Vectors,
    dense: DenseIndex,
) -> Path:
    """Write a complete new version directory; it is served only after `switch_to`."""
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    tmp = index_dir / "versions" / f".{name}.tmp"
    tmp.mkdir(parents=True)
    with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for chunk, chunk_terms in zip(chunks, terms, strict=True):
            row = {**chunk.__dict__, "terms": chunk_terms}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    np.save(tmp / "vectors.npy", vectors)
    dense.save(tmp / "dense.faiss")
    manifest.built_at = datetime.now(UTC).isoformat(timespec="seconds")
    manifest.chunk_count = len(chunks)
    manifest.dense_index = dense.kind
    (tmp / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2, ensure_ascii=False), encoding="utf-8")
    for f in tmp.iterdir():
        with f.open("rb") as fh:
            os.fsync(fh.fileno())
    final = index_dir / "versions" / name
    tmp.rename(final)
    return final


def switch_to(index_dir: Path, version_dir: Path) -> None:
    """Atomically make `version_dir` the served version, then prune old versions."""
    pointer_tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:8]}"
    with pointer_tmp.open("w", encoding="utf-8") as fh:
        fh.write(version_dir.name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, index_dir / "CURRENT")
    _prune(index_dir, keep=version_dir.name)


def _prune(index_dir: Path, keep: str) -> None:
    versions = sorted(p for p in (index_dir / "versions").iterdir() if p.is_dir())
    finished = [p for p in versions if not p.name.startswith(".")]
    for old in finished[:-KEEP_VERSIONS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in versions:
        # Leftovers of a crashed build; a build younger than an hour may still be writing.
        if stale.name.startswith(".") and stale.name.endswith(".tmp") and time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
