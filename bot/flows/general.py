"""Words that work everywhere: help, status, cancel, back, skip, restart, continue, new interview."""

from __future__ import annotations

import re

from bot.dates import format_date
from bot.flows import debrief
from bot.flows.base import Ctx, action, registry
from bot.models import Button
from bot.flows.settings import summary_line
from bot.store import checkins, interviews, letters

WELCOME = (
    "Hi, I'm Rebound. I'm here for the days after an interview that didn't go the way you "
    "hoped. Together we'll let it out, put it in perspective, write a thank-you letter that "
    "quietly clears up what went wrong, try for a second chance, and plan what's next. "
    "Say `help` any time."
)
START = ("That sounds hard. A rough interview stings, and it says less about you than it "
         "feels like right now. Let's work through it together, one small step at a time.")

HELP = """Here's what I can do:
• `debrief`: talk through an interview, step by step, ending with a letter and a plan
• `new interview`: start a debrief for another interview
• `letter`: draft a thank-you, second-chance, follow-up, after-rejection or reference letter
• `check my letter` followed by your text: a tone check of a letter you wrote
• `status`: your interviews, letters and upcoming check-ins
• `checkins`: see, move or cancel check-ins
• `questions`: good questions to ask at your next interview
• `follow up`: whether and when to follow up when you've heard nothing
• `settings`: time zone, hours and how often I check in
• `export` / `forget me`: all your data, or delete it all
During a debrief: `back`, `skip` (optional questions), `cancel`, `restart`, `continue`."""


@registry.command("help", "?", "what can you do", "commands", "menu")
def show_help(ctx: Ctx, _args: str) -> None:
    """Explain, then resume the same step."""
    flow = debrief_or_none(ctx)
    if flow:
        hint = flow.help(ctx)
        flow.prompt(ctx, note=f"{hint}\n\nYou can also say `back`, `skip` (on optional "
                              "questions), `cancel` or `restart`, and `status` for an "
                              "overview. Back to it:")
        return
    ctx.say(HELP, buttons=[action("go", "debrief", label="Talk through an interview"),
                           action("go", "letter", label="Draft a letter")])


def debrief_or_none(ctx: Ctx):  # type: ignore[no-untyped-def]
    """The active flow object, if any."""
    name = ctx.user.state.flow
    return registry.flows.get(name) if name else None


@registry.action("go")
def go_action(ctx: Ctx, parts: list[str]) -> None:
    """Shortcut buttons that run a command word."""
    word = parts[0] if parts else ""
    handler = registry.commands.get(word)
    if handler is None or word.startswith("__"):
        ctx.say("That button doesn't work any more. Say `help` to see what I can do.")
        return
    handler(ctx, "")


def _to_active_flow(ctx: Ctx, step: str, when_idle: str) -> None:
    """Pass a global word (cancel, back, skip) to the active flow, or say why there is none."""
    flow = debrief_or_none(ctx)
    if flow is None:
        ctx.say(when_idle)
        return
    getattr(flow, step)(ctx)


@registry.command("cancel", "stop", "quit", "exit", "pause")
def cancel(ctx: Ctx, _args: str) -> None:
    """Leave the current flow, keeping everything."""
    _to_active_flow(ctx, "cancel", "Nothing to cancel; we're not in the middle of anything. "
                                   "Say `help` to see what I can do.")


@registry.command("back", "go back", "previous", "undo")
def back(ctx: Ctx, _args: str) -> None:
    """Return to the previous question."""
    _to_active_flow(ctx, "back", "There's no question to go back to right now. Say "
                                 "`continue` to resume, or `status` for an overview.")


@registry.command("skip", "pass", "skip it", "skip this")
def skip(ctx: Ctx, _args: str) -> None:
    """Skip an optional question."""
    _to_active_flow(ctx, "skip", "There's nothing to skip right now. Say `help` to see what "
                                 "I can do.")


@registry.command("restart", "start over", "start again")
def restart(ctx: Ctx, _args: str) -> None:
    """Start the current flow over."""
    flow = debrief_or_none(ctx)
    if flow is None:
        record = _resumable(ctx)
        if record is None:
            debrief.start_new(ctx, intro=START)
            return
        ctx.user.state.active_interview = record.id
        registry.flows[debrief.NAME].restart(ctx)
        return
    flow.restart(ctx)


@registry.command("continue", "resume", "carry on", "go on")
def resume(ctx: Ctx, _args: str) -> None:
    """Pick up the active flow, or the most recent unfinished debrief."""
    flow = debrief_or_none(ctx)
    if flow:
        flow.prompt(ctx, note="Picking up where we left off:")
        return
    record = _resumable(ctx)
    if record is None:
        ctx.say("There's nothing half-finished. Say `debrief` to talk through an interview, or "
                "`status` for an overview.")
        return
    debrief.resume(ctx, record, note=f"Picking up {record.debrief.title} where we left off:")


@registry.command("debrief", "start", "begin", "start debrief")
def start_debrief(ctx: Ctx, _args: str) -> None:
    """Start or resume a debrief."""
    flow = debrief_or_none(ctx)
    if flow:
        flow.prompt(ctx, note="We're in the middle of something. Here's where we are:")
        return
    record = _resumable(ctx)
    if record is not None:
        debrief.resume(ctx, record, note=f"Let's continue with {record.debrief.title}:")
        return
    first_time = not interviews.list_for_user(ctx.db, ctx.key)
    debrief.start_new(ctx, intro=f"{WELCOME}\n\n{START}" if first_time else START)


