"""Bounds on ZIP-based documents (DOCX, XLSX) before anything is extracted from them.

A small file can hold a huge part ("zip bomb"): a 432 KB DOCX with a 400 MB part took nearly a gigabyte to open. The
central directory states every part's size, so the limits are checked before a byte is inflated; python-docx and
openpyxl then only ever open archives that passed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from .errors import IngestError


@dataclass(frozen=True)
class ArchiveLimits:
    max_total: int = 50 * 1024 * 1024  # all parts together, uncompressed
    max_part: int = 50 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, for parts over 1 MB
    max_parts: int = 5000


def inspect_zip(data: bytes, name: str, limits: ArchiveLimits | None = None) -> set[str]:
    """The part names of a ZIP archive that stays within `limits`; IngestError ("corrupt" or "too_large") if not."""
    limits = limits or ArchiveLimits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise IngestError(name, "corrupt", "berkas ZIP/DOCX rusak") from exc
    if len(infos) > limits.max_parts:
        raise IngestError(name, "too_large", f"arsip berisi {len(infos)} bagian (batas {limits.max_parts})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part or total > limits.max_total:
            raise IngestError(name, "too_large", "isi arsip terlalu besar setelah dibuka (bom ZIP?)")
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise IngestError(name, "too_large", "rasio kompresi arsip tidak wajar (bom ZIP?)")
    return {info.filename for info in infos}


def office_kind(parts: set[str]) -> str | None:
    """ "docx" or "xlsx" when the archive has that format's main part, else None (any other ZIP)."""
    if "word/document.xml" in parts and "[Content_Types].xml" in parts:
        return "docx"
    if "xl/workbook.xml" in parts and "[Content_Types].xml" in parts:
        return "xlsx"
    return None
