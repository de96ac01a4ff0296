"""discord.ui pieces built from the pure specs: buttons that survive restarts, views, modals."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from adapters.discord.render import (
    BUTTON_TEMPLATE, FORM_BUTTON_TEMPLATE, ButtonSpec, MessageSpec, ModalSpec,
)

if TYPE_CHECKING:
    from typing_extensions import Self

_STYLES = {"primary": discord.ButtonStyle.primary, "secondary": discord.ButtonStyle.secondary,
           "danger": discord.ButtonStyle.danger}


class ButtonHandler(Protocol):
    """What the adapter offers the dynamic items (reached through the client)."""

    async def on_button(self, interaction: discord.Interaction, button_id: str) -> None:
        """An engine button was pressed."""

    async def on_form_button(self, interaction: discord.Interaction, form_id: str,
                             page: int) -> None:
        """A button that opens a stored form was pressed."""


def _handler(interaction: discord.Interaction) -> ButtonHandler:
    """The adapter behind this client."""
    return interaction.client.rebound  # type: ignore[attr-defined, no-any-return]


def _button(spec: ButtonSpec) -> discord.ui.Button[Any]:
    return discord.ui.Button(custom_id=spec.custom_id, label=spec.label,
                             style=_STYLES[spec.style])


class EngineButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_TEMPLATE):
    """A button whose custom_id is `rb:` + the engine's button id; no state lives in memory."""

    def __init__(self, spec: ButtonSpec) -> None:
        super().__init__(_button(spec))
        self.button_id = spec.custom_id.removeprefix("rb:")

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> Self:
        """Rebuild the button from a press, even one made long after a restart."""
        label = getattr(item, "label", None) or ""
        return cls(ButtonSpec(custom_id=f"rb:{match['id']}", label=label))

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        """Hand the press to the adapter."""
        await _handler(interaction).on_button(interaction, self.button_id)


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=FORM_BUTTON_TEMPLATE):
    """A button that opens page `page` of a stored form as a modal."""

    def __init__(self, spec: ButtonSpec) -> None:
        super().__init__(_button(spec))
        match = re.fullmatch(FORM_BUTTON_TEMPLATE, spec.custom_id)
        assert match is not None
        self.form_id = match["form"]
        self.page = int(match["page"])

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> Self:
        """Rebuild the button from a press."""
        label = getattr(item, "label", None) or ""
        return cls(ButtonSpec(custom_id=match.string, label=label))

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        """Hand the press to the adapter, which opens the modal."""
        await _handler(interaction).on_form_button(interaction, self.form_id, self.page)


DYNAMIC_ITEMS = (EngineButton, FormButton)


def build_view(spec: MessageSpec) -> discord.ui.View | None:
    """A view of dynamic buttons only, so discord.py keeps no per-message state for it."""
    if not spec.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in spec.buttons:
        item = FormButton(button) if button.custom_id.startswith("rbf:") else EngineButton(button)
        view.add_item(item)
    return view


class FormModal(discord.ui.Modal):
    """A form page. Submissions are read by the adapter's interaction listener (from the raw
    payload), so a modal opened before a restart is still received after it."""

    def __init__(self, spec: ModalSpec) -> None:
        super().__init__(title=spec.title, custom_id=spec.custom_id, timeout=None)
        for field in spec.inputs:
            text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
                style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
                custom_id=field.custom_id, placeholder=field.placeholder, default=field.default,
                required=field.required, max_length=field.max_length,
            )
            self.add_item(discord.ui.Label(text=field.label, component=text_input))


def build_files(spec: MessageSpec) -> list[discord.File]:
    """Attachments (an export) as discord.File objects."""
    return [discord.File(io.BytesIO(f.content.encode("utf-8")), filename=f.filename)
            for f in spec.files]
