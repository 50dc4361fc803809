"""The bot's operational records in the same database: questions asked (with feedback) and app settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AppSetting, QuestionLog
from .records import LoggedQuestion


class OperationalRecords:
    """Mixed into Store, which provides the transactions."""

    def _tx(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

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

    def top_unanswered(self, limit: int = 10) -> list[tuple[str, int]]:
        with self._read() as s:
            rows = s.scalars(select(QuestionLog.question).where(QuestionLog.abstained.is_(True)))
            counts = Counter(" ".join(q.lower().split()) for q in rows)
        return counts.most_common(limit)

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._read() as s:
            row = s.get(AppSetting, key)
            return row.value if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._tx() as s:
            row = s.get(AppSetting, key)
            if row is None:
                s.add(AppSetting(key=key, value=value))
            else:
                row.value = value
