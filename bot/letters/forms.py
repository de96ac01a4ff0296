"""Letter forms: which fields each kind asks, parsing submitted values, and what is missing."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.letters.fields import Clarification, LetterFields, split_names
from bot.letters.kinds import LetterKind
from bot.letters.text import tidy, tidy_lines
from bot.models import FormField


class FormError(ValueError):
    """Submitted values that cannot be used; `errors` maps field name to a friendly message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


_COMPANY = FormField(
    name="company", label="Company", max_length=120, placeholder="e.g. Acme Health"
)
_ROLE = FormField(
    name="role",
    label="Role you interviewed for",
    required=False,
    max_length=120,
    placeholder="e.g. Data Analyst",
)
_NAMES = FormField(
    name="interviewer_names",
    label="Interviewer name(s), comma-separated",
    required=False,
    max_length=200,
    placeholder="e.g. Ms Rivera, Sam Okafor",
)
_DETAIL = FormField(
    name="specific_detail",
    label="One thing you talked about",
    required=False,
    max_length=300,
    placeholder="e.g. your plan to rebuild the onboarding flow",
)
_CLARIFY = FormField(
    name="clarifications",
    label="Points to clarify, one per line",
    required=False,
    max_length=1500,
    multiline=True,
    placeholder="the SQL question: I'd use a window function to rank orders\n"
    "team conflict: how I got two teams to agree on the Q3 launch",
)
_FORMS: dict[LetterKind, tuple[FormField, ...]] = {
    LetterKind.THANK_YOU: (_COMPANY, _ROLE, _NAMES, _DETAIL, _CLARIFY),
    LetterKind.SECOND_CHANCE: (
        _COMPANY,
        _ROLE,
        _NAMES,
        _DETAIL.model_copy(
            update={
                "label": "What excites you about the role",
                "placeholder": "e.g. the move to real-time fraud checks",
            }
        ),
        _CLARIFY,
    ),
    LetterKind.FOLLOW_UP: (
        _COMPANY,
        _ROLE,
        _NAMES,
        FormField(
            name="interview_date",
            label="Interview date",
            required=False,
            max_length=40,
            placeholder="e.g. 12 March",
        ),
        FormField(
            name="promised_date",
            label="When they said they'd decide",
            required=False,
            max_length=40,
            placeholder="e.g. 21 March (leave blank if they didn't say)",
        ),
    ),
    LetterKind.AFTER_REJECTION: (
        _COMPANY,
        _ROLE,
        _NAMES,
        _DETAIL.model_copy(
            update={
                "label": "Something you valued in the process",
                "placeholder": "e.g. meeting the data platform team",
            }
        ),
    ),
    LetterKind.REFERENCE_HEADS_UP: (
        FormField(
            name="reference_name",
            label="Your reference's name",
            max_length=80,
            placeholder="e.g. Jordan",
        ),
        FormField(
            name="reference_relationship",
            label="How they know you",
            required=False,
            max_length=120,
            placeholder="e.g. my manager at Globex",
        ),
        _COMPANY,
        FormField(
            name="how_it_went",
            label="How the interview went, briefly",
            required=False,
            max_length=600,
            multiline=True,
            placeholder="e.g. the case study went well; the SQL round was tough",
        ),
        FormField(
            name="what_to_stress",
            label="What they should stress if called",
            required=False,
            max_length=600,
            multiline=True,
            placeholder="e.g. how I led the billing migration",
        ),
    ),
}


def form_fields(kind: LetterKind | str, prefill: LetterFields | None = None) -> list[FormField]:
    """The form for `kind` (at most 5 fields), pre-filled from `prefill` when given."""
    fields = list(_FORMS[LetterKind(kind)])
    if prefill is None:
        return fields
    values = form_values(kind, prefill)
    return [
        f.model_copy(update={"initial": values[f.name][: f.max_length]})
        if values.get(f.name)
        else f
        for f in fields
    ]


def form_values(kind: LetterKind | str, fields: LetterFields) -> dict[str, str]:
    """The text each form field of `kind` shows for `fields`: the inverse of fields_from_form."""
    out: dict[str, str] = {}
    for f in _FORMS[LetterKind(kind)]:
        value = getattr(fields, f.name)
        if f.name == "interviewer_names":
            out[f.name] = ", ".join(value)
        elif f.name == "clarifications":
            out[f.name] = "\n".join(
                f"{c.point}: {c.better_answer}" if c.better_answer else c.point for c in value
            )
        elif isinstance(value, date):
            out[f.name] = f"{value.day} {_MONTH_NAMES[value.month - 1].capitalize()} {value.year}"
        else:
            out[f.name] = "" if value is None else str(value)
    return out


