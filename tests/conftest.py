"""Shared test fixtures."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.engine import Engine
from bot.models import UserRef


@pytest.fixture
def clock() -> FrozenClock:
    """A clock frozen on a Wednesday afternoon, moved only by the test."""
    return FrozenClock(datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc))


@pytest.fixture
def engine(tmp_path: Path, clock: FrozenClock) -> Engine:
    """A real engine on a fresh SQLite file."""
    return Engine(tmp_path / "rebound.db", clock=clock)


def make_user(name: str = "alice") -> UserRef:
    """A test user."""
    return UserRef(platform="test", workspace="w", user=name)
