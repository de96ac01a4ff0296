"""The debrief journey: the interview, letting it out, forgiving yourself, the letter, references, the plan."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.checkins import schedule
from bot.dates import format_date, parse_past_date
from bot.errors import UserInputError
from bot.flows.base import Answer, Ctx, action, registry
from bot.models import Button
from bot.state import Clarification, DebriefState, Reference
from bot.store import checkins, interviews, letters
from bot.store.interviews import InterviewRecord
from bot.text import MAX_SHORT_ANSWER, one_line, shorten
from bot.timezones import parse_timezone

NAME = "debrief"
FEELINGS = ["Frustrated", "Disappointed", "Embarrassed", "Angry", "Anxious", "Sad", "Numb"]
MAX_LIST_ITEMS = 12
MAX_CLARIFY = 3
DONE_WORDS = {"done", "that's it", "thats it", "that's all", "thats all", "finished", "no more",
              "nothing else", "nope", "no"}


@dataclass
class Step:
    """One question of the debrief: how to ask it, how to take the answer, and its help."""

    ask: Callable[[Ctx, DebriefState], tuple[str, list[Button]]]
    take: Callable[[Ctx, InterviewRecord, Answer], None]
    help: str
    optional: bool = False
    # What "back" shows as the earlier answer, if anything.
    shown: Callable[[DebriefState], str | None] = lambda d: None


# ---- loading and moving between steps -------------------------------------------------------


def current(ctx: Ctx) -> InterviewRecord:
    """The interview the user is debriefing (a new one if none is active)."""
    interview_id = ctx.user.state.active_interview
    cached = ctx.loaded.get("interview")
    if cached is not None and cached.id == interview_id:
        return cached
    record = interviews.get(ctx.db, ctx.key, interview_id) if interview_id else None
    if record is None:
        record = interviews.create(ctx.db, ctx.key, ctx.now)
        ctx.user.state.active_interview = record.id
    ctx.loaded["interview"] = record
    return record


def start_new(ctx: Ctx, intro: str | None = None) -> None:
    """Open a new interview and ask its first question."""
    record = interviews.create(ctx.db, ctx.key, ctx.now)
    ctx.user.state.active_interview = record.id
    ctx.user.state.flow = NAME
    ctx.new_question()
    _ask(ctx, record, note=intro)


def resume(ctx: Ctx, record: InterviewRecord, note: str | None = None) -> None:
    """Make `record` the active interview and ask its current question."""
    ctx.user.state.active_interview = record.id
    if record.debrief.finished:
        ctx.user.state.flow = None
        ctx.say(note or f"Your debrief for {record.debrief.title} is complete.")
        _plan_summary(ctx, record)
        return
    ctx.user.state.flow = NAME
    ctx.new_question()
    _ask(ctx, record, note=note)


def _goto(ctx: Ctx, record: InterviewRecord, step: str, note: str | None = None) -> None:
    """Move to `step`, remembering where we were for `back`, save and ask."""
    d = record.debrief
    if d.step != step:
        d.history.append(d.step)
    d.step = step
    ctx.new_question()
    interviews.save(ctx.db, record, ctx.now)
    _ask(ctx, record, note=note)


def _ask(ctx: Ctx, record: InterviewRecord, note: str | None = None) -> None:
    """Say the current step's question."""
    if record.debrief.step == "plan":
        _finish(ctx, record, note)
        return
    if record.debrief.step == "letter":
        _show_letter(ctx, record, note=note)
        return
    text, buttons = STEPS[record.debrief.step].ask(ctx, record.debrief)
    ctx.say(f"{note}\n\n{text}" if note else text, buttons=buttons)


def _next_after(ctx: Ctx, d: DebriefState, step: str) -> str:
    """The step that naturally follows `step`, given what we know."""
    order = ["company", "role", "date", "interviewers", "timezone", "feelings", "vent",
             "went_wrong", "went_right", "forgive", "clarify_pick", "clarify_answer", "detail",
             "second_chance", "sender_name", "letter", "references", "plan"]
    following = order[order.index(step) + 1]
    if following == "timezone" and ctx.user.settings.tz:
        return _next_after(ctx, d, "timezone")
    if following == "clarify_pick" and not d.went_wrong:
        return _next_after(ctx, d, "clarify_answer")
    if following == "clarify_answer" and not _unanswered_clarification(d):
        return _next_after(ctx, d, "clarify_answer")
    if following == "sender_name" and ctx.user.settings.sender_name:
        return _next_after(ctx, d, "sender_name")
    return following


