"""Pure rendering of the engine's messages and forms as Slack Block Kit payloads."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from pydantic import ValidationError

from bot.models import Button, FormRequest, OutboundMessage

# Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
SECTION_CHARS = 3000
MAX_BLOCKS = 50
MAX_BUTTONS_PER_ACTIONS = 25
BUTTON_TEXT_CHARS = 75
BUTTON_VALUE_CHARS = 2000
FALLBACK_CHARS = 3000
PLACEHOLDER_CHARS = 150
INPUT_MAX_CHARS = 3000

# action_id prefix of every engine button; the value carries the engine's button id.
BUTTON_ACTION_PREFIX = "rb:"
# action_id of the button that opens a form when no trigger_id was at hand.
FORM_ACTION_ID = "rb-form"
FORM_VALUE_PREFIX = "z:"
ACTIONS_BLOCK_PREFIX = "rb-actions"

Payload = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control: nothing echoed can ping or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Cut text into pieces whose escaped form fits `limit`, preferring paragraph breaks."""
    if len(escape(text)) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(escape(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
            current = ""
        if len(escape(paragraph)) <= limit:
            current = paragraph
        else:
            parts = _split_long(paragraph, limit)
            pieces.extend(parts[:-1])
            current = parts[-1]
    if current:
        pieces.append(current)
    return pieces


def _split_long(paragraph: str, limit: int) -> list[str]:
    """Split one oversized paragraph on line breaks, then spaces, then anywhere."""
    pieces: list[str] = []
    current = ""
    for word in _tokens(paragraph):
        if len(escape(current + word)) <= limit:
            current += word
            continue
        if current.strip():
            pieces.append(current.rstrip())
        current = word.lstrip(" ")
        while len(escape(current)) > limit:
            # A single token longer than a section (a pasted URL): cut it by escaped length.
            cut = _fit(current, limit)
            pieces.append(current[:cut])
            current = current[cut:]
    if current.strip() or not pieces:
        pieces.append(current.rstrip())
    return pieces


def _tokens(text: str) -> list[str]:
    """Words with their leading separator kept, so joining them restores the text."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char in " \n" and word:
            tokens.append(word)
            word = ""
        word += char
    if word:
        tokens.append(word)
    return tokens


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` once escaped."""
    used = 0
    for index, char in enumerate(text):
        used += len(escape(char))
        if used > limit:
            return max(index, 1)
    return len(text)


def section(text: str) -> Payload:
    """One mrkdwn section block of already-split text."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}


def button_element(button: Button, index: int) -> Payload:
    """An engine button: unique action_id, the engine's id as the value."""
    element: Payload = {
        "type": "button",
        "action_id": f"{BUTTON_ACTION_PREFIX}{index}",
        "text": {"type": "plain_text", "text": _cut(button.label, BUTTON_TEXT_CHARS),
                 "emoji": True},
        "value": button.id,
    }
    if button.style:
        element["style"] = button.style
    return element


def actions_blocks(elements: list[Payload]) -> list[Payload]:
    """Buttons in actions blocks of at most 25 elements each."""
    blocks = []
    for start in range(0, len(elements), MAX_BUTTONS_PER_ACTIONS):
        chunk = elements[start:start + MAX_BUTTONS_PER_ACTIONS]
        blocks.append({"type": "actions",
                       "block_id": f"{ACTIONS_BLOCK_PREFIX}-{start // MAX_BUTTONS_PER_ACTIONS}",
                       "elements": chunk})
    return blocks


def fallback(text: str) -> str:
    """The plain `text` every message carries, for notifications and old clients."""
    return escape(_cut(text, FALLBACK_CHARS))


def render_message(message: OutboundMessage,
                   extra_elements: list[Payload] | None = None) -> list[Payload]:
    """One or more chat.postMessage payloads (`text` + `blocks`) for one engine message."""
    elements = [button_element(b, i) for i, b in enumerate(message.buttons)]
    elements += extra_elements or []
    tail = actions_blocks(elements)
    pieces = split_text(message.text) or [" "]
    groups: list[list[str]] = []
    while len(pieces) > MAX_BLOCKS - len(tail):
        groups.append(pieces[:MAX_BLOCKS])
        pieces = pieces[MAX_BLOCKS:]
    groups.append(pieces)
    payloads: list[Payload] = []
    for number, group in enumerate(groups, start=1):
        last = number == len(groups)
        blocks = [section(piece) for piece in group] + (tail if last else [])
        plain = "\n\n".join(group)
        if last:
            # The numbered choices make the fallback usable where buttons cannot show.
            choices = OutboundMessage(text=plain, buttons=message.buttons).fallback_text
            plain = choices if len(groups) > 1 else message.fallback_text
        payloads.append({"text": fallback(plain), "blocks": blocks})
    return payloads


def render_answered(blocks: list[Payload], label: str) -> list[Payload]:
    """The clicked message again, without its buttons, showing the choice made."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    kept.append({"type": "context",
                 "elements": [{"type": "mrkdwn", "text": f"✓ {escape(label)}"}]})
    return kept[:MAX_BLOCKS]


def render_modal(form: FormRequest, intro: str = "", private_metadata: str = "") -> Payload:
    """A modal view for a form: optional intro text, then one input per field."""
    blocks: list[Payload] = []
    if intro.strip():
        blocks.append(section(split_text(intro)[0]))
    for field in form.fields[: 100 - len(blocks)]:
        element: Payload = {
            "type": "plain_text_input",
            "action_id": field.name,
            "multiline": field.multiline,
            "max_length": max(1, min(field.max_length, INPUT_MAX_CHARS)),
        }
        if field.placeholder:
            element["placeholder"] = {"type": "plain_text",
                                      "text": _cut(field.placeholder, PLACEHOLDER_CHARS)}
        if field.initial:
            element["initial_value"] = field.initial[: element["max_length"]]
        blocks.append({
            "type": "input",
            "block_id": field.name,
            "optional": not field.required,
            "label": {"type": "plain_text", "text": field.label},
            "element": element,
        })
    view: Payload = {
        "type": "modal",
        "callback_id": form.form_id,
        "title": {"type": "plain_text", "text": form.title[:24]},
        "submit": {"type": "plain_text", "text": form.submit_label[:24]},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }
    if private_metadata:
        view["private_metadata"] = private_metadata
    return view


def render_form_errors(form_errors: dict[str, str], block_ids: list[str]) -> dict[str, str]:
    """Inline modal errors keyed by block id; errors about no shown field go on the first one."""
    errors: dict[str, str] = {}
    for name, problem in form_errors.items():
        target = name if name in block_ids else (block_ids[0] if block_ids else name)
        errors[target] = f"{errors[target]} {problem}" if target in errors else problem
    return errors


def encode_form(form: FormRequest) -> str | None:
    """The form packed into a button value (so it survives restarts), or None if too big."""
    raw = json.dumps(form.model_dump(mode="json"), separators=(",", ":")).encode()
    packed = FORM_VALUE_PREFIX + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode()
    return packed if len(packed) <= BUTTON_VALUE_CHARS else None


def decode_form(value: str) -> FormRequest | None:
    """The form a button value carries, or None if it is not one (or is damaged)."""
    if not value.startswith(FORM_VALUE_PREFIX):
        return None
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(value[len(FORM_VALUE_PREFIX):]))
        return FormRequest.model_validate_json(raw)
    except (binascii.Error, zlib.error, ValueError, ValidationError):
        return None


def form_button(value: str, label: str = "Open the form") -> Payload:
    """The button that opens a form later, when the message had no trigger_id to open it."""
    return {"type": "button", "action_id": FORM_ACTION_ID, "style": "primary",
            "text": {"type": "plain_text", "text": label, "emoji": True}, "value": value}


def render_home(overview: str, buttons: list[Button]) -> Payload:
    """The App Home tab: the user's overview and the buttons to start something."""
    blocks: list[Payload] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Rebound", "emoji": True}},
    ]
    blocks += [section(piece) for piece in split_text(overview)][:90]
    blocks.append({"type": "divider"})
    blocks += actions_blocks([button_element(b, i) for i, b in enumerate(buttons)])
    blocks.append({"type": "context", "elements": [{
        "type": "mrkdwn",
        "text": "Everything here is private to you. Talk to me in the Messages tab, "
                "or use `/rebound`.",
    }]})
    return {"type": "home", "blocks": blocks}


def _cut(text: str, limit: int) -> str:
    """Trim to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
