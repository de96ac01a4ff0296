"""Boundary models: who is talking, what they sent, and what the bot answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class UserRef(BaseModel):
    """A user on one platform: (platform, workspace, user) is unique."""

    model_config = ConfigDict(frozen=True)

    platform: Literal["console", "slack", "discord", "bench", "test"]
    workspace: str = ""
    user: str

    @property
    def key(self) -> str:
        """The stable key every stored row about this user carries."""
        return f"{self.platform}:{self.workspace}:{self.user}"


class _Inbound(BaseModel):
    """Fields every inbound event shares."""

    model_config = ConfigDict(frozen=True)

    user: UserRef
    # The platform's id for this delivery; a repeated id is processed once.
    event_id: str | None = None
    # True when the event came from a public channel: answers must stay private.
    in_public_channel: bool = False
    # IANA time zone when the platform knows it (Slack does; Discord and console do not).
    platform_tz: str | None = None
    # Display name the platform gives, used to sign letters when the user has not said.
    display_name: str | None = None


class TextIn(_Inbound):
    """A plain message typed by the user."""

    kind: Literal["text"] = "text"
    text: str


class ButtonIn(_Inbound):
    """A button press; `button_id` is the id the bot put on the button."""

    kind: Literal["button"] = "button"
    button_id: str


class CommandIn(_Inbound):
    """A slash command (or its console twin): a name plus free-form arguments."""

    kind: Literal["command"] = "command"
    name: str
    args: str = ""


class FormSubmitIn(_Inbound):
    """A submitted form (modal): field name to value."""

    kind: Literal["form"] = "form"
    form_id: str
    values: dict[str, str] = Field(default_factory=dict)


class CheckinDueIn(_Inbound):
    """The dispatcher's signal that a stored check-in is due for this user."""

    kind: Literal["checkin_due"] = "checkin_due"
    checkin_id: int


InboundEvent = Annotated[
    Union[TextIn, ButtonIn, CommandIn, FormSubmitIn, CheckinDueIn], Field(discriminator="kind")
]


class Button(BaseModel):
    """One choice offered under a message."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(max_length=100)
    label: str = Field(max_length=80)
    style: Literal["primary", "danger"] | None = None


class FormField(BaseModel):
    """One input of a form."""

    model_config = ConfigDict(frozen=True)

    name: str
    label: str = Field(max_length=45)
    required: bool = True
    max_length: int = 500
    multiline: bool = False
    placeholder: str | None = None
    initial: str | None = None


class FormRequest(BaseModel):
    """A form the adapter should open (a modal), or ask field by field in the console."""

    model_config = ConfigDict(frozen=True)

    form_id: str
    title: str = Field(max_length=24)
    fields: list[FormField]
    submit_label: str = "Draft it"


class FileAttachment(BaseModel):
    """A file to hand the user privately (an export)."""

    model_config = ConfigDict(frozen=True)

    filename: str
    content: str
    mime: str = "text/plain"


class OutboundMessage(BaseModel):
    """One message from the bot; adapters render it, the engine never sends it."""

    model_config = ConfigDict(frozen=True)

    text: str
    buttons: list[Button] = Field(default_factory=list)
    form: FormRequest | None = None
    files: list[FileAttachment] = Field(default_factory=list)
    # Personal content: never shown in a public channel (ephemeral or DM only).
    private: bool = True
    # Errors from a submitted form, field name to message, for inline display.
    form_errors: dict[str, str] = Field(default_factory=dict)

    @property
    def fallback_text(self) -> str:
        """Plain text with the choices numbered, for notifications and the console."""
        lines = [self.text]
        for number, button in enumerate(self.buttons, start=1):
            lines.append(f"  {number}. {button.label}")
        return "\n".join(lines)


class Delivery(BaseModel):
    """Outcome an adapter reports for a proactive send (check-ins)."""

    status: Literal["sent", "failed", "undeliverable"]
    reason: str | None = None
    at: datetime | None = None
