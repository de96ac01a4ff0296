"""Socket Mode: the real slack_sdk websocket client against the fake's loopback websocket."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack import SlackAdapter
from bot.engine import Engine
from bot.models import FormRequest
from tests.slack.conftest import APP_TOKEN, dm_channel, make_settings
from tests.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def socket_adapter(fake_slack: FakeSlack, engine: Engine) -> AsyncIterator[SlackAdapter]:
    """The adapter in Socket Mode (both tokens and a signing secret set: Socket Mode wins)."""
    adapter = SlackAdapter(engine, make_settings(SLACK_APP_TOKEN=APP_TOKEN),
                           base_url=fake_slack.api_url)
    await adapter.start()
    yield adapter
    await adapter.stop()


def make_event_envelope(envelope_id: str, text: str, event_id: str = "EvS1",
                        retry: int = 0) -> dict:
    """An events_api envelope carrying a DM."""
    return {
        "envelope_id": envelope_id, "type": "events_api", "accepts_response_payload": False,
        "retry_attempt": retry, "retry_reason": "timeout" if retry else "",
        "payload": {
            "token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id, "event_time": 1,
            "event": {"type": "message", "channel_type": "im", "channel": dm_channel("U1"),
                      "user": "U1", "text": text, "ts": "1.000001", "team": "T1"},
        },
    }


async def test_connects_with_the_app_token_and_gets_hello(fake_slack: FakeSlack,
                                                         socket_adapter: SlackAdapter) -> None:
    assert socket_adapter.mode == "socket"
    opened = await fake_slack.wait_for("apps.connections.open")
    assert opened[0].headers["Authorization"] == f"Bearer {APP_TOKEN}"
    await fake_slack.wait_for("socket.hello")
    # One URL asked for, and used: the start-up check does not waste a connection.
    assert len(fake_slack.calls_to("apps.connections.open")) == 1
    assert fake_slack.socket_connections == 1


async def test_an_events_api_envelope_is_acked_and_answered(
        fake_slack: FakeSlack, socket_adapter: SlackAdapter) -> None:
    await fake_slack.socket_send(make_event_envelope("env-1", "hi"))
    acks = await fake_slack.wait_for("socket.ack", lambda c: c.args.get("envelope_id") == "env-1")
    assert acks[0].args == {"envelope_id": "env-1"}
    reply = await fake_slack.wait_for_text("Which company")
    assert reply.args["channel"] == dm_channel("U1")


async def test_a_redelivered_envelope_is_acked_again_but_answered_once(
        fake_slack: FakeSlack, socket_adapter: SlackAdapter) -> None:
    await fake_slack.socket_send(make_event_envelope("env-a", "hi", event_id="EvSame"))
    await fake_slack.socket_send(make_event_envelope("env-b", "hi", event_id="EvSame", retry=1))
    await fake_slack.wait_for("socket.ack", count=2)
    await fake_slack.wait_for_text("Which company")
    assert await socket_adapter.drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_a_slash_command_envelope(fake_slack: FakeSlack,
                                        socket_adapter: SlackAdapter) -> None:
    await fake_slack.socket_send({
        "envelope_id": "env-cmd", "type": "slash_commands", "accepts_response_payload": True,
        "payload": {"token": "legacy", "team_id": "T1", "channel_id": "C1",
                    "channel_name": "general", "user_id": "U1", "command": "/rebound",
                    "text": "help", "response_url": fake_slack.response_url("s1"),
                    "trigger_id": "t.cmd.1", "api_app_id": "A1"},
    })
    await fake_slack.wait_for("socket.ack", lambda c: c.args.get("envelope_id") == "env-cmd")
    await fake_slack.wait_for_text("Here's what I can do")
    note = (await fake_slack.wait_for("response_url"))[0]
    assert note.args["response_type"] == "ephemeral"


async def test_modal_errors_travel_in_the_socket_ack(fake_slack: FakeSlack,
                                                     socket_adapter: SlackAdapter,
                                                     form_flow: FormRequest) -> None:
    view = {"id": "V1", "hash": "h", "type": "modal", "callback_id": form_flow.form_id,
            "state": {"values": {"company": {"company": {"type": "plain_text_input",
                                                         "value": None}}}}}
    await fake_slack.socket_send({
        "envelope_id": "env-view", "type": "interactive", "accepts_response_payload": True,
        "payload": {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
                    "trigger_id": "t.view.1", "view": view},
    })
    ack = (await fake_slack.wait_for("socket.ack",
                                     lambda c: c.args.get("envelope_id") == "env-view"))[0]
    assert ack.args["payload"] == {"response_action": "errors",
                                   "errors": {"company": "Which company was it?"}}


async def test_reconnects_when_slack_asks(fake_slack: FakeSlack,
                                          socket_adapter: SlackAdapter) -> None:
    await fake_slack.socket_send({"type": "disconnect", "reason": "refresh_requested"})
    await fake_slack.wait_for("socket.hello", count=2)
    await fake_slack.wait_for("apps.connections.open", count=2)
    await fake_slack.socket_send(make_event_envelope("env-2", "hi", event_id="EvAfter"))
    await fake_slack.wait_for_text("Which company")
