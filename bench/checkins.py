"""Check-in dispatcher benchmark, with APScheduler's own SQLAlchemyJobStore as the peer.

    python -m bench.checkins

Prints one JSON line: seconds to schedule 100,000 check-ins; RSS growth with 100,000
pending; dispatcher start time with 100,000 pending; 1,000 check-ins due at the same moment
delivered to an unlimited in-process sink (delivered, missed, duplicates, spread_ms); and
the peer (APScheduler 3.11, SQLAlchemyJobStore on SQLite, default settings): seconds to add
10,000 jobs, and 1,000 jobs due at once (delivered, missed). Targets are printed alongside;
nothing is asserted: wall time depends on the machine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bot.checkins import schedule
from bot.checkins.dispatcher import Dispatcher
from bot.clock import SystemClock
from bot.config import load_settings
from bot.engine import Engine
from bot.models import Delivery, OutboundMessage, UserRef
from bot.state import DebriefState, UserSettings
from bot.store import checkins, interviews, transaction

TARGETS = {"schedule_100k_s": 5.0, "rss_growth_mb": 30.0, "start_s": 0.5,
           "at_once_delivered": 1000, "at_once_missed": 0, "at_once_duplicates": 0,
           "at_once_spread_ms": 2000}
PENDING = 100_000
USERS = 10_000
AT_ONCE = 1_000
PEER_JOBS = 10_000


def rss_mb() -> float:
    """This process's resident memory, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sink:
    """An unlimited in-process platform: records which check-in arrived when."""

    platform = "bench"

    def __init__(self) -> None:
        self.arrivals: list[tuple[int, float]] = []
        self.done = asyncio.Event()
        self.expected = 0

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """Take it, note the time."""
        match = re.match(r"ck:(\d+):", messages[0].buttons[0].id)
        self.arrivals.append((int(match.group(1)) if match else -1, time.perf_counter()))
        if len(self.arrivals) >= self.expected:
            self.done.set()
        return Delivery(status="sent")


def _make_users(engine: Engine, prefix: str, count: int, now: datetime,
                with_interview: bool) -> list[tuple[str, int | None]]:
    """`count` bench users (any hour, any day), each with an open interview if asked."""
    settings = UserSettings(tz="Europe/Berlin", hours_start=0, hours_end=24,
                            days=list(range(7))).model_dump_json()
    made: list[tuple[str, int | None]] = []
    stamp = now.isoformat()
    with transaction(engine.db):
        for n in range(count):
            ref = UserRef(platform="bench", workspace="w", user=f"{prefix}{n}")
            engine.db.execute(
                "INSERT INTO users (key, platform, workspace, user_id, settings, state, version,"
                " created_at, updated_at) VALUES (?, 'bench', 'w', ?, ?, '{}', 0, ?, ?)",
                [ref.key, ref.user, settings, stamp, stamp])
            interview_id = None
            if with_interview:
                record = interviews.create(engine.db, ref.key, now)
                record.debrief = DebriefState(company="Acme", role="Analyst", finished=True)
                interviews.save(engine.db, record, now)
                interview_id = record.id
            made.append((ref.key, interview_id))
    return made


def _plan(people: list[tuple[str, int | None]], now: datetime, n: int
          ) -> tuple[str, None, str, datetime, dict[str, int]]:
    """The n-th of 100,000 check-ins: spread over the next 30 days, 10 per user."""
    return (people[n % USERS][0], None, schedule.WEEKLY_GOAL,
            now + timedelta(days=1, seconds=(n * 26) % (30 * 86400)), {"apps": 3, "people": 2})


def one_by_one(workdir: Path) -> float:
    """Seconds to schedule 100,000 through `checkins.add`, 1,000 per transaction."""
    engine = Engine(workdir / "one_by_one.db", clock=SystemClock())
    now = engine.clock.now()
    people = _make_users(engine, "p", USERS, now, with_interview=False)
    started = time.perf_counter()
    for chunk in range(0, PENDING, 1000):
        with transaction(engine.db):
            for n in range(chunk, chunk + 1000):
                user_key, interview_id, kind, due, payload = _plan(people, now, n)
                checkins.add(engine.db, user_key, interview_id, kind, due, now, payload)
    elapsed = time.perf_counter() - started
    engine.db.conn.close()
    return elapsed


