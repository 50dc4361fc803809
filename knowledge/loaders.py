"""Loaders: turn a source file into a list of text segments with page numbers and heading levels.

The loader is chosen by the file's content (magic bytes, markup), not only by its extension.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .archive import inspect_zip, office_kind
from .errors import IngestError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
SUPPORTED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}


@dataclass(frozen=True)
class Segment:
    """One line or paragraph of a document. `level` > 0 marks a heading of that depth."""

    text: str
    page: int | None = None
    level: int = 0


@dataclass(frozen=True)
class LoadedDocument:
    doc_id: str
    source: str
    kind: str
    sha256: str
    segments: tuple[Segment, ...]


def sniff_kind(data: bytes, name: str) -> str:
    """Return pdf, docx, html, markdown or text from the bytes; raise IngestError when unsupported."""
    head = data[:2048]
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if office_kind(inspect_zip(data, name)) == "docx":  # refuses bombs before anything is inflated
            return "docx"
        raise IngestError(name, "unsupported", "arsip ZIP yang bukan dokumen Word (DOCX)")
    if b"\x00" in head:
        raise IngestError(name, "unsupported", "jenis berkas biner tidak didukung")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise IngestError(name, "unsupported", "teks dengan pengodean yang tidak dikenali") from exc
    lowered = text[:2048].lower()
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        raise IngestError(name, "corrupt", "berkas bernama .pdf tetapi isinya bukan PDF")
    if suffix == ".docx":
        raise IngestError(name, "corrupt", "berkas bernama .docx tetapi isinya bukan dokumen Word")
    if "<html" in lowered or "<!doctype html" in lowered or (suffix in {".html", ".htm"} and "<" in lowered):
        return "html"
    if suffix in {".md", ".markdown"} or re.search(r"^#{1,6} \S", text[:4096], re.MULTILINE):
        return "markdown"
    return "text"


def load_bytes(data: bytes, name: str, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Load one document from memory; raise IngestError with a reason code on any problem."""
    if len(data) == 0:
        raise IngestError(name, "empty", "berkas kosong")
    if len(data) > max_bytes:
        raise IngestError(
            name,
            "too_large",
            f"berkas {len(data) // 1_048_576} MB melebihi batas {max_bytes // 1_048_576} MB",
        )
    kind = sniff_kind(data, name)
    segments = _LOADERS[kind](data, name)
    if not any(s.text.strip() for s in segments if s.level == 0):
        reason = "no_text_layer" if kind == "pdf" else "empty"
        detail = "PDF tanpa lapisan teks (hasil pindai?)" if kind == "pdf" else "berkas tidak berisi teks"
        raise IngestError(name, reason, detail)
    return LoadedDocument(
        doc_id=doc_id or name,
        source=Path(name).name,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        segments=tuple(segments),
    )


def load_file(path: Path, doc_id: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            path.name,
            "too_large",
            f"berkas {size // 1_048_576} MB melebihi batas {max_bytes // 1_048_576} MB",
        )
    return load_bytes(path.read_bytes(), path.name, doc_id=doc_id or path.name, max_bytes=max_bytes)


# --- PDF -----------------------------------------------------------------------------------------------------

_PAGE_NUMBER_RE = re.compile(r"^[-–—\s]*(?:halaman\s*)?\d{1,4}[-–—\s]*$", re.IGNORECASE)


class _UprightCollector:
    """pypdf text visitor that keeps axis-aligned text: watermarks are drawn rotated."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts

    def __call__(self, text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        if abs(b) < 1e-3 and abs(c) < 1e-3:
            self.parts.append(text)


@dataclass(frozen=True)
class PdfLimits:
    """Bounds on reading one PDF. Text is extracted in a worker process that is stopped when it takes too long or
    grows too large: a 16 KB PDF can hold a content stream that takes minutes to parse."""

    max_pages: int = 1000
    timeout: float = 120.0
    max_memory: int = 2 * 1024**3  # address space of the worker, bytes


PDF_LIMITS = PdfLimits()


def _pdf_pages(data: bytes, name: str, limits: PdfLimits | None = None) -> list[list[str]]:
    """Each page's upright text lines, read in a worker process within `limits` (default `PDF_LIMITS`)."""
    limits = limits or PDF_LIMITS
    context = multiprocessing.get_context("spawn")  # no fork of a process that runs threads (the bot, FAISS)
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_pdf_worker, args=(data, name, limits, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout):
            raise IngestError(name, "timeout", f"PDF terlalu lama dibaca (lebih dari {limits.timeout:g} detik)")
        status, value = receiver.recv()
    except EOFError:  # the worker died: out of memory, most likely
        raise IngestError(name, "too_large", "PDF terlalu berat untuk dibaca") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    if status == "error":
        reason, detail = value
        raise IngestError(name, reason, detail)
    pages: list[list[str]] = value
    return pages


