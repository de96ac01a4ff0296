"""Run a conversation transcript through the real engine and a real SQLite file.

Format, one instruction per line:
    # comment
    > text                 the user says text (`>` alone sends an empty message; \\n breaks lines)
    < words                the bot's replies to the last turn contain these words (in order)
    <! words               ... and do not contain these
    [Label]                press the button with this label from the bot's latest buttons
    [Label]@N              press it from the buttons shown N turns ago (to test stale buttons)
    /rebound args          a slash command with these arguments
    @+2d  @+3h  @+30m      move the clock forward
    @user NAME             talk as another user from now on
    @tz ZONE               the platform reports this time zone from now on
    @restart               a new Engine on the same file (a crash and a restart)
    @event-id ID           the next event carries this platform event id (to test duplicates)
    @form a=1 | b=two      submit the latest form the bot asked for with these values
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.clock import FrozenClock
from bot.engine import Engine
from bot.models import (
    Button, ButtonIn, CommandIn, FormRequest, FormSubmitIn, OutboundMessage, TextIn, UserRef,
)

START = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)  # a Wednesday afternoon
_DELTA = re.compile(r"^@\+(\d+)([dhm])$")


@dataclass
class Conversation:
    """The state of a transcript run."""

    db_path: Path
    clock: FrozenClock = field(default_factory=lambda: FrozenClock(START))
    user: str = "alice"
    tz: str | None = None
    event_id: str | None = None
    turns: list[list[OutboundMessage]] = field(default_factory=list)
    engine: Engine | None = None

    def __post_init__(self) -> None:
        self.engine = Engine(self.db_path, clock=self.clock)

    @property
    def ref(self) -> UserRef:
        """The current speaker."""
        return UserRef(platform="test", workspace="w", user=self.user)

    def _common(self) -> dict:
        """Fields every event carries."""
        common = {"user": self.ref, "platform_tz": self.tz, "event_id": self.event_id}
        self.event_id = None
        return common

    async def say(self, text: str) -> list[OutboundMessage]:
        """The user types."""
        return await self._send(TextIn(text=text, **self._common()))

    async def command(self, args: str) -> list[OutboundMessage]:
        """The user runs the slash command."""
        return await self._send(CommandIn(name="rebound", args=args, **self._common()))

    async def press(self, label: str, turns_ago: int = 0) -> list[OutboundMessage]:
        """The user presses a button shown `turns_ago` turns back (0: the latest with buttons)."""
        button = self.find_button(label, turns_ago)
        return await self._send(ButtonIn(button_id=button.id, **self._common()))

    async def submit(self, values: dict[str, str]) -> list[OutboundMessage]:
        """The user fills in and submits the latest form."""
        form = self.latest_form()
        return await self._send(FormSubmitIn(form_id=form.form_id, values=values,
                                             **self._common()))

    def latest_form(self) -> FormRequest:
        """The form the bot asked for most recently."""
        for replies in reversed(self.turns):
            for message in reversed(replies):
                if message.form is not None:
                    return message.form
        raise AssertionError("the bot has not asked for a form")

    def find_button(self, label: str, turns_ago: int = 0) -> Button:
        """The button with this label, searching back from the chosen turn."""
        candidates = self.turns[: len(self.turns) - turns_ago] if turns_ago else self.turns
        for replies in reversed(candidates):
            for message in reversed(replies):
                for button in message.buttons:
                    if button.label == label:
                        return button
        shown = [b.label for r in self.turns[-1:] for m in r for b in m.buttons]
        raise AssertionError(f"no button {label!r}; last buttons: {shown}")

    async def _send(self, event) -> list[OutboundMessage]:  # type: ignore[no-untyped-def]
        """Hand the event to the engine and remember the replies."""
        assert self.engine is not None
        replies = await self.engine.handle(event)
        self.turns.append(replies)
        return replies

    def restart(self) -> None:
        """Drop the engine and open a new one on the same file."""
        self.engine = Engine(self.db_path, clock=self.clock)


def reply_text(replies: list[OutboundMessage]) -> str:
    """Everything the bot said in one turn, with buttons as [Label]."""
    parts = []
    for message in replies:
        parts.append(message.text)
        parts.extend(f"[{button.label}]" for button in message.buttons)
    return "\n".join(parts)


async def run_transcript(path: Path, db_path: Path) -> Conversation:
    """Play a transcript file, asserting every expectation in it."""
    convo = Conversation(db_path)
    last: list[OutboundMessage] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip("\n")
        where = f"{path.name}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("<!"):
            unwanted = line[2:].strip()
            assert unwanted not in reply_text(last), f"{where}: unexpected {unwanted!r} in:\n{reply_text(last)}"
        elif line.startswith("<"):
            wanted = line[1:].strip()
            said = reply_text(last)
            assert wanted in said, f"{where}: expected {wanted!r} in:\n{said}"
        elif line.startswith(">"):
            last = await convo.say(line[1:].removeprefix(" ").replace("\\n", "\n"))
        elif line.startswith("/rebound"):
            last = await convo.command(line.removeprefix("/rebound").strip())
        elif line.startswith("["):
            match = re.fullmatch(r"\[(.+)\](?:@(\d+))?", line.strip())
            assert match, f"{where}: bad button line"
            last = await convo.press(match.group(1), int(match.group(2) or 0))
        elif _DELTA.match(line.strip()):
            amount, unit = _DELTA.match(line.strip()).groups()  # type: ignore[union-attr]
            unit_name = {"d": "days", "h": "hours", "m": "minutes"}[unit]
            convo.clock.advance(timedelta(**{unit_name: int(amount)}))
        elif line.startswith("@user "):
            convo.user = line.split(" ", 1)[1].strip()
        elif line.startswith("@tz "):
            convo.tz = line.split(" ", 1)[1].strip()
        elif line.strip() == "@restart":
            convo.restart()
        elif line.startswith("@form"):
            pairs = [part.split("=", 1) for part in line[5:].split(" | ") if "=" in part]
            last = await convo.submit({k.strip(): v.strip() for k, v in pairs})
        elif line.startswith("@event-id "):
            convo.event_id = line.split(" ", 1)[1].strip()
        else:
            raise AssertionError(f"{where}: cannot read {line!r}")
    return convo
