"""The engine: the single door into the bot. One turn = lock, load, route, step, save."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from pathlib import Path

from sqlite_utils import Database

from bot import flows
from bot.clock import Clock, SystemClock
from bot.errors import ConcurrentTurn, UserInputError
from bot.flows.base import (
    Answer, CommandHandler, Ctx, Flow, parse_question_button, registry,
)
from bot.models import (
    ButtonIn, CheckinDueIn, CommandIn, FormSubmitIn, InboundEvent, OutboundMessage, TextIn,
)
from bot.store import events, open_database, transaction, users
from bot.text import MAX_MESSAGE_CHARS, clean, command_words

log = logging.getLogger("rebound.engine")

GREETINGS = {"hi", "hello", "hey", "hiya", "yo", "good morning", "good evening", "hi there",
             "hello there", "hey there", "morning"}
# Commands that may be followed by free text even in the middle of a question.
# "settings hours 8-18" mid-debrief changes the setting rather than answering the question.
ALWAYS_PREFIX = ("check my letter", "timewarp", "settings", "checkins")

OOPS = ("Something went wrong on my side, sorry. Nothing you've told me is lost — "
        "could you send that again?")


class Engine:
    """Turns inbound events into replies; never talks to a platform itself."""

    def __init__(self, db: Database | str | Path, clock: Clock | None = None) -> None:
        self.db = db if isinstance(db, Database) else open_database(db)
        self.clock = clock or SystemClock()
        flows.load()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    async def handle(self, event: InboundEvent) -> list[OutboundMessage]:
        """Process one event for one user and return the replies to deliver."""
        key = event.user.key
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            return self.handle_now(event)

    def handle_now(self, event: InboundEvent) -> list[OutboundMessage]:
        """The turn itself, synchronous; callers must hold the user's lock."""
        started = time.perf_counter()
        for _attempt in range(3):
            try:
                replies = self._turn(event)
            except ConcurrentTurn:
                continue
            except Exception:
                # Log the kind of failure, never the user's words.
                log.exception("turn failed", extra={"event_kind": event.kind,
                                                    "platform": event.user.platform,
                                                    "outcome": "error"})
                return [OutboundMessage(text=OOPS)]
            log.debug("turn", extra={"event_kind": event.kind, "platform": event.user.platform,
                                     "ms": round((time.perf_counter() - started) * 1000, 2),
                                     "outcome": "ok"})
            return replies
        return [OutboundMessage(text=OOPS)]

    def _turn(self, event: InboundEvent) -> list[OutboundMessage]:
        """Load, route and save inside one transaction."""
        now = self.clock.now()
        with transaction(self.db):
            user = users.load_or_create(self.db, event.user, now)
            if event.event_id and not events.first_time(self.db, event.user.key,
                                                        event.event_id, now):
                return []
            if event.platform_tz and not user.settings.tz:
                user.settings.tz = event.platform_tz
            if event.display_name and not user.settings.sender_name:
                user.settings.sender_name = event.display_name.strip()[:80] or None
            ctx = Ctx(db=self.db, user=user, now=now, event=event)
            route(ctx)
            if not user.forgotten:
                users.save(self.db, user, now)
        return ctx.replies


def active_flow(ctx: Ctx) -> Flow | None:
    """The flow that owns the user's next message, if any."""
    name = ctx.user.state.flow
    return registry.flows.get(name) if name else None


def route(ctx: Ctx) -> None:
    """Send the event to whatever should answer it: global words, the current step, triggers."""
    event = ctx.event
    try:
        if isinstance(event, TextIn):
            _route_text(ctx, event.text)
        elif isinstance(event, ButtonIn):
            _route_button(ctx, event.button_id)
        elif isinstance(event, CommandIn) and event.name == "session_start":
            registry.commands["__hello__"](ctx, "")
        elif isinstance(event, CommandIn):
            _route_command(ctx, event.args)
        elif isinstance(event, FormSubmitIn):
            _route_form(ctx, event.form_id, event.values)
        elif isinstance(event, CheckinDueIn) and registry.checkin_handler:
            registry.checkin_handler(ctx, event.checkin_id)
    except UserInputError as problem:
        flow = active_flow(ctx)
        if flow:
            flow.prompt(ctx, note=problem.message)
        else:
            ctx.say(problem.message)


