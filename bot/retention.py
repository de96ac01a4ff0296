"""Retention: a user's free-text reflections are erased after a set period; the interview stays.

Reflections are what a person wrote (or picked) about how the interview felt and what it says
about them. They help during the debrief and the weeks after, and nothing needs them later.
They are erased REBOUND_RETENTION_DAYS (default 180) after the interview's debrief began
(`interviews.created_at`): a fixed date the user can predict, not one that moves with activity.

Erased (per interview):
- `vent`: what the user wrote to let it out;
- `feelings`: chosen and typed alike, because both describe the user's state of mind;
- `forgiveness`: the sentence the user wrote to themself;
- `went_wrong` and `went_right`: the lessons to correct and to repeat;
- the stumbled `point` of each clarification (a copy of a lesson) and the picked indexes;
- copies of those inside saved letter inputs: `strengths` and clarification `point`s.

Kept: company, role, date, interviewers, status and outcome, the specific detail, the better
answers the letters use, every letter and its versions, references, check-ins and settings.
The user can still export or delete all of it at any time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from bot.config import Settings
from bot.state import DebriefState
from bot.store import privacy
from bot.store.db import transaction

if TYPE_CHECKING:
    from bot.engine import Engine

DEFAULT_RETENTION_DAYS = 180
# Retention and compaction run at start-up and then this often.
MAINTENANCE_INTERVAL = timedelta(days=1)

log = logging.getLogger("rebound.retention")


def erase_reflections(debrief: DebriefState) -> bool:
    """Blank the reflections of one debrief in place; True if there was anything to erase."""
    had = bool(debrief.vent or debrief.feelings or debrief.forgiveness or debrief.went_wrong
               or debrief.went_right or debrief.clarify_points
               or any(c.point for c in debrief.clarifications))
    debrief.vent = None
    debrief.feelings = []
    debrief.forgiveness = None
    debrief.went_wrong = []
    debrief.went_right = []
    debrief.clarify_points = []
    for clarification in debrief.clarifications:
        clarification.point = ""
    return had


def _erase_from_inputs(inputs: dict[str, Any]) -> bool:
    """Blank the copies of reflections a saved letter keeps to redraft from."""
    changed = False
    if inputs.get("strengths"):
        inputs["strengths"] = []
        changed = True
    for clarification in inputs.get("clarifications") or []:
        if isinstance(clarification, dict) and clarification.get("point"):
            clarification["point"] = ""
            changed = True
    return changed


def apply_retention(db: Database, now: datetime,
                    days: int = DEFAULT_RETENTION_DAYS) -> int:
    """Erase reflections older than `days`; return how many interviews had some erased."""
    cutoff = now - timedelta(days=days)
    erased = 0
    with transaction(db):
        for interview_id, _user_key, raw in privacy.interviews_started_before(db, cutoff):
            debrief = DebriefState.model_validate_json(raw)
            if not erase_reflections(debrief):
                continue
            privacy.replace_debrief(db, interview_id, debrief.model_dump_json())
            for letter_id, inputs_raw in privacy.letter_inputs_for_interview(db, interview_id):
                inputs = json.loads(inputs_raw or "{}")
                if isinstance(inputs, dict) and _erase_from_inputs(inputs):
                    privacy.replace_letter_inputs(db, letter_id, json.dumps(inputs, default=str))
            erased += 1
    log.info("retention applied", extra={"component": "retention", "count": erased,
                                         "outcome": "ok"})
    return erased


def run_maintenance(db: Database, now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> None:
    """Apply retention, then compact the file so erased and forgotten words leave the disk."""
    apply_retention(db, now, days)
    if db.conn.in_transaction:
        return  # VACUUM cannot run inside one; tomorrow's run will compact
    started = time.perf_counter()
    privacy.compact(db)
    log.info("database compacted", extra={
        "component": "retention", "outcome": "ok",
        "ms": round((time.perf_counter() - started) * 1000, 1)})


async def daily_maintenance(engine: Engine, settings: Settings, stop: asyncio.Event) -> None:
    """Run maintenance at start-up and then once a day, until `stop` is set."""
    while True:
        try:
            run_maintenance(engine.db, engine.clock.now(), settings.retention_days)
        except Exception:
            # A locked or busy database is retried tomorrow; the bot keeps running.
            log.exception("maintenance failed", extra={"component": "retention",
                                                       "outcome": "error"})
        try:
            await asyncio.wait_for(stop.wait(), timeout=MAINTENANCE_INTERVAL.total_seconds())
            return
        except asyncio.TimeoutError:
            continue
