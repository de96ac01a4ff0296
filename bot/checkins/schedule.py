"""Computing when a check-in is due: the user's zone, allowed hours and days, DST included."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from bot.errors import UserInputError
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


# ---- the rest of the sequence ------------------------------------------------------------

SECOND_INTERVIEW = "second_interview"
WEEKLY_GOAL = "weekly_goal"
# How many "nothing yet" answers before suggesting the user moves on (step 5).
HEARD_BACK_ROUNDS = 3


def upcoming(moment: datetime, now: datetime, settings: UserSettings) -> datetime:
    """`moment` moved into allowed hours, and never before `now`."""
    return into_allowed_hours(max(moment, now), settings)


def repeat_days(settings: UserSettings, normal: int) -> int:
    """Days between repeats of a check-in; "fewer" spaces them twice as wide."""
    return normal * 2 if settings.frequency == "fewer" else normal


def morning_of(day: date, now: datetime, settings: UserSettings) -> datetime:
    """The start of the allowed hours on `day` (or the next allowed day), never in the past."""
    return upcoming(local_moment(day, settings.hours_start, settings), now, settings)


def later_today(now: datetime, settings: UserSettings) -> datetime:
    """A few hours from now; near the end of the day, an hour before the allowed hours end."""
    zone = to_tzinfo(settings.tz)
    local = now.astimezone(zone)
    later = now + timedelta(hours=3)
    if settings.hours_end < 24:
        last = datetime.combine(local.date(), time(settings.hours_end - 1),
                                tzinfo=zone).astimezone(timezone.utc)
        if later > last >= now + timedelta(hours=1):
            later = last
    return upcoming(later, now, settings)


def next_week(now: datetime, settings: UserSettings) -> datetime:
    """A week from today, at the start of the user's hours."""
    today = now.astimezone(to_tzinfo(settings.tz)).date()
    return morning_of(today + timedelta(days=7), now, settings)


def in_days(now: datetime, days: int, settings: UserSettings) -> datetime:
    """`days` from today, at the start of the user's hours."""
    today = now.astimezone(to_tzinfo(settings.tz)).date()
    return morning_of(today + timedelta(days=days), now, settings)


def heard_back_again(now: datetime, settings: UserSettings) -> datetime:
    """The next "heard back?" after "nothing yet": about a week on (two with fewer check-ins)."""
    return in_days(now, repeat_days(settings, 7), settings)


def letter_reminder_again(now: datetime, settings: UserSettings) -> datetime:
    """Ask about the letter once more: tomorrow morning, or the day after with fewer check-ins."""
    return in_days(now, repeat_days(settings, 1), settings)


def weekly_after(previous_due: datetime, now: datetime, settings: UserSettings) -> datetime:
    """The next weekly-goal check-in after one due at `previous_due`, skipping missed weeks."""
    zone = to_tzinfo(settings.tz)
    gap = timedelta(days=repeat_days(settings, 7))
    day = previous_due.astimezone(zone).date() + gap
    while local_moment(day, settings.hours_start, settings) <= now:
        day += gap
    return morning_of(day, now, settings)


def day_after(day: date, now: datetime, settings: UserSettings) -> datetime:
    """The morning after `day` (the check-in after a second interview)."""
    return morning_of(day + timedelta(days=1), now, settings)


def after_missed(kind: str, payload: dict, due_at: datetime, now: datetime,
                 settings: UserSettings) -> tuple[str, datetime, dict] | None:
    """What replaces a check-in that was too late to send, so the sequence moves on."""
    if settings.frequency == "none":
        return None
    if kind == HEARD_BACK:
        # The question still matters: ask it at the next good moment.
        return HEARD_BACK, upcoming(now, now, settings), dict(payload)
    if kind == SECOND_INTERVIEW:
        return HEARD_BACK, upcoming(now, now, settings), {"round": 1}
    if kind == WEEKLY_GOAL:
        return WEEKLY_GOAL, weekly_after(due_at, now, settings), dict(payload)
    # A letter reminder days late is no help; the "heard back?" check-in carries on.
    return None


_PARTS_OF_DAY = {"morning": None, "noon": 12, "midday": 12, "lunchtime": 12, "lunch": 12,
                 "afternoon": 14, "evening": 18, "tonight": 19, "night": 19}
_PART_WORDS = re.compile(r"\b(?:this |in the |at )?(morning|noon|midday|lunchtime|lunch|"
                         r"afternoon|evening|tonight|night)\b")
_LATER = {"later", "later today", "in a bit", "in a while", "in a few hours", "soon"}


def parse_when(text: str, now: datetime, settings: UserSettings) -> datetime:
    """When the user wants a check-in, from words like "monday morning" or "in 3 days"."""
    cleaned = " ".join(text.lower().strip().strip(".!?").split())
    if cleaned in _LATER:
        return later_today(now, settings)
    if cleaned in ("tomorrow", "tmrw", "tomorrow morning"):
        return next_morning(now, settings)
    zone = to_tzinfo(settings.tz)
    local_now = now.astimezone(zone)
    hour: int | None = None
    part = _PART_WORDS.search(cleaned)
    if part:
        hour = _PARTS_OF_DAY[part.group(1)]
        hour = settings.hours_start if hour is None else hour
        cleaned = " ".join(_PART_WORDS.sub(" ", cleaned).split())
    if not cleaned:
        target = datetime.combine(local_now.date(), time(hour or settings.hours_start),
                                  tzinfo=zone)
        if target <= local_now:
            target = datetime.combine(local_now.date() + timedelta(days=1),
                                      time(hour or settings.hours_start), tzinfo=zone)
    else:
        target = _parse_moment(cleaned, local_now, hour, settings)
    return upcoming(target.astimezone(timezone.utc), now, settings)


def _parse_moment(cleaned: str, local_now: datetime, hour: int | None,
                  settings: UserSettings) -> datetime:
    """A future date (and time, if given) through dateparser, in the user's zone."""
    from dateparser.date import DateDataParser  # slow to import: only when needed

    parser = DateDataParser(languages=["en"], settings={
        "PREFER_DATES_FROM": "future", "RETURN_TIME_AS_PERIOD": True,
        "RELATIVE_BASE": local_now.replace(tzinfo=None, microsecond=0)})
    data = parser.get_date_data(cleaned)
    if data.date_obj is None:
        raise UserInputError(
            f"I couldn't read “{cleaned[:60]}” as a time. Try “tomorrow”, "
            "“monday morning”, “in 3 days” or “friday 2pm”.")
    parsed = data.date_obj.replace(tzinfo=None)
    if data.period == "time" and hour is None:
        moment = parsed.replace(tzinfo=local_now.tzinfo)
    else:
        moment = datetime.combine(parsed.date(), time(hour if hour is not None
                                                      else settings.hours_start),
                                  tzinfo=local_now.tzinfo)
    if moment <= local_now:
        raise UserInputError("That moment has already passed. When should I check in? "
                             "For example “tomorrow” or “next monday”.")
    return moment
