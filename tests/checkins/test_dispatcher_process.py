"""A real dispatcher process killed with SIGKILL mid-batch, then restarted: counted at the
receiving side, nothing is delivered twice and nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from bot.checkins import schedule
from bot.models import UserRef
from bot.state import DebriefState
from bot.store import checkins, interviews, open_database, transaction, users
from tests.checkins.dispatch_process import BATCH

ROOT = Path(__file__).resolve().parents[2]
ROWS = 300


def seed(path: Path) -> set[int]:
    """ROWS users, each with one "heard back?" due now, whatever the hour."""
    db = open_database(path)
    now = datetime.now(timezone.utc)
    ids = set()
    with transaction(db):
        for n in range(ROWS):
            ref = UserRef(platform="test", workspace="w", user=f"u{n}")
            record = users.load_or_create(db, ref, now)
            record.settings.hours_start, record.settings.hours_end = 0, 24
            record.settings.days = list(range(7))
            users.save(db, record, now)
            interview = interviews.create(db, ref.key, now)
            interview.debrief = DebriefState(company="Acme", role="Analyst", finished=True)
            interviews.save(db, interview, now)
            ids.add(checkins.add(db, ref.key, interview.id, schedule.HEARD_BACK, now, now))
    db.conn.close()
    return ids


def start(db: Path, sink: Path, *extra: str) -> subprocess.Popen[str]:
    """The dispatcher process."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.checkins.dispatch_process", str(db), str(sink), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "REBOUND_LOG_LEVEL": "WARNING"})


def wait_for_file(path: Path, process: subprocess.Popen[str], timeout: float) -> None:
    """Wait until the process has written `path` (its "I'm hanging now" record)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the dispatcher never reached the hanging send"
        time.sleep(0.02)


def statuses(db_path: Path) -> dict[int, str]:
    """Every check-in's status."""
    db = open_database(db_path)
    try:
        return dict(db.execute("SELECT id, status FROM checkins").fetchall())
    finally:
        db.conn.close()


def test_sigkill_mid_batch_then_restart_no_duplicates_no_losses(tmp_path: Path) -> None:
    """Kill while a batch is in flight; the restarted process finishes the rest. At the
    receiver: no check-in twice. In the table: every row sent, or (caught mid-send) marked
    unknown for the operator and not resent."""
    db, sink, marker = tmp_path / "r.db", tmp_path / "sink.txt", tmp_path / "hanging"
    ids = seed(db)
    first = start(db, sink, "--hang-after", "150", "--marker", str(marker))
    wait_for_file(marker, first, timeout=60)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    at_kill = statuses(db)
    in_flight = {i for i, s in at_kill.items() if s == "sending"}
    assert 0 < len(in_flight) <= BATCH, "the kill did not land mid-batch"
    delivered_before = Counter(line.split()[0] for line in sink.read_text().splitlines())

    second = start(db, sink)
    out, err = second.communicate(timeout=90)
    assert second.returncode == 0, err
    stats = json.loads(out.strip().splitlines()[-1])

    received = Counter(int(line.split()[0]) for line in sink.read_text().splitlines())
    final = statuses(db)
    sent = {i for i, s in final.items() if s == "sent"}
    unknown = {i for i, s in final.items() if s == "unknown"}
    duplicates = {i: n for i, n in received.items() if n > 1}
    lost = ids - sent - unknown
    assert duplicates == {}
    assert lost == set()
    assert set(received) <= ids
    # Every row recorded as sent reached the user exactly once ...
    assert all(received[i] == 1 for i in sent)
    # ... and the rows caught mid-send were marked for the operator, not resent.
    assert unknown == in_flight
    assert stats["recovered_unknown"] == len(unknown)
    assert all(received[i] <= 1 for i in unknown)
    delivered_unknown = sum(1 for i in unknown if received[i] == 1)
    print(f"\ncrash test: {len(ids)} rows, {sum(delivered_before.values())} delivered before "
          f"the kill, {len(in_flight)} in flight at the kill ({delivered_unknown} of them had "
          f"reached the user), {len(sent)} sent, {len(unknown)} unknown, "
          f"{len(duplicates)} duplicates, {len(lost)} lost")
