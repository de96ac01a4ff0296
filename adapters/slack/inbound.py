"""Pure translation of Slack payloads (events, slash commands, interactivity) to inbound events."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.models import ButtonIn, CommandIn, FormSubmitIn, InboundEvent, TextIn, UserRef

COMMAND_NAME = "rebound"
# Every Slack event id we hand the engine carries this prefix, so ids from other
# platforms (stored in the same dedupe table) can never collide with ours.
ID_PREFIX = "slack:"

_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")
_BARE = re.compile(r"<([^<>]*)>")

Body = dict[str, Any]


@dataclass(frozen=True)
class Profile:
    """What users.info told us about a user: time zone and the name to sign letters with."""

    tz: str | None = None
    display_name: str | None = None


def from_mrkdwn(text: str) -> str:
    """Slack's escaped message text back to what the user typed (links and mentions as text)."""
    text = _LINK.sub(lambda m: m.group(2), text)
    text = _BARE.sub(lambda m: _bare(m.group(1)), text)
    return html.unescape(text) if "&" in text else text


def _bare(inner: str) -> str:
    """A <...> reference without a label: a mention, special mention or plain link."""
    if inner.startswith(("@", "#")):
        return inner
    if inner.startswith("!"):
        return "@" + inner[1:].split("^", 1)[0]
    return inner.removeprefix("mailto:")


def is_dm_channel(channel_id: str | None, channel_name: str | None = None) -> bool:
    """True for a direct-message channel (Slack ids of DMs start with D)."""
    return channel_name == "directmessage" or bool(channel_id and channel_id.startswith("D"))


def slack_user(team_id: str | None, user_id: str) -> UserRef:
    """The engine's reference for a Slack user in a workspace."""
    return UserRef(platform="slack", workspace=team_id or "", user=user_id)


def team_of(body: Body) -> str | None:
    """The workspace id, wherever this payload kind keeps it."""
    team = body.get("team_id") or body.get("team")
    if isinstance(team, dict):
        team = team.get("id")
    if not team and isinstance(body.get("user"), dict):
        team = body["user"].get("team_id")
    return team if isinstance(team, str) else None


def _profile_fields(profile: Profile | None) -> dict[str, Any]:
    """The profile as inbound-event keyword arguments."""
    if profile is None:
        return {}
    return {"platform_tz": profile.tz, "display_name": profile.display_name}


def form_values(view: Body) -> dict[str, str]:
    """A submitted modal's inputs as field name to text (empty for blank optional ones)."""
    values: dict[str, str] = {}
    state = (view.get("state") or {}).get("values") or {}
    for block_id, actions in state.items():
        # Our inputs use the field name as block_id and action_id; one input per block.
        for item in (actions or {}).values():
            value = item.get("value")
            if value is None and item.get("selected_option"):
                value = item["selected_option"].get("value")
            values[block_id] = value or ""
    return values


def message_event_to_inbound(body: Body, profile: Profile | None = None) -> TextIn | None:
    """A `message.im` event as typed text; None for anything a person did not type to us."""
    event = body.get("event") or {}
    if event.get("type") != "message" or event.get("channel_type") not in (None, "im"):
        return None
    # Edits, deletions, joins and bot posts (our own included) are not the user talking.
    if event.get("subtype") not in (None, "file_share") or event.get("bot_id"):
        return None
    user = event.get("user")
    if not user or not (event.get("channel") or "").startswith("D"):
        return None
    event_id = body.get("event_id")
    return TextIn(
        user=slack_user(team_of(body) or event.get("team"), user),
        text=from_mrkdwn(event.get("text") or ""),
        event_id=f"{ID_PREFIX}{event_id}" if event_id else None,
        in_public_channel=False,
        **_profile_fields(profile),
    )


def command_to_inbound(body: Body, profile: Profile | None = None) -> CommandIn:
    """`/rebound <args>` as a command; `in_public_channel` unless run in a DM."""
    trigger = body.get("trigger_id")
    return CommandIn(
        user=slack_user(body.get("team_id"), body["user_id"]),
        name=COMMAND_NAME,
        args=from_mrkdwn(body.get("text") or "").strip(),
        event_id=f"{ID_PREFIX}cmd:{trigger}" if trigger else None,
        in_public_channel=not is_dm_channel(body.get("channel_id"), body.get("channel_name")),
        **_profile_fields(profile),
    )


def action_to_inbound(body: Body, action: Body,
                      profile: Profile | None = None) -> ButtonIn:
    """A pressed engine button (block_actions) as a button event."""
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or \
        (body.get("container") or {}).get("channel_id")
    return ButtonIn(
        user=slack_user(team_of(body), user),
        button_id=action.get("value") or action.get("action_id", ""),
        event_id=f"{ID_PREFIX}act:{action.get('action_ts', '')}:{user}",
        in_public_channel=bool(channel) and not is_dm_channel(channel),
        **_profile_fields(profile),
    )


def view_to_inbound(body: Body, profile: Profile | None = None) -> FormSubmitIn:
    """A modal's view_submission as a form submission (callback_id is the form id)."""
    view = body["view"]
    trigger = body.get("trigger_id") or f"{view.get('id')}:{view.get('hash')}"
    return FormSubmitIn(
        user=slack_user(team_of(body), body["user"]["id"]),
        form_id=view.get("callback_id", ""),
        values=form_values(view),
        event_id=f"{ID_PREFIX}view:{trigger}",
        in_public_channel=False,
        **_profile_fields(profile),
    )


def home_to_inbound(body: Body, profile: Profile | None = None) -> CommandIn:
    """app_home_opened asks the engine for the user's overview (no event id: reads only)."""
    return CommandIn(
        user=slack_user(team_of(body), body["event"]["user"]),
        name=COMMAND_NAME,
        args="status",
        **_profile_fields(profile),
    )


def to_inbound(body: Body, profile: Profile | None = None) -> InboundEvent | None:
    """Any payload Rebound answers as the engine's event; None for what it ignores."""
    if body.get("type") == "event_callback":
        event_type = (body.get("event") or {}).get("type")
        if event_type == "message":
            return message_event_to_inbound(body, profile)
        if event_type == "app_home_opened" and body["event"].get("tab", "home") == "home":
            return home_to_inbound(body, profile)
        return None
    if body.get("type") == "block_actions":
        actions = body.get("actions") or []
        return action_to_inbound(body, actions[0], profile) if actions else None
    if body.get("type") == "view_submission":
        return view_to_inbound(body, profile)
    if body.get("command") and body.get("user_id"):
        return command_to_inbound(body, profile)
    return None


def profile_from_users_info(user: Body) -> Profile:
    """users.info's `user` object as a Profile (deleted and bot users give nothing)."""
    profile = user.get("profile") or {}
    name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
            or "").strip()
    return Profile(tz=user.get("tz") or None, display_name=name[:80] or None)
