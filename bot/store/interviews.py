"""Interview rows: one per interview, each holding its own debrief state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.state import DebriefState


@dataclass
class InterviewRecord:
    """A loaded interview with its debrief."""

    id: int
    user_key: str
    status: str
    outcome: str | None
    debrief: DebriefState
    created_at: str


def create(db: Database, user_key: str, now: datetime) -> InterviewRecord:
    """Start a new open interview for the user."""
    debrief = DebriefState()
    stamp = now.isoformat()
    cursor = db.execute(
        "INSERT INTO interviews (user_key, status, debrief, created_at, updated_at)"
        " VALUES (?, 'open', ?, ?, ?)",
        [user_key, debrief.model_dump_json(), stamp, stamp],
    )
    return InterviewRecord(cursor.lastrowid or 0, user_key, "open", None, debrief, stamp)


def get(db: Database, user_key: str, interview_id: int) -> InterviewRecord | None:
    """Load one of the user's interviews (never another user's)."""
    row = db.execute(
        "SELECT id, user_key, status, outcome, debrief, created_at FROM interviews"
        " WHERE id = ? AND user_key = ?",
        [interview_id, user_key],
    ).fetchone()
    return _to_record(row) if row else None


def list_for_user(db: Database, user_key: str) -> list[InterviewRecord]:
    """All the user's interviews, oldest first."""
    rows = db.execute(
        "SELECT id, user_key, status, outcome, debrief, created_at FROM interviews"
        " WHERE user_key = ? ORDER BY id",
        [user_key],
    ).fetchall()
    return [_to_record(row) for row in rows]


def save(db: Database, record: InterviewRecord, now: datetime) -> None:
    """Write back the interview's status, outcome and debrief."""
    db.execute(
        "UPDATE interviews SET status = ?, outcome = ?, debrief = ?, updated_at = ?"
        " WHERE id = ? AND user_key = ?",
        [record.status, record.outcome, record.debrief.model_dump_json(), now.isoformat(),
         record.id, record.user_key],
    )


def _to_record(row: tuple) -> InterviewRecord:
    """Turn a row into a record."""
    return InterviewRecord(
        id=row[0], user_key=row[1], status=row[2], outcome=row[3],
        debrief=DebriefState.model_validate_json(row[4]), created_at=row[5],
    )
