"""The bot's own records in the store's database: the question log with feedback and the unanswered list, one
pending action per user with its expiry (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.records import BotRecords, Pending
from tests.zi_core.test_store import store  # noqa: F401 - the SQLite/PostgreSQL fixture
from zi_core.store import Store


@pytest.fixture
def records(store: Store) -> BotRecords:  # noqa: F811
    return BotRecords(store)


def test_question_log_feedback_and_unanswered(records: BotRecords) -> None:
    a = records.log_question(7, "Resep rendang?", abstained=True)
    records.log_question(8, "resep  rendang?", abstained=True)
    b = records.log_question(
        7, "Berapa nilai minimal WBK?", abstained=False, top_source="permen.pdf", shown=[("c2", "c1"), ("c9",)]
    )
    assert records.set_feedback(b, 7, 1)
    assert not records.set_feedback(b, 8, -1)  # not their question
    assert [(q.question, q.count, q.thumbs_down) for q in records.open_questions()] == [("resep rendang?", 2, 0)]
    assert records.set_feedback(b, 7, -1)  # a 👎 puts an answered question on the list too
    opened = {q.question: q for q in records.open_questions()}
    assert opened["berapa nilai minimal wbk?"].thumbs_down == 1 and opened["resep rendang?"].id > a
    question, askers = records.resolve_question(a)  # type: ignore[misc]
    assert question == "Resep rendang?" and askers == [7, 8]  # both who asked it, however they typed it
    assert [q.question for q in records.open_questions()] == ["berapa nilai minimal wbk?"]
    assert records.resolve_question(999999) is None
    logged = records.question_log(a)
    assert logged is not None and (logged.telegram_id, logged.question, logged.shown) == (7, "Resep rendang?", ())
    assert records.question_log(b).shown == (("c2", "c1"), ("c9",))  # type: ignore[union-attr]


def test_one_pending_action_per_user_with_expiry(records: BotRecords) -> None:
    assert records.pending(5) is None and not records.clear_pending(5)
    records.set_pending(5, "upload", {})
    records.set_pending(5, "evidence", {"qid": "PPA1A"})  # replaces the upload
    assert records.pending(5) == Pending("evidence", {"qid": "PPA1A"})
    records.set_pending(6, "ratio", {"qid": "PRE2A"}, ttl_seconds=-1)
    assert records.pending(6) is None and not records.clear_pending(6)
    assert records.clear_pending(5) and records.pending(5) is None
