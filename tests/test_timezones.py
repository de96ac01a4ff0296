"""Time zones as people type them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.errors import UserInputError
from bot.timezones import is_known, parse_timezone, to_tzinfo


@pytest.mark.parametrize("typed, expected", [
    ("Berlin", "Europe/Berlin"), ("berlin", "Europe/Berlin"), ("New York", "America/New_York"),
    ("america/chicago", "America/Chicago"), ("Asia/Kolkata", "Asia/Kolkata"),
    ("São Paulo", "America/Sao_Paulo"), ("Los Angeles", "America/Los_Angeles"),
    ("PST", "America/Los_Angeles"), ("UTC", "Etc/UTC"), ("utc+2", "UTC+02:00"),
    ("UTC-03:30", "UTC-03:30"), ("+05:30", "UTC+05:30"), ("GMT+1", "UTC+01:00"),
    ("Tokyo time", "Asia/Tokyo"),
])
def test_zones_people_type(typed: str, expected: str) -> None:
    """Cities, IANA names, abbreviations and offsets."""
    assert parse_timezone(typed) == expected
    assert is_known(expected)


@pytest.mark.parametrize("typed", ["Mars", "UTC+25", "", "   ", "Atlantis/Capital"])
def test_unknown_zones_get_a_clear_answer(typed: str) -> None:
    """Unknown zones are refused with examples, never guessed."""
    with pytest.raises(UserInputError):
        parse_timezone(typed)


def test_offsets_become_fixed_zones() -> None:
    """A stored offset turns into the right tzinfo."""
    moment = datetime(2026, 11, 25, 12, tzinfo=timezone.utc).astimezone(to_tzinfo("UTC+05:30"))
    assert (moment.hour, moment.minute) == (17, 30)
