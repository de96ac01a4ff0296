"""A consistent copy of the database while the bot keeps running (SQLite's online backup API)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bot.errors import BotError


class BackupError(BotError):
    """The backup could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """Where the copy went and what it holds."""

    path: Path
    size: int
    tables: dict[str, int]


def backup(source: Path, target: Path, now: datetime | None = None) -> BackupResult:
    """Copy `source` to `target` (a file, or a directory to put a dated file in).

    The whole copy is taken in one step, under one read transaction, so it is a snapshot of
    one moment: writers carry on meanwhile (WAL), and the copy never mixes before and after.
    It is written beside the target first and renamed into place only once it checks out, so
    an interrupted backup never leaves a half file under the final name.
    """
    source = source.expanduser()
    if not source.is_file():
        raise BackupError(f"There is no database at {source}. Check REBOUND_DB or --db.")
    target = target.expanduser()
    if target.is_dir():
        moment = now or datetime.now(timezone.utc)
        target = target / f"rebound-{moment:%Y%m%d-%H%M%S}.db"
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new name or a directory.")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Backups hold the same personal data as the database: readable by this user only.
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY, 0o600))
    src = sqlite3.connect(source, timeout=30)
    try:
        dest = sqlite3.connect(partial)
        try:
            src.backup(dest)  # pages=-1: everything in one step, one consistent snapshot
            # A standalone file: no -wal beside it that could be lost when it is copied away.
            dest.execute("PRAGMA journal_mode=DELETE")
            check = dest.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {name: dest.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                      for (name,) in dest.execute(
                          "SELECT name FROM sqlite_master WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()}
        finally:
            dest.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup failed: {error}") from None
    finally:
        src.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check ({check}); the source may be "
                          "damaged. Run `rebound doctor`.")
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return BackupResult(path=target, size=target.stat().st_size, tables=tables)
