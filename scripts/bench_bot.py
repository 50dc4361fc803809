"""Bot benchmark: N simulated users ask distinct questions through the fake Bot API at once; reports questions per
second and p50/p95 time from update to reply, against `KnowledgeBase.ask` alone on exactly the same questions in the
same run (before the bot starts, one timing per question), and per question: the bot's own overhead (reply time
minus that request's retrieval inside the bot) and reply time minus the same question's retrieval alone.

Usage: python scripts/bench_bot.py [--users 8] [--questions 15] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
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
from tests.bot.fake_telegram import FakeTelegram  # noqa: E402

RATE_LIMIT = "--no-rate-limit" not in sys.argv


async def run(users: int, per_user: int, questions: list[str]) -> dict[str, float]:
    """`users` simulated users each ask `per_user` distinct questions; the same questions are first timed through
    `KnowledgeBase.ask` alone, one timing per question, so every bot timing has its own baseline."""
    asked = list(dict.fromkeys(" ".join(q.split()) for q in questions))[: users * per_user]
    if len(asked) < users * per_user:
        raise SystemExit(f"only {len(asked)} distinct questions for {users} x {per_user}")
    data = Path(tempfile.mkdtemp(prefix="zi-bench-bot-"))
    fake = FakeTelegram(TOKEN)
    app = build_application(
        make_settings(data),
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        rate_limit=RATE_LIMIT,
    )
    await app.initialize()
    await app.post_init(app)
    kb = app.bot_data.services.kb
    for q in questions[-10:]:  # warm-up on questions not timed
        kb.ask(q)
    alone: dict[str, float] = {}
    for q in asked:
        t0 = time.perf_counter()
        kb.ask(q)
        alone[q] = (time.perf_counter() - t0) * 1000
    # each request's own retrieval inside the running bot, to separate it from the bot's overhead
    inside: dict[str, float] = {}
    plain_ask = kb.ask

    def timed_ask(question: str, top_k: int = 5):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return plain_ask(question, top_k)
        finally:
            inside[question] = (time.perf_counter() - t) * 1000

    kb.ask = timed_ask
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    bot: dict[str, float] = {}

    async def user(index: int) -> None:
        for question in asked[index * per_user : (index + 1) * per_user]:
            uid = 100 + index
            since = len(fake.calls)
            t0 = time.perf_counter()
            fake.send_text(uid, question)
            (reply, *_) = await fake.wait_calls(uid, 1, since)
            bot[question] = (reply.at - t0) * 1000

    start = time.perf_counter()
    await asyncio.gather(*(user(u) for u in range(users)))
    wall = time.perf_counter() - start
    await app.updater.stop()
    await app.stop()
    await app.post_shutdown(app)
    await app.shutdown()
    shutil.rmtree(data, ignore_errors=True)
    overhead = [bot[q] - inside[q] for q in asked]
    versus_alone = [bot[q] - alone[q] for q in asked]
    return {
        "users": users,
        "questions": len(bot),
        "questions_per_s": len(bot) / wall,
        "bot_p50_ms": float(np.percentile(list(bot.values()), 50)),
        "bot_p95_ms": float(np.percentile(list(bot.values()), 95)),
        "retrieval_p50_ms": float(np.percentile(list(alone.values()), 50)),
        "retrieval_p95_ms": float(np.percentile(list(alone.values()), 95)),
        "in_bot_retrieval_p50_ms": float(np.percentile([inside[q] for q in asked], 50)),
        "overhead_p50_ms": float(np.percentile(overhead, 50)),
        "overhead_p95_ms": float(np.percentile(overhead, 95)),
        "vs_alone_p50_ms": float(np.percentile(versus_alone, 50)),
        "vs_alone_p95_ms": float(np.percentile(versus_alone, 95)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="*", default=[1, 8])
    parser.add_argument("--questions", type=int, default=15)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--no-rate-limit", action="store_true", help="Measure without AIORateLimiter.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    questions = [q.question for q in load_qa(args.shared / "eval" / "dev-qa.yaml")]
    header = [
        "users",
        "n",
        "q/s",
        "bot p50",
        "bot p95",
        "retr p50",
        "retr p95",
        "in-bot r50",
        "ovh p50",
        "ovh p95",
        "vs alone 50",
        "vs alone 95",
        "peak MB",
    ]
    print(" ".join(f"{h:>10}" for h in header))
    for users in args.users:
        r = asyncio.run(run(users, args.questions, questions))
        keys = [
            "users",
            "questions",
            "questions_per_s",
            "bot_p50_ms",
            "bot_p95_ms",
            "retrieval_p50_ms",
            "retrieval_p95_ms",
            "in_bot_retrieval_p50_ms",
            "overhead_p50_ms",
            "overhead_p95_ms",
            "vs_alone_p50_ms",
            "vs_alone_p95_ms",
            "peak_rss_mb",
        ]
        row = [r[k] for k in keys]
        print(" ".join(f"{v:>10.1f}" for v in row))


if __name__ == "__main__":
    main()
