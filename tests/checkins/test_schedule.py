"""When check-ins fall due: the user's zone, allowed hours and days, DST, never in the past."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.checkins import schedule
from bot.errors import UserInputError
from bot.state import UserSettings

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # Wednesday; 16:00 in Berlin


def make_settings(tz: str | None = "Europe/Berlin", **changes: object) -> UserSettings:
    """Settings for a user in `tz`."""
    return UserSettings(tz=tz, **changes)  # type: ignore[arg-type]


def local(moment: datetime, tz: str) -> datetime:
    """`moment` on the wall clock of `tz`."""
    return moment.astimezone(ZoneInfo(tz))


def test_initial_plan_is_next_local_morning_and_five_working_days_later() -> None:
    """Letter reminder Thursday 09:00 Berlin; "heard back?" Tuesday after next, 09:00."""
    plan = schedule.initial_plan(date(2026, 11, 24), None, False, NOW, make_settings())
    assert plan == [
        (schedule.LETTER_REMINDER, datetime(2026, 11, 26, 8, 0, tzinfo=UTC)),
        (schedule.HEARD_BACK, datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ]


def test_initial_plan_uses_the_promised_date_and_skips_a_sent_letter() -> None:
    """The day after a promised decision date; no reminder when the letter already went."""
    plan = schedule.initial_plan(date(2026, 11, 24), date(2026, 11, 26), True, NOW,
                                 make_settings())
    assert plan == [(schedule.HEARD_BACK, datetime(2026, 11, 27, 8, 0, tzinfo=UTC))]


@pytest.mark.parametrize(("tz", "expected_utc"), [
    ("Asia/Tokyo", datetime(2026, 11, 27, 0, 0, tzinfo=UTC)),       # already Thursday there
    ("America/New_York", datetime(2026, 11, 26, 14, 0, tzinfo=UTC)),
    ("Asia/Kolkata", datetime(2026, 11, 26, 3, 30, tzinfo=UTC)),     # a half-hour zone
    ("Australia/Sydney", datetime(2026, 11, 26, 22, 0, tzinfo=UTC)),  # already Thursday there
    (None, datetime(2026, 11, 26, 9, 0, tzinfo=UTC)),                 # zone unknown: UTC
])
def test_next_morning_is_nine_on_the_users_wall_clock(tz: str | None,
                                                      expected_utc: datetime) -> None:
    """The same instant gives each user their own next 09:00."""
    due = schedule.next_morning(NOW, make_settings(tz))
    assert due == expected_utc
    assert local(due, tz or "UTC").hour == 9


def test_allowed_days_skip_the_weekend_and_custom_hours_apply() -> None:
    """Friday evening moves to Monday; 8 to 18 hours start at 08:00."""
    friday_evening = datetime(2026, 11, 27, 19, 30, tzinfo=UTC)
    due = schedule.into_allowed_hours(friday_evening, make_settings(hours_start=8, hours_end=18))
    assert local(due, "Europe/Berlin") == datetime(2026, 11, 30, 8, 0,
                                                   tzinfo=ZoneInfo("Europe/Berlin"))
    weekend_ok = make_settings(days=[5, 6], hours_start=10, hours_end=12)
    due = schedule.into_allowed_hours(NOW, weekend_ok)
    assert local(due, "Europe/Berlin").isoformat() == "2026-11-28T10:00:00+01:00"


def test_inside_the_allowed_hours_nothing_moves() -> None:
    """A moment already inside the hours is kept to the second."""
    assert schedule.into_allowed_hours(NOW, make_settings()) == NOW


def test_autumn_dst_change_keeps_nine_oclock_local() -> None:
    """Berlin leaves summer time on Sunday 25 October 2026: 09:00 moves from 07:00 to 08:00 UTC."""
    friday = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)
    every_day = make_settings(days=list(range(7)))
    saturday = schedule.next_morning(friday, every_day)
    sunday = schedule.next_morning(saturday, every_day)
    assert saturday == datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
    assert sunday == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert local(saturday, "Europe/Berlin").hour == local(sunday, "Europe/Berlin").hour == 9
    # Weekdays only: Friday's "next morning" is Monday, after the change.
    assert schedule.next_morning(friday, make_settings()) == datetime(2026, 10, 26, 8, 0,
                                                                      tzinfo=UTC)
    # Five working days across the change still lands at 09:00 local.
    due = schedule.heard_back_due(date(2026, 10, 21), None, friday, make_settings())
    assert due == datetime(2026, 10, 28, 8, 0, tzinfo=UTC)


def test_new_york_dst_change_differs_from_europe() -> None:
    """New York changes a week later (1 November): 09:00 is 13:00 UTC before, 14:00 after."""
    ny = make_settings("America/New_York", days=list(range(7)))
    saturday = schedule.next_morning(datetime(2026, 10, 30, 18, 0, tzinfo=UTC), ny)
    sunday = schedule.next_morning(saturday, ny)
    assert (saturday, sunday) == (datetime(2026, 10, 31, 13, 0, tzinfo=UTC),
                                  datetime(2026, 11, 1, 14, 0, tzinfo=UTC))


def test_spring_forward_gap_lands_inside_the_hours() -> None:
    """Hours starting at 02:00 on the night 02:00 doesn't exist: the check-in comes at 03:00."""
    night_owl = make_settings(days=list(range(7)), hours_start=2, hours_end=6)
    before = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # Sunday 00:00 in Berlin
    due = schedule.into_allowed_hours(before, night_owl)
    assert due == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert local(due, "Europe/Berlin").hour == 3


