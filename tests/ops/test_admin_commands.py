"""Answering access and deletion requests from the command line: export-user, forget-user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.privacy.journey import ALICE, BOB, conversation, full_debrief


def rebound(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real `rebound` command on this database."""
    env = {**os.environ, "REBOUND_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60, cwd=db.parent)


async def test_export_user_and_forget_user(tmp_path: Path) -> None:
    """An operator exports one user, then deletes them; the other user stays."""
    db = tmp_path / "r.db"
    alice = conversation(db, "U0ADMINALICE")
    bob = conversation(db, "U0ADMINBOB", clock=alice.clock)
    await full_debrief(alice, ALICE)
    await full_debrief(bob, BOB)
    assert alice.engine is not None and bob.engine is not None
    alice.engine.db.conn.close()
    bob.engine.db.conn.close()

    out = rebound(db, "export-user", "U0ADMINALICE", "--out", str(tmp_path / "request"))
    assert out.returncode == 0, out.stderr
    files = sorted((tmp_path / "request").iterdir())
    assert [f.suffix for f in files] == [".json", ".md"]
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)
    assert ALICE.vent in files[1].read_text() and BOB.vent not in files[1].read_text()
    assert json.loads(files[0].read_text())["tables"]["users"][0]["user_id"] == "U0ADMINALICE"

    refused = rebound(db, "forget-user", "U0ADMINALICE", stdin="n\n")
    assert refused.returncode == 1 and "Aborted" in refused.stderr
    out = rebound(db, "forget-user", "test:w:U0ADMINALICE", "--yes")
    assert out.returncode == 0, out.stderr
    assert "Deleted" in out.stdout and "compacted" in out.stdout
    data = db.read_bytes() + (Path(f"{db}-wal").read_bytes()
                              if Path(f"{db}-wal").exists() else b"")
    assert b"U0ADMINALICE" not in data and ALICE.vent.encode() not in data
    assert b"U0ADMINBOB" in data

    missing = rebound(db, "forget-user", "U0ADMINALICE", "--yes")
    assert missing.returncode == 1 and "No user matches" in missing.stderr


async def test_an_ambiguous_id_asks_for_the_full_key(tmp_path: Path) -> None:
    """The same user id in two workspaces is never guessed."""
    db = tmp_path / "r.db"
    first = conversation(db, "U0SAME")
    await first.say("hi")
    first.restart()
    assert first.engine is not None
    first.engine.db.execute(
        "INSERT INTO users (key, platform, workspace, user_id, created_at, updated_at)"
        " VALUES ('slack:T2:U0SAME', 'slack', 'T2', 'U0SAME', 'x', 'x')")
    out = rebound(db, "forget-user", "U0SAME", "--yes")
    assert out.returncode == 1
    assert "slack:T2:U0SAME" in out.stderr and "test:w:U0SAME" in out.stderr
