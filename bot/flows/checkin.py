"""Check-ins days later: the nudge itself, the answers to it, snooze and stop, `checkins`.

The dispatcher sends a "check-in due" event; `on_checkin_due` words the nudge (or says
nothing when it no longer matters). Every button is a standalone action (`ck:<id>:...`), so
it works whatever the conversation is doing and from old messages; answering the same
check-in twice is "already noted", never a second change.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from bot.checkins import schedule
from bot.dates import format_date, parse_any_date
from bot.errors import UserInputError
from bot.flows import aside, debrief
from bot.flows.base import Answer, Ctx, action, registry
from bot.models import Button, CheckinDueIn
from bot.store import checkins, interviews, letters
from bot.store.checkins import CheckinRecord
from bot.store.interviews import InterviewRecord
from bot.text import command_words, one_line

NAME = "checkin"
# Statuses a user sees in `checkins`: upcoming, and paused because DMs failed.
LISTED = ("pending", "paused")
# "stop" typed this soon after a check-in means "stop check-ins", not "cancel".
RECENT = timedelta(days=3)
MAX_LISTED = 10
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
    return {
        schedule.LETTER_REMINDER: "did the thank-you letter go out?",
        schedule.HEARD_BACK: "have you heard back?",
        schedule.SECOND_INTERVIEW: "how did the second interview go?",
    }.get(kind, kind.replace("_", " "))


def when_text(ctx: Ctx, moment: datetime) -> str:
    """"today at 15:00", "tomorrow at 09:00", "Monday 30 November at 09:00"."""
    local = moment.astimezone(ctx.tz)
    if local.date() == ctx.today:
        day = "today"
    elif local.date() == ctx.today + timedelta(days=1):
        day = "tomorrow"
    else:
        day = format_date(local.date())
    return f"{day} at {local:%H:%M}"


def _title(record: InterviewRecord | None) -> str:
    return record.debrief.title if record else "your job search"


def _company(record: InterviewRecord | None) -> str:
    return (record.debrief.company if record and record.debrief.company else "them")


def _common_buttons(row_id: int) -> list[Button]:
    return [action("ck", row_id, "snooze", label="Snooze"),
            action("ck", row_id, "stop", label="Stop these")]


# ---- the nudge: what a due check-in says ----------------------------------------------------


def on_checkin_due(ctx: Ctx, checkin_id: int) -> None:
    """Word a due check-in; say nothing when it no longer matters (the dispatcher skips it)."""
    row = checkins.get(ctx.db, ctx.key, checkin_id)
    if row is None or row.status != "sending" or not _current_claim(ctx, row):
        return
    if ctx.user.settings.frequency == "none" or checkins.is_stopped(ctx.db, ctx.key,
                                                                     row.interview_id):
        return
    record = interviews.get(ctx.db, ctx.key, row.interview_id) if row.interview_id else None
    if row.interview_id is not None and (record is None or record.status != "open"):
        return
    nudge = NUDGES.get(row.kind)
    if nudge is None:
        return
    answers = nudge(ctx, row, record)
    if answers and (ctx.user.state.flow is None or _answering(ctx)):
        # Typed replies ("not yet", "2") answer the check-in instead of starting a debrief.
        _leave_answer(ctx)
        aside.enter(ctx, NAME, {"purpose": "answer", "id": row.id, "choices": answers})


def _current_claim(ctx: Ctx, row: CheckinRecord) -> bool:
    """The event is for the row's latest claim (a fence against a dispatcher that lost it)."""
    event = ctx.event
    if not isinstance(event, CheckinDueIn) or not event.event_id:
        return True
    match = re.fullmatch(r"checkin:\d+:(\d+)", event.event_id)
    return match is None or int(match.group(1)) == row.attempts


Choices = list[tuple[str, str]]  # (value, label) typed answers map to


