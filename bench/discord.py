"""Benchmark: the Discord adapter under concurrent users, over loopback, with the real discord.py.

Run: python -m bench.discord [--users N] [--think-ms MS]. Prints one JSON line; it reports,
it does not assert. Each simulated user runs the start of a debrief by DM, presses buttons and
uses /rebound in the DM and in a server, alongside the others, pausing `think-ms` between
steps (0 = flat out, which measures queueing under saturation rather than latency). The bot
(adapter + engine, on a temporary SQLite file) runs in its own process, as it would against
the real Discord; the fake Discord used by the tests (tests/discord/fake_discord.py) and the
simulated users run in this one. Both share the machine's cores, so figures are pessimistic.
Latency: from the gateway frame leaving the fake to the bot's REST reply arriving there —
p50_ms/p99_ms to the first reply (what the user sees first; a deferral for server commands),
p99_last_ms to the turn's last message. Target (issue 6): p99_ms <= 100.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from adapters.discord import DiscordAdapter
from bot.config import Settings
from bot.engine import Engine
from tests.discord.fake_discord import FakeDiscord, Interaction

GUILD = 333000000000000001
TARGET_P99_MS = 100.0


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Journey:
    """One user's steps; each waits for the turn's last expected words before the next."""

    def __init__(self, fake: FakeDiscord, user_id: int, server_channel: int,
                 think: float) -> None:
        self.fake = fake
        self.think = think
        self.user_id = user_id
        self.dm = fake.dm_channel_of(user_id)
        self.server_channel = server_channel
        self.first_ms: list[float] = []
        self.last_ms: list[float] = []
        self.kinds: list[str] = []
        self.errors = 0

    async def step(self, kind: str, act: Callable[[], Awaitable[object]], last_words: str,
                   where: int | None = None) -> None:
        """Pause as a person would, do one thing and time the replies."""
        await asyncio.sleep(self.think)
        channel = where or self.dm
        seen = len(self.fake.messages_in(channel))
        requests_before = len(self.fake.requests)
        started = time.perf_counter()
        handle = await act()
        token = getattr(handle, "token", None)

        def done() -> object:
            # Only this channel's new messages: cheap, so measuring does not slow the bot.
            new = self.fake._by_channel.get(channel, [])[seen:]
            return any(last_words in m.content for m in new)
        try:
            await self.fake.wait_for(done, timeout=10, what=last_words)
        except AssertionError:
            self.errors += 1
            return
        replies = [r for r in self.fake.requests[requests_before:]
                   if r.at >= started and _answers(r.path, token, self.dm)]
        new = self.fake.messages_in(channel)[seen:]
        if not replies or not new:
            self.errors += 1
            return
        self.first_ms.append((min(r.at for r in replies) - started) * 1000)
        self.last_ms.append((max(m.at for m in new) - started) * 1000)
        self.kinds.append(kind)

    async def run(self) -> None:
        """The journey itself."""
        fake, user = self.fake, self.user_id
        await self.step("dm", lambda: fake.user_dms(user, "hi"), "Which company")
        await self.step("dm", lambda: fake.user_dms(user, "Acme Robotics"), "role")
        await self.step("dm", lambda: fake.user_dms(user, "Backend Engineer"), "When was it?")
        await self.step("button", lambda: self.press("Yesterday"), "Who interviewed you?")
        await self.step("slash_dm", lambda: fake.slash(user, "status"), "Back to where we were")
        await self.step("dm", lambda: fake.user_dms(user, "Dana Lee, Sam Ortiz"), "time zone")
        await self.step("dm", lambda: fake.user_dms(user, "Lisbon"), "how are you feeling")
        await self.step("button", lambda: self.press("Frustrated"), "Anything else?")
        await self.step("slash_server", lambda: fake.slash(
            user, "help", guild_id=GUILD, channel_id=self.server_channel), "our DMs",
            where=self.server_channel)
        await self.step("button", lambda: self.press("Done"), "let it out")

    async def press(self, label: str) -> Interaction:
        """Press the newest button with this label in the DM (as the message looks now)."""
        for message in reversed(self.fake.messages_in(self.dm)):
            now = replace(message, components=self.fake.message_index[message.id]["components"])
            try:
                custom_id = now.button(label)
            except KeyError:
                continue
            return await self.fake.press(self.user_id, now, custom_id)
        raise AssertionError(f"no button {label!r}")


def _answers(path: str, token: str | None, dm: int) -> bool:
    """A request answering this user's event: the interaction's response or follow-up (by its
    token), else a message posted in their DM."""
    if token is not None:
        return token in path
    return path == f"/channels/{dm}/messages"


async def serve_bot(api_base: str, gateway_url: str, db: str) -> None:
    """The bot process: run the adapter against the fake until stdin closes."""
    logging.basicConfig(level=logging.WARNING)
    settings = Settings(_env_file=None, DISCORD_TOKEN="bench-token",  # type: ignore[call-arg]
                        REBOUND_DB=db)
    adapter = DiscordAdapter(Engine(settings.db), settings, api_base=api_base,
                             gateway_url=gateway_url, guild_ready_timeout=0)
    await adapter.start()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await adapter.stop()


async def run(users: int, think_ms: float) -> dict[str, object]:
    """Start the fake and the bot process, run every journey at once, and sum up."""
    with tempfile.TemporaryDirectory() as folder:
        fake = await FakeDiscord().start()
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.discord", "--serve-bot", fake.api_base,
            fake.gateway_url, str(Path(folder) / "bench.db"),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        assert bot.stdout is not None and bot.stdin is not None
        line = await asyncio.wait_for(bot.stdout.readline(), 60)
        if line.strip() != b"ready":
            raise SystemExit("the bot process did not start")
        journeys = []
        for n in range(users):
            user_id = 400000000000000000 + n
            fake.add_user(user_id, f"user{n}")
            journeys.append(Journey(fake, user_id, fake.guild_channel(GUILD), think_ms / 1000))
        started = time.perf_counter()

        async def staggered(n: int, journey: Journey) -> None:
            # Spread the users' first steps over one think time, as arrivals would be.
            await asyncio.sleep(think_ms / 1000 * n / users)
            await journey.run()
        await asyncio.gather(*(staggered(n, j) for n, j in enumerate(journeys)))
        elapsed = time.perf_counter() - started
        bot.stdin.close()
        await bot.wait()
        await fake.close()
    first = [v for j in journeys for v in j.first_ms]
    last = [v for j in journeys for v in j.last_ms]
    kinds = [k for j in journeys for k in j.kinds]
    errors = sum(j.errors for j in journeys)
    return {
        "bench": "discord", "users": users, "think_ms": think_ms, "count": len(first),
        "errors": errors,
        "dm": kinds.count("dm"), "interactions": len(kinds) - kinds.count("dm"),
        "p50_ms": round(percentile(first, 0.5), 2) if first else None,
        "p99_ms": round(percentile(first, 0.99), 2) if first else None,
        "p99_last_ms": round(percentile(last, 0.99), 2) if last else None,
        "events_per_s": round(len(first) / elapsed, 1) if elapsed else None,
        "target_p99_ms": TARGET_P99_MS,
    }


def main() -> None:
    """Parse arguments, run, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users at once")
    parser.add_argument("--think-ms", type=float, default=200.0,
                        help="pause between a user's steps (0: flat out)")
    parser.add_argument("--serve-bot", nargs=3, metavar=("API", "GATEWAY", "DB"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot:
        asyncio.run(serve_bot(*args.serve_bot))
        return
    print(json.dumps(asyncio.run(run(args.users, args.think_ms))))


if __name__ == "__main__":
    main()
