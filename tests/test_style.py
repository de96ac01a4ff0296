"""The house style holds: ruff lint and mypy type checks are clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing() -> None:
    """`ruff check` on the package, adapters, tests and benchmarks."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "bot", "adapters", "tests",
                             "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    """`mypy` on bot/ and adapters/, as DESIGN.md asks."""
    result = subprocess.run([sys.executable, "-m", "mypy", "bot", "adapters"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
