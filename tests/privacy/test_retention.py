"""Retention: reflections are erased after the period; the interview and letters stay."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from bot.config import load_settings
from bot.engine import Engine
from bot.retention import apply_retention, daily_maintenance
from bot.state import DebriefState
from tests.privacy.journey import ALICE, BOB, conversation, expect, full_debrief
from tests.transcript import Conversation


def debrief_of(convo: Conversation, user: str) -> DebriefState:
    """The stored debrief of the user's only interview."""
    assert convo.engine is not None
    row = convo.engine.db.execute(
        "SELECT i.debrief FROM interviews i JOIN users u ON u.key = i.user_key"
        " WHERE u.user_id = ?", [user]).fetchone()
    return DebriefState.model_validate_json(row[0])


async def test_reflections_expire_and_the_interview_stays(tmp_path: Path) -> None:
    """At 179 days nothing changes; past 180 the reflections go, company, letters and plan stay."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, "U0OLD")
    await full_debrief(alice, ALICE)
    assert alice.engine is not None
    db = alice.engine.db
    # Bob debriefs three months later: his reflections are younger than the period.
    alice.clock.advance(timedelta(days=90))
    bob = conversation(db_path, "U0NEWER", clock=alice.clock)
    await full_debrief(bob, BOB)
    started = alice.clock.now() - timedelta(days=90)

    assert apply_retention(db, started + timedelta(days=179)) == 0
    assert debrief_of(alice, "U0OLD").vent == ALICE.vent

    assert apply_retention(db, started + timedelta(days=181)) == 1
    old = debrief_of(alice, "U0OLD")
    assert (old.vent, old.feelings, old.forgiveness, old.went_wrong, old.went_right,
            old.clarify_points) == (None, [], None, [], [], [])
    assert [c.point for c in old.clarifications] == [""]
    # The record of the interview is intact.
    assert (old.company, old.role, old.interviewers, old.finished) == (
        ALICE.company, "Data Engineer", ["Dana Lee"], True)
    assert old.clarifications[0].better_answer == ALICE.better_answer
    assert old.references[0].name == ALICE.reference
    assert old.specific_detail == ALICE.detail
    letters = db.execute("SELECT l.inputs, COUNT(v.id) FROM letters l JOIN letter_versions v"
                         " ON v.letter_id = l.id JOIN users u ON u.key = l.user_key"
                         " WHERE u.user_id = 'U0OLD' GROUP BY l.id").fetchall()
    assert [n for _, n in letters] == [2, 1]  # both letters, every version
    for inputs, _ in letters:
        assert ALICE.went_right not in inputs and ALICE.went_wrong not in inputs
        assert json.loads(inputs)["company"] == ALICE.company
    # Bob's are younger than the period: untouched.
    assert debrief_of(bob, "U0NEWER").vent == BOB.vent
    # A second run has nothing left to do.
    assert apply_retention(db, started + timedelta(days=182)) == 0
    # The user sees the interview in status, the reflections are gone from export.
    await expect(alice, "status", ALICE.company)
    replies = await alice.say("export")
    assert ALICE.vent not in replies[0].files[0].content


async def test_retention_period_is_configurable(tmp_path: Path) -> None:
    """REBOUND_RETENTION_DAYS=30 erases after 30 days."""
    alice = conversation(tmp_path / "r.db", "U0SHORT")
    await full_debrief(alice, ALICE)
    assert alice.engine is not None
    now = alice.clock.now()
    settings = load_settings(REBOUND_RETENTION_DAYS="30")
    assert apply_retention(alice.engine.db, now + timedelta(days=29), settings.retention_days) == 0
    assert apply_retention(alice.engine.db, now + timedelta(days=31), settings.retention_days) == 1


async def test_daily_maintenance_erases_and_compacts(tmp_path: Path) -> None:
    """The runner's job: erased words leave the file, not only the rows."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, "U0MAINT")
    await full_debrief(alice, ALICE)
    alice.clock.advance(timedelta(days=200))
    engine = Engine(db_path, clock=alice.clock)
    stop = asyncio.Event()
    stop.set()  # run once, then return
    await asyncio.wait_for(daily_maintenance(engine, load_settings(), stop), timeout=30)
    # Read the file and its WAL as maintenance left them: old page images in the WAL would
    # still hold the words if it had not checkpointed and truncated it.
    data = db_path.read_bytes()
    wal = Path(f"{db_path}-wal")
    data += wal.read_bytes() if wal.exists() else b""
    assert ALICE.vent.encode() not in data and ALICE.forgiveness.encode() not in data
    assert ALICE.company.encode() in data