async def ours(workdir: Path) -> dict[str, Any]:
    """Our dispatcher: scheduling, memory, start, and 1,000 due at once."""
    one_by_one_s = one_by_one(workdir)
    clock = SystemClock()
    engine = Engine(workdir / "ours.db", clock=clock)
    now = clock.now()
    people = _make_users(engine, "p", USERS, now, with_interview=False)
    due_people = _make_users(engine, "d", AT_ONCE, now, with_interview=True)
    rss_before = rss_mb()

    # 100,000 check-ins over the next 30 days through the bulk call, in one transaction.
    started = time.perf_counter()
    with transaction(engine.db):
        checkins.add_many(engine.db, (_plan(people, now, n) for n in range(PENDING)), now)
    schedule_s = time.perf_counter() - started

    sink = Sink()
    sink.expected = AT_ONCE
    dispatcher = Dispatcher(engine, {"bench": sink}, load_settings())
    started = time.perf_counter()
    await dispatcher.start()
    start_s = time.perf_counter() - started
    await asyncio.sleep(0.2)  # let the first pass (nothing due yet) run on the loop
    rss_growth = rss_mb() - rss_before

    # 1,000 check-ins due at the same moment, two seconds from now.
    due_at = clock.now() + timedelta(seconds=2)
    with transaction(engine.db):
        for user_key, interview_id in due_people:
            checkins.add(engine.db, user_key, interview_id, schedule.HEARD_BACK, due_at,
                         clock.now())
    try:
        await asyncio.wait_for(sink.done.wait(), timeout=60)
    except asyncio.TimeoutError:
        pass
    await dispatcher.stop()
    counts = Counter(checkin_id for checkin_id, _ in sink.arrivals)
    times = [moment for _, moment in sink.arrivals]
    missed = engine.db.execute(
        "SELECT COUNT(*) FROM checkins WHERE kind = ? AND status = 'missed'",
        [schedule.HEARD_BACK]).fetchone()[0]
    return {
        "schedule_100k_s": round(schedule_s, 2),
        "schedule_100k_one_by_one_s": round(one_by_one_s, 2),
        "rss_growth_mb": round(rss_growth, 1),
        "start_s": round(start_s, 3),
        "at_once_delivered": len(counts),
        "at_once_missed": missed,
        "at_once_duplicates": sum(n - 1 for n in counts.values() if n > 1),
        "at_once_spread_ms": round((max(times) - min(times)) * 1000) if times else None,
    }


peer_ran: Counter[str] = Counter()


async def peer_job(name: str) -> None:
    """What the peer runs for each job: note that it ran."""
    peer_ran[name] += 1


async def peer(workdir: Path) -> dict[str, Any]:
    """APScheduler 3.11 with SQLAlchemyJobStore on SQLite, default settings."""
    from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.date import DateTrigger

    scheduler = AsyncIOScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{workdir / 'peer.db'}")},
        timezone=timezone.utc)
    outcomes: Counter[str] = Counter()
    finished = asyncio.Event()

    def listen(event: JobExecutionEvent) -> None:
        if not event.job_id.startswith("due-"):
            return
        outcomes["missed" if event.code == EVENT_JOB_MISSED else "executed"] += 1
        if sum(outcomes.values()) >= AT_ONCE:
            finished.set()

    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    scheduler.start()
    far = datetime.now(timezone.utc) + timedelta(days=30)
    started = time.perf_counter()
    for n in range(PEER_JOBS):
        scheduler.add_job(peer_job, DateTrigger(run_date=far + timedelta(seconds=n)),
                          args=[f"later-{n}"], id=f"later-{n}")
    add_s = time.perf_counter() - started
    per_job = add_s / PEER_JOBS
    # Due together, far enough ahead that adding them all finishes first.
    due_at = datetime.now(timezone.utc) + timedelta(seconds=AT_ONCE * per_job * 1.5 + 2)
    for n in range(AT_ONCE):
        scheduler.add_job(peer_job, DateTrigger(run_date=due_at), args=[f"due-{n}"],
                          id=f"due-{n}")
    try:
        await asyncio.wait_for(finished.wait(), timeout=90)
    except asyncio.TimeoutError:
        pass
    scheduler.shutdown(wait=False)
    await asyncio.sleep(0)
    return {
        "peer_add_10k_s": round(add_s, 2),
        "peer_at_once_delivered": sum(1 for name in peer_ran if name.startswith("due-")),
        "peer_at_once_missed": outcomes["missed"],
    }


async def main() -> None:
    """Run both and print one JSON line."""
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("rebound").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        figures = await ours(workdir)
        figures.update(await peer(workdir))
    print(json.dumps({"bench": "checkins", **figures, "targets": TARGETS}))


if __name__ == "__main__":
    asyncio.run(main())
