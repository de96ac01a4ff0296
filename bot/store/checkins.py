"""Check-in rows: the single source of truth for every scheduled nudge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database


@dataclass
class CheckinRecord:
    """One scheduled nudge."""

    id: int
    user_key: str
    interview_id: int | None
    kind: str
    due_at: datetime
    status: str
    attempts: int
    payload: dict[str, Any]


_COLUMNS = "id, user_key, interview_id, kind, due_at, status, attempts, payload"


def add(db: Database, user_key: str, interview_id: int | None, kind: str, due_at: datetime,
        now: datetime, payload: dict[str, Any] | None = None) -> int:
    """Schedule a check-in (due_at in UTC) and return its id."""
    cursor = db.execute(
        "INSERT INTO checkins (user_key, interview_id, kind, due_at, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [user_key, interview_id, kind, _stamp(due_at), json.dumps(payload or {}),
         now.isoformat()],
    )
    return cursor.lastrowid or 0


def get(db: Database, user_key: str, checkin_id: int) -> CheckinRecord | None:
    """One of the user's check-ins."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM checkins WHERE id = ? AND user_key = ?", [checkin_id, user_key]
    ).fetchone()
    return _to_record(row) if row else None


def pending_for_user(db: Database, user_key: str) -> list[CheckinRecord]:
    """The user's upcoming check-ins, soonest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM checkins WHERE user_key = ? AND status = 'pending'"
        " ORDER BY due_at",
        [user_key],
    ).fetchall()
    return [_to_record(row) for row in rows]


def pending_for_interview(db: Database, user_key: str, interview_id: int) -> list[CheckinRecord]:
    """An interview's upcoming check-ins, soonest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM checkins WHERE user_key = ? AND interview_id = ?"
        " AND status = 'pending' ORDER BY due_at",
        [user_key, interview_id],
    ).fetchall()
    return [_to_record(row) for row in rows]


def cancel_for_interview(db: Database, user_key: str, interview_id: int, now: datetime) -> int:
    """Cancel an interview's pending check-ins; return how many."""
    cursor = db.execute(
        "UPDATE checkins SET status = 'cancelled', finished_at = ?"
        " WHERE user_key = ? AND interview_id = ? AND status = 'pending'",
        [now.isoformat(), user_key, interview_id],
    )
    return cursor.rowcount


def cancel(db: Database, user_key: str, checkin_id: int, now: datetime) -> bool:
    """Cancel one pending check-in; True if it was pending."""
    cursor = db.execute(
        "UPDATE checkins SET status = 'cancelled', finished_at = ?"
        " WHERE id = ? AND user_key = ? AND status = 'pending'",
        [now.isoformat(), checkin_id, user_key],
    )
    return cursor.rowcount == 1


def move(db: Database, user_key: str, checkin_id: int, due_at: datetime) -> bool:
    """Move one pending check-in to a new due time (UTC)."""
    cursor = db.execute(
        "UPDATE checkins SET due_at = ? WHERE id = ? AND user_key = ? AND status = 'pending'",
        [_stamp(due_at), checkin_id, user_key],
    )
    return cursor.rowcount == 1


def _stamp(moment: datetime) -> str:
    """UTC timestamps as sortable text."""
    from datetime import timezone

    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _to_record(row: tuple) -> CheckinRecord:
    """Turn a row into a record."""
    return CheckinRecord(
        id=row[0], user_key=row[1], interview_id=row[2], kind=row[3],
        due_at=datetime.fromisoformat(row[4]), status=row[5], attempts=row[6],
        payload=json.loads(row[7]),
    )
