"""Check-in rows: the single source of truth for every scheduled nudge.

Statuses: pending -> sending (claimed by the dispatcher) -> sent | skipped (no longer
relevant) | failed (gave up after retries) | undeliverable (the user cannot be reached);
pending -> cancelled (by the user) | missed (too late after downtime) | paused (another
check-in found the user unreachable); sending -> unknown (the dispatcher died mid-send:
never resent, left for the operator to see).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from sqlite_utils import Database

from bot.store.db import transaction


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
    answer: str | None = None
    last_error: str | None = None


_COLUMNS = "id, user_key, interview_id, kind, due_at, status, attempts, payload, answer, last_error"

# Called with the due time whenever a pending row is added or moved, so a dispatcher in
# this process can wake earlier than it planned. Plain callables: no data lives here.
_listeners: list[Callable[[datetime], None]] = []


def on_change(listener: Callable[[datetime], None]) -> None:
    """Call `listener(due_at)` whenever a check-in is scheduled or moved in this process."""
    _listeners.append(listener)


def remove_listener(listener: Callable[[datetime], None]) -> None:
    """Stop calling `listener`."""
    if listener in _listeners:
        _listeners.remove(listener)


def _changed(due_at: datetime) -> None:
    """Tell listeners; a listener's failure must never break the user's turn."""
    for listener in list(_listeners):
        try:
            listener(due_at)
        except Exception:  # noqa: BLE001 - waking early is an optimisation only
            pass


def add(db: Database, user_key: str, interview_id: int | None, kind: str, due_at: datetime,
        now: datetime, payload: dict[str, Any] | None = None) -> int:
    """Schedule a check-in (due_at in UTC) and return its id."""
    cursor = db.execute(
        "INSERT INTO checkins (user_key, interview_id, kind, due_at, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [user_key, interview_id, kind, _stamp(due_at), json.dumps(payload or {}),
         now.isoformat()],
    )
    _changed(due_at)
    return cursor.lastrowid or 0


def add_many(db: Database, rows: Iterable[tuple[str, int | None, str, datetime,
                                                dict[str, Any] | None]], now: datetime) -> int:
    """Schedule many check-ins at once: (user_key, interview_id, kind, due_at, payload)."""
    created = now.isoformat()
    earliest: list[datetime] = []

    def values() -> Iterable[tuple[Any, ...]]:
        for user_key, interview_id, kind, due_at, payload in rows:
            if not earliest or due_at < earliest[0]:
                earliest[:] = [due_at]
            yield (user_key, interview_id, kind, _stamp(due_at), json.dumps(payload or {}),
                   created)

    cursor = db.conn.executemany(
        "INSERT INTO checkins (user_key, interview_id, kind, due_at, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)", values())
    if earliest:
        _changed(earliest[0])
    return cursor.rowcount


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


def for_user(db: Database, user_key: str, statuses: Sequence[str]) -> list[CheckinRecord]:
    """The user's check-ins in any of `statuses`, soonest first."""
    marks = ", ".join("?" for _ in statuses)
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM checkins WHERE user_key = ? AND status IN ({marks})"
        " ORDER BY due_at, id",
        [user_key, *statuses],
    ).fetchall()
    return [_to_record(row) for row in rows]


def all_for_user(db: Database, user_key: str) -> list[dict[str, Any]]:
    """Every check-in row of the user, for export."""
    cursor = db.execute(
        "SELECT id, interview_id, kind, due_at, status, attempts, payload, answer, answered_at,"
        " created_at, finished_at FROM checkins WHERE user_key = ? ORDER BY id", [user_key])
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    return rows


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
        " WHERE user_key = ? AND interview_id = ? AND status IN ('pending', 'paused')",
        [now.isoformat(), user_key, interview_id],
    )
    return cursor.rowcount


