"""Saved letter drafts: one row per letter, one row per version of its text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database


@dataclass
class LetterRecord:
    """A letter with its latest version."""

    id: int
    user_key: str
    interview_id: int | None
    kind: str
    inputs: dict[str, Any]
    created_at: str
    sent_at: str | None
    version: int
    subject: str
    body: str
    variant: int
    short: bool


def create(db: Database, user_key: str, interview_id: int | None, kind: str,
           inputs: dict[str, Any], now: datetime) -> int:
    """Create an empty letter and return its id; add its text with `add_version`."""
    cursor = db.execute(
        "INSERT INTO letters (user_key, interview_id, kind, inputs, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [user_key, interview_id, kind, json.dumps(inputs, default=str), now.isoformat()],
    )
    return cursor.lastrowid or 0


def update_inputs(db: Database, user_key: str, letter_id: int, inputs: dict[str, Any]) -> None:
    """Replace the inputs a letter is drafted from."""
    db.execute(
        "UPDATE letters SET inputs = ? WHERE id = ? AND user_key = ?",
        [json.dumps(inputs, default=str), letter_id, user_key],
    )


def add_version(db: Database, letter_id: int, subject: str, body: str, variant: int,
                short: bool, now: datetime) -> int:
    """Store a new version of the letter's text and return its number."""
    row = db.execute(
        "SELECT COALESCE(MAX(version), 0) FROM letter_versions WHERE letter_id = ?", [letter_id]
    ).fetchone()
    version = int(row[0]) + 1
    db.execute(
        "INSERT INTO letter_versions (letter_id, version, subject, body, variant, short,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [letter_id, version, subject, body, variant, int(short), now.isoformat()],
    )
    return version


def get(db: Database, user_key: str, letter_id: int) -> LetterRecord | None:
    """One of the user's letters with its latest version."""
    rows = _select(db, "l.user_key = ? AND l.id = ?", [user_key, letter_id])
    return rows[0] if rows else None


def list_for_user(db: Database, user_key: str) -> list[LetterRecord]:
    """The user's letters, oldest first, each with its latest version."""
    return _select(db, "l.user_key = ?", [user_key])


def versions(db: Database, user_key: str, letter_id: int) -> list[dict[str, Any]]:
    """Every version of one of the user's letters."""
    rows = db.execute(
        "SELECT v.version, v.subject, v.body, v.variant, v.short, v.created_at"
        " FROM letter_versions v JOIN letters l ON l.id = v.letter_id"
        " WHERE l.user_key = ? AND l.id = ? ORDER BY v.version",
        [user_key, letter_id],
    ).fetchall()
    keys = ("version", "subject", "body", "variant", "short", "created_at")
    return [dict(zip(keys, row)) for row in rows]


def mark_sent(db: Database, user_key: str, letter_id: int, now: datetime) -> None:
    """Record when the user sent the letter."""
    db.execute(
        "UPDATE letters SET sent_at = ? WHERE id = ? AND user_key = ? AND sent_at IS NULL",
        [now.isoformat(), letter_id, user_key],
    )


def _select(db: Database, where: str, params: list[Any]) -> list[LetterRecord]:
    """Letters joined with their latest version."""
    rows = db.execute(
        "SELECT l.id, l.user_key, l.interview_id, l.kind, l.inputs, l.created_at, l.sent_at,"
        " v.version, v.subject, v.body, v.variant, v.short FROM letters l"
        " JOIN letter_versions v ON v.letter_id = l.id AND v.version ="
        " (SELECT MAX(version) FROM letter_versions WHERE letter_id = l.id)"
        f" WHERE {where} ORDER BY l.id",
        params,
    ).fetchall()
    return [
        LetterRecord(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7], r[8], r[9],
                     r[10], bool(r[11]))
        for r in rows
    ]
