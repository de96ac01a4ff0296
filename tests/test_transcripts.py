"""Every transcript in tests/transcripts/ played through the engine on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.transcript import run_transcript

TRANSCRIPTS = sorted((Path(__file__).parent / "transcripts").glob("*.txt"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
async def test_transcript(path: Path, tmp_path: Path) -> None:
    """The transcript's expectations all hold."""
    await run_transcript(path, tmp_path / "rebound.db")
