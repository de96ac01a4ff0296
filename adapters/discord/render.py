"""Pure rendering of the engine's replies for Discord: text chunks, buttons, modals, notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from bot.models import FileAttachment, FormField, FormRequest, OutboundMessage

# Discord's limits (https://discord.com/developers/docs/resources/message, .../interactions).
MAX_CONTENT = 2000
MAX_CUSTOM_ID = 100
MAX_BUTTONS = 25  # 5 action rows of 5
MAX_LABEL = 80
MAX_MODAL_INPUTS = 5
MAX_MODAL_TITLE = 45
MAX_INPUT_LABEL = 45
MAX_INPUT_LENGTH = 4000
MAX_PLACEHOLDER = 100

# custom_id prefixes. Each carries its whole meaning, so it still works after a restart.
BUTTON_PREFIX = "rb:"  # rb:<engine button id>
FORM_BUTTON_PREFIX = "rbf:"  # rbf:<page>:<form id>  opens page <page> of a stored form
MODAL_PREFIX = "rbm:"  # rbm:<page>:<form id>  a submitted page of a form

BUTTON_TEMPLATE = r"rb:(?P<id>.+)"
FORM_BUTTON_TEMPLATE = r"rbf:(?P<page>\d+):(?P<form>.+)"
_MODAL_ID = re.compile(r"rbm:(?P<page>\d+):(?P<form>.+)", re.DOTALL)

OPEN_FORM = "Open the form"
OPEN_FORM_AGAIN = "Open the form again"
NEXT_PAGE = "Next page"

Style = Literal["primary", "secondary", "danger"]


@dataclass(frozen=True)
class ButtonSpec:
    """One Discord button: its custom_id, label and colour."""

    custom_id: str
    label: str
    style: Style = "secondary"


@dataclass(frozen=True)
class MessageSpec:
    """One Discord message: at most 2,000 characters, its buttons and files."""

    content: str
    buttons: tuple[ButtonSpec, ...] = ()
    files: tuple[FileAttachment, ...] = ()
    # Form definitions behind this message's form buttons, for the adapter to store.
    forms: tuple[FormRequest, ...] = ()


@dataclass(frozen=True)
class InputSpec:
    """One text input of a modal."""

    custom_id: str
    label: str
    multiline: bool
    required: bool
    max_length: int
    placeholder: str | None = None
    default: str | None = None


@dataclass(frozen=True)
class ModalSpec:
    """One modal (a page of a form; Discord allows five inputs a modal)."""

    custom_id: str
    title: str
    inputs: tuple[InputSpec, ...] = field(default_factory=tuple)


def split_text(text: str, limit: int = MAX_CONTENT) -> list[str]:
    """Split text into chunks of at most `limit`, preferring paragraph, then line, then word breaks."""
    text = text.strip("\n")
    if not text:
        return [""]
    chunks: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator, 0, limit + 1)
            # A break in the first quarter would leave a tiny chunk; look for a coarser one.
            if cut > limit // 4:
                break
            cut = -1
        if cut == -1:
            chunks.append(text[:limit])
            text = text[limit:]
            continue
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    if text:
        chunks.append(text)
    return chunks


def style_of(style: str | None) -> Style:
    """The Discord button style for the engine's style."""
    return "primary" if style == "primary" else "danger" if style == "danger" else "secondary"


def button_custom_id(button_id: str) -> str | None:
    """The custom_id for an engine button, or None when it would not fit Discord's 100."""
    custom_id = BUTTON_PREFIX + button_id
    return custom_id if len(custom_id) <= MAX_CUSTOM_ID else None


def form_button_id(form_id: str, page: int = 0) -> str | None:
    """The custom_id of a button that opens page `page` of a form, or None if too long."""
    custom_id = f"{FORM_BUTTON_PREFIX}{page}:{form_id}"
    return custom_id if len(custom_id) <= MAX_CUSTOM_ID else None


def modal_custom_id(form_id: str, page: int) -> str:
    """The custom_id of a form page's modal (same length as its button's, checked there)."""
    return f"{MODAL_PREFIX}{page}:{form_id}"


def parse_modal_id(custom_id: str) -> tuple[str, int] | None:
    """(form id, page) from a modal's custom_id; None if it is not one of ours."""
    match = _MODAL_ID.fullmatch(custom_id)
    if match is None:
        return None
    return match["form"], int(match["page"])