def _letter_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> Choices:
    assert record is not None
    d = record.debrief
    if d.letter_sent:
        return []
    lines = [f"A quick one about {d.title}: has your thank-you letter gone out? Sent within a "
             "day or two, it lands while they still remember you well."]
    buttons = [action("iv", record.id, "sent", label="Yes, it's sent"),
               action("ck", row.id, "lr", "notyet", label="Not yet")]
    choices: Choices = [("iv:sent", "Yes, it's sent"), ("lr:notyet", "Not yet")]
    if d.letter_id:
        buttons.append(action("ck", row.id, "letter", label="Show my letter"))
        choices.append(("letter", "Show my letter"))
    if d.references and not d.references_told:
        names = ", ".join(r.name for r in d.references)
        lines.append(f"And have your references ({names}) had their heads-up?")
        buttons.append(action("iv", record.id, "told", label="References told"))
        choices.append(("iv:told", "References told"))
    ctx.say("\n".join(lines), buttons=[*buttons, *_common_buttons(row.id)])
    return choices


HEARD_BACK_CHOICES: Choices = [("hb:offer", "An offer!"), ("hb:second", "A second interview"),
                               ("hb:rejection", "A no"), ("hb:nothing", "Nothing yet")]


def _heard_back_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> Choices:
    assert record is not None
    d = record.debrief
    round_ = int(row.payload.get("round", 1))
    if round_ > 1:
        text = f"Checking in again about {d.title}. Any news from {_company(record)}?"
    elif d.promised_date and d.promised_date < ctx.today:
        text = (f"{d.company or 'They'} said they'd decide by {format_date(d.promised_date)}. "
                f"Have you heard back about {d.title}?")
    else:
        text = f"It's been a few days since your interview for {d.title}. Have you heard back?"
    buttons = [action("ck", row.id, *value.split(":"), label=label)
               for value, label in HEARD_BACK_CHOICES]
    ctx.say(text, buttons=[*buttons, *_common_buttons(row.id)])
    return list(HEARD_BACK_CHOICES)


SECOND_CHOICES: Choices = [("si:well", "It went well"), ("si:mixed", "Mixed"),
                           ("si:rough", "Rough")]


def _second_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> Choices:
    assert record is not None
    buttons = [action("ck", row.id, *value.split(":"), label=label)
               for value, label in SECOND_CHOICES]
    ctx.say(f"How did your second interview for {record.debrief.title} go?",
            buttons=[*buttons, *_common_buttons(row.id)])
    return list(SECOND_CHOICES)


WEEKLY_CHOICES: Choices = [("wg:hit", "Hit it"), ("wg:part", "Part of it"),
                           ("wg:none", "Not this week"), ("wg:offer", "I got an offer!"),
                           ("wg:change", "Change the goal")]
_RESULT_WORDS = {"hit": "hit it", "part": "part way", "none": "a quiet week"}


def _weekly_nudge(ctx: Ctx, row: CheckinRecord, record: InterviewRecord | None) -> Choices:
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
    buttons = [action("ck", row.id, *value.split(":"), label=label)
               for value, label in WEEKLY_CHOICES]
    ctx.say("\n".join(lines), buttons=[*buttons, *_common_buttons(row.id)])
    return list(WEEKLY_CHOICES)


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
    if verb == "on":
        _turn_on(ctx)
        return
    row = checkins.get(ctx.db, ctx.key, checkin_id)
    if row is None:
        ctx.say("I can't find that check-in any more. Say `checkins` to see what's scheduled.")
        return
    _leave_answer(ctx, row.id)
    handler = VERBS.get(verb)
    if handler is None:
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    handler(ctx, row, args)


def _answering(ctx: Ctx) -> bool:
    """True while the user's next message is taken as an answer to a check-in."""
    return ctx.user.state.flow == NAME and ctx.user.state.flow_data.get("purpose") == "answer"


def _leave_answer(ctx: Ctx, checkin_id: int | None = None) -> None:
    """Close the "answer this check-in" aside (quietly) once the user has answered it."""
    if _answering(ctx) and (checkin_id is None
                            or ctx.user.state.flow_data.get("id") == checkin_id):
        _leave_quietly(ctx)


def _interview(ctx: Ctx, row: CheckinRecord) -> InterviewRecord | None:
    if row.interview_id is None:
        return None
    return interviews.get(ctx.db, ctx.key, row.interview_id)


