"""Export and forget: every row about one user, found in every table the database holds.

Tables are read from `sqlite_master`, not listed by hand, so a table another part of the bot
adds later is covered the day it lands. A table is about a user when it is `users` itself,
has a `user_key` column, or points (by foreign key, at any depth) at such a table. A table
that is none of these must be declared global with `register_global_table`, with the reason
it holds no personal data; otherwise export and forget refuse to run (`UncoveredTables`),
because a silent gap in "forget me" is worse than a loud error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from bot.errors import BotError
from bot.store.db import transaction

USER_TABLE = "users"
USER_COLUMN = "user_key"

# Tables without personal data, and why. Other areas add theirs with register_global_table.
GLOBAL_TABLES: dict[str, str] = {
    "_sqlite_migrations": "which schema migrations ran",
    "dispatcher_lease": "which process runs the check-in dispatcher",
}


class UncoveredTables(BotError):
    """Tables that may hold user data but have no path to a user key."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(
            "No user_key path for table(s) " + ", ".join(tables) + ": add a user_key column, "
            "a foreign key to a user table, or register_global_table(name, reason)."
        )
        self.tables = tables


def register_global_table(name: str, reason: str) -> None:
    """Declare that table `name` holds nothing about any user (the reason is documentation)."""
    GLOBAL_TABLES[name] = reason


@dataclass(frozen=True)
class TablePath:
    """How to select one user's rows of a table: a WHERE clause taking the user key once."""

    table: str
    where: str
    # 0 for users, 1 for tables with user_key, n+1 for a table pointing at a depth-n table.
    depth: int


def _quote(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def user_tables(db: Database) -> dict[str, TablePath]:
    """The path to the user key for every table; raise UncoveredTables for any without one."""
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name").fetchall()]
    columns = {name: [row[1] for row in db.execute(f"PRAGMA table_info({_quote(name)})")]
               for name in names}
    paths: dict[str, TablePath] = {}
    if USER_TABLE in names:
        paths[USER_TABLE] = TablePath(USER_TABLE, "key = ?", 0)
    for name in names:
        if name != USER_TABLE and USER_COLUMN in columns[name]:
            paths[name] = TablePath(name, f"{_quote(USER_COLUMN)} = ?", 1)
    # Follow foreign keys until nothing new is reached (letter_versions -> letters -> users).
    changed = True
    while changed:
        changed = False
        for name in names:
            if name in paths or name in GLOBAL_TABLES:
                continue
            for fk in db.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall():
                parent, column, target = fk[2], fk[3], fk[4]
                if parent not in paths:
                    continue
                target = target or _primary_key(db, parent)
                inner = paths[parent]
                paths[name] = TablePath(
                    name,
                    f"{_quote(column)} IN (SELECT {_quote(target)} FROM {_quote(parent)}"
                    f" WHERE {inner.where})",
                    inner.depth + 1,
                )
                changed = True
                break
    uncovered = [n for n in names if n not in paths and n not in GLOBAL_TABLES]
    if uncovered:
        raise UncoveredTables(uncovered)
    return paths


def _primary_key(db: Database, table: str) -> str:
    """The primary-key column a bare `REFERENCES table` points at."""
    for row in db.execute(f"PRAGMA table_info({_quote(table)})"):
        if row[5]:
            return str(row[1])
    return "rowid"


def export_rows(db: Database, user_key: str) -> dict[str, list[dict[str, Any]]]:
    """Every row about the user, table by table (users first), JSON columns decoded."""
    paths = user_tables(db)
    ordered = sorted(paths.values(), key=lambda p: (p.depth, p.table))
    out: dict[str, list[dict[str, Any]]] = {}
    for path in ordered:
        cursor = db.execute(f"SELECT * FROM {_quote(path.table)} WHERE {path.where}"
                            " ORDER BY rowid", [user_key])
        keys = [d[0] for d in cursor.description]
        out[path.table] = [{k: _decode(v) for k, v in zip(keys, row)}
                           for row in cursor.fetchall()]
    return out


def _decode(value: Any) -> Any:
    """JSON stored as text becomes data again; everything else is kept as stored."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, bytes):
        return value.hex()
    return value


def counts(db: Database, user_key: str) -> dict[str, int]:
    """How many rows each table holds about the user."""
    return {path.table: db.execute(
        f"SELECT COUNT(*) FROM {_quote(path.table)} WHERE {path.where}", [user_key]
    ).fetchone()[0] for path in user_tables(db).values()}


def forget(db: Database, user_key: str) -> dict[str, int]:
    """Delete every row about the user in one transaction; return rows deleted per table.

    Deepest tables go first, so a table whose foreign key lacks ON DELETE CASCADE (or has no
    foreign key at all) is emptied explicitly rather than trusted to a cascade.
    """
    paths = user_tables(db)
    deleted: dict[str, int] = {}
    with transaction(db):
        for path in sorted(paths.values(), key=lambda p: (-p.depth, p.table)):
            cursor = db.execute(f"DELETE FROM {_quote(path.table)} WHERE {path.where}",
                                [user_key])
            deleted[path.table] = max(cursor.rowcount, 0)
    return deleted


def find_users(db: Database, text: str) -> list[str]:
    """User keys matching a full key or a platform user id (for operators' requests)."""
    rows = db.execute(
        f"SELECT key FROM {USER_TABLE} WHERE key = ? OR user_id = ? ORDER BY key",
        [text, text],
    ).fetchall()
    return [row[0] for row in rows]


def compact(db: Database) -> None:
    """Rewrite the file so deleted rows leave the disk: checkpoint, VACUUM, truncate the WAL.

    Must run outside a transaction; takes the write lock for as long as VACUUM needs.
    """
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# ---- retention --------------------------------------------------------------------------


def interviews_started_before(db: Database, cutoff: datetime) -> list[tuple[int, str, str]]:
    """(id, user_key, debrief JSON) of every interview created before `cutoff`."""
    rows = db.execute(
        "SELECT id, user_key, debrief FROM interviews WHERE created_at < ? ORDER BY id",
        [cutoff.isoformat()],
    ).fetchall()
    return [(row[0], row[1], row[2]) for row in rows]


def replace_debrief(db: Database, interview_id: int, debrief_json: str) -> None:
    """Store an interview's debrief as given, leaving updated_at (last user activity) alone."""
    db.execute("UPDATE interviews SET debrief = ? WHERE id = ?", [debrief_json, interview_id])


def letter_inputs_for_interview(db: Database, interview_id: int) -> list[tuple[int, str]]:
    """(letter id, inputs JSON) of the letters drafted for one interview."""
    rows = db.execute("SELECT id, inputs FROM letters WHERE interview_id = ? ORDER BY id",
                      [interview_id]).fetchall()
    return [(row[0], row[1]) for row in rows]


def replace_letter_inputs(db: Database, letter_id: int, inputs_json: str) -> None:
    """Store a letter's inputs as given."""
    db.execute("UPDATE letters SET inputs = ? WHERE id = ?", [inputs_json, letter_id])