def cancel_for_user(db: Database, user_key: str, now: datetime,
                    kinds: Sequence[str] | None = None) -> int:
    """Cancel all the user's pending (and paused) check-ins, or only those of `kinds`."""
    where, params = "", []
    if kinds:
        where = f" AND kind IN ({', '.join('?' for _ in kinds)})"
        params = list(kinds)
    cursor = db.execute(
        "UPDATE checkins SET status = 'cancelled', finished_at = ?"
        f" WHERE user_key = ? AND status IN ('pending', 'paused'){where}",
        [now.isoformat(), user_key, *params],
    )
    return cursor.rowcount


def cancel(db: Database, user_key: str, checkin_id: int, now: datetime) -> bool:
    """Cancel one pending check-in; True if it was pending."""
    cursor = db.execute(
        "UPDATE checkins SET status = 'cancelled', finished_at = ?"
        " WHERE id = ? AND user_key = ? AND status IN ('pending', 'paused')",
        [now.isoformat(), checkin_id, user_key],
    )
    return cursor.rowcount == 1


def move(db: Database, user_key: str, checkin_id: int, due_at: datetime) -> bool:
    """Move one pending (or paused) check-in to a new due time (UTC); it is pending again."""
    cursor = db.execute(
        "UPDATE checkins SET due_at = ?, status = 'pending', last_error = NULL"
        " WHERE id = ? AND user_key = ? AND status IN ('pending', 'paused')",
        [_stamp(due_at), checkin_id, user_key],
    )
    if cursor.rowcount == 1:
        _changed(due_at)
    return cursor.rowcount == 1


def set_answer(db: Database, user_key: str, checkin_id: int, answer: str, now: datetime) -> bool:
    """Record the user's answer to a check-in once; False if it was already answered."""
    cursor = db.execute(
        "UPDATE checkins SET answer = ?, answered_at = ?"
        " WHERE id = ? AND user_key = ? AND answer IS NULL",
        [answer, now.isoformat(), checkin_id, user_key],
    )
    return cursor.rowcount == 1


def update_payload(db: Database, user_key: str, checkin_id: int, payload: dict[str, Any]) -> None:
    """Replace a check-in's payload (a weekly goal's new numbers)."""
    db.execute("UPDATE checkins SET payload = ? WHERE id = ? AND user_key = ?",
               [json.dumps(payload), checkin_id, user_key])


# ---- stopping ------------------------------------------------------------------------------


def stop_interview(db: Database, user_key: str, interview_id: int, now: datetime) -> int:
    """Stop check-ins for one interview: cancel its pending ones and schedule none again."""
    db.execute("INSERT OR IGNORE INTO checkin_stops (user_key, interview_id, stopped_at)"
               " VALUES (?, ?, ?)", [user_key, interview_id, now.isoformat()])
    return cancel_for_interview(db, user_key, interview_id, now)


def resume_interview(db: Database, user_key: str, interview_id: int) -> bool:
    """Allow check-ins for the interview again; True if they had been stopped."""
    cursor = db.execute("DELETE FROM checkin_stops WHERE user_key = ? AND interview_id = ?",
                        [user_key, interview_id])
    return cursor.rowcount == 1


def is_stopped(db: Database, user_key: str, interview_id: int | None) -> bool:
    """True when the user stopped check-ins for this interview."""
    if interview_id is None:
        return False
    return db.execute("SELECT 1 FROM checkin_stops WHERE user_key = ? AND interview_id = ?",
                      [user_key, interview_id]).fetchone() is not None


def resume_paused(db: Database, user_key: str, due_at: datetime) -> int:
    """Reschedule the user's paused check-ins (they were unreachable) at `due_at`."""
    cursor = db.execute(
        "UPDATE checkins SET status = 'pending', due_at = MAX(due_at, ?),"
        " last_error = NULL WHERE user_key = ? AND status = 'paused'",
        [_stamp(due_at), user_key])
    if cursor.rowcount:
        _changed(due_at)
    return cursor.rowcount


