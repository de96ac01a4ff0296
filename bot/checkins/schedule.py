"""Computing when a check-in is due: the user's zone, allowed hours and days, DST included."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from bot.state import UserSettings
from bot.timezones import to_tzinfo

LETTER_REMINDER = "letter_reminder"
HEARD_BACK = "heard_back"


def local_moment(day: date, hour: int, settings: UserSettings) -> datetime:
    """`hour`:00 on `day` in the user's zone, as UTC (zoneinfo resolves DST gaps and folds)."""
    zone = to_tzinfo(settings.tz)
    local = datetime.combine(day, time(hour % 24), tzinfo=zone)
    return local.astimezone(timezone.utc)


def into_allowed_hours(moment: datetime, settings: UserSettings) -> datetime:
    """The first moment at or after `moment` inside the user's allowed hours and days."""
    zone = to_tzinfo(settings.tz)
    local = moment.astimezone(zone)
    days = set(settings.days) or {0, 1, 2, 3, 4, 5, 6}
    for _ in range(15):
        start = datetime.combine(local.date(), time(settings.hours_start), tzinfo=zone)
        end_hour = settings.hours_end
        end = (datetime.combine(local.date(), time(end_hour), tzinfo=zone) if end_hour < 24
               else datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone))
        if local.weekday() in days:
            if local < start:
                return start.astimezone(timezone.utc)
            if local < end:
                return local.astimezone(timezone.utc)
        next_day = local.date() + timedelta(days=1)
        local = datetime.combine(next_day, time(0), tzinfo=zone)
    return moment.astimezone(timezone.utc)


def next_morning(now: datetime, settings: UserSettings) -> datetime:
    """The start of the next allowed day after today, in the user's zone."""
    zone = to_tzinfo(settings.tz)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return into_allowed_hours(local_moment(tomorrow, 0, settings), settings)


def add_working_days(day: date, count: int) -> date:
    """`count` working days (Monday to Friday) after `day`."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def heard_back_due(interview_day: date, promised: date | None, now: datetime,
                   settings: UserSettings) -> datetime:
    """About five working days after the interview, or the day after a promised date."""
    target = promised + timedelta(days=1) if promised else add_working_days(interview_day, 5)
    due = into_allowed_hours(local_moment(target, settings.hours_start, settings), settings)
    return max(due, into_allowed_hours(now + timedelta(hours=1), settings))


def initial_plan(interview_day: date, promised: date | None, letter_sent: bool,
                 now: datetime, settings: UserSettings) -> list[tuple[str, datetime]]:
    """The check-ins a finished debrief schedules: (kind, due time in UTC)."""
    if settings.frequency == "none":
        return []
    plan: list[tuple[str, datetime]] = []
    if not letter_sent:
        plan.append((LETTER_REMINDER, next_morning(now, settings)))
    plan.append((HEARD_BACK, heard_back_due(interview_day, promised, now, settings)))
    return plan
