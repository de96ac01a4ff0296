"""Settings: time zone, check-in hours and days, how often to check in, and the letters' name.

`settings` alone shows them with a button for each; `settings hours 8-18` (typed, or as
`/rebound settings hours 8-18`) changes one at once. A value that doesn't parse changes
nothing and asks again, with an example.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.checkins import schedule
from bot.errors import UserInputError
from bot.flows import aside
from bot.flows.base import Answer, Ctx, OneQuestionFlow, action, registry
from bot.models import Button
from bot.state import UserSettings
from bot.store import checkins
from bot.text import MAX_SHORT_ANSWER, command_words, one_line
from bot.timezones import parse_timezone, to_tzinfo

NAME = "settings"

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAY_PRESETS = {
    "weekdays": [0, 1, 2, 3, 4], "weekday": [0, 1, 2, 3, 4], "work days": [0, 1, 2, 3, 4],
    "workdays": [0, 1, 2, 3, 4], "every day": list(range(7)), "everyday": list(range(7)),
    "daily": list(range(7)), "all": list(range(7)), "all days": list(range(7)),
    "any day": list(range(7)), "weekends": [5, 6], "weekend": [5, 6],
}
FREQUENCIES = {
    "normal": "normal", "default": "normal", "on": "normal", "usual": "normal",
    "all": "normal", "fewer": "fewer", "less": "fewer", "less often": "fewer",
    "fewer please": "fewer", "rarely": "fewer", "none": "none", "off": "none",
    "never": "none", "no": "none", "stop": "none", "no check-ins": "none",
    "no checkins": "none", "zero": "none",
}
FREQUENCY_WORDS = {
    "normal": "normal (every check-in in your plan)",
    "fewer": "fewer (fewer reminders, spaced further apart)",
    "none": "none (no check-ins at all)",
}


# ---- reading values as people type them ---------------------------------------------------

_HOUR = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(rf"^(?:from\s+)?{_HOUR}\s*(?:-|–|—|to|until|till)\s*{_HOUR}$")


def parse_hours(text: str) -> tuple[int, int]:
    """"8-18", "8am-6pm", "09:00 to 17:00", "9 to 5" as (start hour, end hour)."""
    cleaned = " ".join(text.lower().strip().strip(".!").split())
    match = _RANGE.match(cleaned)
    if not match:
        raise UserInputError(
            f"I couldn't read “{one_line(text)[:40]}” as hours. Try a range like `9-19` or "
            "`8am-6pm`."
        )
    start = _hour(match.group(1), match.group(2), match.group(3))
    end = _hour(match.group(4), match.group(5), match.group(6), is_end=True)
    if start is None or end is None:
        raise UserInputError("Hours go from 0 to 24, on the hour. Try a range like `9-19`.")
    if end <= start and not match.group(6) and start <= 12 and end < 12 and end + 12 > start:
        end += 12  # "9 to 5" on a 12-hour clock means 09:00-17:00; "18-8" stays an error
    if end <= start:
        raise UserInputError(
            "The window has to start before it ends, within one day, like `9-19` or `8-18`."
        )
    return start, end


def _hour(digits: str, minutes: str | None, meridiem: str | None,
          is_end: bool = False) -> int | None:
    """One hour of a range, or None when it isn't a whole hour of the day."""
    hour = int(digits)
    if minutes not in (None, "00"):
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
        if is_end and hour == 0:
            hour = 24  # "to 12am" is midnight at the end of the day
    return hour if 0 <= hour <= (24 if is_end else 23) else None


def parse_days(text: str) -> list[int]:
    """"weekdays", "every day", "mon-sat", "mon, wed, fri" as sorted weekday numbers."""
    cleaned = " ".join(text.lower().strip().strip(".!").split())
    if cleaned in _DAY_PRESETS:
        return list(_DAY_PRESETS[cleaned])
    days: set[int] = set()
    # Ranges become "a-b" tokens; lists split on commas, "and", "&" and spaces.
    ranged = re.sub(r"\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b|\buntil\b)\s*", "-", cleaned)
    for part in re.split(r"(?:\s*,\s*|\s+and\s+|\s*&\s*|\s+)", ranged):
        if not part:
            continue
        numbers = [_day(bound) for bound in part.split("-")]
        if len(numbers) > 2 or any(n is None for n in numbers):
            raise UserInputError(
                f"I don't know the day “{part[:20]}”. Try `weekdays`, `every day`, `mon-sat` "
                "or a list like `mon, wed, fri`."
            )
        if len(numbers) == 1:
            days.add(numbers[0])  # type: ignore[arg-type]
        else:
            first, last = numbers[0], numbers[1]
            span = (last - first) % 7  # type: ignore[operator]
            days.update((first + step) % 7 for step in range(span + 1))  # type: ignore[operator]
    if not days:
        raise UserInputError("Which days? Try `weekdays`, `every day` or `mon-sat`.")
    return sorted(days)