# ---- the dispatcher's side -----------------------------------------------------------------


def event_id(checkin_id: int, attempt: int) -> str:
    """The engine event id of one delivery attempt (attempts only grow, so ids never repeat)."""
    return f"checkin:{checkin_id}:{attempt}"


@dataclass
class DueRow:
    """A pending check-in with what the dispatcher needs to deliver it."""

    id: int
    user_key: str
    platform: str
    workspace: str
    user_id: str
    interview_id: int | None
    kind: str
    due_at: datetime
    attempts: int
    payload: dict[str, Any]
    settings_json: str


@dataclass
class Outcome:
    """What happened to one claimed check-in."""

    checkin_id: int
    # "unknown": the platform did not answer in time, so the message may have gone out.
    status: Literal["sent", "failed", "undeliverable", "skipped", "unknown"]
    reason: str | None = None
    # For a failure that will be retried: when. None means give up (status 'failed').
    retry_at: datetime | None = None
    user_key: str = ""


@dataclass
class Recovery:
    """Rows a new dispatcher found left in `sending` by one that died."""

    requeued: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)


_DUE_SELECT = (
    "SELECT c.id, c.user_key, u.platform, u.workspace, u.user_id, c.interview_id, c.kind,"
    " c.due_at, c.attempts, c.payload, u.settings FROM checkins c"
    " JOIN users u ON u.key = c.user_key"
)


def _platform_filter(platforms: Sequence[str] | None) -> tuple[str, list[str]]:
    """SQL keeping rows whose user is on one of `platforms` (the key starts with it)."""
    if platforms is None:
        return "", []
    if not platforms:
        return " AND 0", []
    marks = ", ".join("?" for _ in platforms)
    return (f" AND substr(c.user_key, 1, instr(c.user_key, ':') - 1) IN ({marks})",
            list(platforms))


def due(db: Database, now: datetime, limit: int,
        platforms: Sequence[str] | None = None) -> list[DueRow]:
    """Pending check-ins due at `now`, oldest first."""
    return _pending(db, "<=", now, limit, platforms)


def stale(db: Database, before: datetime, limit: int,
          platforms: Sequence[str] | None = None) -> list[DueRow]:
    """Pending check-ins that fell due before `before` (too late to send)."""
    return _pending(db, "<", before, limit, platforms)


def _pending(db: Database, compare: str, moment: datetime, limit: int,
             platforms: Sequence[str] | None) -> list[DueRow]:
    """Pending rows whose due time compares to `moment` as asked, oldest first."""
    where, params = _platform_filter(platforms)
    rows = db.execute(
        f"{_DUE_SELECT} WHERE c.status = 'pending' AND c.due_at {compare} ?{where}"
        " ORDER BY c.due_at, c.id LIMIT ?",
        [_stamp(moment), *params, limit],
    ).fetchall()
    return [_to_due(row) for row in rows]


def mark_missed(db: Database, checkin_id: int, now: datetime) -> bool:
    """Record that a pending check-in was too late to send."""
    cursor = db.execute(
        "UPDATE checkins SET status = 'missed', finished_at = ?,"
        " last_error = 'too late after downtime' WHERE id = ? AND status = 'pending'",
        [now.isoformat(), checkin_id])
    return cursor.rowcount == 1


def has_pending(db: Database, user_key: str, interview_id: int | None, kind: str) -> bool:
    """True when the user already has a pending check-in of `kind` for the interview."""
    return db.execute(
        "SELECT 1 FROM checkins WHERE user_key = ? AND interview_id IS ? AND kind = ?"
        " AND status = 'pending' LIMIT 1", [user_key, interview_id, kind]).fetchone() is not None


def defer(db: Database, checkin_id: int, due_at: datetime) -> None:
    """Push a pending check-in later (outside the user's hours now); the wake is re-armed."""
    db.execute("UPDATE checkins SET due_at = ? WHERE id = ? AND status = 'pending'",
               [_stamp(due_at), checkin_id])


