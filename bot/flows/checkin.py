"""Check-ins days later: what a due check-in says, and the answers to it.

The dispatcher sends a "check-in due" event; `on_checkin_due` words the nudge (or says
nothing when it no longer matters). Every button is a standalone action (`ck:<id>:...`), so
it works whatever the conversation is doing and from old messages; answering the same
check-in twice is "already noted", never a second change. Snooze, stop and the `checkins`
command live in `checkin_control`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.checkins import schedule
from bot.dates import format_date, parse_any_date
from bot.errors import UserInputError
from bot.flows import aside, debrief
from bot.flows.base import Ctx, action, registry
from bot.models import Button, CheckinDueIn
from bot.store import checkins, interviews, letters
from bot.store.checkins import CheckinRecord
from bot.store.interviews import InterviewRecord
from bot.text import command_words

# The aside (one short question in words) that checkin_control registers.
ASIDE = "checkin"
# Typed words, "stop" and "snooze" refer to a check-in sent this recently.
RECENT = timedelta(days=3)
GOAL_PRESETS = ((3, 2), (5, 3), (10, 5))
QUESTIONS_TO_ASK = (
    "What would success look like in the first three months?",
    "What's the biggest challenge the team is working on right now?",
    "How does the team share feedback and measure progress?",
    "What do you enjoy most about working here?",
)


# ---- words ----------------------------------------------------------------------------------


def describe(kind: str, payload: dict[str, Any] | None = None) -> str:
    """A check-in kind in plain words, for lists."""
    payload = payload or {}
    if kind == schedule.WEEKLY_GOAL:
        return (f"weekly goal: {payload.get('apps', '?')} applications, "
                f"{payload.get('people', '?')} people")
    return debrief.describe(kind)


def when_text(ctx: Ctx, moment: datetime, on: bool = False) -> str:
    """"today at 15:00", "tomorrow at 09:00", "(on) Monday 30 November at 09:00"."""
    local = moment.astimezone(ctx.tz)
    if local.date() == ctx.today:
        day = "today"
    elif local.date() == ctx.today + timedelta(days=1):
        day = "tomorrow"
    else:
        day = f"on {format_date(local.date())}" if on else format_date(local.date())
    return f"{day} at {local:%H:%M}"


def _company(record: InterviewRecord | None) -> str:
    return (record.debrief.company if record and record.debrief.company else "them")


def _common_buttons(row_id: int) -> list[Button]:
    return [action("ck", row_id, "snooze", label="Snooze"),
            action("ck", row_id, "stop", label="Stop these")]


# ---- the nudge: what a due check-in says ----------------------------------------------------

Choices = list[tuple[str, str]]  # (value, label): the answers a check-in offers


def on_checkin_due(ctx: Ctx, checkin_id: int) -> None:
    """Word a due check-in; say nothing when it no longer matters (the dispatcher skips it)."""
    row = checkins.get(ctx.db, ctx.key, checkin_id)
    if row is None or row.status != "sending" or not _current_claim(ctx, row):
        return
    if ctx.user.settings.frequency == "none" or checkins.is_stopped(ctx.db, ctx.key,
                                                                     row.interview_id):
        return
    record = _interview(ctx, row)
    if row.interview_id is not None and (record is None or record.status != "open"):
        return
    nudge = NUDGES.get(row.kind)
    if nudge is not None:
        nudge(ctx, row, record)


def _current_claim(ctx: Ctx, row: CheckinRecord) -> bool:
    """The event is for the row's latest claim (a fence against a dispatcher that lost it)."""
    event = ctx.event
    if not isinstance(event, CheckinDueIn) or not event.event_id:
        return True
    match = re.fullmatch(r"checkin:\d+:(\d+)", event.event_id)
    return match is None or int(match.group(1)) == row.attempts


HEARD_BACK_CHOICES: Choices = [("hb:offer", "An offer!"), ("hb:second", "A second interview"),
                               ("hb:rejection", "A no"), ("hb:nothing", "Nothing yet")]
