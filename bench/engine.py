"""Benchmark: simulated users through full debriefs on a real SQLite file, against a plain-sqlite floor.

Run: python -m bench.engine [--users N]. Prints one JSON line; it reports, it does not assert.
Targets (issue 2): ratio <= 2.0, p99_us <= 2000, turns_per_s >= 2000.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bot.clock import FrozenClock
from bot.engine import OOPS, Engine
from bot.models import TextIn, UserRef

JOURNEY = [
    "hi", "Acme", "Backend Engineer", "yesterday", "Dana Lee, Sam Ortiz", "1", "3", "done",
    "I was furious with myself on the way home.", "I blanked on the system design question",
    "I rambled about my last project", "done", "My SQL answer was strong", "done",
    "I did my best with what I knew that day.", "1", "done",
    "I would sketch a cache-aside design and walk through the trade-offs.",
    "Their move to event sourcing", "yes", "Alex Kim", "2", "1", "Priya Shah",
    "my manager at Initech", "done", "status",
]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure_engine(db_path: Path, users: int) -> tuple[list[float], float, int, int]:
    """Per-turn latencies (us), wall seconds, state row size and failures."""
    engine = Engine(db_path, clock=FrozenClock(datetime(2026, 11, 25, 15, tzinfo=timezone.utc)))
    refs = [UserRef(platform="bench", workspace="w", user=f"u{n}") for n in range(users)]
    latencies: list[float] = []
    failures = 0
    started = time.perf_counter()
    # Users take turns one message at a time, as real traffic interleaves.
    for line in JOURNEY:
        for ref in refs:
            before = time.perf_counter_ns()
            replies = await engine.handle(TextIn(user=ref, text=line, platform_tz="Europe/Berlin"))
            latencies.append((time.perf_counter_ns() - before) / 1000)
            failures += any(reply.text == OOPS for reply in replies)
    wall = time.perf_counter() - started
    row = engine.db.execute("SELECT LENGTH(state) + LENGTH(settings) FROM users LIMIT 1").fetchone()
    size = engine.db.execute("SELECT AVG(LENGTH(debrief)) FROM interviews").fetchone()[0]
    return latencies, wall, int(row[0] + (size or 0)), failures


def measure_floor(db_path: Path, row_bytes: int, turns: int) -> list[float]:
    """A plain sqlite3 upsert of a same-sized row, one durable transaction per turn."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE state (key TEXT PRIMARY KEY, body TEXT, version INTEGER)")
    body = "x" * row_bytes
    latencies = []
    for turn in range(turns):
        before = time.perf_counter_ns()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO state (key, body, version) VALUES (?, ?, 0) ON CONFLICT(key) DO UPDATE"
            " SET body = excluded.body, version = version + 1", [f"u{turn % 200}", body])
        conn.execute("COMMIT")
        latencies.append((time.perf_counter_ns() - before) / 1000)
    conn.close()
    return latencies


def chat_first_prompt_seconds(folder: Path) -> float:
    """Seconds from starting `rebound chat` to its first prompt on screen."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "REBOUND_DB": str(folder / "chat.db")}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--user", "bench"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    while "rebound ›" not in process.stdout.readline():
        pass
    elapsed = time.perf_counter() - started
    process.kill()
    process.wait()
    return elapsed


def main() -> None:
    """Run both measurements in the same folder and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        latencies, wall, row_bytes, failures = asyncio.run(
            measure_engine(Path(folder) / "bench.db", args.users))
        floor = measure_floor(Path(folder) / "floor.db", row_bytes, len(latencies))
        first_prompt = min(chat_first_prompt_seconds(Path(folder)) for _ in range(3))
    p50 = statistics.median(latencies)
    floor_p50 = statistics.median(floor)
    print(json.dumps({
        "bench": "engine", "users": args.users, "turns": len(latencies),
        "turns_per_s": round(len(latencies) / wall, 1), "p50_us": round(p50, 1),
        "p99_us": round(percentile(latencies, 0.99), 1), "floor_p50_us": round(floor_p50, 1),
        "floor_p99_us": round(percentile(floor, 0.99), 1), "ratio": round(p50 / floor_p50, 2),
        "state_bytes": row_bytes, "failures": failures,
        "chat_first_prompt_s": round(first_prompt, 3),
        "targets": {"ratio": 2.0, "p99_us": 2000, "turns_per_s": 2000, "chat_first_prompt_s": 1.0},
    }))


if __name__ == "__main__":
    main()