def _route_text(ctx: Ctx, raw: str) -> None:
    """Typed text: command words first, then the current question, then triggers."""
    if len(raw) > MAX_MESSAGE_CHARS * 3:
        raw = raw[: MAX_MESSAGE_CHARS * 3]
    text = clean(raw)
    flow = active_flow(ctx)
    if not text:
        note = "That message came through empty. Whenever you're ready:"
        if flow:
            flow.prompt(ctx, note=note)
        else:
            ctx.say("That message came through empty. Say `hi` to start, or `help` to see "
                    "what I can do.")
        return
    if len(text) > MAX_MESSAGE_CHARS:
        note = (f"That's a long one ({len(text):,} characters). I can take up to "
                f"{MAX_MESSAGE_CHARS:,} in one message — could you send a shorter piece?")
        if flow:
            flow.prompt(ctx, note=note)
        else:
            ctx.say(note)
        return
    words = command_words(text)
    if words in registry.commands:
        registry.commands[words](ctx, "")
        return
    prefixed = _prefixed_command(words, text, in_flow=flow is not None)
    if prefixed:
        handler, rest = prefixed
        handler(ctx, rest)
        return
    if flow:
        if words in GREETINGS:
            flow.prompt(ctx, note="Welcome back. Here's where we were:")
            return
        answer = _match_choice(ctx, text)
        if isinstance(answer, str):
            _route_button(ctx, answer)
        else:
            flow.handle(ctx, answer)
        return
    registry.commands["__idle__"](ctx, text)


def _prefixed_command(words: str, text: str, in_flow: bool) -> tuple[CommandHandler, str] | None:
    """A command word followed by arguments ("letter follow-up"), where allowed."""
    first = words.split(" ", 1)[0]
    matches = [c for c in _commands_starting_with(first)
               if words.startswith(c + " ") and not c.startswith("__")]
    if not matches:
        return None
    command = max(matches, key=len)
    if in_flow and command not in ALWAYS_PREFIX:
        return None
    # Keep the user's own casing and line breaks in the arguments.
    stripped = text.strip()
    rest = (stripped[len(command):] if stripped.lower().startswith(command)
            else words[len(command):]).strip()
    return registry.commands[command], rest


_by_first_word: dict[str, list[str]] = {}
_indexed_count = -1


def _commands_starting_with(first: str) -> list[str]:
    """Command words whose first word is `first` (indexed once, every turn reads it)."""
    global _indexed_count
    if _indexed_count != len(registry.commands):
        _by_first_word.clear()
        for command in registry.commands:
            _by_first_word.setdefault(command.split(" ", 1)[0], []).append(command)
        _indexed_count = len(registry.commands)
    return _by_first_word.get(first, [])


def _match_choice(ctx: Ctx, text: str) -> Answer | str:
    """Typed "2" or a button's label counts as pressing it: an answer, or a button id to route."""
    if len(text) > 80:
        return Answer(text=text)
    wanted = command_words(text)
    for number, (button_id, label) in enumerate(_current_choices(ctx), start=1):
        if wanted == str(number) or wanted == command_words(label):
            parsed = parse_question_button(button_id)
            return Answer(text=label, choice=parsed[1]) if parsed else button_id
    return Answer(text=text)


def _current_choices(ctx: Ctx) -> list[tuple[str, str]]:
    """The latest question's buttons, if that question is still the current one."""
    token = f"q:{ctx.user.state.prompt_token}:"
    choices = ctx.user.state.choices
    if any(button_id.startswith(token) for button_id, _label in choices):
        return choices
    return []


def _route_button(ctx: Ctx, button_id: str) -> None:
    """A pressed button: a question's answer (checked for staleness) or a standalone action."""
    question = parse_question_button(button_id)
    flow = active_flow(ctx)
    if question is not None:
        token, value = question
        if flow is None or token != ctx.user.state.prompt_token:
            _stale(ctx, flow)
            return
        label = next((label for known, label in ctx.user.state.choices if known == button_id),
                     value)
        flow.handle(ctx, Answer(text=label, choice=value))
        return
    namespace, _, rest = button_id.partition(":")
    handler = registry.actions.get(namespace)
    if handler is None:
        _stale(ctx, flow)
        return
    handler(ctx, rest.split(":") if rest else [])


def _stale(ctx: Ctx, flow: Flow | None) -> None:
    """An old or unknown button: say so kindly and show where we are now."""
    if flow:
        flow.prompt(ctx, note="That question has moved on. Here's where we are now:")
    else:
        ctx.say("That button is from an earlier conversation, so I've left things as they are. "
                "Say `status` to see where things stand, or `help` for what I can do.")


def _route_command(ctx: Ctx, args: str) -> None:
    """A slash command: `/rebound` alone starts or resumes; otherwise a subcommand."""
    text = clean(args)
    words = command_words(text)
    if not words:
        registry.commands["debrief"](ctx, "")
        return
    if words in registry.commands and not words.startswith("__"):
        registry.commands[words](ctx, "")
        return
    prefixed = _prefixed_command(words, text, in_flow=False)
    if prefixed:
        handler, rest = prefixed
        handler(ctx, rest)  # type: ignore[operator]
        return
    shown = text[:40]
    ctx.say(f"I don't know the command “{shown}”. Try `letter`, `status`, `checkins`, "
            "`settings`, `export`, `forget me` or `help`.")


def _route_form(ctx: Ctx, form_id: str, values: dict[str, str]) -> None:
    """A submitted form goes to the flow that asked for it; an unknown one has expired."""
    for prefix, handler in registry.forms.items():
        if form_id.startswith(prefix):
            handler(ctx, form_id, {k: clean(v) for k, v in values.items()})
            return
    ctx.say("That form has expired. Say `letter` to start a fresh one.")