SECOND_CHOICES: Choices = [("si:well", "It went well"), ("si:mixed", "Mixed"),
                           ("si:rough", "Rough")]
WEEKLY_CHOICES: Choices = [("wg:hit", "Hit it"), ("wg:part", "Part of it"),
                           ("wg:none", "Not this week"), ("wg:offer", "I got an offer!"),
                           ("wg:change", "Change the goal")]
COMMON_CHOICES: Choices = [("snooze", "Snooze"), ("stop", "Stop these")]
_RESULT_WORDS = {"hit": "hit it", "part": "part way", "none": "a quiet week"}


def choices_for(row: CheckinRecord, record: InterviewRecord | None) -> Choices:
    """The answers a check-in offers, in the order of its buttons."""
    if row.kind == schedule.LETTER_REMINDER and record is not None:
        d = record.debrief
        answers: Choices = [("iv:sent", "Yes, it's sent"), ("lr:notyet", "Not yet")]
        if d.letter_id:
            answers.append(("letter", "Show my letter"))
        if d.references and not d.references_told:
            answers.append(("iv:told", "References told"))
    else:
        answers = {schedule.HEARD_BACK: HEARD_BACK_CHOICES,
                   schedule.SECOND_INTERVIEW: SECOND_CHOICES,
                   schedule.WEEKLY_GOAL: WEEKLY_CHOICES}.get(row.kind, [])
    return [*answers, *COMMON_CHOICES]


def _buttons(row: CheckinRecord, record: InterviewRecord | None) -> list[Button]:
    """One standalone button per answer ("iv:" answers are the debrief's own plan buttons)."""
    buttons = []
    for value, label in choices_for(row, record):
        if value.startswith("iv:") and record is not None:
            buttons.append(action("iv", record.id, value[3:], label=label))
        else:
            buttons.append(action("ck", row.id, *value.split(":"), label=label))
    return buttons


def _letter_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> None:
    assert record is not None
    d = record.debrief
    if d.letter_sent:
        return
    lines = [f"A quick one about {d.title}: has your thank-you letter gone out? Sent within a "
             "day or two, it lands while they still remember you well."]
    if d.references and not d.references_told:
        names = ", ".join(r.name for r in d.references)
        lines.append(f"And have your references ({names}) had their heads-up?")
    ctx.say("\n".join(lines), buttons=_buttons(row, record))


def _heard_back_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> None:
    assert record is not None
    d = record.debrief
    if int(row.payload.get("round", 1)) > 1:
        text = f"Checking in again about {d.title}. Any news from {_company(record)}?"
    elif d.promised_date and d.promised_date < ctx.today:
        text = (f"{d.company or 'They'} said they'd decide by {format_date(d.promised_date)}. "
                f"Have you heard back about {d.title}?")
    else:
        text = f"It's been a few days since your interview for {d.title}. Have you heard back?"
    ctx.say(text, buttons=_buttons(row, record))


def _second_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> None:
    assert record is not None
    ctx.say(f"How did your second interview for {record.debrief.title} go?",
            buttons=_buttons(row, record))


def _weekly_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> None:
    apps, people = int(row.payload.get("apps", 3)), int(row.payload.get("people", 2))
    lines = [f"Weekly check-in. Your goal: {apps} applications sent and {people} people "
             "contacted. How did this week go?"]
    history = [_RESULT_WORDS.get(h, h) for h in row.payload.get("history", [])][-4:]
    if history:
        lines.append(f"The last few weeks: {', '.join(history)}.")
    # A recurring check-in: the next week is booked with this one, so silence never ends it
    # (once: a retried delivery finds it already booked).
    if not checkins.has_pending(ctx.db, ctx.key, None, schedule.WEEKLY_GOAL):
        checkins.add(ctx.db, ctx.key, None, schedule.WEEKLY_GOAL,
                     schedule.weekly_after(row.due_at, ctx.now, ctx.user.settings), ctx.now,
                     {**row.payload, "prev": row.id})
    ctx.say("\n".join(lines), buttons=_buttons(row, record))