def claim(db: Database, ids: Sequence[int], owner: str, now: datetime) -> set[int]:
    """Move pending rows to `sending` for `owner`; return the ids actually claimed."""
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(
        "UPDATE checkins SET status = 'sending', attempts = attempts + 1, claimed_at = ?,"
        f" claimed_by = ? WHERE status = 'pending' AND id IN ({marks}) RETURNING id",
        [now.isoformat(), owner, *ids],
    ).fetchall()
    return {row[0] for row in rows}


def record(db: Database, outcomes: Sequence[Outcome], owner: str, now: datetime) -> int:
    """Record the outcome of rows `owner` claimed; return how many were updated."""
    stamp = now.isoformat()
    updated = 0
    # 'unknown' too: a slow dispatcher that lost its lease still tells the truth it knows.
    claimed = "status IN ('sending', 'unknown') AND claimed_by = ?"
    for outcome in outcomes:
        if outcome.status == "failed" and outcome.retry_at is not None:
            cursor = db.execute(
                f"UPDATE checkins SET status = 'pending', due_at = ?, last_error = ?"
                f" WHERE id = ? AND {claimed}",
                [_stamp(outcome.retry_at), outcome.reason, outcome.checkin_id, owner])
        else:
            cursor = db.execute(
                f"UPDATE checkins SET status = ?, finished_at = ?, last_error = ?"
                f" WHERE id = ? AND {claimed}",
                [outcome.status, stamp, outcome.reason, outcome.checkin_id, owner])
        updated += cursor.rowcount
        if outcome.status == "undeliverable" and cursor.rowcount and outcome.user_key:
            # Stop trying this user (they blocked DMs), but keep every row.
            db.execute(
                "UPDATE checkins SET status = 'paused', last_error = 'user unreachable'"
                " WHERE user_key = ? AND status = 'pending'", [outcome.user_key])
    return updated


def recover(db: Database, now: datetime, requeue_within: timedelta, owner: str,
            platforms: Sequence[str] | None = None) -> Recovery:
    """Resolve rows left in `sending` by a dispatcher that died.

    A row whose check-in turn never ran (the engine recorded no event for that claim) was
    never handed to a platform, so it is safe to queue again. Any other row may have been
    sent: it becomes `unknown` for the operator and is never resent. Rows the caller
    (`owner`) claimed itself are left alone: that batch is still in its hands.
    """
    result = Recovery()
    where, params = _platform_filter(platforms)
    rows = db.execute(
        "SELECT c.id, c.attempts, c.claimed_at, e.event_id IS NOT NULL FROM checkins c"
        " LEFT JOIN processed_events e ON e.event_id = 'checkin:' || c.id || ':' || c.attempts"
        f" WHERE c.status = 'sending' AND c.claimed_by IS NOT ?{where}",
        [owner, *params]).fetchall()
    for checkin_id, _attempts, claimed_at, turn_ran in rows:
        recent = claimed_at is not None and \
            datetime.fromisoformat(claimed_at) > now - requeue_within
        if not turn_ran and recent:
            db.execute("UPDATE checkins SET status = 'pending', claimed_by = NULL"
                       " WHERE id = ? AND status = 'sending'", [checkin_id])
            result.requeued.append(checkin_id)
        else:
            db.execute("UPDATE checkins SET status = 'unknown', finished_at = ?,"
                       " last_error = 'dispatcher stopped mid-send; not resent'"
                       " WHERE id = ? AND status = 'sending'", [now.isoformat(), checkin_id])
            result.unknown.append(checkin_id)
    return result


def next_due(db: Database, platforms: Sequence[str] | None = None) -> datetime | None:
    """When the soonest pending check-in falls due."""
    where, params = _platform_filter(platforms)
    row = db.execute(
        f"SELECT c.due_at FROM checkins c WHERE c.status = 'pending'{where}"
        " ORDER BY c.due_at LIMIT 1", params).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def status_counts(db: Database) -> dict[str, int]:
    """How many check-ins are in each status, for operators and benchmarks."""
    return dict(db.execute("SELECT status, COUNT(*) FROM checkins GROUP BY status").fetchall())


