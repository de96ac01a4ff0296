"""Ports the engine side expects of the outside world."""

from __future__ import annotations

from typing import Protocol

from bot.models import Delivery, OutboundMessage, UserRef


class Sender(Protocol):
    """An adapter that can message a user unprompted (check-ins)."""

    platform: str

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """Open the user's DM and send; report sent, failed (retry later) or undeliverable."""
        ...


class RunnableAdapter(Sender, Protocol):
    """A platform adapter `rebound run` starts and stops."""

    async def start(self) -> None:
        """Connect and begin receiving events (returns once started)."""
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...
