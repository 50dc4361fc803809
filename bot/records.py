"""The bot's own records, in the store's database (tables in zi_core.models, so one migration chain serves them):
questions asked with the passages shown and feedback, what a user's next message completes, and app settings.

Owned by the bot: nothing in `zi_core` reads them. `BotRecords` runs its queries in the store's transactions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zi_core.db import retry_on_conflict
from zi_core.models import AppSetting, PendingAction, QuestionLog
from zi_core.store import Store

# How long a pending action (a file awaited after /unggah or /bukti, counts awaited for a ratio question) waits.
PENDING_TTL = 600


def _aware(moment: datetime) -> datetime:
    """SQLite gives timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _normalised(question: str) -> str:
    return " ".join(question.lower().split())


@dataclass(frozen=True)
class Pending:
    """What a user's next message completes: `kind` ("upload", "evidence", "ratio", "ratio_counts") and its data."""

    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class OpenQuestion:
    """A question employees asked that got no answer or a 👎, not yet answered by an admin: the latest log id of
    the question as typed (case and spaces aside), how often it was asked, how many of those got a 👎."""

    id: int
    question: str
    count: int
    thumbs_down: int


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    telegram_id: int | None
    question: str
    # The passages shown with its answer, in rank order: each the chunk ids it was made of, the found one first.
    shown: tuple[tuple[str, ...], ...]


class BotRecords:
    """The bot's records, read and written in the store's transactions (and its retry on a concurrent insert)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _tx(self) -> AbstractContextManager[Session]:
        return self._store.transaction()

    def _read(self) -> AbstractContextManager[Session]:
        return self._store.reading()

    def log_question(
        self,
        telegram_id: int | None,
        question: str,
        abstained: bool,
        top_source: str = "",
        shown: Sequence[Sequence[str]] = (),
    ) -> int:
        """Log a question with the passages shown for it (chunk ids, the found one first, per passage)."""
        with self._tx() as s:
            row = QuestionLog(
                telegram_id=telegram_id,
                question=question[:2000],
                abstained=abstained,
                top_source=top_source,
                shown=[list(ids) for ids in shown],
            )
            s.add(row)
            s.flush()
            return row.id

    def set_feedback(self, log_id: int, telegram_id: int, value: int) -> bool:
        """Record 👍 (1) or 👎 (-1) on one's own question; False when it is not theirs."""
        with self._tx() as s:
            row = s.get(QuestionLog, log_id)
            if row is None or row.telegram_id != telegram_id or value not in (1, -1):
                return False
            row.feedback = value
            return True

    def question_log(self, log_id: int) -> LoggedQuestion | None:
        with self._read() as s:
            row = s.get(QuestionLog, log_id)
            if row is None:
                return None
            shown = tuple(tuple(str(i) for i in ids) for ids in row.shown or [])
            return LoggedQuestion(row.id, row.telegram_id, row.question, shown)

    def open_questions(self, limit: int = 10) -> list[OpenQuestion]:
        """Questions without an answer (abstained) or with a 👎 that no admin answered yet, most asked first."""
        with self._read() as s:
            rows = s.execute(
                select(QuestionLog.id, QuestionLog.question, QuestionLog.feedback).where(
                    or_(QuestionLog.abstained.is_(True), QuestionLog.feedback == -1),
                    QuestionLog.resolved_at.is_(None),
                )
            ).all()
        counts: Counter[str] = Counter()
        downs: Counter[str] = Counter()
        latest: dict[str, int] = {}
        for log_id, question, feedback in rows:
            key = _normalised(question)
            counts[key] += 1
            downs[key] += int(feedback == -1)
            latest[key] = max(latest.get(key, 0), log_id)
        return [OpenQuestion(latest[k], k, n, downs[k]) for k, n in counts.most_common(limit)]

    def resolve_question(self, log_id: int) -> tuple[str, list[int]] | None:
        """Mark a question (every time it was asked, as typed) answered; its text and who asked it, or None when
        there is no such log entry."""
        with self._tx() as s:
            row = s.get(QuestionLog, log_id)
            if row is None:
                return None
            key = _normalised(row.question)
            same = s.scalars(select(QuestionLog).where(QuestionLog.resolved_at.is_(None)))
            askers: list[int] = []
            now = datetime.now(UTC)
            for other in same:
                if _normalised(other.question) == key:
                    other.resolved_at = now
                    if other.telegram_id is not None and other.telegram_id not in askers:
                        askers.append(other.telegram_id)
            return row.question, askers

    # --- pending actions: one per user, with an expiry -------------------------------------------------------------

    @retry_on_conflict
    def set_pending(self, telegram_id: int, kind: str, payload: dict[str, Any], ttl_seconds: int = PENDING_TTL) -> None:
        """What the user's next message completes; replaces whatever was pending (one at a time)."""
        expires = datetime.now(UTC) + timedelta(seconds=ttl_seconds)
        with self._tx() as s:
            row = s.get(PendingAction, telegram_id)
            if row is None:
                s.add(PendingAction(telegram_id=telegram_id, kind=kind, payload=payload, expires_at=expires))
            else:
                row.kind, row.payload, row.expires_at = kind, payload, expires

    def pending(self, telegram_id: int) -> Pending | None:
        """The user's pending action if it has not expired."""
        with self._read() as s:
            row = s.get(PendingAction, telegram_id)
            if row is None or _aware(row.expires_at) <= datetime.now(UTC):
                return None
            return Pending(row.kind, dict(row.payload or {}))

    def clear_pending(self, telegram_id: int) -> bool:
        """Forget the user's pending action; whether there was one that had not expired."""
        with self._tx() as s:
            row = s.get(PendingAction, telegram_id)
            if row is None:
                return False
            live = _aware(row.expires_at) > datetime.now(UTC)
            s.delete(row)
            return live

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._read() as s:
            row = s.get(AppSetting, key)
            return row.value if row else default

    @retry_on_conflict
    def set_setting(self, key: str, value: Any) -> None:
        with self._tx() as s:
            row = s.get(AppSetting, key)
            if row is None:
                s.add(AppSetting(key=key, value=value))
            else:
                row.value = value
