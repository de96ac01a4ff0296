"""Benchmark: the Slack adapter in HTTP mode under 50 concurrent senders, over loopback.

Run: python -m bench.slack [--seconds 20] [--senders 50]. Prints one JSON line; it reports,
it does not assert. Target (issue 5): ack_p99_ms <= 100, errors == 0, lost_replies == 0.

The adapter (with its engine on a temporary SQLite file) runs in a child process, so the
load generator and the fake Slack Web API (this process) do not share its event loop. Each
sender is one Slack user who sends signed DM events and `/rebound` commands, one at a time,
waiting for the replies to each before the next (as a person would). The replies every step
must produce are computed beforehand by running the same script through a reference engine;
a step whose replies do not all reach the fake Web API within 10 s counts as lost.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import aiohttp

from adapters.slack.render import render_message
from bot.clock import FrozenClock
from bot.engine import Engine
from bot.models import CommandIn, InboundEvent, OutboundMessage, TextIn, UserRef
from tests.slack.fake_slack import DEFAULT_PROFILE, Call, FakeSlack

SECRET = "bench-signing-secret-0123456789ab"
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)
REPLY_TIMEOUT = 10.0
# One person's session: a debrief by DM with slash commands mixed in, then another interview.
SCRIPT: list[tuple[str, str]] = [
    ("dm", "hi"), ("dm", "Acme"), ("dm", "Backend Engineer"), ("cmd", "status"),
    ("dm", "yesterday"), ("dm", "Dana Lee, Sam Ortiz"), ("dm", "Frustrated"), ("dm", "done"),
    ("cmd", "help"), ("dm", "I was furious with myself on the way home."),
    ("dm", "I blanked on the system design question"), ("dm", "done"),
    ("dm", "My SQL answer was strong"), ("dm", "done"),
    ("dm", "I did my best with what I knew that day."), ("cmd", ""), ("dm", "1"),
    ("dm", "done"), ("dm", "I would sketch a cache-aside design and explain the trade-offs."),
    ("dm", "Their move to event sourcing"), ("dm", "yes"), ("cmd", "status"),
    ("dm", "new interview"),
]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def step_event(kind: str, text: str, user: UserRef) -> InboundEvent:
    """The engine event a script step becomes (as the adapter builds it, profile included)."""
    profile = {"platform_tz": DEFAULT_PROFILE["tz"],
               "display_name": DEFAULT_PROFILE["profile"]["real_name"]}  # type: ignore[index]
    if kind == "cmd":
        return CommandIn(user=user, name="rebound", args=text, **profile)
    return TextIn(user=user, text=text, **profile)


async def expected_replies(steps: int, folder: Path) -> list[list[str]]:
    """The fallback text of every message each step must produce, from a reference engine."""
    engine = Engine(folder / "reference.db", clock=FrozenClock(NOW))
    user = UserRef(platform="slack", workspace="T1", user="UREF")
    expected = []
    for number in range(steps):
        kind, text = SCRIPT[number % len(SCRIPT)]
        replies = await engine.handle(step_event(kind, text, user))
        expected.append([p["text"] for r in replies for p in render_message(r)])
    return expected


# ---- the adapter, in its own process -----------------------------------------------------------


async def serve(base_url: str, db: str) -> None:
    """Run the adapter until SIGTERM; print the port it listens on."""
    from adapters.slack import SlackAdapter
    from bot.config import Settings

    settings = Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-bench",  # type: ignore[call-arg]
                        SLACK_SIGNING_SECRET=SECRET, SLACK_APP_TOKEN=None)
    from aiohttp import web

    class TimedAdapter(SlackAdapter):
        """The adapter, timing each HTTP request from parsed headers to response."""

        served_ms: list[float] = []
        turn_ms: list[float] = []

        async def _on_http(self, request: web.Request) -> web.Response:
            started = time.perf_counter()
            response = await super()._on_http(request)
            self.served_ms.append((time.perf_counter() - started) * 1000)
            return response

        async def _turn(self, event: InboundEvent) -> list[OutboundMessage]:
            async with self._turns:
                started = time.perf_counter()
                replies = await self.engine.handle(event)
                self.turn_ms.append((time.perf_counter() - started) * 1000)
                return replies

    engine = Engine(db, clock=FrozenClock(NOW))
    adapter = TimedAdapter(engine, settings, base_url=base_url, http_port=0)
    await adapter.start()
    print(f"PORT {adapter.http_port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await adapter.stop()
    served = adapter.served_ms or [0.0]
    turns = adapter.turn_ms or [0.0]
    print(json.dumps({"served_p50_ms": round(statistics.median(served), 2),
                      "served_p99_ms": round(percentile(served, 0.99), 2),
                      "turn_p50_ms": round(statistics.median(turns), 2),
                      "turn_p99_ms": round(percentile(turns, 0.99), 2)}), flush=True)


# ---- the load ----------------------------------------------------------------------------------


class Tally:
    """Replies seen per DM channel, with an event to wake the sender waiting on it."""

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = defaultdict(list)
        self.wakers: dict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def __call__(self, call: Call) -> None:
        if call.method == "chat.postMessage":
            channel = str(call.args.get("channel"))
            self.texts[channel].append(str(call.args.get("text")))
            self.wakers[channel].set()

    async def wait_count(self, channel: str, count: int, timeout: float) -> bool:
        """Wait until `channel` has at least `count` replies."""
        deadline = time.monotonic() + timeout
        while len(self.texts[channel]) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            waker = self.wakers[channel]
            waker.clear()
            try:
                await asyncio.wait_for(waker.wait(), left)
            except TimeoutError:
                return False
        return True


def signed(body: bytes, content_type: str) -> dict[str, str]:
    """Slack's v0 signature headers for a body."""
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": "v0=" + digest.hexdigest()}