def _advance(ctx: Ctx, record: InterviewRecord, note: str | None = None) -> None:
    """Go to the step after the current one."""
    _goto(ctx, record, _next_after(ctx, record.debrief, record.debrief.step), note)


def _short_text(answer: Answer, what: str) -> str:
    """A one-line answer of sensible length, or a friendly re-ask."""
    text = one_line(answer.text)
    if len(text) > MAX_SHORT_ANSWER:
        raise UserInputError(
            f"That looks longer than a {what} ({len(text)} characters). Could you give me just "
            f"the {what}, in under {MAX_SHORT_ANSWER} characters?"
        )
    return text


NO_WORDS = {"no", "nope", "no thanks", "no thank you", "not now", "nah", "none", "n/a", "-",
            "nothing", "rather not", "i'd rather not", "pass"}


def _declined(answer: Answer) -> bool:
    """True when an optional question is answered with a plain no."""
    return answer.choice == "skip" or one_line(answer.text).lower().strip(".!") in NO_WORDS


def _is_done(answer: Answer) -> bool:
    """True when the user says they have finished a list."""
    return answer.choice == "done" or one_line(answer.text).lower().strip(".!") in DONE_WORDS


# ---- 1. the interview ------------------------------------------------------------------------


def _ask_company(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return "First, the basics. Which company was the interview with?", []


def _take_company(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    record.debrief.company = _short_text(answer, "company name")
    _advance(ctx, record)


def _ask_role(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return f"And the role you interviewed for at {d.company}?", []


def _take_role(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    record.debrief.role = _short_text(answer, "role")
    _advance(ctx, record)


def _ask_date(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return ("When was it? “Today”, “last Tuesday” or a date like 2026-11-20 all work.",
            [ctx.choice("today", "Today"), ctx.choice("yesterday", "Yesterday")])


def _take_date(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    record.debrief.interview_date = parse_past_date(answer.choice or answer.text, ctx.today)
    _advance(ctx, record)


def _ask_interviewers(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return ("Who interviewed you? Names separated by commas are perfect, and they help me "
            "address the letter. Or `skip`.", [ctx.choice("skip", "Skip")])


def _take_interviewers(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    if _declined(answer):
        record.debrief.interviewers = []
    else:
        text = one_line(answer.text).replace(" and ", ", ").replace(" & ", ", ")
        names = [name.strip(" .") for name in text.replace(";", ",").split(",") if name.strip(" .")]
        if not names or any(len(name) > 60 for name in names) or len(names) > 6:
            raise UserInputError("I couldn't pick out the names there. Could you list them "
                                 "separated by commas, like “Dana Lee, Sam Ortiz”?")
        record.debrief.interviewers = names
    _advance(ctx, record)


def _ask_timezone(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return ("One practical thing, asked once: which time zone are you in? I'll only check in "
            "at sensible hours. A city (“Lisbon”), a zone (“America/Chicago”) or “UTC+2” "
            "all work.", [])


def _take_timezone(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    ctx.user.settings.tz = parse_timezone(answer.text)
    _advance(ctx, record, note=f"Got it: {ctx.user.settings.tz}.")


# ---- 2. let it out ---------------------------------------------------------------------------


def _ask_feelings(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    if d.feelings:
        text = (f"Noted: {', '.join(f.lower() for f in d.feelings)}. Anything else? "
                "Tap more, or Done.")
    else:
        text = ("Thanks. Now, how are you feeling about it? Tap any that fit, or tell me in "
                "your own words. Whatever it is, it's a normal reaction.")
    buttons = [ctx.choice(f"feel:{f}", f) for f in FEELINGS if f not in d.feelings]
    buttons.append(ctx.choice("done", "Done", "primary"))
    return text, buttons


def _take_feelings(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    d = record.debrief
    if _is_done(answer):
        _advance(ctx, record)
        return
    if answer.choice and answer.choice.startswith("feel:"):
        feeling = answer.choice.removeprefix("feel:")
    else:
        feeling = shorten(one_line(answer.text), 200)
    if feeling not in d.feelings and len(d.feelings) < MAX_LIST_ITEMS:
        d.feelings.append(feeling)
    interviews.save(ctx.db, record, ctx.now)
    _ask(ctx, record)


def _ask_vent(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return ("If you want to let it out, this is the place. Write whatever you need to say "
            "about it, as messy as you like; it stays between us. Or `skip`.",
            [ctx.choice("skip", "Skip")])


def _take_vent(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    if _declined(answer):
        _advance(ctx, record)
        return
    d = record.debrief
    d.vent = f"{d.vent}\n{answer.text}" if d.vent else answer.text
    _advance(ctx, record, note="Thank you for putting it into words. That takes some of its "
                               "weight away.")


def _list_prompt(ctx: Ctx, items: list[str], first: str, more: str) -> tuple[str, list[Button]]:
    """A list question: the first ask, or what we have so far and a Done button."""
    if not items:
        return first, [ctx.choice("done", "Nothing comes to mind")]
    listed = "\n".join(f"• {item}" for item in items)
    return f"So far:\n{listed}\n\n{more}", [ctx.choice("done", "Done", "primary")]


def _take_list_item(ctx: Ctx, record: InterviewRecord, answer: Answer, items: list[str]) -> None:
    """Add one or more lines to a list, or finish it."""
    if _is_done(answer):
        _advance(ctx, record)
        return
    if one_line(answer.text).lower() == "clear":
        items.clear()
    else:
        for line in answer.text.split("\n"):
            line = line.strip(" •-*\t")
            if line and len(items) < MAX_LIST_ITEMS:
                items.append(shorten(line, 300))
    interviews.save(ctx.db, record, ctx.now)
    _ask(ctx, record)


def _ask_went_wrong(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return _list_prompt(
        ctx, d.went_wrong,
        "Let's look at it calmly, from both sides. First: what went wrong? The moments you'd "
        "handle differently. Send them one at a time, then `done`.",
        "Anything else you'd do differently? Send it, or `done`.",
    )


def _take_went_wrong(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    _take_list_item(ctx, record, answer, record.debrief.went_wrong)


def _ask_went_right(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return _list_prompt(
        ctx, d.went_right,
        "Now the side people skip: what went well? An answer you liked, a good moment with "
        "the interviewer, a question you handled. Small things count. One at a time, then "
        "`done`.",
        "What else went well? Send it, or `done`.",
    )


def _take_went_right(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    _take_list_item(ctx, record, answer, record.debrief.went_right)


# ---- 3. forgive yourself ---------------------------------------------------------------------


def reframe(d: DebriefState) -> str:
    """A short reframe built from the user's own answers."""
    company = d.company or "They"
    lines = [f"• {company} invited you because they saw a professional worth meeting. "
             "That hasn't changed."]
    role = f"{d.role} interview" if d.role else "interview"
    lines.append(f"• You've now been through a tough {role}. The next one will find you "
                 "better prepared.")
    if d.went_right:
        lines.append(f"• You already know what to repeat: “{shorten(d.went_right[0], 90)}”.")
    if d.went_wrong:
        lines.append(f"• And what to sharpen: “{shorten(d.went_wrong[0], 90)}”. "
                     "That's a lesson, not a verdict.")
    lines.append("• One hard hour doesn't take away the career ahead of you.")
    return "Here's another way to see it:\n" + "\n".join(lines)


def _ask_forgive(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return (f"{reframe(d)}\n\nNow write one sentence to yourself, the kind of thing you'd say "
            "to a friend in your place. I'll keep it for you. Or `skip`.",
            [ctx.choice("skip", "Skip")])


def _take_forgive(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    if _declined(answer):
        _advance(ctx, record)
        return
    record.debrief.forgiveness = shorten(one_line(answer.text), 500)
    _advance(ctx, record, note="Kept. Come back to it whenever you need it.")


# ---- 4. the thank-you letter -----------------------------------------------------------------


def _ask_clarify_pick(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    buttons = []
    for index, point in enumerate(d.went_wrong):
        mark = "✓ " if index in d.clarify_points else ""
        buttons.append(ctx.choice(f"pick:{index}", mark + shorten(point, 70)))
    if d.clarify_points:
        buttons.append(ctx.choice("done", "Done", "primary"))
    buttons.append(ctx.choice("none", "None of them"))
    text = ("Next, a thank-you letter. It's always worth sending, and it can quietly clear up "
            f"what went wrong. Which points should it clarify? Tap up to {MAX_CLARIFY}, "
            "then Done.")
    if d.clarify_points:
        text = f"Picked {len(d.clarify_points)}. Tap another, or Done."
    return text, buttons


def _take_clarify_pick(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    d = record.debrief
    choice = answer.choice
    if choice is None and answer.text.strip().isdigit():
        raise UserInputError("Tap one of the points (or type its label), then Done.")
    if choice == "none" or (choice is None and one_line(answer.text).lower() == "none"):
        d.clarify_points = []
        d.clarifications = []
        _advance(ctx, record)
        return
    if _is_done(answer):
        d.clarifications = [c for c in d.clarifications
                            if c.point in {d.went_wrong[i] for i in d.clarify_points}]
        _advance(ctx, record)
        return
    if choice and choice.startswith("pick:"):
        index = int(choice.removeprefix("pick:"))
        if index in d.clarify_points:
            d.clarify_points.remove(index)
        elif len(d.clarify_points) >= MAX_CLARIFY:
            raise UserInputError("Three points is plenty for one letter. Untick one first, "
                                 "or tap Done.")
        elif 0 <= index < len(d.went_wrong):
            d.clarify_points.append(index)
        interviews.save(ctx.db, record, ctx.now)
        _ask(ctx, record)
        return
    raise UserInputError("Tap the points you'd like the letter to clarify, then Done.")


def _unanswered_clarification(d: DebriefState) -> str | None:
    """The next picked point without a better answer yet."""
    answered = {c.point for c in d.clarifications if c.better_answer}
    for index in d.clarify_points:
        if index < len(d.went_wrong) and d.went_wrong[index] not in answered:
            return d.went_wrong[index]
    return None


def _ask_clarify_answer(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    point = _unanswered_clarification(d) or ""
    return (f"On “{shorten(point, 120)}”: what would you say now, with a clear head? "
            "One or two confident sentences.", [])


def _take_clarify_answer(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    d = record.debrief
    point = _unanswered_clarification(d)
    if point is None:
        _advance(ctx, record)
        return
    better = shorten(one_line(answer.text), 400)
    d.clarifications = [c for c in d.clarifications if c.point != point]
    d.clarifications.append(Clarification(point=point, better_answer=better))
    if _unanswered_clarification(d):
        ctx.new_question()
        interviews.save(ctx.db, record, ctx.now)
        _ask(ctx, record, note="Good, that reads well.")
        return
    _advance(ctx, record)


def _ask_detail(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return ("One specific thing from the conversation you'd like to mention? A project they "
            "described, a topic you enjoyed, like “your move to event sourcing”. It makes the "
            "letter memorable. Or `skip`.",
            [ctx.choice("skip", "Skip")])


def _take_detail(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    record.debrief.specific_detail = (None if _declined(answer)
                                      else shorten(one_line(answer.text), 300))
    _advance(ctx, record)


def _ask_second_chance(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return ("Should the letter also ask for a second interview, for this role or another "
            "that fits your skills? Hiring managers are human, and a calm, confident ask "
            "often lands.",
            [ctx.choice("yes", "Yes, ask", "primary"), ctx.choice("no", "Not this time")])


def _take_second_chance(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    word = (answer.choice or one_line(answer.text)).lower()
    if word.startswith(("y", "sure", "ok")):
        record.debrief.ask_second_interview = True
    elif word.startswith(("n", "not")):
        record.debrief.ask_second_interview = False
    else:
        raise UserInputError("A quick yes or no is all I need here.")
    _advance(ctx, record)


def _ask_sender_name(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    return "How should I sign the letter? Your name as you'd like it to appear.", []


def _take_sender_name(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    ctx.user.settings.sender_name = _short_text(answer, "name")
    _advance(ctx, record)


_THEIR = re.compile(r"^(their|the team's|the company's|his|her)\s+", re.IGNORECASE)


def addressed_to_them(detail: str) -> str:
    """Users describe the interviewers' work as "their plan"; the letter speaks to them: "your plan"."""
    return _THEIR.sub("your ", detail.strip())


def letter_fields(ctx: Ctx, d: DebriefState):  # type: ignore[no-untyped-def]
    """What the debrief knows, as inputs for a thank-you letter."""
    from bot.letters import Clarification as LetterClarification
    from bot.letters import LetterFields

    return LetterFields(
        sender_name=ctx.user.settings.sender_name or "",
        interviewer_names=d.interviewers,
        company=d.company or "",
        role=d.role or "",
        interview_date=d.interview_date,
        clarifications=[LetterClarification(point=c.point, better_answer=c.better_answer)
                        for c in d.clarifications if c.better_answer],
        specific_detail=addressed_to_them(d.specific_detail or ""),
        offer_background=True,
        ask_second_interview=bool(d.ask_second_interview),
        strengths=d.went_right,
    )


def _draft_letter(ctx: Ctx, record: InterviewRecord) -> str:
    """Draft (or redraft) the thank-you letter, save it as a new version, and return its text."""
    from bot.letters import LetterKind, draft

    d = record.debrief
    kind = LetterKind("second-chance" if d.ask_second_interview else "thank-you")
    fields = letter_fields(ctx, d)
    letter = draft(kind, fields, variant=d.letter_variant, short=d.letter_short)
    if d.letter_id is None or letters.get(ctx.db, ctx.key, d.letter_id) is None:
        d.letter_id = letters.create(ctx.db, ctx.key, record.id, str(kind),
                                     fields.model_dump(mode="json"), ctx.now)
    else:
        letters.update_inputs(ctx.db, ctx.key, d.letter_id, fields.model_dump(mode="json"))
    latest = letters.get(ctx.db, ctx.key, d.letter_id)
    if latest is None or (latest.subject, latest.body) != (letter.subject, letter.body):
        letters.add_version(ctx.db, d.letter_id, letter.subject, letter.body, d.letter_variant,
                            d.letter_short, ctx.now)
    return f"Subject: {letter.subject}\n\n{letter.body}"


def _ask_letter(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    """The letter step's buttons; its text is the draft itself (see _show_letter)."""
    return "", _letter_buttons(ctx)


def _show_letter(ctx: Ctx, record: InterviewRecord, note: str | None = None) -> None:
    """Show the current draft with its choices."""
    text = _draft_letter(ctx, record)
    interviews.save(ctx.db, record, ctx.now)
    intro = note or ("Here's your draft. It thanks them, clears up what you picked with "
                     "confidence, and ends with a clear next step. Read it through and make "
                     "it yours:")
    ctx.say(f"{intro}\n\n{text}", buttons=_letter_buttons(ctx))


def _letter_buttons(ctx: Ctx) -> list[Button]:
    return [ctx.choice("ok", "Looks good", "primary"), ctx.choice("variant", "Another version"),
            ctx.choice("shorter", "Shorter"), ctx.choice("sent", "I've sent it")]


def _take_letter(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    d = record.debrief
    word = answer.choice or one_line(answer.text).lower()
    if word in ("variant", "another", "another version", "again"):
        d.letter_variant += 1
        _show_letter(ctx, record, note="Here's another take:")
    elif word in ("shorter", "short"):
        d.letter_short = True
        _show_letter(ctx, record, note="Trimmed down:")
    elif word in ("sent", "i've sent it", "i sent it", "sent it"):
        d.letter_sent = True
        if d.letter_id:
            letters.mark_sent(ctx.db, ctx.key, d.letter_id, ctx.now)
        _advance(ctx, record, note="Sent. That's a real step forward.")
    elif word in ("ok", "looks good", "good", "yes", "great", "perfect", "fine"):
        _advance(ctx, record, note="Great. Send it today or tomorrow morning, while the "
                                   "conversation is fresh for them.")
    else:
        raise UserInputError("Tap one of the choices: keep it, another version, shorter, or "
                             "tell me you've sent it.")


# ---- 5. references --------------------------------------------------------------------------


def _ask_references(ctx: Ctx, d: DebriefState) -> tuple[str, list[Button]]:
    if d.pending_reference is not None:
        return (f"How do you know {d.pending_reference}? For example “my manager at Acme”. "
                "Or `skip`.", [ctx.choice("skip", "Skip")])
    if d.references:
        names = ", ".join(r.name for r in d.references)
        return (f"References with a heads-up so far: {names}. Anyone else? Send a name, "
                "or Done.", [ctx.choice("done", "That's everyone", "primary")])
    return ("If they call your references, it helps when those people know how it went and "
            "what to stress. Want to give anyone a heads-up? Send their name, or tap No one.",
            [ctx.choice("done", "No one for now")])


def _take_references(ctx: Ctx, record: InterviewRecord, answer: Answer) -> None:
    d = record.debrief
    if d.pending_reference is not None:
        relationship = "" if answer.choice == "skip" else _short_text(answer, "description")
        _add_reference(ctx, record, d.pending_reference, relationship)
        return
    if _is_done(answer) or answer.choice == "skip":
        _advance(ctx, record)
        return
    if len(d.references) >= 6:
        raise UserInputError("Six heads-ups is plenty. Tap That's everyone to go on.")
    d.pending_reference = _short_text(answer, "name")
    ctx.new_question()
    interviews.save(ctx.db, record, ctx.now)
    _ask(ctx, record)


def _add_reference(ctx: Ctx, record: InterviewRecord, name: str, relationship: str) -> None:
    """Draft and save the heads-up for one reference, then ask for the next."""
    from bot.letters import LetterFields, LetterKind, draft

    d = record.debrief
    fields = LetterFields(
        sender_name=ctx.user.settings.sender_name or "", company=d.company or "",
        role=d.role or "", interview_date=d.interview_date, reference_name=name,
        reference_relationship=relationship, strengths=d.went_right,
    )
    letter = draft(LetterKind("reference-heads-up"), fields)
    letter_id = letters.create(ctx.db, ctx.key, record.id, "reference-heads-up",
                               fields.model_dump(mode="json"), ctx.now)
    letters.add_version(ctx.db, letter_id, letter.subject, letter.body, 0, False, ctx.now)
    d.references.append(Reference(name=name, relationship=relationship, letter_id=letter_id))
    d.pending_reference = None
    ctx.new_question()
    interviews.save(ctx.db, record, ctx.now)
    ctx.say(f"Here's a heads-up for {name}, ready to send:\n\n"
            f"Subject: {letter.subject}\n\n{letter.body}")
    _ask(ctx, record)


# ---- 6. the plan ------------------------------------------------------------------------------


def _finish(ctx: Ctx, record: InterviewRecord, note: str | None) -> None:
    """Store the check-ins, close the journey and show the plan."""
    d = record.debrief
    if not d.finished:
        d.finished = True
        if d.interview_date:
            for kind, due in schedule.initial_plan(d.interview_date, d.promised_date,
                                                   d.letter_sent, ctx.now, ctx.user.settings):
                checkins.add(ctx.db, ctx.key, record.id, kind, due, ctx.now)
        interviews.save(ctx.db, record, ctx.now)
    ctx.user.state.flow = None
    if note:
        ctx.say(note)
    _plan_summary(ctx, record)


def _plan_summary(ctx: Ctx, record: InterviewRecord) -> None:
    """The checklist and the scheduled check-ins for one interview."""
    d = record.debrief
    box = {True: "☑", False: "☐"}
    lines = [f"Your plan for {d.title}:", f"{box[d.letter_sent]} Send the thank-you letter"]
    if d.references:
        names = ", ".join(r.name for r in d.references)
        lines.append(f"{box[d.references_told]} Give your references a heads-up ({names})")
    upcoming = checkins.pending_for_interview(ctx.db, ctx.key, record.id)
    if upcoming:
        lines.append("\nI'll check in:")
        for item in upcoming:
            local = item.due_at.astimezone(ctx.tz)
            lines.append(f"• {format_date(local.date())}, {local:%H:%M}: {describe(item.kind)}")
        lines.append("\nSay `checkins` any time to move or cancel them.")
    if d.forgiveness:
        lines.append(f"\nAnd your own words, for tonight: “{d.forgiveness}”")
    else:
        lines.append("\nFor tonight: be kind to yourself. You've done the hard part.")
    buttons = []
    if not d.letter_sent:
        buttons.append(action("iv", record.id, "sent", label="Letter sent"))
    if d.references and not d.references_told:
        buttons.append(action("iv", record.id, "told", label="References told"))
    ctx.say("\n".join(lines), buttons=buttons)


def describe(kind: str) -> str:
    """A check-in kind in plain words."""
    return {
        schedule.LETTER_REMINDER: "did the thank-you letter go out?",
        schedule.HEARD_BACK: "have you heard back?",
        schedule.SECOND_INTERVIEW: "how did the second interview go?",
        schedule.WEEKLY_GOAL: "how is this week's goal going?",
    }.get(kind, kind.replace("_", " "))


@registry.action("iv")
def interview_action(ctx: Ctx, parts: list[str]) -> None:
    """Plan buttons: mark the letter sent or references told, or open an interview."""
    if len(parts) != 2 or not parts[0].isdigit():
        ctx.say("That button doesn't work any more. Say `status` to see where things stand.")
        return
    record = interviews.get(ctx.db, ctx.key, int(parts[0]))
    if record is None:
        ctx.say("I can't find that interview any more. Say `status` to see your interviews.")
        return
    d = record.debrief
    if parts[1] == "open":
        resume(ctx, record, note=f"Switching to {d.title}.")
        return
    if parts[1] == "sent":
        if d.letter_sent:
            ctx.say("Already noted: the letter is sent.")
            return
        d.letter_sent = True
        if d.letter_id:
            letters.mark_sent(ctx.db, ctx.key, d.letter_id, ctx.now)
        for item in checkins.pending_for_interview(ctx.db, ctx.key, record.id):
            if item.kind == schedule.LETTER_REMINDER:
                checkins.cancel(ctx.db, ctx.key, item.id, ctx.now)
        interviews.save(ctx.db, record, ctx.now)
        ctx.say("Letter sent: ticked. That one takes courage. I've dropped the reminder about it.")
    elif parts[1] == "told":
        if d.references_told:
            ctx.say("Already noted: your references know.")
            return
        d.references_told = True
        interviews.save(ctx.db, record, ctx.now)
        ctx.say("References told: ticked. They'll be ready if the phone rings.")
    else:
        ctx.say("That button doesn't work any more. Say `status` to see where things stand.")


# ---- the flow --------------------------------------------------------------------------------

STEPS: dict[str, Step] = {
    "company": Step(_ask_company, _take_company, "I'll use the company name in your letter.",
                    shown=lambda d: d.company),
    "role": Step(_ask_role, _take_role, "The role goes in the letter's subject and opening.",
                 shown=lambda d: d.role),
    "date": Step(_ask_date, _take_date, "The date sets when I check in about hearing back.",
                 shown=lambda d: format_date(d.interview_date) if d.interview_date else None),
    "interviewers": Step(_ask_interviewers, _take_interviewers,
                         "Names let the letter greet them properly. Optional.", optional=True,
                         shown=lambda d: ", ".join(d.interviewers) or None),
    "timezone": Step(_ask_timezone, _take_timezone,
                     "Your time zone lets me check in during your daytime, never at 3 a.m."),
    "feelings": Step(_ask_feelings, _take_feelings,
                     "Naming what you feel helps it settle. No judgement, and nobody else "
                     "sees it.", optional=True,
                     shown=lambda d: ", ".join(d.feelings) or None),
    "vent": Step(_ask_vent, _take_vent,
                 "Getting it out of your head and into words makes it easier to move on. "
                 "Optional.", optional=True),
    "went_wrong": Step(_ask_went_wrong, _take_went_wrong,
                       "These become lessons to correct, and the letter can clarify up to "
                       "three of them. Type `clear` to start the list over.", optional=True),
    "went_right": Step(_ask_went_right, _take_went_right,
                       "These are lessons to repeat next time. Type `clear` to start the "
                       "list over.", optional=True),
    "forgive": Step(_ask_forgive, _take_forgive,
                    "A sentence of self-kindness you can come back to. Optional.",
                    optional=True, shown=lambda d: d.forgiveness),
    "clarify_pick": Step(_ask_clarify_pick, _take_clarify_pick,
                         "The letter can confidently restate up to three points you'd answer "
                         "better now. It never apologises or mentions nerves.", optional=True),
    "clarify_answer": Step(_ask_clarify_answer, _take_clarify_answer,
                           "Write it the way you'd say it in the room now: calm, concrete, "
                           "confident."),
    "detail": Step(_ask_detail, _take_detail,
                   "A specific detail shows you listened and makes the letter memorable.",
                   optional=True, shown=lambda d: d.specific_detail),
    "second_chance": Step(_ask_second_chance, _take_second_chance,
                          "Asking for a second interview, this role or another, is "
                          "professional, not pushy."),
    "sender_name": Step(_ask_sender_name, _take_sender_name, "The name that signs the letter."),
    "letter": Step(_ask_letter, _take_letter,
                   "Keep the draft, ask for another version or a shorter one, or tell me you've "
                   "sent it."),
    "references": Step(_ask_references, _take_references,
                       "A reference who knows how it went can nudge the manager to see you "
                       "again. Optional.", optional=True),
}


class DebriefFlow:
    """The five-step recovery journey for one interview."""

    name = NAME

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask the current question again."""
        _ask(ctx, current(ctx), note=note)

    def handle(self, ctx: Ctx, answer: Answer) -> None:
        """Take an answer for the current step."""
        record = current(ctx)
        if answer.choice == "__keep" or one_line(answer.text).lower() in ("keep", "keep it"):
            _advance(ctx, record)
            return
        STEPS[record.debrief.step].take(ctx, record, answer)

    def back(self, ctx: Ctx) -> None:
        """Go back one question, showing the earlier answer."""
        record = current(ctx)
        d = record.debrief
        if d.step == "references" and d.pending_reference is not None:
            d.pending_reference = None
            ctx.new_question()
            interviews.save(ctx.db, record, ctx.now)
            _ask(ctx, record, note="Okay, let's leave that name out.")
            return
        if not d.history:
            _ask(ctx, record, note="This is the first question, so there's nothing before it.")
            return
        d.step = d.history.pop()
        ctx.new_question()
        interviews.save(ctx.db, record, ctx.now)
        if d.step == "letter":
            _show_letter(ctx, record, note="Back to your letter:")
            return
        if d.step == "clarify_answer":
            d.clarifications = d.clarifications[:-1]
        shown = STEPS[d.step].shown(d)
        text, buttons = STEPS[d.step].ask(ctx, d)
        note = "Going back."
        if shown:
            note = f"Going back. Last time you said: “{shorten(shown, 200)}”. Send a new answer, or keep it."
            buttons = [ctx.choice("__keep", "Keep it", "primary"), *buttons]
        ctx.say(f"{note}\n\n{text}", buttons=buttons)

    def skip(self, ctx: Ctx) -> None:
        """Skip an optional question."""
        record = current(ctx)
        step = STEPS.get(record.debrief.step)
        if step and step.optional:
            if record.debrief.step == "references" and record.debrief.pending_reference:
                self.handle(ctx, Answer(text="skip", choice="skip"))
                return
            _advance(ctx, record, note="Skipped.")
        else:
            _ask(ctx, record, note="I need this one to help you properly, so it can't be "
                                   "skipped. It'll be quick:")

    def restart(self, ctx: Ctx) -> None:
        """Start this interview's debrief over from the first question."""
        record = current(ctx)
        letter_id = record.debrief.letter_id
        record.debrief = DebriefState(letter_id=letter_id)
        checkins.cancel_for_interview(ctx.db, ctx.key, record.id, ctx.now)
        ctx.user.state.flow = NAME
        ctx.new_question()
        interviews.save(ctx.db, record, ctx.now)
        _ask(ctx, record, note="Starting this interview over from the top. Your other "
                               "interviews are untouched.")

    def cancel(self, ctx: Ctx) -> None:
        """Pause the debrief; everything so far stays saved."""
        ctx.user.state.flow = None
        ctx.new_question()
        ctx.say("Okay, we'll stop here. Everything you've told me is saved. Say `continue` "
                "whenever you want to pick it up again.")

    def help(self, ctx: Ctx) -> str:
        """What the current question is for."""
        step = STEPS.get(current(ctx).debrief.step)
        return step.help if step else ""

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """The buttons of the current question."""
        record = current(ctx)
        if record.debrief.step == "letter":
            return _letter_buttons(ctx)
        if record.debrief.step == "plan":
            return []
        return STEPS[record.debrief.step].ask(ctx, record.debrief)[1]


registry.flows[NAME] = DebriefFlow()