# ---- the dispatcher lease ------------------------------------------------------------------


@dataclass
class Lease:
    """Who holds the dispatcher role, and until when (epoch seconds, wall clock)."""

    owner: str
    host: str
    pid: int
    expires_at: float


def lease_holder(db: Database, name: str = "checkins") -> Lease | None:
    """The current lease row, expired or not."""
    row = db.execute("SELECT owner, host, pid, expires_at FROM dispatcher_lease WHERE name = ?",
                     [name]).fetchone()
    return Lease(*row) if row else None


def take_lease(db: Database, owner: str, host: str, pid: int, now: float, ttl: float,
               dead_owner: str | None = None, name: str = "checkins") -> bool:
    """Take or renew the lease; True when `owner` holds it afterwards.

    Taken when free, expired, already ours, or still held by `dead_owner` (a holder whose
    process is known to be gone). Call inside a write transaction.
    """
    db.execute(
        "INSERT OR IGNORE INTO dispatcher_lease (name, owner, host, pid, acquired_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?)", [name, owner, host, pid, now, now + ttl])
    cursor = db.execute(
        "UPDATE dispatcher_lease SET owner = ?, host = ?, pid = ?, expires_at = ?,"
        " acquired_at = CASE WHEN owner = ? THEN acquired_at ELSE ? END"
        " WHERE name = ? AND (owner = ? OR expires_at <= ? OR owner = ?)",
        [owner, host, pid, now + ttl, owner, now, name, owner, now, dead_owner or ""])
    return cursor.rowcount == 1


def release_lease(db: Database, owner: str, name: str = "checkins") -> None:
    """Give the lease up so another process can take over at once."""
    db.execute("DELETE FROM dispatcher_lease WHERE name = ? AND owner = ?", [name, owner])


# ---- group commit --------------------------------------------------------------------------


@contextmanager
def deferred_sync(db: Database) -> Iterator[None]:
    """Commits inside skip the wait for the disk (synchronous=NORMAL; still crash-safe in WAL).

    Only for a group of turns followed by `sync_point` before anything they produced leaves
    the process: one fsync then makes the whole group durable, instead of one per turn.
    """
    db.conn.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        db.conn.execute("PRAGMA synchronous=FULL")


def sync_point(db: Database) -> None:
    """A real write committed with synchronous=FULL: everything committed before is durable."""
    with transaction(db):
        cursor = db.execute("UPDATE dispatcher_lease SET syncs = syncs + 1")
        if cursor.rowcount == 0:
            # No lease rows at all: write one, so the commit has something to sync.
            db.execute("INSERT OR REPLACE INTO dispatcher_lease (name, owner, host, pid,"
                       " acquired_at, expires_at) VALUES ('sync', '', '', 0, 0, 0)")




def _stamp(moment: datetime) -> str:
    """UTC timestamps as sortable text: 2026-11-25T15:00:00+00:00."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _to_record(row: tuple) -> CheckinRecord:
    """Turn a row into a record."""
    return CheckinRecord(
        id=row[0], user_key=row[1], interview_id=row[2], kind=row[3],
        due_at=datetime.fromisoformat(row[4]), status=row[5], attempts=row[6],
        payload=json.loads(row[7]), answer=row[8], last_error=row[9],
    )


def _to_due(row: tuple) -> DueRow:
    """Turn a joined row into a due row."""
    return DueRow(
        id=row[0], user_key=row[1], platform=row[2], workspace=row[3], user_id=row[4],
        interview_id=row[5], kind=row[6], due_at=datetime.fromisoformat(row[7]),
        attempts=row[8], payload=json.loads(row[9]), settings_json=row[10],
    )
