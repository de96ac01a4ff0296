"""Translation of Slack payloads into the engine's inbound events."""

from __future__ import annotations

from adapters.slack.inbound import (
    Profile, from_mrkdwn, is_dm_channel, profile_from_users_info, to_inbound,
)
from bot.models import ButtonIn, CommandIn, FormSubmitIn, TextIn


def make_message_body(text: str = "hi", **event: object) -> dict:
    """An Events API envelope for a DM to the bot."""
    inner = {"type": "message", "channel_type": "im", "channel": "D0USER1", "user": "U1",
             "text": text, "ts": "1.1", "team": "T1"}
    inner.update(event)
    return {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": inner}


def test_dm_message_becomes_text_with_event_id_and_profile() -> None:
    event = to_inbound(make_message_body("my interview went badly"),
                       Profile(tz="Europe/Lisbon", display_name="Ana"))
    assert isinstance(event, TextIn)
    assert event.text == "my interview went badly"
    assert event.user.key == "slack:T1:U1"
    assert event.event_id == "slack:Ev1"
    assert event.platform_tz == "Europe/Lisbon" and event.display_name == "Ana"
    assert event.in_public_channel is False


def test_bot_posts_edits_and_channel_messages_are_ignored() -> None:
    assert to_inbound(make_message_body(bot_id="B1")) is None
    assert to_inbound(make_message_body(subtype="message_changed")) is None
    assert to_inbound(make_message_body(channel_type="channel", channel="C1")) is None
    assert to_inbound(make_message_body(user=None)) is None


def test_slack_markup_is_turned_back_into_plain_text() -> None:
    assert from_mrkdwn("A &amp; B &lt;3 &gt; C") == "A & B <3 > C"
    assert from_mrkdwn("mail <mailto:dana@acme.com|dana@acme.com> or <https://acme.com>") == \
        "mail dana@acme.com or https://acme.com"
    assert from_mrkdwn("hey <@U123> and <!channel>") == "hey @U123 and @channel"
    assert from_mrkdwn("plain") == "plain"


def test_slash_command_in_a_channel_is_public_in_a_dm_is_not() -> None:
    body = {"command": "/rebound", "text": "letter  thank-you", "user_id": "U1",
            "team_id": "T1", "channel_id": "C9", "channel_name": "general", "trigger_id": "tr1"}
    event = to_inbound(body)
    assert isinstance(event, CommandIn)
    assert (event.name, event.args) == ("rebound", "letter  thank-you")
    assert event.in_public_channel is True
    assert event.event_id == "slack:cmd:tr1"
    dm = to_inbound({**body, "channel_id": "D5", "channel_name": "directmessage"})
    assert dm is not None and dm.in_public_channel is False
    assert to_inbound({**body, "text": ""}).args == ""  # type: ignore[union-attr]


def test_dm_detection() -> None:
    assert is_dm_channel("D123") and is_dm_channel("C1", "directmessage")
    assert not is_dm_channel("C123", "general") and not is_dm_channel(None)


def test_button_press_carries_the_engine_id_and_a_per_press_event_id() -> None:
    body = {"type": "block_actions", "user": {"id": "U1", "team_id": "T1"},
            "team": {"id": "T1"}, "channel": {"id": "D1"}, "trigger_id": "tr",
            "actions": [{"action_id": "rb:0", "value": "q:4:done", "action_ts": "17.5"}]}
    event = to_inbound(body)
    assert isinstance(event, ButtonIn)
    assert event.button_id == "q:4:done"
    assert event.event_id == "slack:act:17.5:U1"
    assert event.in_public_channel is False
    home = {**body, "channel": None, "container": {"type": "view"}}
    assert to_inbound(home).in_public_channel is False  # type: ignore[union-attr]
    public = {**body, "channel": {"id": "C1"}}
    assert to_inbound(public).in_public_channel is True  # type: ignore[union-attr]


def test_view_submission_becomes_form_values_by_block() -> None:
    body = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
            "trigger_id": "tr9",
            "view": {"id": "V1", "callback_id": "letter:thank-you", "state": {"values": {
                "company": {"company": {"type": "plain_text_input", "value": "Acme"}},
                "points": {"points": {"type": "plain_text_input", "value": None}},
            }}}}
    event = to_inbound(body)
    assert isinstance(event, FormSubmitIn)
    assert event.form_id == "letter:thank-you"
    assert event.values == {"company": "Acme", "points": ""}
    assert event.event_id == "slack:view:tr9"


def test_app_home_opened_asks_for_status_and_ignores_the_messages_tab() -> None:
    body = {"type": "event_callback", "team_id": "T1", "event_id": "Ev2",
            "event": {"type": "app_home_opened", "user": "U1", "tab": "home"}}
    event = to_inbound(body)
    assert isinstance(event, CommandIn) and event.args == "status" and event.event_id is None
    body["event"]["tab"] = "messages"
    assert to_inbound(body) is None


def test_profile_prefers_display_name_then_real_name() -> None:
    assert profile_from_users_info({"tz": "America/Chicago", "profile": {
        "display_name": "", "real_name": "Dana Lee"}}) == Profile("America/Chicago", "Dana Lee")
    assert profile_from_users_info({"profile": {"display_name": "dana"}}) == \
        Profile(None, "dana")
    assert profile_from_users_info({}) == Profile(None, None)
