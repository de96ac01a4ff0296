"""A world for check-in tests: a real SQLite file, a frozen clock, the real engine and
dispatcher, and a sender that records what reached the user."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bot.checkins import schedule
from bot.checkins.dispatcher import Dispatcher
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.engine import Engine
from bot.models import Button, ButtonIn, Delivery, OutboundMessage, TextIn, UserRef
from bot.state import Clarification, DebriefState
from bot.store import checkins, interviews, transaction, users
from tests.transcript import reply_text

# A Wednesday afternoon in November (UTC).
START = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


class RecordingSender:
    """A platform that records every proactive send; it can be told to fail."""

    def __init__(self, platform: str = "test") -> None:
        self.platform = platform
        self.sent: list[tuple[UserRef, list[OutboundMessage]]] = []
        self.attempts = 0
        # "sent", "failed", "undeliverable" or "raise"
        self.mode = "sent"
        self.arrived = asyncio.Event()

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """Record, then answer as told."""
        self.attempts += 1
        if self.mode == "raise":
            raise ConnectionResetError("platform went away")
        if self.mode == "failed":
            return Delivery(status="failed", reason="HTTP 503")
        if self.mode == "undeliverable":
            return Delivery(status="undeliverable", reason="cannot DM this user")
        self.sent.append((user, messages))
        self.arrived.set()
        return Delivery(status="sent")

    async def wait(self, count: int, timeout: float = 10) -> None:
        """Wait until `count` check-ins have arrived."""
        async def enough() -> None:
            while len(self.sent) < count:
                self.arrived.clear()
                await self.arrived.wait()
        await asyncio.wait_for(enough(), timeout)


@dataclass
class World:
    """Engine, dispatcher and sender on one database file, with time under the test's hand."""

    path: Path
    clock: FrozenClock = field(default_factory=lambda: FrozenClock(START))
    sender: RecordingSender = field(default_factory=RecordingSender)
    settings_overrides: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.engine = Engine(self.path, clock=self.clock)
        self.settings = load_settings(**self.settings_overrides)
        self.dispatcher = Dispatcher(self.engine, {"test": self.sender}, self.settings,
                                     clock=self.clock)
        self.last: list[OutboundMessage] = []

    @property
    def db(self):  # type: ignore[no-untyped-def]
        """The engine's database."""
        return self.engine.db

    def user(self, name: str = "alice", tz: str | None = "Europe/Berlin",
             **settings: Any) -> UserRef:
        """Create a user with these settings."""
        ref = UserRef(platform="test", workspace="w", user=name)
        with transaction(self.db):
            record = users.load_or_create(self.db, ref, self.clock.now())
            record.settings.tz = tz
            for key, value in settings.items():
                setattr(record.settings, key, value)
            users.save(self.db, record, self.clock.now())
        return ref

    def interview(self, ref: UserRef, plan: bool = True, **debrief: Any) -> int:
        """A finished debrief for `ref`, its check-ins planned as the debrief plans them."""
        now = self.clock.now()
        fields = {"company": "Acme", "role": "Data Analyst",
                  "interview_date": (now - timedelta(days=1)).date(), "finished": True,
                  "went_right": ["My story about the churn model"],
                  "went_wrong": ["The SQL window question"],
                  "clarifications": [Clarification(point="The SQL window question",
                                                   better_answer="I'd use ROW_NUMBER")],
                  **debrief}
        with transaction(self.db):
            record = interviews.create(self.db, ref.key, now)
            record.debrief = DebriefState(**fields)
            interviews.save(self.db, record, now)
            if plan:
                settings = users.load_or_create(self.db, ref, now).settings
                d = record.debrief
                assert d.interview_date is not None
                for kind, due in schedule.initial_plan(d.interview_date, d.promised_date,
                                                       d.letter_sent, now, settings):
                    checkins.add(self.db, ref.key, record.id, kind, due, now)
        return record.id

    def add(self, ref: UserRef, kind: str, due: datetime, interview_id: int | None = None,
            payload: dict[str, Any] | None = None) -> int:
        """Schedule one check-in directly."""
        with transaction(self.db):
            return checkins.add(self.db, ref.key, interview_id, kind, due, self.clock.now(),
                                payload)

    def rows(self, ref: UserRef, *statuses: str) -> list[checkins.CheckinRecord]:
        """The user's check-ins in these statuses (all when none given)."""
        wanted = statuses or ("pending", "sending", "sent", "skipped", "cancelled", "missed",
                              "failed", "undeliverable", "paused", "unknown")
        return checkins.for_user(self.db, ref.key, wanted)

    def row(self, checkin_id: int) -> checkins.CheckinRecord:
        """One check-in by id."""
        found = self.db.execute("SELECT user_key FROM checkins WHERE id = ?",
                                [checkin_id]).fetchone()
        assert found, checkin_id
        record = checkins.get(self.db, found[0], checkin_id)
        assert record is not None
        return record

    async def travel(self, delta: timedelta) -> int:
        """Move the clock and let the dispatcher deliver what fell due."""
        self.clock.advance(delta)
        return await self.dispatcher.run_once()

    async def until(self, moment: datetime) -> int:
        """Jump to `moment` and dispatch."""
        self.clock.set(moment)
        return await self.dispatcher.run_once()

    def latest(self) -> list[OutboundMessage]:
        """The messages of the latest check-in delivered."""
        assert self.sender.sent, "no check-in delivered"
        return self.sender.sent[-1][1]

    def latest_text(self) -> str:
        """The latest check-in with its buttons as [Label]."""
        return reply_text(self.latest())

    async def press(self, ref: UserRef, label: str, where: list[OutboundMessage] | None = None
                    ) -> str:
        """Press a button from `where` (default: the last replies, else the latest check-in)."""
        pool = where if where is not None else (self.last or self.latest())
        button = _find(pool, label)
        self.last = await self.engine.handle(ButtonIn(user=ref, button_id=button.id))
        return reply_text(self.last)

    async def press_id(self, ref: UserRef, button_id: str) -> str:
        """Press a button by its id (as an old message still would)."""
        self.last = await self.engine.handle(ButtonIn(user=ref, button_id=button_id))
        return reply_text(self.last)

    async def say(self, ref: UserRef, text: str) -> str:
        """The user types."""
        self.last = await self.engine.handle(TextIn(user=ref, text=text))
        return reply_text(self.last)

    def local(self, ref: UserRef, moment: datetime) -> datetime:
        """`moment` in the user's zone."""
        from bot.timezones import to_tzinfo

        record = users.load_or_create(self.db, ref, self.clock.now())
        return moment.astimezone(to_tzinfo(record.settings.tz))


def _find(messages: list[OutboundMessage], label: str) -> Button:
    for message in messages:
        for button in message.buttons:
            if button.label == label:
                return button
    shown = [b.label for m in messages for b in m.buttons]
    raise AssertionError(f"no button {label!r}; buttons: {shown}")


def find_button(messages: list[OutboundMessage], label: str) -> Button:
    """The button with this label."""
    return _find(messages, label)


def monday(after: date) -> date:
    """The first Monday after `after`."""
    return after + timedelta(days=(7 - after.weekday()) % 7 or 7)
