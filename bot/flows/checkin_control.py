"""The user's control over check-ins: snooze, stop, and `checkins` to list, move and cancel.

Also the words typed right after a check-in: "stop" then means the check-ins (elsewhere it
still means "pause this"), "snooze monday morning" snoozes it, and "not yet" answers it
instead of starting a new debrief. And the aside that asks one thing in words.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.checkins import schedule
from bot.errors import UserInputError
from bot.flows import aside
from bot.flows.base import Answer, Ctx, OneQuestionFlow, action, registry
from bot.flows.checkin import (
    ASIDE, ROWLESS, VERBS, already, answer_once, answer_typed, ask, describe, last_delivered,
    set_goal, set_second_date, when_text,
)
from bot.flows.checkin import _interview as interview_of
from bot.models import Button
from bot.store import checkins, interviews
from bot.store.checkins import CheckinRecord
from bot.text import command_words, one_line

# Statuses a user sees in `checkins`: upcoming, and paused because DMs failed.
LISTED = ("pending", "paused")
MAX_LISTED = 10

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
        ask(ctx, "snooze", row.id)
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
        ctx.say(f"Moved: I'll check in {when_text(ctx, moment, on=True)}.")
        return
    if row.answer is not None:
        already(ctx, row)
        return
    if not answer_once(ctx, row, "snoozed"):
        return
    checkins.add(ctx.db, ctx.key, row.interview_id, row.kind, moment, ctx.now,
                 {**row.payload, "snoozed_from": row.id})
    ctx.say(f"Okay, I'll ask again {when_text(ctx, moment, on=True)}.")


def _on_stop(ctx: Ctx, row: CheckinRecord, args: list[str]) -> None:
    """Stop: this interview (or the weekly goal), or all check-ins."""
    choice = args[0] if args else ""
    record = interview_of(ctx, row)
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


def stop_menu(ctx: Ctx, row_id: int | None, this_label: str | None) -> None:
    """Offer: stop this one (when there is one), stop all, or keep them."""
    buttons = []
    if row_id is not None and this_label:
        buttons.append(action("ck", row_id, "stop", "this", label=this_label[:80]))
    buttons += [action("ck", 0, "stopall", label="All check-ins", style="danger"),
                action("ck", 0, "keep", label="Keep them")]
    question = ("Stop check-ins for this, or all of them?" if len(buttons) == 3
                else "Stop all check-ins?")
    ctx.say(f"{question} You can turn them back on any time.", buttons=buttons)


def _keep(ctx: Ctx) -> None:
    ctx.say("Good, I'll keep checking in.")


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


def turn_on(ctx: Ctx) -> None:
    """Check-ins back on (frequency "normal") for what comes next."""
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
    ask(ctx, "move", row.id)


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


VERBS.update({"snooze": _on_snooze, "stop": _on_stop, "move": _on_move, "cancel": _on_cancel,
              "resume": _on_resume})
ROWLESS.update({"on": turn_on, "stopall": stop_all, "keep": _keep})


# ---- commands --------------------------------------------------------------------------------


@registry.command("checkins", "check-ins", "check ins", "checkin", "check-in", "my checkins",
                  "my check-ins", "reminders", "nudges")
def checkins_command(ctx: Ctx, args: str) -> None:
    """List upcoming check-ins; `checkins move 2 friday`, `checkins cancel 2`, `checkins on`."""
    words = command_words(args)
    if not words:
        show_list(ctx)
    elif words in ("on", "resume", "back on", "turn on", "start"):
        turn_on(ctx)
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


# Chained: the handlers these words had before this module loaded (general's cancel and idle).
_cancel_word = registry.commands["stop"]
_idle = registry.commands["__idle__"]


@registry.command("stop")
def stop_word(ctx: Ctx, args: str) -> None:
    """"stop" right after a check-in means the check-ins; otherwise it means cancel."""
    recent = last_delivered(ctx) if ctx.user.state.flow is None else None
    if recent is None:
        _cancel_word(ctx, args)
        return
    record = interview_of(ctx, recent)
    stop_menu(ctx, recent.id, f"Just {record.debrief.title}" if record else
              "Just the weekly goal")


@registry.command("__idle__")
def idle(ctx: Ctx, text: str) -> None:
    """Free text with nothing in progress: an answer to the latest check-in, or as before."""
    if not answer_typed(ctx, text):
        _idle(ctx, text)


@registry.command("stop checkins", "stop check-ins", "stop check ins", "stop reminders",
                  "no more checkins", "no more check-ins", "stop checking in")
def stop_checkins(ctx: Ctx, _args: str) -> None:
    """Stop check-ins: for the latest one's interview, or all."""
    recent = last_delivered(ctx)
    record = interview_of(ctx, recent) if recent else None
    stop_menu(ctx, recent.id if recent else None,
              f"Just {record.debrief.title}" if record else
              "Just the weekly goal" if recent else None)
    aside.resume_after(ctx)


@registry.command("snooze")
def snooze_word(ctx: Ctx, args: str) -> None:
    """`snooze` (or `snooze monday morning`) after a check-in."""
    recent = last_delivered(ctx)
    if recent is None:
        ctx.say("There's no recent check-in to snooze. Say `checkins` to move one.")
        return
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


def _parse_goal(text: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) != 2 or not all(0 <= n <= 200 for n in numbers) or sum(numbers) == 0:
        raise UserInputError("Two numbers, please: applications, then people to contact. "
                             "For example “5 and 3”.")
    return numbers[0], numbers[1]


class CheckinAside(OneQuestionFlow):
    """One short question a check-in needs answered in words; then back to where we were."""

    name = ASIDE

    def _data(self, ctx: Ctx) -> dict[str, Any]:
        return ctx.user.state.flow_data

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask the question (again)."""
        data = self._data(ctx)
        purpose = data.get("purpose")
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
        if answer.choice == "__leave":
            aside.leave(ctx, "Okay, I've left it as it was.")
            return
        if purpose == "second_date":
            record = interviews.get(ctx.db, ctx.key, int(data.get("id", 0)))
            if record is None:
                aside.leave(ctx)
                return
            set_second_date(ctx, record, answer.choice or answer.text)
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

    def cancel(self, ctx: Ctx) -> None:
        """Leave the question; nothing changes."""
        aside.leave(ctx, "Okay, I've left it as it was.")

    def help(self, ctx: Ctx) -> str:
        """What the question is for."""
        return "Tell me in your own words, or say `cancel` to leave it as it was."

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """Quick choices for the question."""
        data = self._data(ctx)
        purpose = data.get("purpose")
        if purpose in ("snooze", "move"):
            return [ctx.choice("tomorrow", "Tomorrow"), ctx.choice("next week", "Next week"),
                    ctx.choice("__leave", "Never mind")]
        if purpose == "second_date":
            return [ctx.choice("tomorrow", "Tomorrow"), ctx.choice("no date yet", "No date yet")]
        if purpose == "goal":
            return [ctx.choice("__leave", "Never mind")]
        return []


registry.flows[ASIDE] = CheckinAside()
