"""End to end: the real `rebound chat` process with piped input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path


def run_chat(db: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    """Run `rebound chat` on a database with these lines piped in."""
    env = {**os.environ, "REBOUND_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "tester", *extra],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_piped_chat_runs_a_journey_and_exits_cleanly(tmp_path: Path) -> None:
    """Each line is a message; the process ends at end of input with status 0."""
    db = tmp_path / "chat.db"
    result = run_chat(db, ["hi", "Acme", "Backend Engineer", "yesterday", "skip", "Lisbon"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Hi, I'm Rebound" in out
    assert "role you interviewed for at Acme" in out
    assert "Got it: Europe/Lisbon" in out
    assert "how are you feeling" in out
    assert db.exists()


def test_chat_resumes_in_a_new_process(tmp_path: Path) -> None:
    """A second run picks up exactly where the first stopped."""
    db = tmp_path / "chat.db"
    run_chat(db, ["hi", "Acme", "Backend Engineer"])
    result = run_chat(db, [])
    assert result.returncode == 0, result.stderr
    assert "Welcome back" in result.stdout
    assert "When was it?" in result.stdout


def test_numbers_pick_buttons_in_the_console(tmp_path: Path) -> None:
    """Typing a choice's number presses that button."""
    db = tmp_path / "chat.db"
    result = run_chat(db, ["hi", "Acme", "Engineer", "2"])
    assert "1. Today" in result.stdout and "2. Yesterday" in result.stdout
    assert "Who interviewed you?" in result.stdout


def start_chat_until(db: Path, lines: str, marker: str) -> subprocess.Popen[str]:
    """Start `rebound chat`, type `lines`, and wait until `marker` has been printed."""
    env = {**os.environ, "REBOUND_DB": str(db)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "tester"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdin and process.stdout
    process.stdin.write(lines)
    process.stdin.flush()
    seen = ""
    while marker not in seen:
        line = process.stdout.readline()
        assert line, "chat ended early"
        seen += line
    return process


def test_killed_mid_journey_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL after an answer was shown: the answer is on disk and the journey resumes."""
    db = tmp_path / "chat.db"
    process = start_chat_until(db, "hi\nAcme\n", "role you interviewed for at Acme")
    process.kill()
    process.wait(timeout=10)
    result = run_chat(db, [])
    assert "role you interviewed for at Acme" in result.stdout


def test_ctrl_c_leaves_at_once_and_keeps_everything(tmp_path: Path) -> None:
    """SIGINT while waiting for input: a clean exit, and the next run resumes."""
    db = tmp_path / "chat.db"
    process = start_chat_until(db, "hi\nAcme\n", "role you interviewed for at Acme")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert "role you interviewed for at Acme" in run_chat(db, []).stdout
