"""Check-ins in `rebound chat`: the console prints them as they fall due; `timewarp` brings
them forward without waiting days."""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from adapters.console import ConsoleAdapter, console_user
from bot.checkins import schedule
from bot.engine import Engine
from bot.models import Button, OutboundMessage, UserRef
from bot.state import DebriefState
from bot.store import checkins, interviews, open_database, transaction, users

ROOT = Path(__file__).resolve().parents[2]


async def test_console_prints_a_check_in_and_its_numbers_press_its_buttons(
        tmp_path: Path) -> None:
    """send_proactive prints the message with numbered choices; "2" then presses the second.
    Another console user's check-in is not shown here (it waits for them)."""
    out = io.StringIO()
    me = console_user("tester")
    adapter = ConsoleAdapter(Engine(tmp_path / "r.db"), me, stdin=io.StringIO(""), stdout=out)
    message = OutboundMessage(text="Have you heard back?", buttons=[
        Button(id="ck:7:hb:offer", label="An offer!"), Button(id="ck:7:hb:nothing",
                                                              label="Nothing yet")])
    delivery = await adapter.send_proactive(me, [message])
    assert delivery.status == "sent"
    assert "rebound › Have you heard back?\n  1. An offer!\n  2. Nothing yet" in out.getvalue()
    assert adapter.last_buttons[1].id == "ck:7:hb:nothing"
    someone_else = UserRef(platform="console", workspace="local", user="sam")
    assert (await adapter.send_proactive(someone_else, [message])).status == "failed"
    assert out.getvalue().count("Have you heard back?") == 1


def _seed(db_path: Path) -> None:
    """A console user whose "heard back?" is due in two days."""
    db = open_database(db_path)
    ref = console_user("tester")
    now = datetime.now(timezone.utc)
    with transaction(db):
        record = users.load_or_create(db, ref, now)
        record.settings.hours_start, record.settings.hours_end = 0, 24
        record.settings.days = list(range(7))
        users.save(db, record, now)
        interview = interviews.create(db, ref.key, now)
        interview.debrief = DebriefState(company="Acme", role="Analyst", finished=True,
                                         interview_date=date.today())
        interviews.save(db, interview, now)
        checkins.add(db, ref.key, interview.id, schedule.HEARD_BACK, now + timedelta(days=2),
                     now)
    db.conn.close()


def test_timewarp_in_rebound_chat_brings_the_check_in(tmp_path: Path) -> None:
    """The real `rebound chat` process: `timewarp 2d` and the check-in appears at once; its
    numbered choice answers it; the row is recorded as sent."""
    db_path = tmp_path / "chat.db"
    _seed(db_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--db", str(db_path), "--user", "tester"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env={**os.environ, "REBOUND_LOG_LEVEL": "WARNING"})
    assert process.stdin and process.stdout
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()

    def wait_for(words: str, timeout: float = 15) -> str:
        seen, deadline = "", time.monotonic() + timeout
        while words not in seen:
            seen += lines.get(timeout=max(0.01, deadline - time.monotonic()))
        return seen

    try:
        wait_for("Welcome back")
        process.stdin.write("timewarp 2d\n")
        process.stdin.flush()
        shown = wait_for("6. Stop these")
        assert "Have you heard back?" in shown and "4. Nothing yet" in shown
        process.stdin.write("4\n")
        process.stdin.flush()
        assert "No news yet is normal" in wait_for("No news yet is normal")
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0
    db = open_database(db_path)
    statuses = [row[0] for row in db.execute("SELECT status FROM checkins ORDER BY id")]
    assert statuses == ["sent", "pending"]
