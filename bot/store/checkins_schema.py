"""Tables and columns the check-in dispatcher adds: claim owner, answers, stops and the lease."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from bot.store.db import register_migrations

checkins_set = register_migrations(Migrations("rebound.checkins"))


@checkins_set()
def m001_dispatch_columns(db: Database) -> None:
    """Who claimed a row, the user's answer to it, per-interview stops and the dispatcher lease."""
    # Statement by statement: executescript would commit the migration's transaction early.
    for statement in (
        # The dispatcher that claimed the row; an outcome is recorded only by its claimant.
        "ALTER TABLE checkins ADD COLUMN claimed_by TEXT",
        # The user's answer to a delivered check-in, set once: a second press is "already noted".
        "ALTER TABLE checkins ADD COLUMN answer TEXT",
        "ALTER TABLE checkins ADD COLUMN answered_at TEXT",
        # "Stop check-ins for this interview": nothing more is scheduled or sent for it.
        """CREATE TABLE checkin_stops (
            user_key TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            stopped_at TEXT NOT NULL,
            PRIMARY KEY (user_key, interview_id)
        )""",
        # One row per dispatcher role: exactly one process dispatches per database file.
        """CREATE TABLE dispatcher_lease (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            acquired_at REAL NOT NULL,
            expires_at REAL NOT NULL
        )""",
    ):
        db.execute(statement)


@checkins_set()
def m002_lease_sync_counter(db: Database) -> None:
    """A counter the dispatcher bumps to force one durable commit after a group of turns."""
    db.execute("ALTER TABLE dispatcher_lease ADD COLUMN syncs INTEGER NOT NULL DEFAULT 0")
