from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.records import BotRecords
from bot.reminders import days_waited, due_reminders
from bot.render import Templates
from bot.services import Services
from zi_app.config import Settings
from zi_core.store import Store


def test_reminders_go_to_coordinators_of_incomplete_units_on_configured_days(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'zi.sqlite3'}")
    store.start()
    store.add_unit("Balai A")
    store.add_user(21, "koordinator", "Balai A")
    store.add_user(22, "pegawai")
    settings = Settings(_env_file=None, data_dir=tmp_path, reminder_days_before=[30, 7])
    services = Services(settings, kb=None, store=store, templates=Templates(), records=BotRecords(store))  # type: ignore[arg-type]
    due = due_reminders(services, dt.date(2027, 5, 1))  # 30 days before 31 May
    assert [chat for chat, _ in due] == [21]
    assert "31 Mei" in due[0][1] and "30 hari lagi" in due[0][1] and "Balai A" in due[0][1]
    assert due_reminders(services, dt.date(2027, 5, 2)) == []  # 29 days: not a configured day
    assert [chat for chat, _ in due_reminders(services, dt.date(2027, 5, 24))] == [21]  # 7 days
    store.close()


def test_review_reminders_and_a_deadline_moved_by_letter(tmp_path: Path) -> None:
    from tests.zi_core.conftest import best_answers

    store = Store(f"sqlite:///{tmp_path / 'zi.sqlite3'}", evidence_dir=tmp_path / "ev")
    store.start()
    store.add_unit("Balai A")
    store.add_user(21, "koordinator", "Balai A")
    store.add_user(31, "tpi", None, "Inspektur")
    store.assign_units(31, ["Balai A"])
    store.import_answers("Balai A", best_answers(store.worksheet("Balai A")[0]), 21, "uji")
    settings = Settings(_env_file=None, data_dir=tmp_path, reminder_days_before=[30], review_wait_days=3)
    services = Services(settings, kb=None, store=store, templates=Templates(), records=BotRecords(store))  # type: ignore[arg-type]
    store.submit("Balai A", 21)
    submitted = store.stage("Balai A").since
    assert submitted is not None
    day = submitted.date()
    assert due_reminders(services, day + dt.timedelta(days=2)) == []  # waiting 2 days: not yet
    (to_tpi,) = due_reminders(services, day + dt.timedelta(days=3))
    assert to_tpi[0] == 31 and "Balai A</b> (3 hari)" in to_tpi[1]
    # Returned with a note: on a configured day the coordinator hears of the unanswered note.
    store.review_answer("Balai A", "PPA1A", 31, note="Lampirkan SK")
    store.return_to_unit("Balai A", 31)
    thirty_before = dt.date(day.year if day <= dt.date(day.year, 5, 1) else day.year + 1, 5, 1)
    due = due_reminders(services, thirty_before)
    assert [chat for chat, _ in due] == [21] and "1 catatan TPI" in due[0][1] and "31 Mei" in due[0][1]
    store.reply_to_note("Balai A", "PPA1A", "SK terlampir", 21)
    assert due_reminders(services, thirty_before) == []
    # KemenPANRB moves the deadline by letter: the countdown follows the new date.
    moved = dt.date(thirty_before.year, 6, 15)
    BotRecords(store).set_setting("proposal_deadline", moved.isoformat())
    store.add_unit("Balai B")
    store.add_user(22, "koordinator", "Balai B")
    due = due_reminders(services, moved - dt.timedelta(days=30))
    assert [chat for chat, _ in due] == [22] and "15 Juni" in due[0][1] and "30 hari lagi" in due[0][1]
    assert due_reminders(services, thirty_before) == []  # 31 May is no longer 30 days before the deadline
    store.close()


def test_days_waited_counts_calendar_days_in_utc() -> None:
    last_minute = dt.datetime(2026, 11, 30, 23, 59, 30, tzinfo=dt.UTC)
    assert days_waited(last_minute, dt.date(2026, 11, 30)) == 0
    assert days_waited(last_minute, dt.date(2026, 12, 3)) == 3
    # The same instant written in WIB (UTC+7) is still 30 November in UTC.
    wib = last_minute.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert days_waited(wib, dt.date(2026, 12, 3)) == 3