def render(message: OutboundMessage) -> list[MessageSpec]:
    """Discord messages for one engine reply; a form becomes a button that opens it."""
    text = message.text
    # Errors the text does not already spell out are listed under it.
    unstated = {name: problem for name, problem in message.form_errors.items()
                if problem not in text}
    if unstated:
        text = f"{text}\n\n{form_errors_text(unstated, message.form)}".strip()
    buttons: list[ButtonSpec] = []
    leftovers: list[str] = []
    for button in message.buttons:
        custom_id = button_custom_id(button.id)
        if custom_id is None or len(buttons) >= MAX_BUTTONS - (1 if message.form else 0):
            # Cannot be a button: list it so the user can type its label instead.
            leftovers.append(button.label)
            continue
        buttons.append(ButtonSpec(custom_id, button.label[:MAX_LABEL], style_of(button.style)))
    forms: tuple[FormRequest, ...] = ()
    if message.form is not None:
        custom_id = form_button_id(message.form.form_id)
        if custom_id is not None:
            label = OPEN_FORM_AGAIN if message.form_errors else OPEN_FORM
            buttons.append(ButtonSpec(custom_id, label, "primary"))
            forms = (message.form,)
    if leftovers:
        text += "\n" + "\n".join(f"• {label}" for label in leftovers)
    chunks = split_text(text)
    specs = [MessageSpec(content=chunk) for chunk in chunks[:-1]]
    specs.append(MessageSpec(content=chunks[-1], buttons=tuple(buttons),
                             files=tuple(message.files), forms=forms))
    return specs


def render_all(messages: list[OutboundMessage]) -> list[MessageSpec]:
    """Every reply of a turn, in order."""
    return [spec for message in messages for spec in render(message)]


def form_errors_text(errors: dict[str, str], form: FormRequest | None) -> str:
    """The submitted form's problems, one line each, named by the field's label."""
    labels = {f.name: f.label for f in form.fields} if form else {}
    return "\n".join(f"• {labels.get(name, name)}: {problem}" for name, problem in errors.items())


def page_count(form: FormRequest) -> int:
    """How many modals the form needs at five inputs each."""
    return max(1, -(-len(form.fields) // MAX_MODAL_INPUTS))


def render_modal(form: FormRequest, page: int = 0,
                 values: dict[str, str] | None = None) -> ModalSpec:
    """One page of a form as a modal; `values` pre-fill inputs the user already typed."""
    pages = page_count(form)
    page = min(max(page, 0), pages - 1)
    fields = form.fields[page * MAX_MODAL_INPUTS:(page + 1) * MAX_MODAL_INPUTS]
    title = form.title if pages == 1 else f"{form.title} ({page + 1}/{pages})"
    return ModalSpec(
        custom_id=modal_custom_id(form.form_id, page),
        title=title[:MAX_MODAL_TITLE],
        inputs=tuple(_input(f, (values or {}).get(f.name)) for f in fields),
    )


def _input(form_field: FormField, value: str | None) -> InputSpec:
    """A modal text input for one form field."""
    default = value if value is not None else form_field.initial
    max_length = max(1, min(form_field.max_length, MAX_INPUT_LENGTH))
    return InputSpec(
        custom_id=form_field.name[:MAX_CUSTOM_ID],
        label=form_field.label[:MAX_INPUT_LABEL],
        multiline=form_field.multiline,
        required=form_field.required,
        max_length=max_length,
        placeholder=form_field.placeholder[:MAX_PLACEHOLDER] if form_field.placeholder else None,
        default=default[:max_length] if default else None,
    )


def next_page_message(form: FormRequest, page: int) -> MessageSpec:
    """After a page of a long form: a button for the next one (a modal cannot open a modal)."""
    pages = page_count(form)
    custom_id = form_button_id(form.form_id, page + 1)
    assert custom_id is not None  # the first page's button fitted, so this one does too
    return MessageSpec(content=f"Got it. Page {page + 2} of {pages} next.",
                       buttons=(ButtonSpec(custom_id, NEXT_PAGE, "primary"),), forms=(form,))


def pressed_content(content: str, label: str | None) -> str:
    """The clicked message once answered: its text plus the choice, buttons gone."""
    if not label:
        return content
    answered = f"{content}\n\n→ {label}"
    return answered if len(answered) <= MAX_CONTENT else content


def dm_pointer(dm_channel_id: int) -> str:
    """The short private note in a server channel when the answer went to the DM."""
    return ("I've replied in our DMs, so this stays between us: "
            f"https://discord.com/channels/@me/{dm_channel_id}")


DM_BLOCKED = ("I couldn't DM you (your privacy settings may block messages from server "
              "members), so here it is, visible only to you.")
FORM_EXPIRED = "That form has expired. Say `letter` to start a fresh one."
OOPS = "Something went wrong on my side, sorry. Could you try that again?"