NUDGES = {
    schedule.LETTER_REMINDER: _letter_nudge,
    schedule.HEARD_BACK: _heard_back_nudge,
    schedule.SECOND_INTERVIEW: _second_nudge,
    schedule.WEEKLY_GOAL: _weekly_nudge,
}


# ---- buttons: ck:<id>:<verb>:<arg> ---------------------------------------------------------


@registry.action("ck")
def checkin_action(ctx: Ctx, parts: list[str]) -> None:
    """Every check-in button: answers, snooze, stop, move, cancel, goals, drafts."""
    if not parts or not parts[0].isdigit():
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    checkin_id, verb, args = int(parts[0]), (parts[1] if len(parts) > 1 else ""), parts[2:]
    if verb in ROWLESS:
        ROWLESS[verb](ctx)
        return
    row = checkins.get(ctx.db, ctx.key, checkin_id)
    if row is None:
        ctx.say("I can't find that check-in any more. Say `checkins` to see what's scheduled.")
        return
    handler = VERBS.get(verb)
    if handler is None:
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    handler(ctx, row, args)


def _interview(ctx: Ctx, row: CheckinRecord) -> InterviewRecord | None:
    """The interview a check-in is about, if any."""
    if row.interview_id is None:
        return None
    return interviews.get(ctx.db, ctx.key, row.interview_id)


def already(ctx: Ctx, row: CheckinRecord) -> None:
    """The friendly answer to a second press."""
    said = {"hb:offer": "you got an offer", "hb:second": "you have a second interview",
            "hb:rejection": "it was a no", "hb:nothing": "no news yet",
            "lr:notyet": "the letter hasn't gone out yet",
            "snoozed": "you asked me to ask again later",
            "wg:hit": "you hit your goal", "wg:part": "you got part of the way",
            "wg:none": "it was a quiet week", "wg:offer": "you got an offer",
            "si:well": "it went well", "si:mixed": "it was mixed", "si:rough": "it was rough"}
    ctx.say(f"Already noted: {said.get(row.answer or '', 'your answer')}. Nothing more to do "
            "here. Say `checkins` to see what's coming up.")


def answer_once(ctx: Ctx, row: CheckinRecord, answer: str) -> bool:
    """Record the answer; False (after saying so) when this check-in was answered before."""
    if checkins.set_answer(ctx.db, ctx.key, row.id, answer, ctx.now):
        return True
    row = checkins.get(ctx.db, ctx.key, row.id) or row
    already(ctx, row)
    return False


def _schedule(ctx: Ctx, interview_id: int | None, kind: str, due: datetime,
              payload: dict[str, Any] | None = None) -> datetime | None:
    """Add a check-in unless the user turned them off; return when it is due."""
    if ctx.user.settings.frequency == "none" or checkins.is_stopped(ctx.db, ctx.key,
                                                                     interview_id):
        return None
    checkins.add(ctx.db, ctx.key, interview_id, kind, due, ctx.now, payload)
    return due


# -- the letter reminder --


