"""Fixtures: the fake Slack, a running adapter in HTTP mode, and signed-request helpers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import aiohttp
import pytest

from adapters.slack import SlackAdapter
from bot.config import Settings
from bot.engine import Engine
from bot.flows.base import Ctx, registry
from bot.models import FormField, FormRequest
from tests.slack.fake_slack import Call, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1-rebound-test"
APP_TOKEN = "xapp-1-rebound-test"


def make_settings(**env: Any) -> Settings:
    """Settings as an operator would set them, never read from this machine's environment."""
    values: dict[str, Any] = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET,
                              "SLACK_APP_TOKEN": None}
    values.update(env)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def dm_channel(user: str) -> str:
    """The DM channel id the fake hands out for a user."""
    return "D" + user


@dataclass
class Posted:
    """What the adapter answered to one HTTP request."""

    status: int
    text: str
    ms: float

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


@dataclass
class SlackHarness:
    """A running adapter and the fake Slack it talks to, with ways to act as a user."""

    fake: FakeSlack
    adapter: SlackAdapter
    engine: Engine
    session: aiohttp.ClientSession
    team: str = "T1"
    _ids: count = field(default_factory=lambda: count(1))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.http_port}/slack/events"

    async def post_raw(self, body: bytes, content_type: str, *, timestamp: int | None = None,
                       secret: str | None = SECRET, signature: str | None = None,
                       headers: dict[str, str] | None = None) -> Posted:
        """POST bytes to the adapter, signed unless `secret` is None."""
        ts = int(time.time()) if timestamp is None else timestamp
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts)}
        if signature is not None:
            sent["X-Slack-Signature"] = signature
        elif secret is not None:
            sent["X-Slack-Signature"] = sign(body, ts, secret)
        sent.update(headers or {})
        started = time.perf_counter()
        async with self.session.post(self.url, data=body, headers=sent) as response:
            text = await response.text()
        return Posted(response.status, text, (time.perf_counter() - started) * 1000)

    async def post_event(self, event: dict[str, Any], *, event_id: str | None = None,
                         headers: dict[str, str] | None = None) -> Posted:
        """An Events API envelope."""
        envelope = self.envelope(event, event_id)
        return await self.post_raw(json.dumps(envelope).encode(), "application/json",
                                   headers=headers)

    def envelope(self, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
        """Wrap an event the way the Events API does."""
        return {"token": "legacy", "team_id": self.team, "api_app_id": "A1",
                "type": "event_callback", "event_id": event_id or f"Ev{next(self._ids):06d}",
                "event_time": int(time.time()), "event": event}

    def dm_event(self, text: str, user: str = "U1") -> dict[str, Any]:
        """A message.im event from `user`."""
        return {"type": "message", "channel_type": "im", "channel": dm_channel(user),
                "user": user, "text": text, "ts": f"{time.time():.6f}", "team": self.team}

    async def dm(self, text: str, user: str = "U1", **kwargs: Any) -> Posted:
        """The user types `text` in their DM with the bot."""
        return await self.post_event(self.dm_event(text, user), **kwargs)

    async def say(self, text: str, expect: str, user: str = "U1") -> Call:
        """DM `text` and wait for the bot's reply containing `expect`."""
        mark = len(self.fake.calls)
        posted = await self.dm(text, user)
        assert posted.status == 200, posted
        return await self.fake.wait_for_text(expect, after=mark)

    def command_body(self, text: str = "", user: str = "U1", channel_id: str | None = None,
                     channel_name: str | None = None) -> dict[str, str]:
        """The form fields of a `/rebound` slash command."""
        channel_id = channel_id or dm_channel(user)
        n = next(self._ids)
        return {
            "token": "legacy", "team_id": self.team, "team_domain": "rebound-test",
            "channel_id": channel_id,
            "channel_name": channel_name or ("directmessage" if channel_id.startswith("D")
                                             else "general"),
            "user_id": user, "user_name": user.lower(), "command": "/rebound", "text": text,
            "api_app_id": "A1", "response_url": self.fake.response_url(f"cmd{n}"),
            "trigger_id": f"{n}.trigger.cmd",
        }

    async def command(self, text: str = "", **kwargs: Any) -> Posted:
        """The user runs `/rebound <text>`."""
        body = urllib.parse.urlencode(self.command_body(text, **kwargs)).encode()
        return await self.post_raw(body, "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> Posted:
        """An interactivity payload (buttons, modal submissions), form-encoded as Slack does."""
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post_raw(body, "application/x-www-form-urlencoded")

    def click_payload(self, call: Call, label: str, user: str = "U1") -> dict[str, Any]:
        """block_actions for pressing the button labelled `label` on a posted message."""
        blocks = call.args["blocks"]
        element = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                       if e["text"]["text"] == label)
        n = next(self._ids)
        channel = call.args["channel"]
        ts = (call.response or {}).get("ts") or f"1700000000.{n:06d}"
        return {
            "type": "block_actions", "team": {"id": self.team, "domain": "rebound-test"},
            "user": {"id": user, "team_id": self.team}, "api_app_id": "A1",
            "trigger_id": f"{n}.trigger.act",
            "container": {"type": "message", "message_ts": ts, "channel_id": channel,
                          "is_ephemeral": False},
            "channel": {"id": channel, "name": "directmessage"},
            "message": {"type": "message", "ts": ts, "text": call.args.get("text"),
                        "blocks": blocks},
            "response_url": self.fake.response_url(f"act{n}"),
            "actions": [{**element, "block_id": "rb-actions-0",
                         "action_ts": f"{time.time():.6f}"}],
        }

    async def click(self, call: Call, label: str, user: str = "U1") -> Posted:
        """Press a button on a message the bot posted."""
        return await self.interact(self.click_payload(call, label, user))

    def submit_payload(self, view: dict[str, Any], values: dict[str, str],
                       user: str = "U1") -> dict[str, Any]:
        """view_submission of a modal the bot opened, with typed values."""
        n = next(self._ids)
        state = {b["block_id"]: {b["element"]["action_id"]: {"type": "plain_text_input",
                                                              "value": values.get(b["block_id"])}}
                 for b in view["blocks"] if b["type"] == "input"}
        return {
            "type": "view_submission", "team": {"id": self.team}, "user": {"id": user},
            "api_app_id": "A1", "trigger_id": f"{n}.trigger.view",
            "view": {**view, "id": f"V{n}", "hash": "h1", "state": {"values": state}},
        }

    async def submit(self, view: dict[str, Any], values: dict[str, str],
                     user: str = "U1") -> Posted:
        """Submit a modal."""
        return await self.interact(self.submit_payload(view, values, user))

    def posts_to(self, channel: str) -> list[Call]:
        """chat.postMessage calls into one channel."""
        return self.fake.calls_to("chat.postMessage", lambda c: c.args.get("channel") == channel)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A started fake Slack on a free loopback port."""
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(fake_slack: FakeSlack, engine: Engine) -> AsyncIterator[SlackHarness]:
    """The adapter in HTTP mode on a free port, talking to the fake Slack."""
    adapter = SlackAdapter(engine, make_settings(), base_url=fake_slack.api_url, http_port=0)
    await adapter.start()
    async with aiohttp.ClientSession() as session:
        yield SlackHarness(fake_slack, adapter, engine, session)
    await adapter.stop()


TEST_FORM = FormRequest(
    form_id="slacktest:v1", title="Test letter",
    fields=[FormField(name="company", label="Company", placeholder="e.g. Acme"),
            FormField(name="detail", label="One detail", required=False, multiline=True)])


@pytest.fixture
def form_flow() -> Iterator[FormRequest]:
    """A tiny flow that asks for a form and validates it, registered for one test.

    The letter flow (issue 3) is the real user of forms; this stand-in exercises the same
    engine door (a reply with `.form`, a FormSubmitIn answered with `form_errors`) until then.
    """

    def ask(ctx: Ctx, _args: str) -> None:
        ctx.say("Let's draft it together.", form=TEST_FORM)

    def take(ctx: Ctx, _form_id: str, values: dict[str, str]) -> None:
        if not values.get("company"):
            ctx.say("One field needs a look.", form_errors={"company": "Which company was it?"})
            return
        ctx.say(f"Drafted for {values['company']}: {values.get('detail') or 'no detail'}.")

    registry.commands["slacktest form"] = ask
    registry.forms["slacktest:"] = take
    yield TEST_FORM
    del registry.commands["slacktest form"]
    del registry.forms["slacktest:"]
