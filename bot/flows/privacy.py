"""`export` (everything stored about me, as files) and `forget me` (delete it all, confirmed)."""

from __future__ import annotations

import secrets

from bot.export import build_export
from bot.flows import aside
from bot.flows.base import Answer, Ctx, OneQuestionFlow, action, registry
from bot.models import Button
from bot.store import privacy
from bot.text import command_words

NAME = "forget"
# Typing this (any case) confirms, for keyboards and consoles where a button is awkward.
CONFIRM_WORDS = {"delete everything", "yes delete everything"}


@registry.command("export", "export my data", "my data", "download my data", "export data")
def export(ctx: Ctx, _args: str) -> None:
    """Send the user every row stored about them, as Markdown and JSON files."""
    rows = privacy.export_rows(ctx.db, ctx.key)
    # The user row as it will be after this turn, so the export matches what is saved.
    if rows.get("users"):
        rows["users"][0]["settings"] = ctx.user.settings.model_dump(mode="json")
    files = build_export(rows, ctx.now)
    held = {table: len(items) for table, items in rows.items()}
    ctx.say(f"Here's everything I keep about you: {_inventory(held)}. One file is for "
            "reading, the other (JSON) for other tools. Only you can see this.", files=files)
    aside.resume_after(ctx)


def _plural(count: int, word: str) -> str:
    """'1 letter', '3 letters'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@registry.command("forget me", "forget-me", "forgetme", "delete my data", "delete me",
                  "erase my data", "delete all my data")
def forget_me(ctx: Ctx, _args: str) -> None:
    """Explain what will be deleted and ask for an explicit confirmation."""
    held = privacy.counts(ctx.db, ctx.key)
    nonce = secrets.token_hex(4)
    aside.enter(ctx, NAME, {"nonce": nonce})
    ctx.say(_confirm_text(held), buttons=_buttons(nonce))


def _inventory(held: dict[str, int]) -> str:
    """"2 interviews, 3 letters (every version) and your settings"."""
    parts = []
    for table, word in (("interviews", "interview"), ("letters", "letter"),
                        ("checkins", "check-in")):
        if held.get(table):
            parts.append(_plural(held[table], word))
    if held.get("letters"):
        parts[-1 if not held.get("checkins") else -2] += " (every version)"
    parts.append("your settings")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _confirm_text(held: dict[str, int]) -> str:
    """What forgetting will remove, in plain words."""
    return (f"This deletes everything I have about you, for good: {_inventory(held)}. "
            "Scheduled check-ins stop too. I can't undo it, so if you'd like a copy first, "
            "say `export`.\n\nTo go ahead, tap Delete everything or type `delete everything`.")


def _buttons(nonce: str) -> list[Button]:
    """Confirm (carrying this request's nonce) or keep."""
    return [action("forget", "confirm", nonce, label="Delete everything", style="danger"),
            action("forget", "keep", nonce, label="Keep my data")]


@registry.action("forget")
def forget_button(ctx: Ctx, parts: list[str]) -> None:
    """The confirmation buttons; an old or repeated press deletes nothing it shouldn't."""
    choice = parts[0] if parts else ""
    nonce = parts[1] if len(parts) > 1 else ""
    pending = ctx.user.state.flow == NAME and ctx.user.state.flow_data.get("nonce") == nonce
    if choice == "confirm" and pending:
        _forget(ctx)
    elif choice == "keep" and pending:
        aside.leave(ctx, note="Good, everything stays as it is.")
    elif ctx.user.is_new:
        # A press after the data is already gone (a double tap, a retried delivery): this
        # turn created an empty row only to answer it, so drop that row again.
        privacy.forget(ctx.db, ctx.key)
        ctx.user.forgotten = True
        ctx.say("There's nothing stored about you, so there's nothing to delete.")
    else:
        ctx.say("That button is from an earlier question, so I haven't deleted anything. "
                "Say `forget me` if you'd like to delete your data.")
        aside.resume_after(ctx)


def _forget(ctx: Ctx) -> None:
    """Delete every row about the user and make sure the turn saves nothing back."""
    privacy.forget(ctx.db, ctx.key)
    ctx.user.forgotten = True
    ctx.say("Done. I've deleted everything I had about you: interviews, letters, check-ins and "
            "settings. You won't hear from me unless you write first. If you ever want to talk "
            "again, just say hi and we'll start fresh. Take care.")


class ForgetConfirmation(OneQuestionFlow):
    """The pending forget-me question: only the confirmation phrase deletes."""

    name = NAME

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask again."""
        held = privacy.counts(ctx.db, ctx.key)
        text = _confirm_text(held)
        ctx.say(f"{note}\n\n{text}" if note else text,
                buttons=_buttons(str(ctx.user.state.flow_data.get("nonce", ""))))

    def handle(self, ctx: Ctx, answer: Answer) -> None:
        """The confirmation phrase deletes; anything else keeps everything."""
        if command_words(answer.text) in CONFIRM_WORDS:
            _forget(ctx)
            return
        aside.leave(ctx, note="I'll take that as a no: nothing was deleted.")

    def cancel(self, ctx: Ctx) -> None:
        """Keep everything."""
        aside.leave(ctx, note="Okay, nothing was deleted.")

    def help(self, ctx: Ctx) -> str:
        """What this question is."""
        return ("You asked me to forget you. Tap Delete everything or type `delete everything` "
                "to delete all your data; anything else keeps it.")

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """The action buttons carry their own meaning; nothing to match by number."""
        return []


registry.flows[NAME] = ForgetConfirmation()