def _on_letter_reminder(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    record = _interview(ctx, row)
    if record is None:
        ctx.say("I can't find that interview any more. Say `status` to see your interviews.")
        return
    if record.debrief.letter_sent:
        ctx.say("Already noted: the letter is sent.")
        return
    if not answer_once(ctx, row, "lr:notyet"):
        return
    again = None
    if int(row.payload.get("round", 1)) < 2 and ctx.user.settings.frequency == "normal":
        again = _schedule(ctx, record.id, schedule.LETTER_REMINDER,
                          schedule.letter_reminder_again(ctx.now, ctx.user.settings),
                          {"round": int(row.payload.get("round", 1)) + 1})
    later = (f" I'll ask once more {when_text(ctx, again, on=True)}." if again
             else " I won't ask again; it's in `status` whenever you want it.")
    ctx.say("No rush. A letter sent in the next day or two still does its job."
            f"{later}", buttons=[action("iv", record.id, "sent", label="I've sent it now"),
                                 action("ck", row.id, "letter", label="Show my letter")])


def _on_show_letter(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    record = _interview(ctx, row)
    letter = (letters.get(ctx.db, ctx.key, record.debrief.letter_id)
              if record and record.debrief.letter_id else None)
    if letter is None:
        ctx.say("I don't have a draft saved for this one. Say `letter` to write one.")
        return
    buttons = [] if record is None or record.debrief.letter_sent else \
        [action("iv", record.id, "sent", label="I've sent it")]
    ctx.say(f"Here's your letter:\n\nSubject: {letter.subject}\n\n{letter.body}",
            buttons=buttons)


# -- heard back? --


def _on_heard_back(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    answer = args[0] if args else ""
    record = _interview(ctx, row)
    if record is None or answer not in ("offer", "second", "rejection", "nothing"):
        ctx.say("That button doesn't work any more. Say `status` to see your interviews.")
        return
    if row.answer is None and record.status == "closed":
        outcome = f" ({record.outcome})" if record.outcome else ""
        ctx.say(f"Already noted: {record.debrief.title} is closed{outcome}. "
                "Say `status` for an overview.")
        return
    if not answer_once(ctx, row, f"hb:{answer}"):
        return
    {"offer": _offer, "second": _second_interview, "rejection": _rejection,
     "nothing": _nothing_yet}[answer](ctx, row, record)


def _offer(ctx: Ctx, row: CheckinRecord | None, record: InterviewRecord) -> None:
    """Celebrate, close the interview, cancel its check-ins (and the weekly goal)."""
    record.status, record.outcome = "closed", "offer"
    interviews.save(ctx.db, record, ctx.now)
    checkins.cancel_for_interview(ctx.db, ctx.key, record.id, ctx.now)
    checkins.cancel_for_user(ctx.db, ctx.key, ctx.now, kinds=[schedule.WEEKLY_GOAL])
    ctx.say(f"An offer! That's wonderful news. Congratulations. 🎉\nRemember how that "
            f"interview felt a few days ago? You kept going anyway. I've closed "
            f"{record.debrief.title} and cancelled its check-ins. Go and celebrate properly.")


def _second_interview(ctx: Ctx, row: CheckinRecord, record: InterviewRecord) -> None:
    """Congratulate, give the prep list, and ask when it is."""
    record.outcome = "second interview"
    interviews.save(ctx.db, record, ctx.now)
    checkins.cancel_for_interview(ctx.db, ctx.key, record.id, ctx.now)
    ctx.say(f"A second interview: well done. They want to see more of you.\n\n"
            f"{prep_list(record)}")
    ask(ctx, "second_date", record.id)


def prep_list(record: InterviewRecord) -> str:
    """Lessons to repeat and to correct, and good questions to ask them."""
    d = record.debrief
    lines = ["Your prep list for round two:"]
    if d.went_right:
        lines.append("Keep doing:")
        lines.extend(f"• {item}" for item in d.went_right[:5])
    better = {c.point: c.better_answer for c in d.clarifications if c.better_answer}
    if d.went_wrong:
        lines.append("Sharpen:")
        for item in d.went_wrong[:5]:
            lines.append(f"• {item}" + (f": “{better[item]}”" if item in better else ""))
    lines.append("Good questions to ask them:")
    lines.extend(f"• {question}" for question in QUESTIONS_TO_ASK)
    return "\n".join(lines)


def _rejection(ctx: Ctx, row: CheckinRecord, record: InterviewRecord) -> None:
    """Acknowledge, offer the after-rejection letter, then step 5: a weekly goal."""
    record.status, record.outcome = "closed", "rejection"
    interviews.save(ctx.db, record, ctx.now)
    checkins.cancel_for_interview(ctx.db, ctx.key, record.id, ctx.now)
    ctx.say("I'm sorry. That stings, especially after everything you put into it. It's a no "
            "for this role, not a verdict on you.\nA short, gracious reply can ask for "
            "feedback and leave the door open; people do get called back when the next role "
            "opens.", buttons=[action("ck", row.id, "draft", "after-rejection",
                                      label="Draft that reply")])
    _offer_goal(ctx, row.id, "When you're ready, let's keep moving. A small weekly goal helps:")


def _nothing_yet(ctx: Ctx, row: CheckinRecord, record: InterviewRecord) -> None:
    """Offer a follow-up draft and ask again in a week; after three rounds, suggest moving on."""
    round_ = int(row.payload.get("round", 1))
    draft_button = action("ck", row.id, "draft", "follow-up", label="Draft a follow-up")
    if round_ >= schedule.HEARD_BACK_ROUNDS:
        ctx.say(f"Still nothing from {_company(record)}, after {round_} check-ins. Silence "
                "this long usually means they've moved on, and you've done your part. It may "
                "be time to put your energy into what's next.",
                buttons=[action("ck", row.id, "goal", "menu", label="Set a weekly goal"),
                         action("ck", row.id, "more", label="Ask me once more"),
                         action("ck", row.id, "close", label="Close this one"), draft_button])
        return
    due = _schedule(ctx, record.id, schedule.HEARD_BACK,
                    schedule.heard_back_again(ctx.now, ctx.user.settings), {"round": round_ + 1})
    later = f" I'll ask again {when_text(ctx, due, on=True)}." if due else ""
    ctx.say("No news yet is normal; hiring usually takes longer than anyone says. A short, "
            f"polite follow-up keeps you on their mind.{later}", buttons=[draft_button])


def _on_more(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """After three silent rounds: one more "heard back?" in a week."""
    record = _interview(ctx, row)
    if record is None or record.status != "open":
        ctx.say("Already noted: that interview is closed.")
        return
    if checkins.has_pending(ctx.db, ctx.key, record.id, schedule.HEARD_BACK):
        ctx.say("Already noted: I'll ask again soon. Say `checkins` to see when.")
        return
    round_ = int(row.payload.get("round", 1))
    due = _schedule(ctx, record.id, schedule.HEARD_BACK,
                    schedule.heard_back_again(ctx.now, ctx.user.settings), {"round": round_ + 1})
    ctx.say(f"Okay, I'll ask once more {when_text(ctx, due, on=True)}." if due else
            "Check-ins are off for this one, so I won't ask. Say `checkins` to change that.")


def _on_close(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Close an interview that never answered."""
    record = _interview(ctx, row)
    if record is None or record.status == "closed":
        ctx.say("Already noted: that interview is closed.")
        return
    record.status, record.outcome = "closed", "no reply"
    interviews.save(ctx.db, record, ctx.now)
    checkins.cancel_for_interview(ctx.db, ctx.key, record.id, ctx.now)
    ctx.say(f"Closed {record.debrief.title}. You gave it a real chance. What you learned "
            "there comes with you to the next one.",
            buttons=[action("ck", row.id, "goal", "menu", label="Set a weekly goal")])


# -- letters drafted from a check-in --


def _on_draft(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Draft the follow-up or after-rejection letter (once; a second press shows it again)."""
    kind = args[0] if args else ""
    record = _interview(ctx, row)
    if kind not in ("follow-up", "after-rejection") or record is None:
        ctx.say("That button doesn't work any more. Say `letter` to draft one.")
        return
    existing = [letter for letter in letters.list_for_user(ctx.db, ctx.key)
                if letter.interview_id == record.id and letter.kind == kind]
    if existing:
        letter = existing[-1]
        ctx.say(f"Here's the one I drafted earlier:\n\nSubject: {letter.subject}\n\n"
                f"{letter.body}")
        return
    try:
        from bot.letters import LetterFields, LetterKind, draft
    except ImportError:
        ctx.say(f"Say `letter {kind}` and I'll draft it with you.")
        return
    d = record.debrief
    fields = LetterFields(
        sender_name=ctx.user.settings.sender_name or "", interviewer_names=d.interviewers,
        company=d.company or "", role=d.role or "", interview_date=d.interview_date,
        promised_date=d.promised_date, strengths=d.went_right,
    )
    drafted = draft(LetterKind(kind), fields)
    letter_id = letters.create(ctx.db, ctx.key, record.id, kind, fields.model_dump(mode="json"),
                               ctx.now)
    letters.add_version(ctx.db, letter_id, drafted.subject, drafted.body, 0, False, ctx.now)
    intro = ("Here's a short follow-up, polite and to the point:" if kind == "follow-up"
             else "Here's a gracious reply that asks for feedback and leaves the door open:")
    ctx.say(f"{intro}\n\nSubject: {drafted.subject}\n\n{drafted.body}\n\n"
            "Say `letter` any time for another version.")


# -- second interview --


def _on_second_date(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Quick answers to "when is the second interview?" from buttons."""
    record = _interview(ctx, row)
    if record is None:
        return
    set_second_date(ctx, record, args[0] if args else "")


def set_second_date(ctx: Ctx, record: InterviewRecord, text: str) -> None:
    """Schedule the check-in the morning after the second interview."""
    if command_words(text) in ("no date yet", "not set", "not yet", "unknown", "none",
                               "no date", "dont know", "don't know"):
        due = _schedule(ctx, record.id, schedule.HEARD_BACK,
                        schedule.morning_of(schedule.add_working_days(ctx.today, 5), ctx.now,
                                            ctx.user.settings), {"round": 1})
        when = when_text(ctx, due, on=True) if due else ""
        ctx.say(f"No problem. I'll check in {when} to see where things stand." if due else
                "No problem. Tell me when you know.")
        return
    day = parse_any_date(text, ctx.today)
    if day < ctx.today:
        raise UserInputError(f"{format_date(day)} has already passed. When is the second "
                             "interview? “Next Thursday” or a date like 2026-12-03 works.")
    if day > ctx.today + timedelta(days=120):
        raise UserInputError("That's months away. When is the second interview? A date "
                             "like 2026-12-03 works.")
    for item in checkins.pending_for_interview(ctx.db, ctx.key, record.id):
        if item.kind == schedule.SECOND_INTERVIEW:
            checkins.cancel(ctx.db, ctx.key, item.id, ctx.now)
    due = _schedule(ctx, record.id, schedule.SECOND_INTERVIEW,
                    schedule.day_after(day, ctx.now, ctx.user.settings),
                    {"date": day.isoformat()})
    after = f" I'll check in {when_text(ctx, due, on=True)} to hear how it went." if due else ""
    ctx.say(f"{format_date(day)}: noted.{after} You've prepared for this one. Good luck.")


def _on_second_result(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """How the second interview went; then wait to hear back again."""
    result = args[0] if args else ""
    record = _interview(ctx, row)
    if record is None or result not in ("well", "mixed", "rough"):
        ctx.say("That button doesn't work any more. Say `status` to see your interviews.")
        return
    if not answer_once(ctx, row, f"si:{result}"):
        return
    due = _schedule(ctx, record.id, schedule.HEARD_BACK,
                    schedule.morning_of(schedule.add_working_days(ctx.today, 5), ctx.now,
                                        ctx.user.settings), {"round": 1})
    later = f" I'll ask if you've heard back {when_text(ctx, due, on=True)}." if due else ""
    words = {
        "well": "That's great to hear. Enjoy that feeling; you earned it.",
        "mixed": "Mixed is normal, and they still saw the best of you in places.",
        "rough": ("I'm sorry it was rough again. It helps to talk it through while it's "
                  "fresh: say `new interview` and we'll debrief it together."),
    }[result]
    ctx.say(f"{words} A thank-you note today keeps things warm.{later}")


# -- the weekly goal (step 5) --


def _offer_goal(ctx: Ctx, row_id: int, intro: str) -> None:
    buttons = [action("ck", row_id, "goal", apps, people, label=f"{apps} applications, "
                      f"{people} people") for apps, people in GOAL_PRESETS]
    buttons.append(action("ck", row_id, "goal", "own", label="My own numbers"))
    ctx.say(f"{intro} how many applications will you send this week, and how many people "
            "will you reach out to?", buttons=buttons)


def _on_goal(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Set (or change) the weekly goal from a preset, or ask for the user's own numbers."""
    if not args or args[0] == "menu":
        _offer_goal(ctx, row.id, "Let's set a small weekly goal:")
        return
    if args[0] == "own":
        ask(ctx, "goal", row.id)
        return
    if len(args) != 2 or not all(a.isdigit() for a in args):
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    set_goal(ctx, int(args[0]), int(args[1]), row)


def set_goal(ctx: Ctx, apps: int, people: int, origin: CheckinRecord | None) -> None:
    """Start the weekly goal check-ins, or change the numbers of the one running."""
    running = [r for r in checkins.pending_for_user(ctx.db, ctx.key)
               if r.kind == schedule.WEEKLY_GOAL]
    if running and all((r.payload.get("apps"), r.payload.get("people")) == (apps, people)
                       for r in running):
        ctx.say(f"Already noted: {apps} applications and {people} people a week. Next "
                f"check-in {when_text(ctx, running[0].due_at, on=True)}.")
        return
    if running:
        for item in running:
            checkins.update_payload(ctx.db, ctx.key, item.id,
                                    {**item.payload, "apps": apps, "people": people})
        ctx.say(f"Goal changed: {apps} applications and {people} people a week. Next "
                f"check-in {when_text(ctx, running[0].due_at, on=True)}.")
        return
    if ctx.user.settings.frequency == "none":
        ctx.say(f"Goal noted: {apps} applications and {people} people a week. Check-ins are "
                "off, so I won't follow up; say `checkins on` if you'd like me to.")
        return
    payload = {"apps": apps, "people": people, "history": [],
               "interview_id": origin.interview_id if origin else None}
    due = schedule.in_days(ctx.now, schedule.repeat_days(ctx.user.settings, 7),
                           ctx.user.settings)
    checkins.add(ctx.db, ctx.key, None, schedule.WEEKLY_GOAL, due, ctx.now, payload)
    ctx.say(f"Goal set: {apps} applications and {people} people this week. Small and steady "
            f"beats big and rare. I'll check in {when_text(ctx, due, on=True)} to see how it went.")


def _on_weekly(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Answers to the weekly check-in."""
    result = args[0] if args else ""
    if result == "change":
        ask(ctx, "goal", row.id)
        return
    if result not in ("hit", "part", "none", "offer"):
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    if not answer_once(ctx, row, f"wg:{result}"):
        return
    if result == "offer":
        checkins.cancel_for_user(ctx.db, ctx.key, ctx.now, kinds=[schedule.WEEKLY_GOAL])
        ctx.say("An offer! Congratulations. 🎉 All those weeks of steady effort paid off. "
                "I've stopped the weekly check-ins. Go and celebrate.")
        return
    for item in checkins.pending_for_user(ctx.db, ctx.key):
        if item.kind == schedule.WEEKLY_GOAL:
            history = [*item.payload.get("history", []), result][-8:]
            checkins.update_payload(ctx.db, ctx.key, item.id, {**item.payload,
                                                               "history": history})
    ctx.say({
        "hit": "You hit it. That's real momentum; the next opportunity is getting closer.",
        "part": "Part of the way still counts. Same goal next week, or adjust it if it "
                "felt too big.",
        "none": "Some weeks are like that. Rest is part of it too. Next week is a fresh "
                "start; want a smaller goal?",
    }[result], buttons=[action("ck", row.id, "wg", "change", label="Change the goal")])


VERBS: dict[str, Callable[[Ctx, CheckinRecord, list[str]], None]] = {
    "lr": _on_letter_reminder, "letter": _on_show_letter, "hb": _on_heard_back,
    "more": _on_more, "close": _on_close, "draft": _on_draft, "sd": _on_second_date,
    "si": _on_second_result, "goal": _on_goal, "wg": _on_weekly,
}  # checkin_control adds snooze, stop, move, cancel, resume
# Buttons about check-ins in general, not one row ("turn check-ins on"); from checkin_control.
ROWLESS: dict[str, Callable[[Ctx], None]] = {}


def ask(ctx: Ctx, purpose: str, target: int) -> None:
    """Ask one short question in words (when? which date? which numbers?), pausing any flow."""
    aside.enter(ctx, ASIDE, {"purpose": purpose, "id": target})
    registry.flows[ASIDE].prompt(ctx)


# ---- typed answers ---------------------------------------------------------------------------

_TYPED = {  # typed replies to a check-in, beyond the buttons' own labels and numbers
    "iv:sent": ("yes", "yes it's sent", "sent", "i sent it", "sent it", "yep", "yeah"),
    "lr:notyet": ("no", "not yet", "nope", "no not yet"),
    "hb:offer": ("offer", "i got an offer", "got an offer", "they offered me", "an offer",
                 "i got the job", "got the job"),
    "hb:second": ("second interview", "second round", "another interview", "next round",
                  "they want to see me again"),
    "hb:rejection": ("rejected", "rejection", "i got rejected", "they said no", "no offer",
                     "turned down", "i didn't get it", "didn't get it", "a no"),
    "hb:nothing": ("nothing", "no", "not yet", "nope", "no news", "nothing yet",
                   "haven't heard", "no word", "silence", "not yet no"),
    "si:well": ("well", "good", "great", "it went well", "went well"),
    "si:mixed": ("mixed", "ok", "okay", "so so", "so-so", "fine"),
    "si:rough": ("rough", "bad", "badly", "terrible", "awful", "not great"),
    "wg:hit": ("hit it", "yes", "did it", "all of it"),
    "wg:part": ("part", "some", "partly", "some of it", "half"),
    "wg:none": ("no", "none", "not this week", "zero"),
}


def last_delivered(ctx: Ctx) -> CheckinRecord | None:
    """The check-in sent most recently, if that was in the last few days."""
    rows = [r for r in checkins.for_user(ctx.db, ctx.key, ("sent",))
            if r.due_at >= ctx.now - RECENT]
    return rows[-1] if rows else None


def answer_typed(ctx: Ctx, text: str) -> bool:
    """Take "not yet", "2" or a button's label typed after an unanswered check-in as that
    answer; False when the words are not an answer to it."""
    row = last_delivered(ctx)
    if row is None or row.answer is not None:
        return False
    record = _interview(ctx, row)
    if row.interview_id is not None and (record is None or record.status != "open"):
        return False
    typed = command_words(text)
    choices = choices_for(row, record)
    value = next((v for n, (v, label) in enumerate(choices, start=1)
                  if typed in (str(n), command_words(label))), None)
    if value is None:
        value = next((v for v, _label in choices if typed in _TYPED.get(v, ())), None)
    if value is None:
        return False
    if value.startswith("iv:"):
        if record is not None:
            debrief.interview_action(ctx, [str(record.id), value[3:]])
        return True
    checkin_action(ctx, [str(row.id), *value.split(":")])
    return True


registry.checkin_handler = on_checkin_due
