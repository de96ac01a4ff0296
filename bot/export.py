"""Turning a user's exported rows into two files: readable Markdown and complete JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from bot.dates import format_date
from bot.models import FileAttachment
from bot.timezones import to_tzinfo

# Tables the Markdown renders in their own sections; any other table is listed generically.
_KNOWN = {"users", "interviews", "letters", "letter_versions", "checkins", "processed_events"}
_DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_CHECKIN_NAMES = {"letter_reminder": "Did the letter go out?", "heard_back": "Heard back?"}
_LETTER_NAMES = {
    "thank-you": "Thank-you letter", "second-chance": "Second-chance letter",
    "follow-up": "Follow-up", "after-rejection": "After-rejection letter",
    "reference-heads-up": "Reference heads-up",
}


def build_export(rows: dict[str, list[dict[str, Any]]], now: datetime) -> list[FileAttachment]:
    """The Markdown and JSON files for one user's export."""
    stamp = now.strftime("%Y%m%d-%H%M")
    document = {
        "format": "rebound-export/1",
        "exported_at": now.isoformat(),
        "tables": rows,
    }
    return [
        FileAttachment(filename=f"rebound-export-{stamp}.md", content=to_markdown(rows, now),
                       mime="text/markdown"),
        FileAttachment(filename=f"rebound-export-{stamp}.json",
                       content=json.dumps(document, indent=2, ensure_ascii=False, default=str),
                       mime="application/json"),
    ]


def to_markdown(rows: dict[str, list[dict[str, Any]]], now: datetime) -> str:
    """Everything stored about the user, as a document a person can read."""
    out: list[str] = ["# Your Rebound data", ""]
    user = (rows.get("users") or [{}])[0]
    zone = to_tzinfo((user.get("settings") or {}).get("tz"))
    who = f"{user.get('platform', '?')} user {user.get('user_id', '?')}"
    if user.get("workspace"):
        who += f" in workspace {user['workspace']}"
    out += [f"Exported {_when(now.isoformat(), zone)} ({zone}). This is everything Rebound "
            f"stores about you ({who}). Times are in your time zone. The JSON file next to this "
            "one holds the same data, with times in UTC, for other tools.", ""]
    out += _settings_section(user.get("settings") or {})
    interviews = rows.get("interviews", [])
    out += ["## Interviews", ""]
    if not interviews:
        out += ["None.", ""]
    for number, row in enumerate(interviews, start=1):
        out += _interview_section(number, row, zone)
    out += _letters_section(rows.get("letters", []), rows.get("letter_versions", []),
                            {row["id"]: row for row in interviews}, zone)
    out += _checkins_section(rows.get("checkins", []), zone)
    out += _other_section(rows)
    out += ["## Technical records", "",
            f"- Account created {_when(user.get('created_at'), zone)}, last change "
            f"{_when(user.get('updated_at'), zone)}.",
            f"- Conversation position: {json.dumps(user.get('state') or {}, default=str)}",
            f"- Recently processed platform deliveries (kept a day, to ignore repeats): "
            f"{len(rows.get('processed_events', []))}", ""]
    return "\n".join(out)


def _settings_section(settings: dict[str, Any]) -> list[str]:
    """Time zone, hours, days, frequency and name."""
    days = settings.get("days", [])
    return ["## Settings", "",
            f"- Time zone: {settings.get('tz') or 'not set (UTC)'}",
            f"- Check-in hours: {settings.get('hours_start', 9):02d}:00 to "
            f"{settings.get('hours_end', 19):02d}:00",
            f"- Check-in days: {', '.join(_DAY_NAMES[d] for d in days if 0 <= d < 7) or 'none'}",
            f"- How often: {settings.get('frequency', 'normal')}",
            f"- Letters signed: {settings.get('sender_name') or 'not set'}", ""]


def _when(value: Any, zone: tzinfo = timezone.utc) -> str:
    """A stored date or timestamp, friendly, timestamps in the user's zone."""
    if not value:
        return "?"
    try:
        if isinstance(value, str) and len(value) == 10:
            return format_date(date.fromisoformat(value))
        moment = datetime.fromisoformat(str(value))
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone)
        return f"{format_date(moment.date())} {moment:%H:%M}"
    except ValueError:
        return str(value)


def _quoted(text: str) -> list[str]:
    """Free text as a Markdown block quote, line by line."""
    return [f"> {line}" if line else ">" for line in str(text).split("\n")]


