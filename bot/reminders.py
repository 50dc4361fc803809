"""Daily reminders to coordinators of incomplete units ahead of the 31 May PMPZI deadline."""

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


def days_to_deadline(today: dt.date) -> int:
    deadline = dt.date(today.year, 5, 31)
    if today > deadline:
        deadline = dt.date(today.year + 1, 5, 31)
    return (deadline - today).days


def due_reminders(services: Services, today: dt.date) -> list[tuple[int, str]]:
    """(telegram_id, html) for every coordinator whose unit is incomplete, on the configured days before 31 May."""
    days = days_to_deadline(today)
    if days not in services.settings.reminder_days_before:
        return []
    out = []
    for user in services.store.list_users("koordinator"):
        if user.unit is None:
            continue
        a = assess(*services.store.worksheet(user.unit))
        if a.completion < 1.0:
            out.append(
                (
                    user.telegram_id,
                    services.templates.render(
                        "worksheet", "reminder", unit=user.unit, days=days, completion=a.completion
                    ),
                )
            )
    return out


async def _send(context: Context) -> None:
    services = context.bot_data.services
    due = await asyncio.to_thread(due_reminders, services, dt.date.today())
    for chat_id, text in due:
        try:
            await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except Exception:  # noqa: BLE001 - one blocked user must not stop the others
            logger.warning("reminder to %s failed", chat_id)


def reminder_hour(services: Services) -> int:
    """The hour stored in the database (admins change it with /pengingat), else the configured one; blocking."""
    return int(services.store.get_setting("reminder_hour", services.settings.reminder_hour))


def schedule(queue: JobQueue[Any] | None, hour: int) -> None:
    """(Re)create the daily job at `hour` (Jakarta time); runs on the event loop, reads nothing."""
    if queue is None:
        return
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    queue.run_daily(_send, time=dt.time(hour=hour, tzinfo=dt.timezone(dt.timedelta(hours=7))), name=JOB_NAME)
