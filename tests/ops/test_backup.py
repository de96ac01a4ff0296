"""`rebound backup`: a complete, consistent copy even while another process keeps writing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.store import open_database
from bot.store.backup import BackupError, backup

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


def _writer(db_path: Path, started: threading.Event, stop: threading.Event,
            written: list[int]) -> None:
    """Insert a user and two interviews per transaction until told to stop."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA foreign_keys=ON")
    n = 0
    while not stop.is_set():
        n += 1
        key = f"test:w:writer{n}"
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO users (key, platform, workspace, user_id, created_at,"
                     " updated_at) VALUES (?, 'test', 'w', ?, ?, ?)",
                     [key, f"writer{n}", NOW.isoformat(), NOW.isoformat()])
        for _ in range(2):
            conn.execute("INSERT INTO interviews (user_key, created_at, updated_at)"
                         " VALUES (?, ?, ?)", [key, NOW.isoformat(), NOW.isoformat()])
        conn.execute("COMMIT")
        written.append(n)
        if n == 200:
            started.set()
    conn.close()


def test_backup_while_a_writer_is_busy_is_complete_and_consistent(tmp_path: Path) -> None:
    """The copy holds every transaction up to some moment, whole, and nothing half-written."""
    source = tmp_path / "r.db"
    open_database(source).conn.close()
    started, stop, written = threading.Event(), threading.Event(), []
    thread = threading.Thread(target=_writer, args=(source, started, stop, written))
    thread.start()
    try:
        assert started.wait(timeout=30), "the writer never got going"
        before = len(written)
        result = backup(source, tmp_path / "copy.db")
        after = len(written)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert after > before  # the writer really was writing while the copy was taken

    copy = sqlite3.connect(result.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
    users = copy.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    interviews = copy.execute("SELECT COUNT(*) FROM interviews").fetchone()[0]
    numbers = sorted(int(r[0].removeprefix("writer")) for r in copy.execute(
        "SELECT user_id FROM users"))
    copy.close()
    # Every transaction committed before the backup started is there (no gaps), each one whole.
    assert before <= users <= after + 1
    assert numbers == list(range(1, users + 1))
    assert interviews == 2 * users
    assert result.tables["users"] == users
    # A standalone file: no WAL needed beside it, private to its owner.
    assert not Path(f"{result.path}-wal").exists()
    assert os.stat(result.path).st_mode & 0o077 == 0
    # And the bot can open it as its database.
    reopened = open_database(result.path)
    assert reopened.execute("SELECT COUNT(*) FROM users").fetchone()[0] == users


def test_backup_into_a_directory_and_refusals(tmp_path: Path) -> None:
    """A directory gets a dated file; an existing file or a missing database is refused."""
    source = tmp_path / "r.db"
    open_database(source).conn.close()
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backup(source, folder, now=NOW)
    assert result.path == folder / "rebound-20261125-150000.db"
    with pytest.raises(BackupError, match="already exists"):
        backup(source, result.path)
    with pytest.raises(BackupError, match="no database"):
        backup(tmp_path / "missing.db", tmp_path / "x.db")
    with pytest.raises(BackupError, match="does not exist"):
        backup(source, tmp_path / "nowhere" / "x.db")
    assert not list(folder.glob("*.partial"))


def test_rebound_backup_command(tmp_path: Path) -> None:
    """The CLI names where the copy went and how much it holds."""
    source = tmp_path / "r.db"
    open_database(source).conn.close()
    env = {**os.environ, "REBOUND_DB": str(source)}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "backup", str(tmp_path / "b.db")],
                         capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"to {tmp_path / 'b.db'}" in out.stdout and "keep it private" in out.stdout
    again = subprocess.run([sys.executable, "-m", "bot.cli", "backup", str(tmp_path / "b.db")],
                           capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
