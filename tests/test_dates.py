"""Interview dates as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import parse_past_date
from bot.errors import UserInputError

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize("typed, expected", [
    ("today", TODAY), ("Today.", TODAY), ("yesterday", date(2026, 11, 24)),
    ("last Tuesday", date(2026, 11, 24)), ("last monday", date(2026, 11, 23)),
    ("2026-11-20", date(2026, 11, 20)), ("20/11", date(2026, 11, 20)),
    ("11/20", date(2026, 11, 20)), ("20.11.2026", date(2026, 11, 20)),
    ("3 days ago", date(2026, 11, 22)), ("Nov 20", date(2026, 11, 20)),
    ("20 November", date(2026, 11, 20)), ("28/12", date(2025, 12, 28)),
])
def test_dates_people_type(typed: str, expected: date) -> None:
    """Relative, written and numeric dates are understood."""
    assert parse_past_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed, says", [
    ("31/02", "February has no day 31"), ("2026-02-30", "February has no day 30"),
    ("next Tuesday", "still ahead"), ("tomorrow", "still ahead"),
    ("the day the moon fell", "couldn't read"), ("2019-01-01", "more than a year ago"),
    ("2026-13-01", "can't read"),
])
def test_impossible_dates_get_a_clear_answer(typed: str, says: str) -> None:
    """Each bad date is explained, not guessed."""
    with pytest.raises(UserInputError, match=says):
        parse_past_date(typed, TODAY)