def _already(ctx: Ctx, row: CheckinRecord) -> None:
    """The friendly answer to a second press."""
    said = {"hb:offer": "you got an offer", "hb:second": "you have a second interview",
            "hb:rejection": "it was a no", "hb:nothing": "no news yet",
            "lr:notyet": "the letter hasn't gone out yet", "snoozed": "to ask again later",
            "wg:hit": "you hit your goal", "wg:part": "you got part of the way",
            "wg:none": "it was a quiet week", "wg:offer": "you got an offer",
            "si:well": "it went well", "si:mixed": "it was mixed", "si:rough": "it was rough"}
    ctx.say(f"Already noted: {said.get(row.answer or '', 'your answer')}. Nothing more to do "
            "here. Say `checkins` to see what's coming up.")


def _answer_once(ctx: Ctx, row: CheckinRecord, answer: str) -> bool:
    """Record the answer; False (after saying so) when this check-in was answered before."""
    if checkins.set_answer(ctx.db, ctx.key, row.id, answer, ctx.now):
        return True
    row = checkins.get(ctx.db, ctx.key, row.id) or row
    _already(ctx, row)
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
    if not _answer_once(ctx, row, "lr:notyet"):
        return
    again = None
    if int(row.payload.get("round", 1)) < 2 and ctx.user.settings.frequency == "normal":
        again = _schedule(ctx, record.id, schedule.LETTER_REMINDER,
                          schedule.letter_reminder_again(ctx.now, ctx.user.settings),
                          {"round": int(row.payload.get("round", 1)) + 1})
    later = (f" I'll ask once more {when_text(ctx, again)}." if again
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
    if not _answer_once(ctx, row, f"hb:{answer}"):
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
    aside.enter(ctx, NAME, {"purpose": "second_date", "id": record.id})
    _prompt_aside(ctx)


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
    later = f" I'll ask again {when_text(ctx, due)}." if due else ""
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
    ctx.say(f"Okay, I'll ask once more {when_text(ctx, due)}." if due else
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
    letter = draft(LetterKind(kind), fields)
    letter_id = letters.create(ctx.db, ctx.key, record.id, kind, fields.model_dump(mode="json"),
                               ctx.now)
    letters.add_version(ctx.db, letter_id, letter.subject, letter.body, 0, False, ctx.now)
    intro = ("Here's a short follow-up, polite and to the point:" if kind == "follow-up"
             else "Here's a gracious reply that asks for feedback and leaves the door open:")
    ctx.say(f"{intro}\n\nSubject: {letter.subject}\n\n{letter.body}\n\n"
            "Say `letter` any time for another version.")


# -- second interview --


def _on_second_date(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Quick answers to "when is the second interview?" from buttons."""
    record = _interview(ctx, row)
    if record is None:
        return
    _set_second_date(ctx, record, args[0] if args else "")


def _set_second_date(ctx: Ctx, record: InterviewRecord, text: str) -> None:
    """Schedule the check-in the morning after the second interview."""
    if command_words(text) in ("no date yet", "not set", "not yet", "unknown", "none",
                               "no date", "dont know", "don't know"):
        due = _schedule(ctx, record.id, schedule.HEARD_BACK,
                        schedule.morning_of(schedule.add_working_days(ctx.today, 5), ctx.now,
                                            ctx.user.settings), {"round": 1})
        ctx.say("No problem. " + (f"I'll check in {when_text(ctx, due)} to see where things "
                                  "stand." if due else "Tell me when you know."))
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
    after = f" I'll check in {when_text(ctx, due)} to hear how it went." if due else ""
    ctx.say(f"{format_date(day)}: noted.{after} You've prepared for this one. Good luck.")


def _on_second_result(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """How the second interview went; then wait to hear back again."""
    result = args[0] if args else ""
    record = _interview(ctx, row)
    if record is None or result not in ("well", "mixed", "rough"):
        ctx.say("That button doesn't work any more. Say `status` to see your interviews.")
        return
    if not _answer_once(ctx, row, f"si:{result}"):
        return
    due = _schedule(ctx, record.id, schedule.HEARD_BACK,
                    schedule.morning_of(schedule.add_working_days(ctx.today, 5), ctx.now,
                                        ctx.user.settings), {"round": 1})
    later = f" I'll ask if you've heard back {when_text(ctx, due)}." if due else ""
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
        aside.enter(ctx, NAME, {"purpose": "goal", "id": row.id})
        _prompt_aside(ctx)
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
                f"check-in {when_text(ctx, running[0].due_at)}.")
        return
    if running:
        for item in running:
            checkins.update_payload(ctx.db, ctx.key, item.id,
                                    {**item.payload, "apps": apps, "people": people})
        ctx.say(f"Goal changed: {apps} applications and {people} people a week. Next "
                f"check-in {when_text(ctx, running[0].due_at)}.")
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
            f"beats big and rare. I'll check in {when_text(ctx, due)} to see how it went.")


def _on_weekly(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Answers to the weekly check-in."""
    result = args[0] if args else ""
    if result == "change":
        aside.enter(ctx, NAME, {"purpose": "goal", "id": row.id})
        _prompt_aside(ctx)
        return
    if result not in ("hit", "part", "none", "offer"):
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    if not _answer_once(ctx, row, f"wg:{result}"):
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


# -- snooze and stop --


def _on_snooze(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Snooze: a menu, then later today / tomorrow / next week / words like "monday morning"."""
    choice = args[0] if args else ""
    if not choice:
        ctx.say("When should I ask again?", buttons=[
            action("ck", row.id, "snooze", "later", label="Later today"),
            action("ck", row.id, "snooze", "tomorrow", label="Tomorrow"),
            action("ck", row.id, "snooze", "week", label="Next week"),
            action("ck", row.id, "snooze", "pick", label="Pick a time")])
        return
    if choice == "pick":
        aside.enter(ctx, NAME, {"purpose": "snooze", "id": row.id})
        _prompt_aside(ctx)
        return
    settings = ctx.user.settings
    moment = {"later": lambda: schedule.later_today(ctx.now, settings),
              "tomorrow": lambda: schedule.next_morning(ctx.now, settings),
              "week": lambda: schedule.next_week(ctx.now, settings)}.get(choice)
    if moment is None:
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")
        return
    snooze(ctx, row, moment())


def snooze(ctx: Ctx, row: CheckinRecord, moment: datetime) -> None:
    """Ask this check-in again at `moment` (once: a second snooze is already noted)."""
    if ctx.user.settings.frequency == "none" or checkins.is_stopped(ctx.db, ctx.key,
                                                                     row.interview_id):
        ctx.say("Check-ins are off for this, so there's nothing to snooze. Say `checkins` to "
                "change that.")
        return
    if row.status in LISTED:
        checkins.move(ctx.db, ctx.key, row.id, moment)
        ctx.say(f"Moved: I'll check in {when_text(ctx, moment)}.")
        return
    if row.answer is not None:
        _already(ctx, row)
        return
    if not _answer_once(ctx, row, "snoozed"):
        return
    checkins.add(ctx.db, ctx.key, row.interview_id, row.kind, moment, ctx.now,
                 {**row.payload, "snoozed_from": row.id})
    ctx.say(f"Okay, I'll ask again {when_text(ctx, moment)}.")


def _on_stop(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Stop: this interview (or the weekly goal), or all check-ins."""
    choice = args[0] if args else ""
    record = _interview(ctx, row)
    this = (f"Just {record.debrief.title}"[:80] if record else "Just the weekly goal")
    if not choice:
        stop_menu(ctx, row.id, this)
        return
    if choice == "keep":
        ctx.say("Good, I'll keep checking in.")
    elif choice == "all":
        stop_all(ctx)
    elif choice == "this" and record is not None:
        if checkins.is_stopped(ctx.db, ctx.key, record.id):
            ctx.say(f"Already noted: no more check-ins about {record.debrief.title}.")
            return
        checkins.stop_interview(ctx.db, ctx.key, record.id, ctx.now)
        ctx.say(f"Done: no more check-ins about {record.debrief.title}. Everything else stays "
                "as it is. Say `checkins` if you change your mind.")
    elif choice == "this":
        cancelled = checkins.cancel_for_user(ctx.db, ctx.key, ctx.now,
                                             kinds=[schedule.WEEKLY_GOAL])
        ctx.say("Done: no more weekly goal check-ins." if cancelled else
                "Already noted: the weekly goal check-ins are off.")
    else:
        ctx.say("That button doesn't work any more. Say `checkins` to see what's scheduled.")


def stop_menu(ctx: Ctx, row_id: int, this_label: str | None) -> None:
    """Offer: stop this one, stop all, or keep them."""
    buttons = []
    if this_label:
        buttons.append(action("ck", row_id, "stop", "this", label=this_label[:80]))
    buttons += [action("ck", row_id, "stop", "all", label="All check-ins", style="danger"),
                action("ck", row_id, "stop", "keep", label="Keep them")]
    ctx.say("Stop check-ins for this, or all of them? You can turn them back on any time.",
            buttons=buttons)


def stop_all(ctx: Ctx) -> None:
    """No more check-ins at all (the frequency setting "none"); everything else stays."""
    if ctx.user.settings.frequency == "none":
        ctx.say("Already noted: check-ins are off.")
        return
    ctx.user.settings.frequency = "none"
    cancelled = checkins.cancel_for_user(ctx.db, ctx.key, ctx.now)
    dropped = f" I've cancelled the {cancelled} that were scheduled." if cancelled > 1 else ""
    ctx.say(f"Done: no more check-ins.{dropped} Everything else stays, and I'm here whenever "
            "you want me. Say `checkins on` to turn them back on.")


def _turn_on(ctx: Ctx) -> None:
    if ctx.user.settings.frequency != "none":
        ctx.say("Already noted: check-ins are on.")
        return
    ctx.user.settings.frequency = "normal"
    ctx.say("Check-ins are back on for what comes next. Finish a debrief or answer a "
            "check-in and I'll schedule the next one.")


# -- the `checkins` list: move and cancel --


def _on_move(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    if row.status not in LISTED:
        ctx.say("That check-in has already happened or been cancelled. Say `checkins` for "
                "the current list.")
        return
    aside.enter(ctx, NAME, {"purpose": "move", "id": row.id})
    _prompt_aside(ctx)


def _on_cancel(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    if checkins.cancel(ctx.db, ctx.key, row.id, ctx.now):
        ctx.say(f"Cancelled: {describe(row.kind, row.payload)} "
                f"({when_text(ctx, row.due_at)}).")
        return
    ctx.say("Already noted: that check-in is cancelled or has already happened.")


def _on_resume(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Resume check-ins paused because a DM could not be delivered."""
    resumed = checkins.resume_paused(ctx.db, ctx.key,
                                     schedule.upcoming(ctx.now, ctx.now, ctx.user.settings))
    ctx.say(f"Resumed {resumed} check-in{'s' if resumed != 1 else ''}." if resumed else
            "Already noted: nothing is paused.")


VERBS = {
    "lr": _on_letter_reminder, "letter": _on_show_letter, "hb": _on_heard_back,
    "more": _on_more, "close": _on_close, "draft": _on_draft, "sd": _on_second_date,
    "si": _on_second_result, "goal": _on_goal, "wg": _on_weekly, "snooze": _on_snooze,
    "stop": _on_stop, "move": _on_move, "cancel": _on_cancel, "resume": _on_resume,
}


# ---- commands --------------------------------------------------------------------------------


@registry.command("checkins", "check-ins", "check ins", "checkin", "check-in", "my checkins",
                  "my check-ins", "reminders", "nudges")
def checkins_command(ctx: Ctx, args: str) -> None:
    """List upcoming check-ins; `checkins move 2 friday`, `checkins cancel 2`, `checkins on`."""
    words = command_words(args)
    if not words:
        show_list(ctx)
    elif words in ("on", "resume", "back on", "turn on", "start"):
        _turn_on(ctx)
    elif words in ("off", "stop", "stop all", "cancel all", "none"):
        stop_all(ctx)
    else:
        _list_edit(ctx, args)
    aside.resume_after(ctx)


def show_list(ctx: Ctx) -> None:
    """The user's upcoming (and paused) check-ins, with move and cancel buttons."""
    if ctx.user.settings.frequency == "none":
        ctx.say("Check-ins are off, so nothing is scheduled. Want them back?",
                buttons=[action("ck", 0, "on", label="Turn check-ins on")])
        return
    rows = checkins.for_user(ctx.db, ctx.key, LISTED)
    if not rows:
        ctx.say("No check-ins scheduled right now. Finishing a debrief schedules a few.")
        return
    titles = {r.id: r.debrief.title for r in interviews.list_for_user(ctx.db, ctx.key)}
    lines = ["Your upcoming check-ins:"]
    buttons: list[Button] = []
    for number, row in enumerate(rows[:MAX_LISTED], start=1):
        about = f" ({titles[row.interview_id]})" if row.interview_id in titles else ""
        paused = " (paused: I couldn't reach you by DM)" if row.status == "paused" else ""
        lines.append(f"{number}. {when_text(ctx, row.due_at)}: "
                     f"{describe(row.kind, row.payload)}{about}{paused}")
        if number <= 4:
            buttons += [action("ck", row.id, "move", label=f"Move {number}"),
                        action("ck", row.id, "cancel", label=f"Cancel {number}")]
    if len(rows) > MAX_LISTED:
        lines.append(f"…and {len(rows) - MAX_LISTED} more.")
    if any(row.status == "paused" for row in rows):
        buttons.append(action("ck", rows[0].id, "resume", label="Resume paused ones"))
    lines.append("\nType `checkins move 1 monday morning` or `checkins cancel 1`, or tap below.")
    ctx.say("\n".join(lines), buttons=buttons)


def _list_edit(ctx: Ctx, args: str) -> None:
    """`move N <when>` and `cancel N` by the numbers `checkins` shows."""
    text = one_line(args).strip()
    match = re.match(r"^(move|cancel|delete|remove|snooze)\s+#?(\d+)\s*(.*)$", text,
                     re.IGNORECASE)
    if not match:
        ctx.say("I can `checkins move 2 friday morning`, `checkins cancel 2`, `checkins off` "
                "or `checkins on`. Say `checkins` to see the numbers.")
        return
    verb, number, rest = match.group(1).lower(), int(match.group(2)), match.group(3)
    rows = checkins.for_user(ctx.db, ctx.key, LISTED)[:MAX_LISTED]
    if not 1 <= number <= len(rows):
        ctx.say(f"There's no check-in number {number}. Say `checkins` to see the list.")
        return
    row = rows[number - 1]
    if verb in ("cancel", "delete", "remove"):
        _on_cancel(ctx, row, [])
        return
    if not rest:
        _on_move(ctx, row, [])
        return
    move_to(ctx, row, schedule.parse_when(rest, ctx.now, ctx.user.settings))


def move_to(ctx: Ctx, row: CheckinRecord, moment: datetime) -> None:
    """Move a scheduled check-in."""
    if checkins.move(ctx.db, ctx.key, row.id, moment):
        ctx.say(f"Moved: {describe(row.kind, row.payload)}, now {when_text(ctx, moment)}.")
    else:
        ctx.say("That check-in has already happened or been cancelled. Say `checkins` for "
                "the current list.")


def last_delivered(ctx: Ctx) -> CheckinRecord | None:
    """The check-in sent most recently, if that was in the last few days."""
    rows = [r for r in checkins.for_user(ctx.db, ctx.key, ("sent",))
            if r.due_at >= ctx.now - RECENT]
    return rows[-1] if rows else None


@registry.command("stop")
def stop_word(ctx: Ctx, args: str) -> None:
    """"stop" right after a check-in means the check-ins; otherwise it means cancel."""
    recent = None
    if _answering(ctx):
        recent = checkins.get(ctx.db, ctx.key, int(ctx.user.state.flow_data.get("id", 0)))
    elif ctx.user.state.flow is None:
        recent = last_delivered(ctx)
    if recent is not None:
        _leave_answer(ctx)
        record = _interview(ctx, recent)
        stop_menu(ctx, recent.id, f"Just {record.debrief.title}" if record else
                  "Just the weekly goal")
        return
    from bot.flows.general import cancel

    cancel(ctx, args)


@registry.command("stop checkins", "stop check-ins", "stop check ins", "stop reminders",
                  "no more checkins", "no more check-ins", "stop checking in")
def stop_checkins(ctx: Ctx, _args: str) -> None:
    """Stop check-ins: for the latest one's interview, or all."""
    recent = last_delivered(ctx)
    record = _interview(ctx, recent) if recent else None
    stop_menu(ctx, recent.id if recent else 0,
              f"Just {record.debrief.title}" if record else None)
    aside.resume_after(ctx)


@registry.command("snooze")
def snooze_word(ctx: Ctx, args: str) -> None:
    """`snooze` (or `snooze monday morning`) after a check-in."""
    recent = last_delivered(ctx)
    if recent is None:
        ctx.say("There's no recent check-in to snooze. Say `checkins` to move one.")
        return
    _leave_answer(ctx)
    if args.strip():
        snooze(ctx, recent, schedule.parse_when(args, ctx.now, ctx.user.settings))
    else:
        _on_snooze(ctx, recent, [])


# ---- the aside: one question (when? which numbers? which date?) -----------------------------


_QUESTIONS = {
    "snooze": "When should I ask again? For example “monday morning”, “in 3 days” or "
              "“friday 2pm”.",
    "move": "When should it be instead? For example “monday morning”, “in 3 days” or "
            "“friday 2pm”.",
    "second_date": "When is the second interview? A day like “next thursday” or a date.",
    "goal": "What's your goal for the week? Two numbers: applications, then people to "
            "contact. For example “5 and 3”.",
}


def _prompt_aside(ctx: Ctx, note: str | None = None) -> None:
    flow = registry.flows[NAME]
    flow.prompt(ctx, note=note)


def _parse_goal(text: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) != 2 or not all(0 <= n <= 200 for n in numbers) or sum(numbers) == 0:
        raise UserInputError("Two numbers, please: applications, then people to contact. "
                             "For example “5 and 3”.")
    return numbers[0], numbers[1]


_TYPED = {  # typed replies to a check-in, beyond the buttons' own labels
    "iv:sent": ("yes", "yes it's sent", "sent", "i sent it", "sent it", "done", "yep", "yeah"),
    "lr:notyet": ("no", "not yet", "nope", "no not yet", "later"),
    "hb:offer": ("offer", "i got an offer", "got an offer", "they offered me", "an offer",
                 "i got the job", "got the job"),
    "hb:second": ("second interview", "second round", "another interview", "next round",
                  "they want to see me again"),
    "hb:rejection": ("rejected", "rejection", "i got rejected", "they said no", "no offer",
                     "turned down", "i didn't get it", "didn't get it", "a no"),
    "hb:nothing": ("nothing", "no", "not yet", "nope", "no news", "nothing yet",
                   "haven't heard", "no word", "silence"),
    "si:well": ("well", "good", "great", "it went well", "went well"),
    "si:mixed": ("mixed", "ok", "okay", "so so", "so-so", "fine"),
    "si:rough": ("rough", "bad", "badly", "terrible", "awful", "not great"),
    "wg:hit": ("hit it", "yes", "done", "did it", "all of it"),
    "wg:part": ("part", "some", "partly", "some of it", "half"),
    "wg:none": ("no", "none", "nothing", "not this week", "zero"),
}


class CheckinAside:
    """One short question a check-in needs answered in words; then back to where we were."""

    name = NAME

    def _data(self, ctx: Ctx) -> dict[str, Any]:
        return ctx.user.state.flow_data

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask the question (again)."""
        data = self._data(ctx)
        purpose = data.get("purpose")
        if purpose == "answer":
            row = checkins.get(ctx.db, ctx.key, int(data.get("id", 0)))
            asked = describe(row.kind, row.payload) if row else "how are things going?"
            text = f"My question from earlier: {asked} Tap a choice, or type it."
            ctx.say(f"{note}\n\n{text}" if note else text, buttons=self.current_buttons(ctx))
            return
        question = _QUESTIONS.get(purpose or "")
        if question is None:
            aside.leave(ctx)
            return
        ctx.say(f"{note}\n\n{question}" if note else question,
                buttons=self.current_buttons(ctx))

    def handle(self, ctx: Ctx, answer: Answer) -> None:
        """Take the answer, act on it, and hand the conversation back."""
        data = self._data(ctx)
        purpose = data.get("purpose")
        if purpose == "answer":
            self._answer(ctx, answer)
            return
        if answer.choice == "__leave":
            aside.leave(ctx, "Okay, I've left it as it was.")
            return
        if purpose == "second_date":
            record = interviews.get(ctx.db, ctx.key, int(data.get("id", 0)))
            if record is None:
                aside.leave(ctx)
                return
            _set_second_date(ctx, record, answer.choice or answer.text)
            aside.leave(ctx)
            return
        row = checkins.get(ctx.db, ctx.key, int(data.get("id", 0)))
        if row is None:
            aside.leave(ctx, "That check-in is gone. Say `checkins` to see what's scheduled.")
            return
        if purpose == "goal":
            apps, people = _parse_goal(answer.text)
            set_goal(ctx, apps, people, row)
        else:
            words = {"tomorrow": "tomorrow", "next week": "next week"}.get(answer.choice or "")
            moment = schedule.parse_when(words or answer.text, ctx.now, ctx.user.settings)
            if purpose == "move":
                move_to(ctx, row, moment)
            else:
                snooze(ctx, row, moment)
        aside.leave(ctx)

    def _answer(self, ctx: Ctx, answer: Answer) -> None:
        """Typed reply to a check-in: match it to a choice, or treat it as a fresh message."""
        data = self._data(ctx)
        row_id = int(data.get("id", 0))
        values = [value for value, _label in data.get("choices", [])]
        typed = command_words(answer.text)
        value = answer.choice
        if value is None:
            value = next((v for v in values if typed in _TYPED.get(v, ())), None)
        _leave_answer(ctx)
        if value is None:
            # Not an answer: let it start whatever it would have started.
            registry.commands["__idle__"](ctx, answer.text)
            return
        if value in ("snooze", "stop"):
            checkin_action(ctx, [str(row_id), value])
            return
        if value.startswith("iv:"):
            row = checkins.get(ctx.db, ctx.key, row_id)
            if row and row.interview_id:
                debrief.interview_action(ctx, [str(row.interview_id), value[3:]])
            return
        checkin_action(ctx, [str(row_id), *value.split(":")])

    def back(self, ctx: Ctx) -> None:
        """Leave the question unanswered."""
        self.cancel(ctx)

    def skip(self, ctx: Ctx) -> None:
        """Leave the question unanswered."""
        self.cancel(ctx)

    def restart(self, ctx: Ctx) -> None:
        """Leave the aside and restart whatever was underneath."""
        _leave_quietly(ctx)
        registry.commands["restart"](ctx, "")

    def cancel(self, ctx: Ctx) -> None:
        """Leave the question; nothing changes."""
        if self._data(ctx).get("purpose") == "answer":
            _leave_answer(ctx)
            ctx.say("Okay. The buttons on my check-in still work whenever you're ready.")
            return
        aside.leave(ctx, "Okay, I've left it as it was.")

    def help(self, ctx: Ctx) -> str:
        """What the question is for."""
        if self._data(ctx).get("purpose") == "answer":
            return "I'm asking so I can plan the next step with you. Tap a choice, or type it."
        return "Tell me in your own words, or say `cancel` to leave it as it was."

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """Quick choices for the question."""
        data = self._data(ctx)
        purpose = data.get("purpose")
        if purpose == "answer":
            choices = [*data.get("choices", []), ("snooze", "Snooze"), ("stop", "Stop these")]
            return [ctx.choice(value, label) for value, label in choices]
        if purpose in ("snooze", "move"):
            return [ctx.choice("tomorrow", "Tomorrow"), ctx.choice("next week", "Next week"),
                    ctx.choice("__leave", "Never mind")]
        if purpose == "second_date":
            return [ctx.choice("tomorrow", "Tomorrow"), ctx.choice("no date yet", "No date yet")]
        if purpose == "goal":
            return [ctx.choice("__leave", "Never mind")]
        return []


def _leave_quietly(ctx: Ctx) -> None:
    data = ctx.user.state.flow_data
    resume = data.get("resume_flow")
    ctx.user.state.flow = resume if resume in registry.flows else None
    ctx.user.state.flow_data = (data.get("resume_data") or {}) if ctx.user.state.flow else {}
    ctx.new_question()


registry.flows[NAME] = CheckinAside()
registry.checkin_handler = on_checkin_due
