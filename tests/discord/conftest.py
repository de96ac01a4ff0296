"""Fixtures: a fake Discord on loopback and Rebound's Discord adapter connected to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest

from adapters.discord import DiscordAdapter
from bot.clock import FrozenClock
from bot.config import Settings
from bot.engine import Engine
from tests.discord.fake_discord import FakeDiscord

ALICE = 111000000000000001
BOB = 111000000000000002
GUILD = 222000000000000001


@dataclass
class Bot:
    """A running adapter, its engine and the fake it talks to."""

    adapter: DiscordAdapter
    engine: Engine
    fake: FakeDiscord

    @property
    def task(self) -> asyncio.Task[None]:
        """The discord.py client task (a malformed event would end it)."""
        assert self.adapter._task is not None
        return self.adapter._task


@pytest.fixture(autouse=True)
def restore_discord_endpoints() -> object:
    """discord.py's REST base and gateway are class attributes: put them back after each test."""
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    yield
    leaked = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved
    assert leaked == saved, "the adapter left discord.py pointed at the fake"


@pytest.fixture(autouse=True)
def no_adapter_errors(caplog: pytest.LogCaptureFixture) -> object:
    """A handler failure is logged, not raised: make it fail the test unless expected."""
    yield
    failures = [r.getMessage() for r in caplog.records if r.name == "rebound.discord" and r.levelno >= 40]
    assert failures == [], "the adapter logged errors (clear caplog if a test expects them)"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """A fake Discord with two users, on an ephemeral port."""
    server = await FakeDiscord().start()
    server.add_user(ALICE, "alice", global_name="Alice Moreau")
    server.add_user(BOB, "bob")
    yield server
    await server.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a Discord token and a database in tmp_path."""
    return Settings(_env_file=None, DISCORD_TOKEN="test-token",  # type: ignore[call-arg]
                    REBOUND_DB=str(tmp_path / "rebound.db"))


StartBot = Callable[..., Awaitable[Bot]]


@pytest.fixture
async def start_bot(fake: FakeDiscord, settings: Settings,
                    clock: FrozenClock) -> AsyncIterator[StartBot]:
    """Start the adapter (a fresh Engine on the same database file each time, as after a
    restart); every bot still running is stopped at the end and must not have crashed."""
    running: list[Bot] = []

    async def start() -> Bot:
        engine = Engine(settings.db, clock=clock)
        adapter = DiscordAdapter(engine, settings, api_base=fake.api_base,
                                 gateway_url=fake.gateway_url, guild_ready_timeout=0)
        await adapter.start()
        bot = Bot(adapter, engine, fake)
        running.append(bot)
        fake.watch(bot.task)
        return bot

    yield start
    crashed = [bot.task.exception() for bot in running
               if bot.task.done() and not bot.adapter._stopping and not bot.task.cancelled()]
    for bot in running:
        await bot.adapter.stop()
    assert crashed == [], f"the discord.py client task ended early: {crashed!r}"