def _day(word: str) -> int | None:
    """A weekday number from its name or an abbreviation of at least two letters."""
    word = word.strip(" .").rstrip("s") if len(word.strip(" .")) > 3 else word.strip(" .")
    if len(word) < 2:
        return None
    for index, name in enumerate(DAY_NAMES):
        full = name.lower()
        # "tues", "thurs", "weds" are common short forms too.
        if full.startswith(word) or word in ("tues", "thur", "thurs", "wed", "weds") and \
                full.startswith(word[:3]):
            return index
    return None


def parse_frequency(text: str) -> str:
    """normal, fewer or none, from the words people use."""
    word = command_words(text)
    if word in FREQUENCIES:
        return FREQUENCIES[word]
    raise UserInputError("How often should I check in: `normal`, `fewer` or `none`?")


def parse_name(text: str) -> str:
    """The name that signs letters."""
    name = one_line(text).strip(" .")
    if not name:
        raise UserInputError("What name should sign your letters?")
    if len(name) > min(MAX_SHORT_ANSWER, 80):
        raise UserInputError("That's longer than a name. How should your letters be signed?")
    return name


# ---- describing them ------------------------------------------------------------------------


def describe_days(days: list[int]) -> str:
    """"Monday to Friday", "every day", "Monday, Wednesday and Friday"."""
    ordered = sorted(set(days))
    if ordered == list(range(7)):
        return "every day"
    if not ordered:
        return "no days"
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    names = [DAY_NAMES[d] for d in ordered]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_hours(settings: UserSettings) -> str:
    """"09:00 to 19:00"."""
    return f"{settings.hours_start:02d}:00 to {settings.hours_end:02d}:00"


def summary_line(settings: UserSettings) -> str:
    """The settings in one line, for `status`."""
    zone = settings.tz or "time zone not set"
    if settings.frequency == "none":
        return f"Check-ins: off ({zone}). Say `settings` to change."
    return (f"Check-ins: {describe_days(settings.days)}, {describe_hours(settings)} ({zone}), "
            f"{settings.frequency}. Say `settings` to change.")


def overview(ctx: Ctx) -> str:
    """Every setting, with the local time so a wrong zone is easy to spot."""
    s = ctx.user.settings
    zone = (f"{s.tz} (it's {ctx.now.astimezone(to_tzinfo(s.tz)):%H:%M} there now)" if s.tz
            else "not set yet, so I use UTC")
    return "\n".join([
        "Your settings:",
        f"• Time zone: {zone}",
        f"• Check-ins: {describe_days(s.days)}, {describe_hours(s)}",
        f"• How often: {FREQUENCY_WORDS[s.frequency]}",
        f"• Letters signed: {s.sender_name or 'not set yet'}",
        "Tap one to change it, or type, say, `settings hours 8-18`.",
    ])


def _overview_buttons() -> list[Button]:
    return [action("settings", "ask", "timezone", label="Time zone"),
            action("settings", "ask", "hours", label="Hours"),
            action("settings", "ask", "days", label="Days"),
            action("settings", "ask", "frequency", label="How often"),
            action("settings", "ask", "name", label="Name on letters")]


# ---- changing them --------------------------------------------------------------------------


def _set_timezone(ctx: Ctx, text: str) -> str:
    ctx.user.settings.tz = parse_timezone(text)
    moved = _refit_checkins(ctx)
    local = ctx.now.astimezone(to_tzinfo(ctx.user.settings.tz))
    return f"Time zone set to {ctx.user.settings.tz} (it's {local:%H:%M} there now).{moved}"


def _set_hours(ctx: Ctx, text: str) -> str:
    ctx.user.settings.hours_start, ctx.user.settings.hours_end = parse_hours(text)
    moved = _refit_checkins(ctx)
    start, end = ctx.user.settings.hours_start, ctx.user.settings.hours_end
    return f"I'll only check in between {start:02d}:00 and {end:02d}:00.{moved}"


