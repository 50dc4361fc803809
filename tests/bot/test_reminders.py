from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.reminders import due_reminders
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
    services = Services(settings, kb=None, store=store, templates=Templates())  # type: ignore[arg-type]
    due = due_reminders(services, dt.date(2027, 5, 1))  # 30 days before 31 May
    assert [chat for chat, _ in due] == [21]
    assert "31 Mei" in due[0][1] and "30 hari lagi" in due[0][1] and "Balai A" in due[0][1]
    assert due_reminders(services, dt.date(2027, 5, 2)) == []  # 29 days: not a configured day
    assert [chat for chat, _ in due_reminders(services, dt.date(2027, 5, 24))] == [21]  # 7 days
    store.close()
