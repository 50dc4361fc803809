"""The TPI review (PermenPANRB 90/2021 Lampiran II): a unit submits its self-assessment, its TPI members agree with
or revise every answer with notes, send it back for improvement, re-check, and finally recommend whether the unit is
fit to be proposed to TPN.

Stages: mandiri (self-assessment) -> diajukan (with the TPI; round n) -> perbaikan (returned) -> diajukan (round
n+1) ... -> layak | belum_layak (the TPI's final evaluation) -> diusulkan (to TPN, by an admin) -> hasil_tpn (the
predicate recorded). While a unit is with the TPI its answers are read-only; during perbaikan the unit may change only
the answers the TPI revised or commented on. Every step is written to the unit's history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .answers import Worksheet, validate_answer
from .errors import AnswerError, PermissionDenied, ZiError
from .models import Answer, ReviewItem, TpiAssignment, Unit, UnitReview, User, history_row, utcnow
from .parts import StorePart
from .report import Assessment, assess
from .spec import WorksheetSpec

STAGES = ("mandiri", "diajukan", "perbaikan", "layak", "belum_layak", "diusulkan", "hasil_tpn")
# Where the unit may change its answers (in perbaikan only those the TPI revised or commented on).
EDITABLE = frozenset({"mandiri", "perbaikan", "belum_layak"})
SUBMITTABLE = EDITABLE
STATUSES = ("belum", "disetujui", "direvisi")
MAX_NOTE_CHARS = 1000


@dataclass(frozen=True)
class UnitStage:
    stage: str
    round: int
    note: str = ""
    since: datetime | None = None  # when the unit entered this stage (UTC)


@dataclass(frozen=True)
class ReviewEntry:
    """The TPI's verdict on one question: "disetujui", "direvisi" (with the TPI's answer) or "belum" (not reviewed,
    or changed by the unit since); its note and the unit's reply."""

    question_id: str
    status: str
    tpi_value: Any = None
    note: str | None = None
    reply: str | None = None
    reviewer: int | None = None
    round: int = 0

    @property
    def flagged(self) -> bool:
        """Revised or commented on: what the unit hears about on a return, and may change and reply to."""
        return bool(self.note) or self.status == "direvisi"

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "tpi": self.tpi_value, "note": self.note, "reply": self.reply}


def tpi_worksheet(worksheet: Worksheet, items: Mapping[str, ReviewEntry]) -> Worksheet:
    """The worksheet as the TPI assesses it: the unit's answers with the TPI's revisions in their place (an answer
    not yet reviewed counts as the unit's)."""
    answers = dict(worksheet.answers)
    for qid, item in items.items():
        if item.status == "direvisi" and item.tpi_value is not None:
            answers[qid] = item.tpi_value
    return replace(worksheet, answers=answers)


def unreviewed(spec: WorksheetSpec, items: Mapping[str, ReviewEntry]) -> list[str]:
    """Questions the TPI has not agreed with or revised yet, in worksheet order."""
    return [q.id for q in spec.ordered_questions if items.get(q.id, ReviewEntry(q.id, "belum")).status == "belum"]


def next_unreviewed(spec: WorksheetSpec, items: Mapping[str, ReviewEntry], after: str) -> str | None:
    """The first question not reviewed after `after` in worksheet order, else the first one before it; None when
    every question is reviewed."""
    left = unreviewed(spec, items)
    order = [q.id for q in spec.ordered_questions]
    position = order.index(after) if after in order else -1
    return next((q for q in left if order.index(q) > position), left[0] if left else None)


def _clean_note(note: str | None, where: str) -> str | None:
    text = " ".join((note or "").split())
    if len(text) > MAX_NOTE_CHARS:
        raise AnswerError(where, f"catatan paling banyak {MAX_NOTE_CHARS} karakter")
    return text or None


def _entry(row: ReviewItem) -> ReviewEntry:
    return ReviewEntry(row.question_id, row.status, row.tpi_value, row.note, row.reply, row.reviewer, row.round)


