"""Understanding time zones as people type them: IANA names, cities, abbreviations, offsets."""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import UserInputError

# Common ways people name a zone that are not an IANA city.
_ALIASES = {
    "new york": "America/New_York", "nyc": "America/New_York", "boston": "America/New_York",
    "washington": "America/New_York", "miami": "America/New_York", "atlanta": "America/New_York",
    "san francisco": "America/Los_Angeles", "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "la": "America/Los_Angeles",
    "austin": "America/Chicago", "dallas": "America/Chicago", "houston": "America/Chicago",
    "montreal": "America/Toronto", "ottawa": "America/Toronto",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "india": "Asia/Kolkata",
    "beijing": "Asia/Shanghai", "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin", "barcelona": "Europe/Madrid", "milan": "Europe/Rome",
    "manchester": "Europe/London", "edinburgh": "Europe/London", "uk": "Europe/London",
    "cape town": "Africa/Johannesburg", "sao paulo": "America/Sao_Paulo",
    "são paulo": "America/Sao_Paulo", "hanoi": "Asia/Ho_Chi_Minh",
    "pacific": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles", "mountain": "America/Denver", "mst": "America/Denver",
    "mdt": "America/Denver", "central": "America/Chicago", "cst": "America/Chicago",
    "cdt": "America/Chicago", "eastern": "America/New_York", "est": "America/New_York",
    "edt": "America/New_York", "et": "America/New_York", "bst": "Europe/London",
    "gmt": "Etc/UTC", "utc": "Etc/UTC", "z": "Etc/UTC", "cet": "Europe/Paris",
    "cest": "Europe/Paris", "ist": "Asia/Kolkata", "aest": "Australia/Sydney",
    "jst": "Asia/Tokyo",
}

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")


@lru_cache(maxsize=1)
def _by_lower_name() -> dict[str, str]:
    """IANA names and their city parts, lower-cased, to the canonical name."""
    names: dict[str, str] = {}
    for name in sorted(available_timezones()):
        names.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        if "/" in name and not name.startswith(("Etc/", "SystemV/")):
            names.setdefault(city, name)
    return names


def parse_timezone(text: str) -> str:
    """Turn what the user typed into a zone name we can store, or raise UserInputError."""
    cleaned = " ".join(text.strip().strip(".!").split()).lower()
    if not cleaned:
        raise UserInputError("Which time zone are you in? A city like “Berlin” works.")
    cleaned = re.sub(r"\s+time$", "", cleaned)
    if cleaned in _ALIASES:
        return _ALIASES[cleaned]
    names = _by_lower_name()
    for candidate in (cleaned, cleaned.replace(" ", "_")):
        if candidate in names:
            return names[candidate]
    match = _OFFSET.match(cleaned)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours <= 14 and minutes < 60:
            return f"UTC{sign}{hours:02d}:{minutes:02d}"
    raise UserInputError(
        f"I don't know the time zone “{text.strip()[:60]}”. Try a city (“Lisbon”), "
        "a zone name (“America/Chicago”) or an offset (“UTC+2”)."
    )


def to_tzinfo(name: str | None) -> tzinfo:
    """The tzinfo for a stored zone name; UTC when unknown."""
    if not name:
        return timezone.utc
    match = re.fullmatch(r"UTC([+-])(\d{2}):(\d{2})", name)
    if match:
        delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return timezone(delta if match.group(1) == "+" else -delta, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def is_known(name: str | None) -> bool:
    """True when the name is an IANA zone or one of our fixed offsets."""
    if not name:
        return False
    if re.fullmatch(r"UTC[+-]\d{2}:\d{2}", name):
        return True
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
