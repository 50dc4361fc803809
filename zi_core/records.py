"""Plain records the store returns, and the constants it checks against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

ROLES = ("pegawai", "koordinator", "tpi", "admin")
EVIDENCE_TYPES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"PK\x03\x04": ("application/zip", ".zip"),
}


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    predikat: str | None
    spec_version_id: int


@dataclass(frozen=True)
class UserInfo:
    telegram_id: int
    name: str
    role: str
    unit: str | None


@dataclass(frozen=True)
class HistoryEntry:
    question_id: str
    old: Any
    new: Any
    actor: int | None
    at: datetime
    note: str


@dataclass(frozen=True)
class EvidenceInfo:
    question_id: str
    filename: str
    sha256: str
    size: int
    content_type: str
    at: datetime