class ReviewRecords(StorePart):
    """Mixed into Store, which provides the transactions, the unit lookup and the specs."""

    # --- assignments ------------------------------------------------------------------------------------------

    def assign_units(self, telegram_id: int, unit_names: Sequence[str]) -> list[str]:
        """The units a TPI member reviews (replacing earlier ones); the user must hold the tpi role."""
        with self._tx() as s:
            user = s.scalar(select(User).where(User.telegram_id == telegram_id))
            if user is None or user.role != "tpi":
                raise ZiError(f"pengguna {telegram_id} bukan anggota TPI")
            units = [self._unit_row(s, name) for name in unit_names]
            s.execute(delete(TpiAssignment).where(TpiAssignment.telegram_id == telegram_id))
            for unit in {u.id: u for u in units}.values():
                s.add(TpiAssignment(telegram_id=telegram_id, unit_id=unit.id))
            return sorted({u.name for u in units})

    def tpi_units(self, telegram_id: int) -> list[str]:
        with self._read() as s:
            query = (
                select(Unit.name)
                .join(TpiAssignment, TpiAssignment.unit_id == Unit.id)
                .where(TpiAssignment.telegram_id == telegram_id)
                .order_by(Unit.name)
            )
            return list(s.scalars(query))

    def tpi_members(self, unit_name: str) -> list[int]:
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            query = select(TpiAssignment.telegram_id).where(TpiAssignment.unit_id == unit.id)
            return sorted(s.scalars(query))

    def coordinators(self, unit_name: str) -> list[int]:
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            query = select(User.telegram_id).where(User.unit_id == unit.id, User.role == "koordinator")
            return sorted(s.scalars(query))

    # --- stages -----------------------------------------------------------------------------------------------

    def stage(self, unit_name: str) -> UnitStage:
        with self._read() as s:
            return self._stage(s, self._unit_row(s, unit_name))

    @staticmethod
    def _stage(s: Session, unit: Unit) -> UnitStage:
        row = s.get(UnitReview, unit.id)
        if row is None:
            return UnitStage("mandiri", 0)
        since = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
        return UnitStage(row.stage, row.round, row.note, since)

    @staticmethod
    def _move(s: Session, unit: Unit, stage: str, actor: int | None, note: str = "", next_round: bool = False) -> None:
        row = s.get(UnitReview, unit.id)
        if row is None:
            row = UnitReview(unit_id=unit.id, stage="mandiri", round=0, note="")
            s.add(row)
        old = row.stage
        row.stage, row.note, row.updated_by, row.updated_at = stage, note, actor, utcnow()
        if next_round:
            row.round = (row.round or 0) + 1
        s.add(history_row(unit, "tahap", old, stage, actor, note))

    def submit(self, unit_name: str, actor: int | None) -> UnitStage:
        """Send the self-assessment to the TPI (a new round); refused while questions are unanswered."""
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            current = self._stage(s, unit)
            if current.stage not in SUBMITTABLE:
                raise ZiError(f"unit {unit.name} sedang pada tahap {current.stage}; belum bisa diajukan")
            spec = self._spec(s, unit.spec_version_id)
            answered = set(s.scalars(select(Answer.question_id).where(Answer.unit_id == unit.id)))
            missing = [q.id for q in spec.ordered_questions if q.id not in answered]
            if missing:
                raise AnswerError("ajukan", f"{len(missing)} pertanyaan belum dijawab: {', '.join(missing[:15])}")
            self._move(s, unit, "diajukan", actor, next_round=True)
            return self._stage(s, unit)

    def _reviewable(self, s: Session, unit_name: str, reviewer: int) -> Unit:
        unit = self._unit_row(s, unit_name, lock=True)
        assigned = s.get(TpiAssignment, (reviewer, unit.id))
        if assigned is None:
            raise PermissionDenied("not assigned")
        stage = self._stage(s, unit).stage
        if stage != "diajukan":
            raise ZiError(f"unit {unit.name} tidak sedang diajukan ke TPI (tahap: {stage})")
        return unit

    def review_answer(
        self,
        unit_name: str,
        question_id: str,
        reviewer: int,
        *,
        agree: bool = False,
        raw: Any = None,
        note: str | None = None,
    ) -> ReviewEntry:
        """One question: agree with the unit's answer, revise it to `raw` (validated like the unit's), and/or
        attach a note. Only an assigned TPI member, only while the unit is submitted."""
        qid = question_id.strip().upper()
        with self._tx() as s:
            unit = self._reviewable(s, unit_name, reviewer)
            spec = self._spec(s, unit.spec_version_id)
            if qid not in spec.questions:
                raise AnswerError(qid, "ID pertanyaan tidak dikenal")
            text = _clean_note(note, qid)
            row = s.get(ReviewItem, (unit.id, qid))
            if row is None:
                row = ReviewItem(unit_id=unit.id, question_id=qid, status="belum")
                s.add(row)
            old = {"status": row.status, "tpi": row.tpi_value, "note": row.note}
            if raw is not None:
                value = validate_answer(spec, qid, raw)
                stored = dict(value) if isinstance(value, Mapping) else value
                unit_answer = s.scalar(select(Answer.value).where(Answer.unit_id == unit.id, Answer.question_id == qid))
                if stored == unit_answer:
                    row.status, row.tpi_value = "disetujui", None
                else:
                    row.status, row.tpi_value = "direvisi", stored
            elif agree:
                row.status, row.tpi_value = "disetujui", None
            if text is not None:
                row.note = text
            row.reviewer, row.round, row.updated_at = reviewer, self._stage(s, unit).round, utcnow()
            new = {"status": row.status, "tpi": row.tpi_value, "note": row.note}
            s.add(history_row(unit, f"tpi:{qid}", old, new, reviewer, text or ""))
            return _entry(row)

    def agree_all(self, unit_name: str, reviewer: int) -> list[str]:
        """Agree with every answer not reviewed yet; returns their IDs."""
        with self._tx() as s:
            unit = self._reviewable(s, unit_name, reviewer)
            spec = self._spec(s, unit.spec_version_id)
            rows = {r.question_id: r for r in s.scalars(select(ReviewItem).where(ReviewItem.unit_id == unit.id))}
            round_ = self._stage(s, unit).round
            done = []
            for q in spec.ordered_questions:
                row = rows.get(q.id)
                if row is not None and row.status != "belum":
                    continue
                if row is None:
                    row = ReviewItem(unit_id=unit.id, question_id=q.id, status="belum")
                    s.add(row)
                row.status, row.tpi_value, row.reviewer, row.round = "disetujui", None, reviewer, round_
                row.updated_at = utcnow()
                done.append(q.id)
            if done:
                s.add(history_row(unit, "tpi:semua", None, "disetujui", reviewer, f"{len(done)} jawaban disetujui"))
            return done

    def return_to_unit(self, unit_name: str, reviewer: int, note: str = "") -> list[ReviewEntry]:
        """Send the worksheet back for improvement with every note; returns the entries with a note or revision."""
        text = _clean_note(note, "kembalikan") or ""
        with self._tx() as s:
            unit = self._reviewable(s, unit_name, reviewer)
            self._move(s, unit, "perbaikan", reviewer, text)
            items = self._items(s, unit)
            spec = self._spec(s, unit.spec_version_id)
            return [i for q in spec.ordered_questions if (i := items.get(q.id)) and i.flagged]

    def finish_review(self, unit_name: str, reviewer: int, layak: bool, note: str = "") -> UnitStage:
        """The TPI's final evaluation: layak or belum layak to be proposed; every question must be reviewed."""
        text = _clean_note(note, "selesai") or ""
        with self._tx() as s:
            unit = self._reviewable(s, unit_name, reviewer)
            spec = self._spec(s, unit.spec_version_id)
            left = unreviewed(spec, self._items(s, unit))
            if left:
                raise AnswerError("selesai", f"{len(left)} jawaban belum ditinjau: {', '.join(left[:15])}")
            self._move(s, unit, "layak" if layak else "belum_layak", reviewer, text)
            return self._stage(s, unit)

    def propose(self, unit_name: str, actor: int | None) -> UnitStage:
        """An admin records that a unit the TPI found fit was proposed to TPN (PMPZI)."""
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            stage = self._stage(s, unit).stage
            if stage != "layak":
                raise ZiError(f"hanya unit yang dinilai layak oleh TPI yang bisa diusulkan (tahap: {stage})")
            self._move(s, unit, "diusulkan", actor)
            return self._stage(s, unit)

    def reply_to_note(self, unit_name: str, question_id: str, text: str, actor: int | None) -> ReviewEntry:
        """The unit's reply (tanggapan) to the TPI's note on a question, during perbaikan."""
        qid = question_id.strip().upper()
        reply = _clean_note(text, qid)
        if reply is None:
            raise AnswerError(qid, "tanggapan kosong")
        with self._tx() as s:
            unit = self._unit_row(s, unit_name, lock=True)
            stage = self._stage(s, unit).stage
            if stage != "perbaikan":
                raise ZiError(f"tanggapan hanya bisa diberikan saat perbaikan (tahap: {stage})")
            row = s.get(ReviewItem, (unit.id, qid))
            if row is None or not _entry(row).flagged:
                raise AnswerError(qid, "TPI tidak memberi catatan atau revisi pada pertanyaan ini")
            s.add(history_row(unit, f"tanggapan:{qid}", row.reply, reply, actor))
            row.reply = reply
            return _entry(row)

    def review_summary(self, unit_name: str) -> ReviewSummary:
        """The unit's own and the TPI's assessment side by side, from one read."""
        with self._read() as s:
            unit = self._unit_row(s, unit_name)
            stage, items = self._stage(s, unit), self._items(s, unit)
        spec, worksheet = self.worksheet(unit_name)
        return summarize(spec, worksheet, stage, items)

    def review_items(self, unit_name: str) -> dict[str, ReviewEntry]:
        with self._read() as s:
            return self._items(s, self._unit_row(s, unit_name))

    @staticmethod
    def _items(s: Session, unit: Unit) -> dict[str, ReviewEntry]:
        rows = s.scalars(select(ReviewItem).where(ReviewItem.unit_id == unit.id))
        return {r.question_id: _entry(r) for r in rows}

    # --- the unit's side ----------------------------------------------------------------------------------------

    def _check_editable(self, s: Session, unit: Unit, question_id: str | None) -> None:
        """Refuse a unit-side change while the TPI has the worksheet; during perbaikan allow only the questions the
        TPI revised or commented on (`question_id` None: survey results, never flagged per question)."""
        stage = self._stage(s, unit).stage
        if stage not in EDITABLE:
            raise AnswerError(question_id or "hasil", f"lembar kerja sedang pada tahap {stage}; tidak bisa diubah")
        if stage == "perbaikan" and question_id is not None:
            row = s.get(ReviewItem, (unit.id, question_id))
            # "belum" here: the unit changed it in this perbaikan already (see _mark_changed).
            if row is None or not (row.note or row.status in ("direvisi", "belum")):
                raise AnswerError(
                    question_id, "saat perbaikan hanya jawaban yang direvisi atau diberi catatan TPI yang bisa diubah"
                )

    @staticmethod
    def _mark_changed(s: Session, unit: Unit, question_id: str) -> None:
        """A unit's answer changed during perbaikan: the TPI checks it again in the next round."""
        row = s.get(ReviewItem, (unit.id, question_id))
        if row is not None:
            row.status, row.tpi_value = "belum", None


