"""Reading hours, days and frequencies as people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserInputError
from bot.flows.settings import describe_days, parse_days, parse_frequency, parse_hours


@pytest.mark.parametrize(("text", "hours"), [
    ("8-18", (8, 18)), ("8–18", (8, 18)), ("08:00 - 18:00", (8, 18)), ("8am-6pm", (8, 18)),
    ("9 to 5", (9, 17)), ("from 10 until 20", (10, 20)), ("0-24", (0, 24)),
    ("7am to 12pm", (7, 12)), ("6pm-12am", (18, 24)),
])
def test_hours(text: str, hours: tuple[int, int]) -> None:
    """Common ways to write a window of hours."""
    assert parse_hours(text) == hours


@pytest.mark.parametrize("text", ["25-3", "18-8", "9", "9:30-17", "13pm-2pm", "", "noon-ish",
                                  "8-8am"])
def test_bad_hours(text: str) -> None:
    """Impossible or unreadable windows are refused with a message."""
    with pytest.raises(UserInputError):
        parse_hours(text)


@given(st.integers(0, 23), st.integers(1, 24))
def test_any_window_reads_back(start: int, end: int) -> None:
    """Every window inside one day reads as written; "9-5" reads as 09:00-17:00; others fail."""
    if end > start:
        assert parse_hours(f"{start}-{end}") == (start, end)
    elif start <= 12 and end < 12 and end + 12 > start:
        assert parse_hours(f"{start}-{end}") == (start, end + 12)
    else:
        with pytest.raises(UserInputError):
            parse_hours(f"{start}-{end}")


@pytest.mark.parametrize(("text", "days"), [
    ("weekdays", [0, 1, 2, 3, 4]), ("every day", [0, 1, 2, 3, 4, 5, 6]),
    ("mon-sat", [0, 1, 2, 3, 4, 5]), ("Monday to Saturday", [0, 1, 2, 3, 4, 5]),
    ("mon, wed, fri", [0, 2, 4]), ("tue thu", [1, 3]), ("Mondays and Fridays", [0, 4]),
    ("fri-mon", [0, 4, 5, 6]), ("tues-thurs", [1, 2, 3]), ("weekends", [5, 6]),
    ("Sunday", [6]),
])
def test_days(text: str, days: list[int]) -> None:
    """Day names, abbreviations, ranges (wrapping over the weekend) and lists."""
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["funday", "mon-funday", "m", "", "mon-tue-wed", "7"])
def test_bad_days(text: str) -> None:
    """Unknown days are refused with a message."""
    with pytest.raises(UserInputError):
        parse_days(text)


@given(st.sets(st.integers(0, 6), min_size=1))
def test_described_days_read_back(days: set[int]) -> None:
    """What the bot says about a set of days parses back to the same set."""
    assert parse_days(describe_days(sorted(days))) == sorted(days)


@pytest.mark.parametrize(("text", "value"), [
    ("normal", "normal"), ("Fewer", "fewer"), ("less often", "fewer"), ("none", "none"),
    ("off", "none"), ("never", "none"),
])
def test_frequency(text: str, value: str) -> None:
    """normal, fewer or none, by their everyday names."""
    assert parse_frequency(text) == value


def test_bad_frequency() -> None:
    """Anything else is refused."""
    with pytest.raises(UserInputError):
        parse_frequency("hourly")
