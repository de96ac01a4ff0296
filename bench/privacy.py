"""Benchmark: export, forget-me, retention, compaction, backup and log formatting at scale.

Run: python -m bench.privacy [--users N]. Prints one JSON line; it reports, it does not assert.
Targets (issue 7, ours): export_p99_ms <= 50 and forget_p99_ms <= 20 (both run inside a
user's turn), backup_s <= 1 and compact_s <= 1 for 500 users (they block the bot's loop),
log_ratio <= 2.0 (our redacting JSON record against a plain stdlib formatter).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.engine import JOURNEY, percentile
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.engine import Engine
from bot.export import build_export
from bot.logs import configure_logging
from bot.models import TextIn, UserRef
from bot.retention import apply_retention
from bot.store import privacy, transaction
from bot.store.backup import backup

START = datetime(2026, 11, 25, 15, tzinfo=timezone.utc)


async def populate(db_path: Path, users: int) -> tuple[Engine, list[UserRef]]:
    """Every user through a full debrief (letters, references, check-ins)."""
    engine = Engine(db_path, clock=FrozenClock(START))
    refs = [UserRef(platform="bench", workspace="w", user=f"u{n}") for n in range(users)]
    for line in JOURNEY:
        for ref in refs:
            await engine.handle(TextIn(user=ref, text=line, platform_tz="Europe/Berlin"))
    return engine, refs


def timed_ms(action) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds one call takes."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def log_cost_us(records: int = 5000, plain: bool = False) -> float:
    """Microseconds to filter and format one engine-style record (plain: stdlib floor)."""
    stream = io.StringIO()
    if plain:
        handler: logging.Handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(logging.DEBUG)
    else:
        handler = configure_logging(load_settings(REBOUND_LOG_LEVEL="DEBUG"), stream=stream)
    log = logging.getLogger("rebound.bench")
    try:
        started = time.perf_counter()
        for _ in range(records):
            log.debug("turn", extra={"event_kind": "text", "platform": "slack", "ms": 1.25,
                                     "outcome": "ok", "text": "dropped"})
        return (time.perf_counter() - started) / records * 1e6
    finally:
        logging.getLogger().removeHandler(handler)


async def main(users: int) -> dict[str, object]:
    """Populate, then measure each operation."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        engine, refs = await populate(db_path, users)
        db = engine.db
        size_mb = db_path.stat().st_size / 1e6
        exports = [timed_ms(lambda r=ref: build_export(privacy.export_rows(db, r.key), START))
                   for ref in refs[: min(users, 200)]]
        backup_s = timed_ms(lambda: backup(db_path, Path(folder) / "copy.db")) / 1000
        retention_ms = timed_ms(lambda: apply_retention(db, START + timedelta(days=181)))
        victims = refs[: min(users, 200)]

        def forget(ref: UserRef) -> None:
            with transaction(db):
                privacy.forget(db, ref.key)

        forgets = [timed_ms(lambda r=ref: forget(r)) for ref in victims]
        compact_s = timed_ms(lambda: privacy.compact(db)) / 1000
        floor, ours = log_cost_us(plain=True), log_cost_us()
        return {
            "bench": "privacy", "users": users, "db_mb": round(size_mb, 2),
            "export_p50_ms": round(percentile(exports, 0.5), 2),
            "export_p99_ms": round(percentile(exports, 0.99), 2),
            "forget_p50_ms": round(percentile(forgets, 0.5), 2),
            "forget_p99_ms": round(percentile(forgets, 0.99), 2),
            "retention_ms": round(retention_ms, 1),
            "backup_s": round(backup_s, 3), "compact_s": round(compact_s, 3),
            "log_us": round(ours, 1), "log_floor_us": round(floor, 1),
            "log_ratio": round(ours / floor, 2),
        }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=500)
    print(json.dumps(asyncio.run(main(parser.parse_args().users))))