@dataclass(frozen=True)
class ReviewSummary:
    """A unit's two assessments side by side: its own (mandiri) and the TPI's (its answers with the TPI's revisions),
    the stage, and every question's review entry."""

    stage: UnitStage
    items: Mapping[str, ReviewEntry]
    mandiri: Assessment
    tpi: Assessment

    @property
    def differing(self) -> list[str]:
        """Questions where the TPI's answer differs from the unit's, in worksheet order."""
        spec = self.mandiri.spec
        own, theirs = self.mandiri.worksheet.answers, self.tpi.worksheet.answers
        return [q.id for q in spec.ordered_questions if own.get(q.id) != theirs.get(q.id)]

    @property
    def reviewed(self) -> bool:
        return self.stage.stage != "mandiri" or bool(self.items)

    def status(self, question_id: str) -> str:
        item = self.items.get(question_id)
        return item.status if item else "belum"

    def to_json(self) -> dict[str, Any]:
        spec = self.mandiri.spec
        own, theirs = self.mandiri.worksheet.answers, self.tpi.worksheet.answers
        questions = {}
        for q in spec.ordered_questions:
            item = self.items.get(q.id)
            status = item.status if item else "belum"
            questions[q.id] = {
                "unit": own.get(q.id),
                "tpi": theirs.get(q.id) if status != "belum" else None,
                "status": status,
                "note": item.note if item else None,
                "reply": item.reply if item else None,
            }
        return {
            "unit": self.mandiri.worksheet.unit,
            "stage": self.stage.stage,
            "round": self.stage.round,
            "questions": questions,
            "scores": {"mandiri": self.mandiri.to_json(), "tpi": self.tpi.to_json()},
        }


def summarize(
    spec: WorksheetSpec, worksheet: Worksheet, stage: UnitStage, items: Mapping[str, ReviewEntry]
) -> ReviewSummary:

    return ReviewSummary(stage, items, assess(spec, worksheet), assess(spec, tpi_worksheet(worksheet, items)))