def test_never_in_the_past() -> None:
    """A computed moment already gone becomes the next allowed moment from now."""
    long_ago = date(2026, 10, 1)
    due = schedule.heard_back_due(long_ago, None, NOW, make_settings())
    assert due > NOW
    assert schedule.upcoming(NOW - timedelta(days=3), NOW, make_settings()) == NOW
    assert schedule.morning_of(date(2026, 11, 1), NOW, make_settings()) >= NOW


def test_frequency_none_schedules_nothing_and_fewer_spaces_repeats() -> None:
    """"none": no plan at all. "fewer": two weeks between repeats instead of one."""
    assert schedule.initial_plan(date(2026, 11, 24), None, False, NOW,
                                 make_settings(frequency="none")) == []
    normal = schedule.heard_back_again(NOW, make_settings())
    fewer = schedule.heard_back_again(NOW, make_settings(frequency="fewer"))
    assert (normal.date(), fewer.date()) == (date(2026, 12, 2), date(2026, 12, 9))
    assert schedule.letter_reminder_again(NOW, make_settings(frequency="fewer")).date() == \
        date(2026, 11, 27)


def test_weekly_goal_skips_the_weeks_that_passed() -> None:
    """After downtime, the next weekly check-in is the next one on the weekly rhythm."""
    three_weeks_ago = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)  # a Wednesday, 09:00 Berlin
    due = schedule.weekly_after(three_weeks_ago, NOW, make_settings())
    assert due == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert schedule.weekly_after(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), NOW,
                                 make_settings(frequency="fewer")).date() == date(2026, 12, 9)


@pytest.mark.parametrize(("words", "expected_local"), [
    ("monday morning", "2026-11-30T09:00:00+01:00"),
    ("Monday", "2026-11-30T09:00:00+01:00"),
    ("friday 2pm", "2026-11-27T14:00:00+01:00"),
    ("friday afternoon", "2026-11-27T14:00:00+01:00"),
    ("tomorrow", "2026-11-26T09:00:00+01:00"),
    ("in 3 days", "2026-11-30T09:00:00+01:00"),         # Saturday: moved to Monday
    ("10pm", "2026-11-26T09:00:00+01:00"),              # outside the hours: next morning
    ("later", "2026-11-25T18:00:00+01:00"),             # an hour before the day ends
    ("this evening", "2026-11-25T18:00:00+01:00"),
    ("next week", "2026-12-02T09:00:00+01:00"),
    ("2026-12-03", "2026-12-03T09:00:00+01:00"),
])
def test_snooze_words(words: str, expected_local: str) -> None:
    """What people type for "ask me again" lands where they mean, inside their hours."""
    due = schedule.parse_when(words, NOW, make_settings())
    assert local(due, "Europe/Berlin").isoformat() == expected_local


@pytest.mark.parametrize("words", ["blah blah", "yesterday", "31/02"])
def test_snooze_words_that_cannot_be_used(words: str) -> None:
    """Nonsense, the past and impossible dates get a friendly re-ask."""
    with pytest.raises(UserInputError):
        schedule.parse_when(words, NOW, make_settings())


def test_after_missed_moves_the_sequence_on() -> None:
    """A missed "heard back?" is asked at the next good moment; a missed reminder is dropped."""
    settings = make_settings()
    late = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert schedule.after_missed(schedule.LETTER_REMINDER, {}, late, NOW, settings) is None
    kind, due, payload = schedule.after_missed(schedule.HEARD_BACK, {"round": 2}, late, NOW,
                                               settings) or ("", NOW, {})
    assert (kind, due, payload) == (schedule.HEARD_BACK, NOW, {"round": 2})
    kind, due, _ = schedule.after_missed(schedule.SECOND_INTERVIEW, {}, late, NOW,
                                         settings) or ("", NOW, {})
    assert kind == schedule.HEARD_BACK
    kind, due, _ = schedule.after_missed(schedule.WEEKLY_GOAL, {"apps": 3}, late, NOW,
                                         settings) or ("", NOW, {})
    assert kind == schedule.WEEKLY_GOAL and due > NOW
    assert schedule.after_missed(schedule.HEARD_BACK, {}, late, NOW,
                                 make_settings(frequency="none")) is None
