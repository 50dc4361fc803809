"""Evidence files (data dukung): stored once by content hash, listed per unit and question, recorded in history."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select

from .errors import AnswerError, ZiError
from .models import Evidence, history_row
from .parts import StorePart
from .records import EVIDENCE_TYPES, EvidenceInfo


class EvidenceRecords(StorePart):
    """Mixed into Store, which provides the transactions, the unit lookup and the specs."""

    evidence_dir: Path | None
    max_evidence_bytes: int

    def add_evidence(
        self, unit_name: str, question_id: str, data: bytes, filename: str, actor: int | None
    ) -> EvidenceInfo:
        """Store a file by sha256 after checking its size and real type (PDF, JPEG, PNG, Office)."""
        if self.evidence_dir is None:
            raise ZiError("penyimpanan bukti tidak dikonfigurasi")
        if not data:
            raise AnswerError(question_id, "berkas bukti kosong")
        if len(data) > self.max_evidence_bytes:
            raise AnswerError(question_id, f"berkas bukti melebihi {self.max_evidence_bytes // 1_048_576} MB")
        kind = next((v for magic, v in EVIDENCE_TYPES.items() if data.startswith(magic)), None)
        if kind is None:
            raise AnswerError(question_id, "jenis berkas bukti tidak didukung (PDF, JPG, PNG, DOCX, XLSX)")
        digest = hashlib.sha256(data).hexdigest()
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            qid = question_id.strip().upper()
            if qid not in self._spec(s, unit.spec_version_id).questions:
                raise AnswerError(qid, "ID pertanyaan tidak dikenal")
            target = self.evidence_dir / digest[:2] / digest
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(".part")
                tmp.write_bytes(data)
                tmp.replace(target)
            row = Evidence(
                unit_id=unit.id,
                question_id=qid,
                sha256=digest,
                filename=Path(filename).name[:255] or "bukti",
                content_type=kind[0],
                size=len(data),
                uploaded_by=actor,
            )
            s.add(row)
            s.add(history_row(unit, qid, None, {"bukti": row.filename, "sha256": digest}, actor, "bukti"))
            s.flush()
            return EvidenceInfo(qid, row.filename, digest, len(data), kind[0], row.at)

    def evidence(self, unit_name: str, question_id: str | None = None) -> list[EvidenceInfo]:
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            query = select(Evidence).where(Evidence.unit_id == unit.id)
            if question_id:
                query = query.where(Evidence.question_id == question_id.upper())
            return [
                EvidenceInfo(e.question_id, e.filename, e.sha256, e.size, e.content_type, e.at)
                for e in s.scalars(query)
            ]

    def evidence_bytes(self, info: EvidenceInfo) -> bytes:
        """A stored evidence file's content (stored once by its sha256)."""
        if self.evidence_dir is None:
            raise ZiError("penyimpanan bukti tidak dikonfigurasi")
        path = self.evidence_dir / info.sha256[:2] / info.sha256
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ZiError(f"berkas bukti {info.filename} tidak ditemukan di penyimpanan") from exc
