"""KnowledgeBase: the one object the CLI and the bot hold; builds, serves, reloads and extends the index."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .answer import AbstainPolicy, Answer, Answerer, Passage
from .builder import BuildReport, IndexBuilder, Progress, collect_sources
from .chunking import ChunkerConfig
from .embedders.base import Embedder
from .errors import CorruptIndexError, IndexNotBuiltError, IngestError, ManifestMismatchError
from .glossary import Glossary
from .index import FusionConfig, Hit
from .loaders import DEFAULT_MAX_BYTES, load_bytes
from .retriever import Retriever
from .text import Analyzer
from .versions import current_version, read_manifest, set_aside

logger = logging.getLogger(__name__)

# Beside the uploads: the name each stored upload was sent with (a dot file, so never indexed).
UPLOAD_NAMES = ".nama-asli.json"


@dataclass(frozen=True)
class UploadResult:
    report: BuildReport
    stored: str  # the name it is kept (and cited) under
    original: str
    replaced: bool  # an earlier upload with the same original name was replaced


def _free_name(safe: str, original: str, originals: dict[str, str], taken: set[str]) -> tuple[str, bool]:
    """A stored name for an upload: `safe` unless a source document or another upload (sent under another
    original name) has it; then `name-unggahan.ext`, `name-2.ext`, ... Whether it replaces an earlier upload."""
    stem, suffix = Path(safe).stem, Path(safe).suffix
    candidates = [safe, f"{stem}-unggahan{suffix}", *(f"{stem}-{n}{suffix}" for n in range(2, 1000))]
    for name in candidates:
        if name.lower() in taken:
            continue
        if name not in originals:
            return name, False
        if originals[name] == original:
            return name, True
    raise IngestError(original, "unsupported", "terlalu banyak unggahan dengan nama serupa")


# The document admins' answers to unanswered questions go to (among the uploads), and its limits.
CURATED_FAQ = "faq-kurasi.md"
MAX_FAQ_QUESTION = 300
MAX_FAQ_ANSWER = 3000


class KnowledgeBase:
    def __init__(
        self,
        index_dir: Path,
        sources: Sequence[Path],
        embedder: Embedder,
        uploads_dir: Path | None = None,
        chunker: ChunkerConfig | None = None,
        fusion: FusionConfig | None = None,
        policy: AbstainPolicy | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        glossary_path: Path | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.uploads_dir = Path(uploads_dir) if uploads_dir else None
        self.sources = [Path(s) for s in sources]
        self.max_bytes = max_bytes
        analyzer = Analyzer()
        self.builder = IndexBuilder(embedder, analyzer, chunker, max_bytes=max_bytes)
        glossary = Glossary.load(glossary_path, analyzer) if glossary_path else Glossary.bundled(analyzer)
        self.retriever = Retriever(self.index_dir, embedder, analyzer, chunker, fusion, glossary=glossary)
        self.answerer = Answerer(self.retriever, policy)
        self._build_lock = threading.Lock()

    def all_sources(self) -> list[Path]:
        extra = [self.uploads_dir] if self.uploads_dir and self.uploads_dir.exists() else []
        return [s for s in self.sources if s.exists()] + extra

    def is_stale(self) -> bool:
        """True when no index is served, its settings differ, or a source file changed."""
        version = current_version(self.index_dir)
        if version is None:
            return True
        try:
            manifest = read_manifest(version)
            manifest.check_compatible(self.builder.expected_manifest(), self.index_dir)
        except (ManifestMismatchError, ValueError, TypeError, OSError):  # other settings, or a damaged manifest
            return True
        known = {doc_id: meta["sha256"] for doc_id, meta in manifest.documents.items()}
        current = {
            doc_id: hashlib.sha256(p.read_bytes()).hexdigest() for doc_id, p in collect_sources(self.all_sources())
        }
        return any(known.get(d) != h for d, h in current.items()) or bool(set(known) - set(current))

    def build(self, progress: Progress | None = None) -> BuildReport:
        """Incremental build of every source; the served index is switched only when complete."""
        with self._build_lock:
            return self.builder.build(self.all_sources(), self.index_dir, progress)

    def ensure_ready(self, progress: Progress | None = None) -> BuildReport | None:
        """Build when missing or stale, then load. Returns the build report when a build ran."""
        report = self.build(progress) if self.is_stale() else None
        try:
            self.retriever.load()
        except CorruptIndexError as exc:
            version = current_version(self.index_dir)
            where = set_aside(self.index_dir, version) if version is not None else None
            logger.warning("%s; set aside in %s and rebuilt from the sources", exc, where)
            report = self.build(progress)
            self.retriever.load()
        return report

    def reload(self, progress: Progress | None = None) -> BuildReport:
        """Rebuild what changed and hot-swap the served index; queries keep being answered meanwhile."""
        report = self.build(progress)
        self.retriever.reload()
        return report

    def add_document(self, data: bytes, filename: str, progress: Progress | None = None) -> UploadResult:
        """Validate an uploaded file, store it among the uploads and ingest it; a bad file changes nothing.

        An upload never replaces material from the configured sources (it gets a name of its own), and two uploads
        whose names normalise alike ("Materi ZI.pdf", "materi_zi.pdf") are kept apart; the same original name again
        replaces its earlier upload, and the result says so.
        """
        if self.uploads_dir is None:
            raise IngestError(filename, "unsupported", "unggahan tidak diaktifkan")
        original = Path(filename).name[:255] or "dokumen"
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", original).strip("._") or "dokumen"
        load_bytes(data, safe, max_bytes=self.max_bytes)  # raises IngestError before anything is stored
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        with self._build_lock:
            originals = self._upload_names()
            taken = {doc_id.lower() for doc_id, _ in collect_sources(s for s in self.sources if s.exists())}
            taken.add(CURATED_FAQ)
            stored, replaced = _free_name(safe, original, originals, taken)
            target = self.uploads_dir / stored
            tmp = target.with_name(f".{stored}.part")
            tmp.write_bytes(data)
            tmp.replace(target)
            originals[stored] = original
            names = self.uploads_dir / UPLOAD_NAMES
            names.with_name(f"{UPLOAD_NAMES}.part").write_text(json.dumps(originals, ensure_ascii=False), "utf-8")
            names.with_name(f"{UPLOAD_NAMES}.part").replace(names)
        return UploadResult(self.reload(progress), stored, original, replaced)

    def _upload_names(self) -> dict[str, str]:
        """Stored upload name -> the name it was uploaded with."""
        assert self.uploads_dir is not None
        try:
            data = json.loads((self.uploads_dir / UPLOAD_NAMES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def add_faq_entry(self, question: str, answer: str, note: str, progress: Progress | None = None) -> BuildReport:
        """Append a curated question and answer to the knowledge base's FAQ document (`CURATED_FAQ` among the
        uploads) and re-index: the next asker finds it, cited as that document. `note` is its source line."""
        if self.uploads_dir is None:
            raise IngestError(CURATED_FAQ, "unsupported", "unggahan tidak diaktifkan")
        question = " ".join(question.split())[:MAX_FAQ_QUESTION].rstrip("?") + "?"
        # Lines of the answer never become headings of their own.
        body = "\n".join(line.strip().lstrip("#").strip() for line in answer.strip().splitlines() if line.strip())
        if not body or question == "?":
            raise IngestError(CURATED_FAQ, "empty", "pertanyaan atau jawaban kosong")
        path = self.uploads_dir / CURATED_FAQ
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        with self._build_lock:
            text = path.read_text(encoding="utf-8") if path.exists() else "# FAQ kurasi admin\n"
            entry = f"\n## {question}\n{body[:MAX_FAQ_ANSWER]}\nSumber: {' '.join(note.split())}\n"
            tmp = path.with_name(f".{CURATED_FAQ}.part")
            tmp.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
            tmp.replace(path)
        return self.reload(progress)

    def shown_passage(self, rank: int, chunk_ids: Sequence[str]) -> Passage | None:
        """A passage shown with an earlier answer, rebuilt from its chunk ids (the found one first) in the served
        index; None when the index no longer holds one of them (the material changed since)."""
        index = self.retriever.served.index
        chunks = [index.chunk(i) for i in chunk_ids]
        if not chunks or any(c is None for c in chunks):
            return None
        found = [c for c in chunks if c is not None]
        parts = index.in_order(found) if len(found) > 1 else ()
        return Passage.of(rank, Hit(found[0], 0.0, 0.0, 0.0, 0.0, parts=parts))

    def ask(self, question: str, top_k: int = 5) -> Answer:
        if self.retriever.version is None:
            raise IndexNotBuiltError("knowledge base is not loaded")
        return self.answerer.ask(question, top_k=top_k)
