"""SQLAlchemy 2 table mappings. Schema changes go through numbered Alembic migrations in migrations/."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class SpecVersion(Base):
    __tablename__ = "spec_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    spec_version_id: Mapped[int] = mapped_column(ForeignKey("spec_versions.id"))
    predikat: Mapped[str | None] = mapped_column(String(10), nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("unit_id", "question_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    question_id: Mapped[str] = mapped_column(String(20))
    spec_version_id: Mapped[int] = mapped_column(ForeignKey("spec_versions.id"))
    value: Mapped[Any] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AnswerHistory(Base):
    """Append-only: every change of an answer, survey result or readiness item, with who and when."""

    __tablename__ = "answer_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(40))
    spec_version_id: Mapped[int] = mapped_column(ForeignKey("spec_versions.id"))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    actor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HasilResult(Base):
    __tablename__ = "hasil_results"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    ipak: Mapped[float | None] = mapped_column(Float, nullable=True)
    ipkp: Mapped[float | None] = mapped_column(Float, nullable=True)
    capaian_kinerja: Mapped[str | None] = mapped_column(String(1), nullable=True)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Readiness(Base):
    __tablename__ = "readiness"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionLog(Base):
    """Questions employees asked, for feedback and the list of unanswered topics."""

    __tablename__ = "question_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    question: Mapped[str] = mapped_column(Text)
    abstained: Mapped[bool] = mapped_column(Boolean)
    top_source: Mapped[str] = mapped_column(String(255), default="")
    feedback: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The passages shown with the answer: each a list of chunk ids, the one that was found first.
    shown: Mapped[Any] = mapped_column(JSON, nullable=True)
    # When an admin answered it (abstained or 👎 questions), after which it leaves the unanswered list.
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PendingAction(Base):
    """The one thing a user's next message completes, until it expires (bot conversation state)."""

    __tablename__ = "pending_actions"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[Any] = mapped_column(JSON, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AppSetting(Base):
    __tablename__ = "app_settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class TpiAssignment(Base):
    """Which units a TPI member reviews (many to many)."""

    __tablename__ = "tpi_assignments"
    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class UnitReview(Base):
    """A unit's stage in the TPI review (no row: penilaian mandiri), its round and the TPI's recommendation."""

    __tablename__ = "unit_reviews"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewItem(Base):
    """The TPI's verdict on one answer: agreed, revised (with the TPI's answer) or to re-check, a note, the unit's
    reply. One row per question, so two TPI members reviewing different questions never overwrite each other."""

    __tablename__ = "review_items"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    tpi_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewer: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    round: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def history_row(unit: Unit, question_id: str, old: Any, new: Any, actor: int | None, note: str = "") -> AnswerHistory:
    """One history entry of a unit: what changed from what to what, by whom, under the unit's worksheet version."""
    return AnswerHistory(
        unit_id=unit.id,
        question_id=question_id,
        spec_version_id=unit.spec_version_id,
        old=old,
        new=new,
        actor=actor,
        note=note,
    )