def request_body(kind: str, text: str, user: str, serial: int) -> tuple[bytes, str]:
    """A DM event or a slash command from `user`, as Slack would POST it."""
    channel = "D" + user
    if kind == "cmd":
        fields = {"team_id": "T1", "channel_id": channel, "channel_name": "directmessage",
                  "user_id": user, "command": "/rebound", "text": text,
                  "trigger_id": f"{serial}.{user}.trigger", "response_url": ""}
        return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
    envelope = {"type": "event_callback", "team_id": "T1", "event_id": f"Ev{user}{serial}",
                "event": {"type": "message", "channel_type": "im", "channel": channel,
                          "user": user, "text": text, "ts": f"{time.time():.6f}"}}
    return json.dumps(envelope).encode(), "application/json"


async def sender(number: int, url: str, session: aiohttp.ClientSession, tally: Tally,
                 expected: list[list[str]], until: float, stats: dict[str, list]) -> None:
    """One user, one step at a time, until time is up."""
    user = f"UB{number:03d}"
    channel = "D" + user
    target = 0
    for step in range(len(expected)):
        if time.monotonic() >= until:
            break
        kind, text = SCRIPT[step % len(SCRIPT)]
        body, content_type = request_body(kind, text, user, step)
        started = time.perf_counter()
        try:
            async with session.post(url, data=body, headers=signed(body, content_type)) as answer:
                await answer.read()
                ok = answer.status == 200
        except aiohttp.ClientError:
            ok = False
        took = (time.perf_counter() - started) * 1000
        stats["ack_ms"].append(took)
        stats[f"ack_ms_{kind}"].append(took)
        if not ok:
            stats["errors"].append(step)
            continue
        target += len(expected[step])
        if not await tally.wait_count(channel, target, REPLY_TIMEOUT):
            # Count what is missing, and carry on from what actually arrived.
            stats["lost"].append(target - len(tally.texts[channel]))
            target = len(tally.texts[channel])
        stats["steps"].append(step)
        stats["sent_expected"].append((user, step))


async def run(seconds: float, senders: int) -> dict[str, object]:
    """Start the fake Slack and the adapter process, drive the load, collect the figures."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        expected = await expected_replies(max(400, int(seconds * 60)), folder)
        fake = await FakeSlack().start()
        tally = Tally()
        fake.listeners.append(tally)
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.slack", "--serve", "--base-url", fake.api_url,
            "--db", str(folder / "bench.db"), stdout=asyncio.subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent, env={**os.environ})
        assert child.stdout is not None
        line = (await asyncio.wait_for(child.stdout.readline(), 30)).decode()
        if not line.startswith("PORT "):
            raise SystemExit(f"adapter did not start: {line!r}")
        url = f"http://127.0.0.1:{int(line.split()[1])}/slack/events"
        stats: dict[str, list] = defaultdict(list)
        connector = aiohttp.TCPConnector(limit=senders * 2)
        try:
            async with aiohttp.ClientSession(connector=connector) as session:
                started = time.monotonic()
                await asyncio.gather(*(sender(n, url, session, tally, expected,
                                              started + seconds, stats)
                                       for n in range(senders)))
                wall = time.monotonic() - started
        finally:
            child.send_signal(signal.SIGTERM)
            tail = (await asyncio.wait_for(child.stdout.read(), 30)).decode().strip()
            await child.wait()
            await fake.stop()
        served = json.loads(tail.splitlines()[-1]) if tail else {}
    wrong = 0
    per_user: dict[str, int] = defaultdict(int)
    for user, step in stats["sent_expected"]:
        per_user[user] = max(per_user[user], step + 1)
    for user, steps in per_user.items():
        want = [text for step in range(steps) for text in expected[step]]
        got = tally.texts["D" + user]
        mismatches = [(i, a, b) for i, (a, b) in enumerate(zip(want, got)) if a != b]
        wrong += len(mismatches)
        if mismatches:
            index, a, b = mismatches[0]
            print(f"{user}: reply {index} differs:\n  want {a[:120]!r}\n  got  {b[:120]!r}",
                  file=sys.stderr)
    replies = sum(len(texts) for texts in tally.texts.values())
    acks = stats["ack_ms"]
    return {
        "bench": "slack", "mode": "http", "senders": senders, "seconds": round(wall, 1),
        "events": len(acks), "events_per_s": round(len(acks) / wall, 1),
        "ack_p50_ms": round(statistics.median(acks), 2),
        "ack_p99_ms": round(percentile(acks, 0.99), 2),
        "ack_max_ms": round(max(acks), 2),
        "ack_p99_ms_dm": round(percentile(stats["ack_ms_dm"] or [0.0], 0.99), 2),
        "ack_p99_ms_command": round(percentile(stats["ack_ms_cmd"] or [0.0], 0.99), 2),
        # The same, measured inside the adapter process (request parsed to response ready).
        **served,
        "replies": replies, "replies_per_s": round(replies / wall, 1),
        "errors": len(stats["errors"]), "lost_replies": sum(stats["lost"]),
        "wrong_replies": wrong,
        "targets": {"ack_p99_ms": 100, "errors": 0, "lost_replies": 0},
    }


def main() -> None:
    """Parse arguments; either serve the adapter (child) or run the benchmark."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.base_url, args.db))
        return
    print(json.dumps(asyncio.run(run(args.seconds, args.senders))))


if __name__ == "__main__":
    main()