def _set_days(ctx: Ctx, text: str) -> str:
    ctx.user.settings.days = parse_days(text)
    moved = _refit_checkins(ctx)
    days = sorted(set(ctx.user.settings.days))
    described = describe_days(days)
    if len(days) == 7:
        return f"Any day of the week works for check-ins now.{moved}"
    if " to " in described:
        return f"I'll only check in {described}.{moved}"
    return f"I'll only check in on {described}.{moved}"


def _set_frequency(ctx: Ctx, text: str) -> str:
    frequency = parse_frequency(text)
    ctx.user.settings.frequency = frequency  # type: ignore[assignment]
    if frequency == "none":
        cancelled = checkins.cancel_for_user(ctx.db, ctx.key, ctx.now)
        dropped = (f" I've cancelled the {cancelled} that {'was' if cancelled == 1 else 'were'} "
                   "scheduled." if cancelled else "")
        return (f"No more check-ins.{dropped} You can still come to me any time, and "
                "`settings frequency normal` switches them back on for what comes next.")
    return f"Check-ins: {FREQUENCY_WORDS[frequency]}."


def _set_name(ctx: Ctx, text: str) -> str:
    ctx.user.settings.sender_name = parse_name(text)
    return f"Your letters will be signed “{ctx.user.settings.sender_name}”."


def _refit_checkins(ctx: Ctx) -> str:
    """Move scheduled check-ins that now fall outside the allowed hours and days."""
    moved = 0
    for item in checkins.pending_for_user(ctx.db, ctx.key):
        fitted = schedule.into_allowed_hours(item.due_at, ctx.user.settings)
        if abs(fitted - item.due_at) >= timedelta(minutes=1):
            moved += checkins.move(ctx.db, ctx.key, item.id, fitted)
    if not moved:
        return ""
    return (" I've moved 1 scheduled check-in to fit." if moved == 1
            else f" I've moved {moved} scheduled check-ins to fit.")


@dataclass(frozen=True)
class Setting:
    """One changeable setting: how to ask for it, how to apply a typed value, and presets."""

    question: str
    apply: Callable[[Ctx, str], str]
    help: str
    # (value, label) choices offered as buttons; typing anything else works too.
    presets: Callable[[Ctx], list[tuple[str, str]]] = lambda ctx: []


def _timezone_presets(ctx: Ctx) -> list[tuple[str, str]]:
    zone = ctx.event.platform_tz
    return [(zone, f"Use {zone}"[:80])] if zone and zone != ctx.user.settings.tz else []


def _name_presets(ctx: Ctx) -> list[tuple[str, str]]:
    name = (ctx.event.display_name or "").strip()
    return [(name, f"Use “{name}”"[:80])] if name and name != ctx.user.settings.sender_name \
        and len(name) <= 60 else []


SETTINGS: dict[str, Setting] = {
    "timezone": Setting(
        "Which time zone are you in? A city (“Berlin”), a zone (“America/Chicago”) or an "
        "offset (“UTC+2”) all work.", _set_timezone,
        "Your time zone keeps my check-ins inside your daytime.", _timezone_presets),
    "hours": Setting(
        "Between which hours may I check in? For example `9-19` or `8am-6pm`.", _set_hours,
        "I only send check-ins inside these hours, in your time zone.",
        lambda ctx: [("9-19", "09:00 to 19:00"), ("8-18", "08:00 to 18:00"),
                     ("10-20", "10:00 to 20:00")]),
    "days": Setting(
        "On which days may I check in? `weekdays`, `every day`, `mon-sat` or a list like "
        "`mon, wed, fri`.", _set_days,
        "I only send check-ins on these days.",
        lambda ctx: [("weekdays", "Weekdays"), ("every day", "Every day"),
                     ("mon-sat", "Monday to Saturday")]),
    "frequency": Setting(
        "How often should I check in on you?", _set_frequency,
        "Normal follows the whole plan; fewer drops repeat reminders and spaces the rest "
        "further apart; none turns check-ins off.",
        lambda ctx: [("normal", "Normal"), ("fewer", "Fewer"), ("none", "None")]),
    "name": Setting(
        "What name should sign your letters?", _set_name,
        "This name signs the letters I draft for you.", _name_presets),
}