def _pdf_worker(data: bytes, name: str, limits: PdfLimits, sender: Connection) -> None:
    """Runs in the worker process: bounded memory, the extraction, the result (or the refusal) sent back."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
    except (ImportError, ValueError, OSError):  # not on every platform; the timeout still applies
        pass
    try:
        sender.send(("ok", _read_pdf_pages(data, name, limits.max_pages)))
    except IngestError as exc:
        sender.send(("error", (exc.reason, exc.detail)))
    except MemoryError:
        sender.send(("error", ("too_large", "PDF terlalu berat untuk dibaca")))
    finally:
        sender.close()


def _read_pdf_pages(data: bytes, name: str, max_pages: int) -> list[list[str]]:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(name, "encrypted", "PDF terkunci kata sandi")
        if len(reader.pages) > max_pages:
            raise IngestError(name, "too_large", f"PDF {len(reader.pages)} halaman melebihi batas {max_pages}")
        pages: list[list[str]] = []
        for page in reader.pages:
            parts: list[str] = []
            page.extract_text(visitor_text=_UprightCollector(parts))
            pages.append("".join(parts).splitlines())
        return pages
    except (IngestError, MemoryError):
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IngestError(name, "corrupt", f"PDF rusak atau tidak terbaca ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf raises many private errors on damaged files
        if "crypt" in str(exc).lower():
            raise IngestError(name, "encrypted", "PDF terenkripsi dan tidak dapat dibaca") from exc
        raise IngestError(name, "corrupt", f"PDF rusak atau tidak terbaca ({type(exc).__name__})") from exc


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated on many pages (headers, footers, stamps), compared with digits masked."""
    if len(pages) < 4:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", ln.strip()) for ln in lines if ln.strip()})
    limit = max(3, int(len(pages) * 0.2))
    return {key for key, n in counts.items() if n >= limit and 12 < len(key) < 120}


def _load_pdf(data: bytes, name: str) -> list[Segment]:
    pages = _pdf_pages(data, name)
    furniture = _furniture(pages)
    segments: list[Segment] = []
    for number, lines in enumerate(pages, start=1):
        for line in lines:
            text = line.strip()
            if not text or _PAGE_NUMBER_RE.match(text) or re.sub(r"\d+", "#", text) in furniture:
                continue
            if text.upper() == "SALINAN":
                continue
            segments.append(Segment(text=text, page=number))
    return segments


# --- DOCX, HTML, Markdown, text -------------------------------------------------------------------------------


def _load_docx(data: bytes, name: str) -> list[Segment]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError(name, "corrupt", "dokumen Word rusak atau tidak terbaca") from exc
    segments: list[Segment] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        match = re.match(r"(?:Heading|Judul)\s*(\d)", style)
        level = int(match.group(1)) if match else (1 if style == "Title" else 0)
        segments.append(Segment(text=text, level=level))
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            unique = list(dict.fromkeys(c for c in cells if c))
            if unique:
                segments.append(Segment(text=" | ".join(unique)))
    return segments


# Web-page furniture in material copied from news sites: share-button labels on a line of their own, and the
# byline closing an article's last paragraph ("... role modelnya. [Penulis : NN I Editor : JoY )").
_SHARE_LABEL_RE = re.compile(r"(?:salin|copy)\s+(?:tautan|link)|bagikan|share|cetak|print|tweet", re.IGNORECASE)
_BYLINE_RE = re.compile(r"\s*([\[(]\s*(?:penulis|editor|reporter|pewarta|foto)\s*:[^\[\]()]*[\])]?)\s*$", re.IGNORECASE)


def is_byline(text: str) -> bool:
    """Whether `text` is only an article's byline ("[Penulis : NN I Editor : JoY )")."""
    match = _BYLINE_RE.search(text)
    return match is not None and match.start() == 0


def _without_web_furniture(segments: list[Segment]) -> list[Segment]:
    """Share-button labels dropped; a paragraph's closing byline made a line of its own, so that it does not end the
    paragraph's last sentence (an answer quoting that sentence would end with it) but can still be found."""
    out: list[Segment] = []
    for seg in segments:
        if _SHARE_LABEL_RE.fullmatch(seg.text.rstrip(" :")):
            continue
        byline = _BYLINE_RE.search(seg.text) if not seg.level else None
        if byline and byline.start() > 0:
            out.append(Segment(text=seg.text[: byline.start()], page=seg.page))
            out.append(Segment(text=byline.group(1), page=seg.page))
            continue
        out.append(seg)
    return out


def _load_html(data: bytes, name: str) -> list[Segment]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "header", "noscript", "form", "aside"]):
        tag.decompose()
    segments: list[Segment] = []
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    body = soup.body or soup
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote"]):
        if el.name in {"p", "li"} and el.find_parent(["li", "tr"]) is not None:
            continue
        text = el.get_text(" ", strip=True)
        if not text:
            continue
        level = int(el.name[1]) if el.name[0] == "h" and el.name[1:].isdigit() else 0
        if el.name == "tr":
            text = " | ".join(c.get_text(" ", strip=True) for c in el.find_all(["td", "th"]))
        segments.append(Segment(text=text, level=level))
    if title and not any(s.level for s in segments):
        segments.insert(0, Segment(text=title, level=1))
    return _without_web_furniture(segments)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _load_markdown(data: bytes, name: str) -> list[Segment]:
    segments: list[Segment] = []
    for line in _decode(data).splitlines():
        text = line.strip()
        if not text or re.fullmatch(r"[-*_=|: ]{3,}", text):
            continue
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", text)
        if heading:
            segments.append(Segment(text=heading.group(2), level=len(heading.group(1))))
            continue
        text = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", text)
        text = re.sub(r"\*\*|__|`", "", text)
        text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
        segments.append(Segment(text=text))
    return segments


def _load_text(data: bytes, name: str) -> list[Segment]:
    return _without_web_furniture([Segment(text=ln.strip()) for ln in _decode(data).splitlines() if ln.strip()])


_LOADERS = {
    "pdf": _load_pdf,
    "docx": _load_docx,
    "html": _load_html,
    "markdown": _load_markdown,
    "text": _load_text,
}
