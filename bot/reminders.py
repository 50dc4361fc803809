"""Daily reminders ahead of the PMPZI proposal deadline (31 May unless moved): coordinators of incomplete units
or with TPI notes unanswered, and TPI members with units waiting for review."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import JobQueue

from zi_core.report import assess

from .context import Context
from .services import Services

logger = logging.getLogger(__name__)
JOB_NAME = "deadline-reminder"


def deadline_for(services: Services, today: dt.date) -> dt.date:
    """The next proposal deadline: a date an admin set for this cycle (/pengingat batas), else the configured
    month-day (31 May by default), this year or next."""
    month, day = (int(x) for x in services.settings.proposal_deadline.split("-"))
    regular = dt.date(today.year, month, day)
    if today > regular:
        regular = dt.date(today.year + 1, month, day)
    moved = services.records.get_setting("proposal_deadline")
    if isinstance(moved, str):
        moved_date = dt.date.fromisoformat(moved)
        if today <= moved_date and moved_date.year == regular.year:
            return moved_date
    return regular


def days_to_deadline(today: dt.date, deadline: dt.date | None = None) -> int:
    deadline = deadline or (
        dt.date(today.year, 5, 31) if today <= dt.date(today.year, 5, 31) else dt.date(today.year + 1, 5, 31)
    )
    return (deadline - today).days


def days_waited(since: dt.datetime, today: dt.date) -> int:
    """Calendar days (UTC) from `since` to `today`: a unit submitted in a day's last minute has waited one day the
    next day (counting whole 24-hour periods up to 23:59 lost that day when it was submitted after 23:59)."""
    return (today - since.astimezone(dt.UTC).date()).days


def due_reminders(services: Services, today: dt.date) -> list[tuple[int, str]]:
    """(telegram_id, html) due today: on the configured days before the deadline, coordinators of incomplete units
    and of units whose TPI notes are unanswered; every day, TPI members with a unit waiting longer than
    `review_wait_days`."""
    store, render = services.store, services.templates.render
    deadline = deadline_for(services, today)
    days = days_to_deadline(today, deadline)
    out: list[tuple[int, str]] = []
    on_day = days in services.settings.reminder_days_before
    for user in store.list_users("koordinator") if on_day else []:
        if user.unit is None:
            continue
        a = assess(*store.worksheet(user.unit))
        if a.completion < 1.0:
            text = render(
                "worksheet", "reminder", unit=user.unit, days=days, completion=a.completion, deadline=deadline
            )
            out.append((user.telegram_id, text))
        stage = store.stage(user.unit)
        if stage.stage == "perbaikan":
            open_notes = [i for i in store.review_items(user.unit).values() if i.note and not i.reply]
            if open_notes:
                text = render(
                    "review", "reminder_notes", unit=user.unit, count=len(open_notes), days=days, deadline=deadline
                )
                out.append((user.telegram_id, text))
    for user in store.list_users("tpi"):
        waiting = []
        for unit in store.tpi_units(user.telegram_id):
            stage = store.stage(unit)
            if stage.stage == "diajukan" and stage.since is not None:
                waited = days_waited(stage.since, today)
                if waited >= services.settings.review_wait_days:
                    waiting.append((unit, waited))
        if waiting:
            out.append(
                (user.telegram_id, render("review", "reminder_waiting", units=waiting, days=days, deadline=deadline))
            )
    return out


async def _send(context: Context) -> None:
    services = context.bot_data.services
    due = await asyncio.to_thread(due_reminders, services, dt.datetime.now(dt.UTC).date())
    for chat_id, text in due:
        try:
            await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except Exception:  # noqa: BLE001 - one blocked user must not stop the others
            logger.warning("reminder to %s failed", chat_id)


def reminder_hour(services: Services) -> int:
    """The hour stored in the database (admins change it with /pengingat), else the configured one; blocking."""
    return int(services.records.get_setting("reminder_hour", services.settings.reminder_hour))


def schedule(queue: JobQueue[Any] | None, hour: int) -> None:
    """(Re)create the daily job at `hour` (Jakarta time); runs on the event loop, reads nothing."""
    if queue is None:
        return
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    queue.run_daily(_send, time=dt.time(hour=hour, tzinfo=dt.timezone(dt.timedelta(hours=7))), name=JOB_NAME)
