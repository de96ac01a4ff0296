"""The small toolkit every flow shares: the turn context, answers, buttons and the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from sqlite_utils import Database

from bot.models import Button, FileAttachment, FormRequest, InboundEvent, OutboundMessage
from bot.store.users import UserRecord
from bot.timezones import to_tzinfo


@dataclass
class Answer:
    """What the user gave to the current question: typed text, or a pressed choice."""

    text: str
    # The choice's value when a button was pressed (or its number or label typed).
    choice: str | None = None


@dataclass
class Ctx:
    """One turn: the database (inside the turn's transaction), the user, the time, the replies."""

    db: Database
    user: UserRecord
    now: datetime
    event: InboundEvent
    replies: list[OutboundMessage] = field(default_factory=list)
    # Records loaded during this turn, so one turn reads each row once.
    loaded: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The user's storage key."""
        return self.user.ref.key

    @property
    def tz(self) -> tzinfo:
        """The user's time zone (UTC until they tell us)."""
        return to_tzinfo(self.user.settings.tz)

    @property
    def local_now(self) -> datetime:
        """Now, in the user's time zone."""
        return self.now.astimezone(self.tz)

    @property
    def today(self) -> date:
        """Today's date where the user is."""
        return self.local_now.date()

    def say(self, text: str, buttons: list[Button] | None = None,
            form: FormRequest | None = None, files: list[FileAttachment] | None = None,
            form_errors: dict[str, str] | None = None) -> None:
        """Queue a reply; a question's buttons are remembered for typed answers."""
        if buttons and any(button.id.startswith("q:") for button in buttons):
            self.user.state.choices = [(button.id, button.label) for button in buttons]
        self.replies.append(OutboundMessage(
            text=text, buttons=buttons or [], form=form, files=files or [],
            form_errors=form_errors or {},
        ))

    def new_question(self) -> None:
        """Mark that a new question is being asked, so buttons of earlier ones go stale."""
        self.user.state.prompt_token += 1

    def choice(self, value: str, label: str, style: str | None = None) -> Button:
        """A button answering the current question."""
        return Button(id=f"q:{self.user.state.prompt_token}:{value}", label=label[:80],
                      style=style)  # type: ignore[arg-type]


def action(namespace: str, *parts: object, label: str, style: str | None = None) -> Button:
    """A button that carries its whole meaning, valid whatever the conversation is doing."""
    button_id = ":".join([namespace, *(str(part) for part in parts)])
    return Button(id=button_id, label=label, style=style)  # type: ignore[arg-type]


def parse_question_button(button_id: str) -> tuple[int, str] | None:
    """Split a question button id into (prompt token, value); None if it is not one."""
    parts = button_id.split(":", 2)
    if len(parts) != 3 or parts[0] != "q" or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2]


class Flow(Protocol):
    """A multi-turn conversation that owns the user's next message while active."""

    name: str

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask (again) the current question, optionally after a short note."""

    def handle(self, ctx: Ctx, answer: Answer) -> None:
        """Take the user's answer to the current question."""

    def back(self, ctx: Ctx) -> None:
        """Return to the previous question."""

    def skip(self, ctx: Ctx) -> None:
        """Skip the current question if it is optional."""

    def restart(self, ctx: Ctx) -> None:
        """Start this flow over."""

    def cancel(self, ctx: Ctx) -> None:
        """Leave this flow, keeping what was saved."""

    def help(self, ctx: Ctx) -> str:
        """What the current question is for, in a sentence or two."""

    def current_buttons(self, ctx: Ctx) -> list[Button]:
        """The buttons the current question offers (to match typed labels and numbers)."""


class OneQuestionFlow:
    """A flow that asks a single question: back and skip leave it, restart asks again."""

    name = ""

    def prompt(self, ctx: Ctx, note: str | None = None) -> None:
        """Ask the question (subclasses say how)."""
        raise NotImplementedError

    def cancel(self, ctx: Ctx) -> None:
        """Leave the question (subclasses say what that means)."""
        raise NotImplementedError

    def back(self, ctx: Ctx) -> None:
        """There is no earlier question: going back leaves this one."""
        self.cancel(ctx)

    def skip(self, ctx: Ctx) -> None:
        """Skipping the only question leaves it."""
        self.cancel(ctx)

    def restart(self, ctx: Ctx) -> None:
        """Ask again from scratch."""
        self.prompt(ctx)


# Command words and button namespaces each flow module registers.
CommandHandler = Callable[[Ctx, str], None]
ActionHandler = Callable[[Ctx, list[str]], None]
FormHandler = Callable[[Ctx, str, dict[str, str]], None]


@dataclass
class Registry:
    """Where flows announce the words, buttons, forms and check-ins they answer."""

    flows: dict[str, Flow] = field(default_factory=dict)
    commands: dict[str, CommandHandler] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    forms: dict[str, FormHandler] = field(default_factory=dict)
    checkin_handler: Callable[[Ctx, int], None] | None = None

    def command(self, *words: str) -> Callable[[CommandHandler], CommandHandler]:
        """Register a handler for one or more command words (matched whole, lower-case)."""

        def inner(handler: CommandHandler) -> CommandHandler:
            for word in words:
                self.commands[word] = handler
            return handler

        return inner

    def action(self, namespace: str) -> Callable[[ActionHandler], ActionHandler]:
        """Register a handler for buttons whose id starts with `namespace:`."""

        def inner(handler: ActionHandler) -> ActionHandler:
            self.actions[namespace] = handler
            return handler

        return inner

    def form(self, prefix: str) -> Callable[[FormHandler], FormHandler]:
        """Register a handler for submitted forms whose id starts with `prefix`."""

        def inner(handler: FormHandler) -> FormHandler:
            self.forms[prefix] = handler
            return handler

        return inner


registry = Registry()