def fields_from_form(
    kind: LetterKind | str,
    values: dict[str, str],
    base: LetterFields | None = None,
    today: date | None = None,
) -> LetterFields:
    """LetterFields from submitted form `values` on top of `base`; FormError on bad dates."""
    update: dict[str, object] = {}
    errors: dict[str, str] = {}
    for f in _FORMS[LetterKind(kind)]:
        if f.name not in values:
            continue
        raw = (values.get(f.name) or "")[: f.max_length]
        if f.name == "interviewer_names":
            update[f.name] = split_names(raw)
        elif f.name == "clarifications":
            update[f.name] = [Clarification.from_line(line) for line in tidy_lines(raw)]
        elif f.name in ("interview_date", "promised_date"):
            try:
                update[f.name] = parse_date(raw, today, future=f.name == "promised_date")
            except ValueError as error:
                errors[f.name] = str(error)
        else:
            update[f.name] = raw.strip()
    if errors:
        raise FormError(errors)
    return (base or LetterFields()).model_copy(update=update)


_REQUIRED: dict[LetterKind, tuple[str, ...]] = {
    kind: tuple(f.name for f in form if f.required) for kind, form in _FORMS.items()
}


def required_missing(kind: LetterKind | str, fields: LetterFields) -> list[str]:
    """Names of the required fields of `kind` that `fields` leaves empty, in form order."""
    return [name for name in _REQUIRED[LetterKind(kind)] if not _filled(getattr(fields, name))]


def _filled(value: object) -> bool:
    if isinstance(value, str):
        return bool(tidy(value))
    if isinstance(value, list):
        return any(_filled(v) if isinstance(v, str) else True for v in value)
    return value is not None


# ---- dates typed into a form --------------------------------------------------------------

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$")
_DAY_MONTH = re.compile(
    r"^(?:\w+,?\s+)??(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?(?:\s+(\d{4}))?$"
)
_MONTH_DAY = re.compile(r"^(?:\w+,?\s+)??([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


def parse_date(text: str, today: date | None = None, future: bool = False) -> date | None:
    """A date typed by a user ("12 March", "2025-03-12", "Friday"); "" is None; else ValueError."""
    cleaned = tidy(text).lower().strip()
    if not cleaned:
        return None
    if today is not None:
        relative = {"today": 0, "yesterday": -1, "tomorrow": 1}.get(cleaned)
        if relative is not None:
            return today + timedelta(days=relative)
        weekday = cleaned.removeprefix("next ").removeprefix("last ").removeprefix("on ")
        if weekday in _WEEKDAYS:
            delta = (_WEEKDAYS.index(weekday) - today.weekday()) % 7
            if future:
                return today + timedelta(days=delta or 7)
            return today - timedelta(days=(7 - delta) % 7 or 7)
    if match := _ISO.match(cleaned):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _SLASHED.match(cleaned):
        first, second = int(match[1]), int(match[2])
        if first <= 12 and second <= 12 and first != second:
            raise ValueError(
                "That date could be read two ways; please write the month as a word, e.g. 12 March."
            )
        day, month = (first, second) if first > 12 or first == second else (second, first)
        return _with_year(day, month, match[3], today)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if match := pattern.match(cleaned):
            month = _month(match[month_group])
            if month:
                return _with_year(int(match[day_group]), month, match[3], today)
    raise ValueError("I couldn't read that date; try something like 12 March.")


def _month(word: str) -> int:
    for index, name in enumerate(_MONTH_NAMES, start=1):
        if len(word) >= 3 and name.startswith(word):
            return index
    return 0


def _with_year(day: int, month: int, year_text: str | None, today: date | None) -> date:
    if year_text:
        year = int(year_text)
        return _make(year + 2000 if year < 100 else year, month, day)
    if today is None:
        raise ValueError("Please include the year, e.g. 12 March 2025.")
    # No year: the occurrence closest to today (interviews and decisions are weeks apart).
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        _make(today.year, month, day)  # raises the friendly error
    return min(candidates, key=lambda d: abs((d - today).days))


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("That date doesn't exist; please check the day and month.") from None
