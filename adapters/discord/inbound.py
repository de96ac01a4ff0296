"""Pure translation of Discord events into the engine's inbound events."""

from __future__ import annotations

from typing import Any

from bot.models import ButtonIn, CommandIn, FormSubmitIn, TextIn, UserRef

COMMAND = "rebound"


def user_ref(user_id: int | str) -> UserRef:
    """A Discord user; ids are global, so there is no workspace."""
    return UserRef(platform="discord", workspace="", user=str(user_id))


def display_name(global_name: str | None, name: str | None) -> str | None:
    """The name people see: the global display name, else the username."""
    return (global_name or name or "").strip() or None


def to_text_in(*, user_id: int, message_id: int, content: str,
               name: str | None = None) -> TextIn:
    """A DM to the bot. Discord gives no time zone, so the engine asks for it."""
    return TextIn(user=user_ref(user_id), event_id=str(message_id), text=content,
                  display_name=name)


def to_command_in(*, user_id: int, interaction_id: int, args: str | None, in_guild: bool,
                  name: str | None = None) -> CommandIn:
    """`/rebound [args]`; from a server channel the answer must stay private."""
    return CommandIn(user=user_ref(user_id), event_id=str(interaction_id), name=COMMAND,
                     args=(args or "").strip(), in_public_channel=in_guild, display_name=name)


def to_button_in(*, user_id: int, interaction_id: int, button_id: str, in_guild: bool,
                 name: str | None = None) -> ButtonIn:
    """A pressed button; `button_id` is the engine's id from the custom_id."""
    return ButtonIn(user=user_ref(user_id), event_id=str(interaction_id), button_id=button_id,
                    in_public_channel=in_guild, display_name=name)


def to_form_submit_in(*, user_id: int, interaction_id: int, form_id: str,
                      values: dict[str, str], in_guild: bool,
                      name: str | None = None) -> FormSubmitIn:
    """A submitted form (every page of it)."""
    return FormSubmitIn(user=user_ref(user_id), event_id=str(interaction_id), form_id=form_id,
                        values=values, in_public_channel=in_guild, display_name=name)


def modal_values(components: list[dict[str, Any]]) -> dict[str, str]:
    """Input custom_id to value from a modal submission (label or legacy action-row layout)."""
    values: dict[str, str] = {}
    for component in components:
        if component.get("type") == 1:  # action row
            values.update(modal_values(component.get("components", [])))
        elif component.get("type") == 18:  # label wrapping one input
            inner = component.get("component")
            if isinstance(inner, dict):
                values.update(modal_values([inner]))
        elif component.get("type") == 4 and "custom_id" in component:  # text input
            values[str(component["custom_id"])] = str(component.get("value") or "")
    return values
