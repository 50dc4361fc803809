"""The store of units, users, answers and their history (SQLAlchemy 2; SQLite or PostgreSQL).

Every write validates first and runs in one transaction that locks the unit, so a rejected answer changes
nothing and two coordinators updating the same unit at once lose no update.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .answers import AnswerValue, Hasil, Worksheet, validate_answer, validate_hasil
from .db import make_engine, migrate, retry_on_conflict
from .errors import AnswerError, NotFoundError, ZiError
from .evidence import EvidenceRecords
from .models import (
    Answer,
    AnswerHistory,
    HasilResult,
    Readiness,
    SpecVersion,
    Unit,
    User,
    history_row,
    utcnow,
)
from .records import ROLES, HistoryEntry, UnitInfo, UserInfo
from .review import ReviewRecords
from .spec import WorksheetSpec, build_spec, read_spec_data, scoring_signature

logger = logging.getLogger(__name__)


@contextmanager
def _transaction(sessions: sessionmaker[Session] | None) -> Iterator[Session]:
    if sessions is None:
        raise ZiError("store is not started")
    with sessions() as session, session.begin():
        yield session


class Store(EvidenceRecords, ReviewRecords):
    def __init__(self, url: str, evidence_dir: Path | None = None, max_evidence_bytes: int = 10 * 1024 * 1024) -> None:
        self.url = url
        self.evidence_dir = evidence_dir
        self.max_evidence_bytes = max_evidence_bytes
        self._engine: Engine | None = None
        self._reader: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._read_sessions: sessionmaker[Session] | None = None
        self._specs: dict[int, WorksheetSpec] = {}

    def start(self) -> None:
        """Connect, migrate to the newest schema and register the bundled worksheet spec."""
        self._engine = make_engine(self.url)
        migrate(self._engine)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._reader = make_engine(self.url, read_only=True) if self.url.startswith("sqlite") else self._engine
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)
        self._register_bundled_spec()

    @retry_on_conflict
    def _register_bundled_spec(self) -> None:
        """Store the bundled spec on first start (another instance starting at once may insert it first: the
        retry then finds its row) or refresh its texts when only they changed."""
        data = read_spec_data()
        bundled = build_spec(data)
        with self._tx() as s:
            row = s.scalar(select(SpecVersion).where(SpecVersion.key == bundled.key))
            if row is None:
                s.add(SpecVersion(key=bundled.key, title=bundled.title, digest=bundled.digest, data=data))
            elif row.digest != bundled.digest and scoring_signature(build_spec(row.data, row.digest)) == (
                scoring_signature(bundled)
            ):
                # Only texts changed (labels, option criteria, policy notes, requirements): units keep their
                # answers and scores, and read the new wording.
                logger.info("worksheet %s: texts updated (%s -> %s)", bundled.key, row.digest, bundled.digest)
                row.data, row.digest, row.title = data, bundled.digest, bundled.title

    def close(self) -> None:
        for engine in {self._engine, self._reader}:
            if engine is not None:
                engine.dispose()

    def _tx(self) -> AbstractContextManager[Session]:
        """A read-write transaction (on SQLite it holds the write lock from its start)."""
        return _transaction(self._sessions)

    def transaction(self) -> AbstractContextManager[Session]:
        """A read-write transaction for records kept beside the worksheet (the bot's own, bot/records.py)."""
        return self._tx()

    def reading(self) -> AbstractContextManager[Session]:
        """A read-only transaction for records kept beside the worksheet."""
        return self._read()

    def _read(self) -> AbstractContextManager[Session]:
        """A read-only transaction: on SQLite it never waits for writers (WAL snapshot)."""
        return _transaction(self._read_sessions)

    # --- specs ------------------------------------------------------------------------------------------------

    def add_spec(self, key: str, data: Mapping[str, Any]) -> int:
        """Register a new spec version (validated); units created afterwards use the newest one."""
        spec = build_spec(data)
        with self._tx() as s:
            if s.scalar(select(SpecVersion).where(SpecVersion.key == key)) is not None:
                raise ZiError(f"versi spesifikasi {key!r} sudah ada")
            row = SpecVersion(key=key, title=spec.title, digest=spec.digest, data=dict(data))
            s.add(row)
            s.flush()
            return row.id

    def spec_for(self, spec_version_id: int) -> WorksheetSpec:
        cached = self._specs.get(spec_version_id)
        if cached is not None:
            return cached
        with self._read() as s:
            return self._spec(s, spec_version_id)

    def _spec(self, s: Session, spec_version_id: int) -> WorksheetSpec:
        """The spec of a version, read within the caller's transaction (SQLite allows one writer)."""
        cached = self._specs.get(spec_version_id)
        if cached is None:
            row = s.get(SpecVersion, spec_version_id)
            if row is None:
                raise NotFoundError(f"versi spesifikasi {spec_version_id} tidak ada")
            cached = build_spec(row.data, row.digest)
            self._specs[spec_version_id] = cached
        return cached

    def latest_spec_id(self) -> int:
        with self._read() as s:
            latest = s.scalar(select(func.max(SpecVersion.id)))
        if latest is None:
            raise NotFoundError("belum ada spesifikasi LKE")
        return int(latest)

    def list_specs(self) -> list[tuple[int, str, str]]:
        with self._read() as s:
            return [(r.id, r.key, r.title) for r in s.scalars(select(SpecVersion).order_by(SpecVersion.id))]

    # --- units and users --------------------------------------------------------------------------------------

    def add_unit(self, name: str, spec_version_id: int | None = None) -> UnitInfo:
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise ZiError("nama unit wajib diisi (maksimal 200 karakter)")
        spec_id = spec_version_id or self.latest_spec_id()
        try:
            with self._tx() as s:
                unit = Unit(name=name, spec_version_id=spec_id)
                s.add(unit)
                s.flush()
                return UnitInfo(unit.id, unit.name, unit.predikat, unit.spec_version_id)
        except IntegrityError as exc:
            raise ZiError(f"unit {name!r} sudah ada") from exc

    def list_units(self) -> list[UnitInfo]:
        with self._read() as s:
            return [
                UnitInfo(u.id, u.name, u.predikat, u.spec_version_id)
                for u in s.scalars(select(Unit).order_by(Unit.name))
            ]

    def unit(self, name: str) -> UnitInfo:
        with self._read() as s:
            u = self._unit_row(s, name)
            return UnitInfo(u.id, u.name, u.predikat, u.spec_version_id)

    def set_predikat(
        self,
        unit_name: str,
        predikat: str | None,
        actor: int | None,
        sk: str | None = None,
        tanggal: date | None = None,
    ) -> None:
        """Record the predicate a unit holds (from its SK), kept in the history with the SK number and date."""
        if predikat is not None and predikat not in {"WBK", "WBBM"}:
            raise AnswerError("predikat", "gunakan WBK atau WBBM")
        sk = " ".join((sk or "").split())
        if len(sk) > 120:
            raise AnswerError("predikat", "nomor SK paling banyak 120 karakter")
        parts = (f"SK {sk}" if sk else "", f"tanggal {tanggal.isoformat()}" if tanggal else "")
        note = ", ".join(p for p in parts if p)
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            s.add(history_row(unit, "predikat", unit.predikat, predikat, actor, note))
            unit.predikat = predikat
            if predikat is not None and self._stage(s, unit).stage == "diusulkan":
                self._move(s, unit, "hasil_tpn", actor, f"{predikat}; {note}" if note else predikat)

    @staticmethod
    def _unit_row(s: Session, name: str, lock: bool = False) -> Unit:
        query = select(Unit).where(func.lower(Unit.name) == " ".join(name.split()).lower())
        unit = s.scalar(query.with_for_update() if lock else query)
        if unit is None:
            raise NotFoundError(f"unit {name!r} tidak ditemukan")
        return unit

    @retry_on_conflict
    def add_user(self, telegram_id: int, role: str, unit_name: str | None = None, name: str = "") -> UserInfo:
        """Create or update a user; a koordinator must be bound to a unit."""
        if role not in ROLES:
            raise ZiError(f"peran {role!r} tidak dikenal; gunakan {', '.join(ROLES)}")
        if role == "koordinator" and not unit_name:
            raise ZiError("koordinator harus terikat pada satu unit")
        if role == "tpi" and unit_name:
            raise ZiError("anggota TPI tidak terikat pada satu unit; unit yang ditinjau diatur terpisah")
        with self._tx() as s:
            unit = self._unit_row(s, unit_name) if unit_name else None
            user = s.scalar(select(User).where(User.telegram_id == telegram_id))
            if user is None:
                user = User(telegram_id=telegram_id, role=role, name=name)
                s.add(user)
            user.role, user.unit_id = role, unit.id if unit else None
            if name:
                user.name = name
            return UserInfo(telegram_id, user.name, role, unit.name if unit else None)

    def user(self, telegram_id: int) -> UserInfo | None:
        with self._read() as s:
            row = s.execute(
                select(User, Unit.name).outerjoin(Unit, User.unit_id == Unit.id).where(User.telegram_id == telegram_id)
            ).first()
            if row is None:
                return None
            user, unit_name = row
            return UserInfo(user.telegram_id, user.name, user.role, unit_name)

    def list_users(self, role: str | None = None) -> list[UserInfo]:
        with self._read() as s:
            query = select(User, Unit.name).outerjoin(Unit, User.unit_id == Unit.id).order_by(User.telegram_id)
            if role:
                query = query.where(User.role == role)
            return [UserInfo(u.telegram_id, u.name, u.role, n) for u, n in s.execute(query)]

    # --- answers, hasil, readiness ----------------------------------------------------------------------------

    def set_answer(
        self, unit_name: str, question_id: str, raw: Any, actor: int | None, note: str = ""
    ) -> tuple[Any, AnswerValue]:
        """Validate and store one answer; returns (old, new). Nothing is written when validation fails."""
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            return self._put_answer(s, unit, question_id, raw, actor, note)

    def _put_answer(
        self, s: Session, unit: Unit, question_id: str, raw: Any, actor: int | None, note: str
    ) -> tuple[Any, AnswerValue]:
        value = validate_answer(self._spec(s, unit.spec_version_id), question_id, raw)
        qid = question_id.strip().upper()
        self._check_editable(s, unit, qid)
        row = s.scalar(select(Answer).where(Answer.unit_id == unit.id, Answer.question_id == qid))
        old = row.value if row else None
        stored = dict(value) if isinstance(value, Mapping) else value
        if row is None:
            s.add(
                Answer(
                    unit_id=unit.id,
                    question_id=qid,
                    spec_version_id=unit.spec_version_id,
                    value=stored,
                    updated_by=actor,
                )
            )
        else:
            row.value, row.updated_by, row.updated_at = stored, actor, utcnow()
        s.add(history_row(unit, qid, old, stored, actor, note))
        if old != stored:
            self._mark_changed(s, unit, qid)
        unit.revision += 1
        return old, value

    def import_answers(self, unit_name: str, answers: Mapping[str, Any], actor: int | None, note: str) -> int:
        """Load many answers into a unit in one transaction (all or nothing), each validated and in the history;
        returns how many changed."""
        changed = 0
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            for qid, raw in answers.items():
                old, new = self._put_answer(s, unit, qid, raw, actor, note)
                changed += old != (dict(new) if isinstance(new, Mapping) else new)
        return changed

    def set_hasil(self, unit_name: str, raw: Mapping[str, Any], actor: int | None) -> Hasil:
        """Update some or all survey results; the others keep their values."""
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            spec = self._spec(s, unit.spec_version_id)
            given = validate_hasil(spec, raw)
            self._check_editable(s, unit, None)
            row = s.get(HasilResult, unit.id)
            if row is None:
                row = HasilResult(unit_id=unit.id)
                s.add(row)
            for key in ("ipak", "ipkp", "capaian_kinerja"):
                new = getattr(given, key)
                if key in raw and new is not None:
                    s.add(history_row(unit, f"hasil:{key}", getattr(row, key), new, actor))
                    setattr(row, key, new)
            row.updated_by, row.updated_at = actor, utcnow()
            unit.revision += 1
            return Hasil(row.ipak, row.ipkp, row.capaian_kinerja)

    def worksheet(self, unit_name: str) -> tuple[WorksheetSpec, Worksheet]:
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            answers = {a.question_id: a.value for a in s.scalars(select(Answer).where(Answer.unit_id == unit.id))}
            h = s.get(HasilResult, unit.id)
            hasil = Hasil(h.ipak, h.ipkp, h.capaian_kinerja) if h else Hasil()
            ready = {r.item_key: r.done for r in s.scalars(select(Readiness).where(Readiness.unit_id == unit.id))}
            worksheet = Worksheet(unit.name, answers, hasil, unit.predikat, ready)
            return self._spec(s, unit.spec_version_id), worksheet

    def history(self, unit_name: str, question_id: str | None = None, limit: int = 20) -> list[HistoryEntry]:
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            query = select(AnswerHistory).where(AnswerHistory.unit_id == unit.id)
            if question_id:
                query = query.where(func.upper(AnswerHistory.question_id) == question_id.upper())
            rows = s.scalars(query.order_by(AnswerHistory.id.desc()).limit(limit))
            return [HistoryEntry(r.question_id, r.old, r.new, r.actor, r.at, r.note) for r in rows]

    def set_readiness(self, unit_name: str, item_key: str, done: bool, actor: int | None) -> None:
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            if item_key not in {r.key for r in self._spec(s, unit.spec_version_id).readiness}:
                raise AnswerError(item_key, "butir kesiapan tidak dikenal")
            row = s.get(Readiness, (unit.id, item_key))
            old = row.done if row else None
            if row is None:
                row = Readiness(unit_id=unit.id, item_key=item_key)
                s.add(row)
            row.done, row.updated_by, row.updated_at = done, actor, utcnow()
            s.add(history_row(unit, f"kesiapan:{item_key}", old, done, actor))

    def readiness(self, unit_name: str) -> dict[str, bool]:
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            return {r.item_key: r.done for r in s.scalars(select(Readiness).where(Readiness.unit_id == unit.id))}
