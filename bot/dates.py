"""Understanding interview dates as people type them."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.errors import UserInputError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?$")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def parse_past_date(text: str, today: date) -> date:
    """A date on or before `today` from words like "yesterday", "last Tuesday", "2026-11-20"."""
    cleaned = " ".join(text.strip().strip(".!").split()).lower()
    if cleaned in ("today", "this morning", "this afternoon", "earlier today", "now"):
        return today
    if cleaned in ("yesterday", "last night"):
        return today - timedelta(days=1)
    parsed = _parse_numeric(cleaned, today)
    if parsed is None:
        parsed = _parse_words(cleaned, today)
    if parsed > today:
        raise UserInputError(
            f"{format_date(parsed)} is still ahead. When did the interview happen? "
            "“Yesterday” or a date like 2026-11-20 works."
        )
    if parsed < today - timedelta(days=400):
        raise UserInputError(
            "That's more than a year ago. When was this interview? A date like 2026-11-20 works."
        )
    return parsed


def _parse_numeric(cleaned: str, today: date) -> date | None:
    """ISO and day/month dates, with a clear word when the date cannot exist."""
    iso = _ISO.match(cleaned)
    if iso:
        return _checked(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), cleaned)
    slashed = _SLASHED.match(cleaned)
    if not slashed:
        return None
    first, second = int(slashed.group(1)), int(slashed.group(2))
    year = int(slashed.group(3)) if slashed.group(3) else today.year
    if year < 100:
        year += 2000
    # Day first, as most of the world writes it; month first only when that is the only reading.
    day, month = (first, second) if second <= 12 or first > 12 else (second, first)
    if month > 12 and day <= 12:
        day, month = month, day
    result = _checked(year, month, day, cleaned)
    if result > today and not slashed.group(3):
        result = _checked(year - 1, month, day, cleaned)
    return result


def _checked(year: int, month: int, day: int, original: str) -> date:
    """Build a date or explain why it cannot exist."""
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            raise UserInputError(
                f"“{original}” isn't a real date: {_MONTHS[month - 1]} has no day {day}. "
                "Which day was it?"
            ) from None
        raise UserInputError(
            f"I can't read “{original}” as a date. Try “yesterday”, “last Tuesday” or 2026-11-20."
        ) from None


def _parse_words(cleaned: str, today: date) -> date:
    """Relative and written dates through dateparser (imported lazily: it is slow to load)."""
    import dateparser

    base = datetime(today.year, today.month, today.day, 12, 0)
    parsed = dateparser.parse(
        cleaned,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY"},
    )
    if parsed is None:
        raise UserInputError(
            f"I couldn't read “{cleaned[:60]}” as a date. Try “yesterday”, “last Tuesday” "
            "or 2026-11-20."
        )
    return parsed.date()


def parse_any_date(text: str, today: date) -> date:
    """A date in the past or future (decision dates, snoozes)."""
    cleaned = " ".join(text.strip().strip(".!").split()).lower()
    if cleaned == "today":
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    parsed = _parse_numeric(cleaned, date(today.year + 1, 12, 31))
    if parsed is not None:
        return parsed
    import dateparser

    result = dateparser.parse(
        cleaned, languages=["en"],
        settings={"RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
                  "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"},
    )
    if result is None:
        raise UserInputError(
            f"I couldn't read “{cleaned[:60]}” as a date. Try “next Friday” or 2026-12-04."
        )
    return result.date()


def format_date(day: date) -> str:
    """A friendly date: "Friday 20 November"."""
    return f"{day.strftime('%A')} {day.day} {_MONTHS[day.month - 1]}"