def _interview_section(number: int, row: dict[str, Any], zone: tzinfo) -> list[str]:
    """One interview and everything its debrief learned."""
    d = row.get("debrief") or {}
    title = (f"{d.get('role')} at {d.get('company')}" if d.get("role") and d.get("company")
             else d.get("company") or d.get("role") or "New interview")
    out = [f"### {number}. {title}", ""]
    status = row.get("status", "open") + (f" ({row['outcome']})" if row.get("outcome") else "")
    progress = "finished" if d.get("finished") else f"at step {d.get('step')}"
    out.append(f"- Status: {status}; debrief {progress}")
    if d.get("interview_date"):
        out.append(f"- Date: {_when(d['interview_date'])}")
    if d.get("interviewers"):
        out.append(f"- Interviewers: {', '.join(d['interviewers'])}")
    if d.get("feelings"):
        out.append(f"- Feelings: {', '.join(d['feelings'])}")
    if d.get("promised_date"):
        out.append(f"- They promised an answer by: {_when(d['promised_date'])}")
    out.append(f"- Letter sent: {'yes' if d.get('letter_sent') else 'no'}; references told: "
               f"{'yes' if d.get('references_told') else 'no'}")
    out.append("")
    if d.get("vent"):
        out += ["What you wrote to let it out:", "", *_quoted(d["vent"]), ""]
    for key, heading in (("went_wrong", "Lessons to correct"),
                         ("went_right", "Lessons to repeat")):
        if d.get(key):
            out += [f"{heading}:", "", *[f"- {item}" for item in d[key]], ""]
    if d.get("forgiveness"):
        out += ["Your sentence to yourself:", "", *_quoted(d["forgiveness"]), ""]
    if d.get("clarifications"):
        out += ["Points the letter clarifies:", ""]
        out += [f"- {c.get('point')}: {c.get('better_answer') or '(no answer yet)'}"
                for c in d["clarifications"]]
        out.append("")
    if d.get("specific_detail"):
        out += [f"Detail to mention: {d['specific_detail']}", ""]
    if d.get("references"):
        out += ["References:", ""]
        out += [f"- {r.get('name')}" + (f" ({r['relationship']})" if r.get("relationship") else "")
                for r in d["references"]]
        out.append("")
    out += [f"Started {_when(row.get('created_at'), zone)}, last change "
            f"{_when(row.get('updated_at'), zone)}.", ""]
    return out


def _letters_section(letters: list[dict[str, Any]], versions: list[dict[str, Any]],
                     interviews: dict[int, dict[str, Any]], zone: tzinfo) -> list[str]:
    """Each letter with every version of its text."""
    out = ["## Letters", ""]
    if not letters:
        return out + ["None.", ""]
    for letter in letters:
        name = _LETTER_NAMES.get(letter.get("kind", ""), str(letter.get("kind")))
        interview = interviews.get(letter.get("interview_id") or 0) or {}
        company = (interview.get("debrief") or {}).get("company")
        sent = (f"sent {_when(letter['sent_at'], zone)}" if letter.get("sent_at")
                else "not marked sent")
        out += [f"### {name}" + (f" ({company})" if company else "") + f": {sent}", ""]
        for version in [v for v in versions if v.get("letter_id") == letter.get("id")]:
            out += [f"#### Version {version.get('version')} "
                    f"({_when(version.get('created_at'), zone)})",
                    "", f"Subject: {version.get('subject')}", "",
                    *_quoted(version.get("body", "")), ""]
        inputs = letter.get("inputs")
        if inputs:
            out += ["Drafted from:", "", "```json",
                    json.dumps(inputs, indent=2, ensure_ascii=False, default=str), "```", ""]
    return out


def _checkins_section(checkins: list[dict[str, Any]], zone: tzinfo) -> list[str]:
    """Every check-in, scheduled or past."""
    out = ["## Check-ins", ""]
    if not checkins:
        return out + ["None.", ""]
    out += ["| Due | Check-in | Status | Your answer |", "|---|---|---|---|"]
    for row in checkins:
        answer = str(row.get("answer") or "").replace("|", "/")
        kind = _CHECKIN_NAMES.get(str(row.get("kind")), str(row.get("kind")).replace("_", " "))
        out.append(f"| {_when(row.get('due_at'), zone)} | {kind} | {row.get('status')} | "
                   f"{answer} |")
    return out + [""]


def _other_section(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Tables this module has no special layout for, row by row, so nothing is left out."""
    out: list[str] = []
    for table, items in rows.items():
        if table in _KNOWN or not items:
            continue
        out += [f"## Other records: {table}", ""]
        for item in items:
            fields = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False, default=str)}"
                               for k, v in item.items())
            out.append(f"- {fields}")
        out.append("")
    return out