# The words people use for each setting, longest matched first.
ALIASES = {
    "timezone": "timezone", "time zone": "timezone", "tz": "timezone", "zone": "timezone",
    "hours": "hours", "hour": "hours", "time": "hours", "times": "hours",
    "days": "days", "day": "days", "weekdays": "days",
    "frequency": "frequency", "how often": "frequency", "checkins": "frequency",
    "check-ins": "frequency", "check ins": "frequency", "often": "frequency",
    "name": "name", "sender": "name", "sender name": "name", "signature": "name",
    "sign as": "name", "my name": "name",
}


def _split(args: str) -> tuple[str | None, str]:
    """("hours", "8-18") from "hours 8-18"; (None, args) when no setting is named."""
    text = args.strip()
    lowered = text.lower()
    for alias in sorted(ALIASES, key=len, reverse=True):
        if lowered == alias or re.match(rf"{re.escape(alias)}(\s|[:=])", lowered):
            value = text[len(alias):].strip().lstrip(":=").strip()
            return ALIASES[alias], value
    return None, text


@registry.command("settings", "setting", "preferences", "my settings", "prefs")
def settings_command(ctx: Ctx, args: str) -> None:
    """Show the settings, ask for one, or change one at once."""
    key, value = _split(args)
    if not args.strip():
        ctx.say(overview(ctx), buttons=_overview_buttons())
        aside.resume_after(ctx)
        return
    if key is None:
        ctx.say(f"I can't change “{one_line(args)[:30]}”. I can change your time zone, hours, "
                "days, how often I check in and the name on your letters, for example "
                "`settings timezone Berlin` or `settings days mon-sat`.",
                buttons=_overview_buttons())
        aside.resume_after(ctx)
        return
    if not value:
        ask(ctx, key)
        return
    _apply(ctx, key, value, in_aside=False)


@registry.action("settings")
def settings_button(ctx: Ctx, parts: list[str]) -> None:
    """The overview's buttons: ask for that setting."""
    if len(parts) == 2 and parts[0] == "ask" and parts[1] in SETTINGS:
        ask(ctx, parts[1])
        return
    ctx.say("That button doesn't work any more. Say `settings` to see them again.")


def ask(ctx: Ctx, key: str, note: str | None = None) -> None:
    """Ask for one setting; the user's next message is the new value."""
    aside.enter(ctx, NAME, {"field": key})
    _question(ctx, key, note)


def _question(ctx: Ctx, key: str, note: str | None = None) -> None:
    """Say the question for `key` with its preset choices."""
    setting = SETTINGS[key]
    buttons = [ctx.choice(value, label) for value, label in setting.presets(ctx)]
    text = setting.question + " Or `cancel` to leave it as it is."
    ctx.say(f"{note}\n\n{text}" if note else text, buttons=buttons)


def _apply(ctx: Ctx, key: str, value: str, in_aside: bool) -> None:
    """Change one setting; a value that doesn't parse changes nothing and asks again."""
    try:
        done = SETTINGS[key].apply(ctx, value)
    except UserInputError as problem:
        ask(ctx, key, note=problem.message)
        return
    if in_aside:
        aside.leave(ctx, note=done)
    else:
        aside.resume_after(ctx, note=done)


class SettingsQuestion(OneQuestionFlow):
    """Waiting for the value of one setting, asked by a button or a bare `settings hours`."""

    name = NAME

    def _key(self, ctx: Ctx) -> str:
        key = str(ctx.user.state.flow_data.get("field", ""))
        return key if key in SETTINGS else "timezone"

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask for the value again."""
        _question(ctx, self._key(ctx), note)

    def handle(self, ctx: Ctx, answer: Answer) -> None:
        """Apply the typed or chosen value."""
        _apply(ctx, self._key(ctx), answer.choice or answer.text, in_aside=True)

    def cancel(self, ctx: Ctx) -> None:
        """Leave the setting unchanged."""
        aside.leave(ctx, note="Okay, left as it was.")

    def help(self, ctx: Ctx) -> str:
        """What this setting does."""
        return SETTINGS[self._key(ctx)].help

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """The preset choices, so a typed number or label picks one."""
        return [ctx.choice(value, label) for value, label in SETTINGS[self._key(ctx)].presets(ctx)]


registry.flows[NAME] = SettingsQuestion()
