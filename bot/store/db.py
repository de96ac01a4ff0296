"""Opening the SQLite file with durable settings and applying every migration set."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database, Migrations

# Each area of the bot owns one migration set; they are applied in this order.
_MIGRATION_SETS: list[Migrations] = []


def register_migrations(migrations: Migrations) -> Migrations:
    """Add a migration set to those applied when a database is opened."""
    if all(existing.name != migrations.name for existing in _MIGRATION_SETS):
        _MIGRATION_SETS.append(migrations)
    return migrations


def open_database(path: str | Path) -> Database:
    """Open (or create) the database at `path`, durable and fully migrated."""
    if str(path) != ":memory:":
        file = Path(path).expanduser()
        file.parent.mkdir(parents=True, exist_ok=True)
        if not file.exists():
            # Feelings and letters live here: a new file is readable by its owner alone
            # (SQLite gives the -wal and -shm files the same mode).
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
    # isolation_level=None: we issue BEGIN ourselves so one turn is one transaction.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a turn the user saw answered survives a power cut, not only a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    db = Database(conn)
    _load_all_migration_modules()
    for migrations in _MIGRATION_SETS:
        migrations.apply(db)
    return db


def _load_all_migration_modules() -> None:
    """Import the modules that register migration sets, so none is forgotten."""
    from bot.store import schema  # noqa: F401
    from bot.store import checkins_schema  # noqa: F401
    from bot.store import offered_forms  # noqa: F401


@contextmanager
def transaction(db: Database, immediate: bool = True) -> Iterator[Database]:
    """Run a block in one transaction; IMMEDIATE takes the write lock up front."""
    conn = db.conn
    if conn.in_transaction:
        # Nested use joins the outer transaction.
        yield db
        return
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
