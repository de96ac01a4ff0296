"""Clocks: time is injected so tests and `timewarp` travel instead of sleeping."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time in UTC."""

    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...


class SystemClock:
    """The real clock, optionally shifted (for trying check-ins without waiting days)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """Wall-clock time plus the offset."""
        return datetime.now(timezone.utc) + self.offset


class FrozenClock:
    """A clock that only moves when told to; for tests and benchmarks."""

    def __init__(self, start: datetime) -> None:
        self.current = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        """The frozen moment."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self.current += delta

    def set(self, moment: datetime) -> None:
        """Jump to a moment."""
        self.current = moment.astimezone(timezone.utc)