@registry.command("new interview", "new debrief", "another interview", "new")
def new_interview(ctx: Ctx, _args: str) -> None:
    """Start a debrief for another interview; the others stay as they are."""
    debrief.start_new(ctx, intro="A fresh page for another interview. Your other ones are "
                                 "saved; `status` lists them.")


@registry.command("__hello__")
def hello(ctx: Ctx, _args: str) -> None:
    """A new session (the console starting): greet, and resume anything half-finished."""
    record = _resumable(ctx)
    if record is not None and not ctx.user.is_new:
        debrief.resume(ctx, record, note=f"Welcome back. We were in the middle of "
                                         f"{record.debrief.title}:")
        return
    if ctx.user.is_new or not interviews.list_for_user(ctx.db, ctx.key):
        ctx.say(f"{WELCOME}\n\nTell me how the interview went, in your own words, or say "
                "`debrief` to start.")
        return
    ctx.say("Welcome back. Say `status` for an overview, `new interview` to talk through "
            "another one, or `help`.")


# Words that say "another interview went badly" rather than just "hello".
ABOUT_AN_INTERVIEW = re.compile(
    r"\b(interview\w*|bomb\w*|awful|terribl\w*|badly|disaster\w*|mess(ed)? up|rough|"
    r"went wrong|blew it|screwed up|flopped)\b", re.IGNORECASE)


@registry.command("__idle__")
def idle(ctx: Ctx, text: str) -> None:
    """Free text when nothing is in progress: start or resume a debrief."""
    record = _resumable(ctx)
    if record is not None:
        debrief.resume(ctx, record, note=f"Welcome back. We were in the middle of "
                                         f"{record.debrief.title}:")
        return
    if not interviews.list_for_user(ctx.db, ctx.key):
        debrief.start_new(ctx, intro=f"{WELCOME}\n\n{START}")
        return
    if ABOUT_AN_INTERVIEW.search(text):
        debrief.start_new(ctx, intro=START)
        return
    # Someone who has finished their debriefs may not mean "another bad interview".
    ctx.say("Good to hear from you. What would help right now?",
            buttons=[action("go", "new interview", label="Talk through another interview"),
                     action("go", "letter", label="Draft a letter"),
                     action("go", "status", label="Where things stand")])


def _resumable(ctx: Ctx):  # type: ignore[no-untyped-def]
    """The active interview if unfinished, else the latest unfinished one."""
    records = [r for r in interviews.list_for_user(ctx.db, ctx.key)
               if r.status == "open" and not r.debrief.finished]
    for record in records:
        if record.id == ctx.user.state.active_interview:
            return record
    return records[-1] if records else None


@registry.command("status", "overview", "where am i", "my interviews")
def status(ctx: Ctx, _args: str) -> None:
    """Interviews, letters and what's next, then back to the current question."""
    ctx.say(status_text(ctx), buttons=_status_buttons(ctx))
    flow = debrief_or_none(ctx)
    if flow:
        flow.prompt(ctx, note="Back to where we were:")


def status_text(ctx: Ctx) -> str:
    """A readable overview of everything the user has going on."""
    records = interviews.list_for_user(ctx.db, ctx.key)
    if not records:
        return ("No interviews yet. Say `debrief` to talk one through.\n"
                + summary_line(ctx.user.settings))
    lines = ["Your interviews:"]
    for number, record in enumerate(records, start=1):
        d = record.debrief
        when = f", {format_date(d.interview_date)}" if d.interview_date else ""
        if record.status == "closed":
            state = f"closed ({record.outcome})" if record.outcome else "closed"
        elif d.finished:
            state = "letter sent" if d.letter_sent else "debriefed, letter not sent yet"
        else:
            state = "debrief in progress"
        marker = " ← current" if record.id == ctx.user.state.active_interview else ""
        lines.append(f"{number}. {d.title}{when}: {state}{marker}")
    drafts = letters.list_for_user(ctx.db, ctx.key)
    if drafts:
        sent = sum(1 for letter in drafts if letter.sent_at)
        lines.append(f"\nLetters: {len(drafts)} drafted, {sent} sent.")
    upcoming = checkins.pending_for_user(ctx.db, ctx.key)
    if upcoming:
        first = upcoming[0].due_at.astimezone(ctx.tz)
        lines.append(f"Next check-in: {format_date(first.date())}, {first:%H:%M} "
                     f"({debrief.describe(upcoming[0].kind)}). {len(upcoming)} scheduled.")
    lines.append(summary_line(ctx.user.settings))
    return "\n".join(lines)


def _status_buttons(ctx: Ctx) -> list[Button]:
    """A button to open each unfinished interview that isn't the current one."""
    buttons: list[Button] = []
    for record in interviews.list_for_user(ctx.db, ctx.key):
        if record.status == "open" and record.id != ctx.user.state.active_interview \
                and not record.debrief.finished and len(buttons) < 5:
            buttons.append(action("iv", record.id, "open",
                                  label=f"Open: {record.debrief.title}"[:80]))
    return buttons
