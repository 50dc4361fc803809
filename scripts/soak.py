"""Soak benchmark: mixed traffic from 20 users through the real bot and the fake Bot API for a fixed time.

14 employees ask the development questions; 6 coordinators, each with a unit of their own, record answers (/lapor),
read their scorecard (/skor) and their gaps (/celah). Reported per window: requests per second and p95 time from
update to first reply, and the resident memory (RSS) of the process at the start (after warm-up) and at the end, so
that a leak shows as growth. Bounded: it stops by itself after --minutes.

Usage: python scripts/soak.py [--minutes 30] [--window 5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from telegram.request import HTTPXRequest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.app import build_application  # noqa: E402
from knowledge.evaluation import load_qa  # noqa: E402
from tests.bot.conftest import TOKEN, make_settings  # noqa: E402
from tests.bot.fake_telegram import Call, FakeTelegram  # noqa: E402
from zi_core.spec import load_spec  # noqa: E402

EMPLOYEES, COORDINATORS = 14, 6


def rss_mb() -> float:
    """Current resident memory of this process (not the peak)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 1_048_576


async def run(minutes: float, window_minutes: float, questions: list[str]) -> None:
    data = Path(tempfile.mkdtemp(prefix="zi-soak-"))
    fake = FakeTelegram(TOKEN, record=False)  # the fake keeps no call history: RSS is the bot's
    app = build_application(
        make_settings(data),
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
    )
    await app.initialize()
    await app.post_init(app)
    store = app.bot_data["services"].store
    for i in range(COORDINATORS):
        store.add_unit(f"Balai Soak {i}")
        store.add_user(500 + i, "koordinator", f"Balai Soak {i}")
    choice = [q for q in load_spec().ordered_questions if q.rule is None]
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    records: list[tuple[float, str, float]] = []  # (time since start, kind, latency ms)
    rng = random.Random(20261130)
    waiting: dict[int, asyncio.Future[float]] = {}

    def on_call(call: Call) -> None:
        future = waiting.get(call.chat_id or 0)
        if future is not None and not future.done() and call.method != "sendChatAction":
            future.set_result(call.at)

    fake.listeners.append(on_call)

    async def request(uid: int, text: str, kind: str, started: float) -> None:
        """Send one update and wait for the first reply to that chat (each user has one request in flight)."""
        waiting[uid] = asyncio.get_running_loop().create_future()
        t0 = time.perf_counter()
        fake.send_text(uid, text)
        replied = await asyncio.wait_for(waiting[uid], timeout=120)
        del waiting[uid]
        records.append((t0 - started, kind, (replied - t0) * 1000))

    async def employee(uid: int, deadline: float, started: float) -> None:
        while time.perf_counter() < deadline:
            await request(uid, rng.choice(questions), "tanya", started)
            await asyncio.sleep(rng.uniform(0.05, 0.3))

    async def coordinator(uid: int, deadline: float, started: float) -> None:
        while time.perf_counter() < deadline:
            q = rng.choice(choice)
            await request(uid, f"/lapor {q.id} {rng.choice(q.options).code}", "lapor", started)
            if rng.random() < 0.2:
                await request(uid, "/skor", "skor", started)
            if rng.random() < 0.1:
                await request(uid, "/celah", "celah", started)
            await asyncio.sleep(rng.uniform(0.05, 0.3))

    # Warm-up: a minute of the same traffic before the first memory reading.
    warm = time.perf_counter()
    await asyncio.gather(
        *(employee(100 + u, warm + 60, warm) for u in range(EMPLOYEES)),
        *(coordinator(500 + c, warm + 60, warm) for c in range(COORDINATORS)),
    )
    records.clear()
    rss_start = rss_mb()
    started = time.perf_counter()
    deadline = started + minutes * 60
    await asyncio.gather(
        *(employee(100 + u, deadline, started) for u in range(EMPLOYEES)),
        *(coordinator(500 + c, deadline, started) for c in range(COORDINATORS)),
    )
    rss_end = rss_mb()
    await app.updater.stop()
    await app.stop()
    await app.post_shutdown(app)
    await app.shutdown()
    shutil.rmtree(data, ignore_errors=True)

    window = window_minutes * 60
    print(f"soak: {minutes:g} min, {EMPLOYEES} employees + {COORDINATORS} coordinators, {len(records)} requests")
    header = ["window", "requests", "req/s", "p50 ms", "p95 ms", "tanya p95", "lapor p95"]
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (14, 9, 7, 8, 8, 10, 10), strict=True)))
    for start in np.arange(0, minutes * 60, window):
        rows = [r for r in records if start <= r[0] < start + window]
        if not rows:
            continue
        lat = [r[2] for r in rows]
        by = {k: [r[2] for r in rows if r[1] == k] for k in ("tanya", "lapor")}
        p95 = {k: f"{np.percentile(v, 95):10.1f}" if v else f"{'-':>10}" for k, v in by.items()}
        label = f"{start / 60:.1f}-{(start + window) / 60:.1f} min"
        print(
            f"{label:>14} {len(rows):9d} {len(rows) / window:7.2f} {np.percentile(lat, 50):8.1f} "
            f"{np.percentile(lat, 95):8.1f} {p95['tanya']} {p95['lapor']}"
        )
    growth = (rss_end - rss_start) / rss_start * 100
    print(f"RSS after warm-up {rss_start:.0f} MB, at the end {rss_end:.0f} MB ({growth:+.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--window", type=float, default=5.0)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    questions = [q.question for q in load_qa(args.shared / "eval" / "dev-qa.yaml")]
    asyncio.run(run(args.minutes, args.window, questions))


if __name__ == "__main__":
    main()
