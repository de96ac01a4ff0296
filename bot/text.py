"""Cleaning what users type before the bot looks at it."""

from __future__ import annotations

import re
import unicodedata

# A whole letter fits comfortably; beyond this we ask for a shorter piece (documented in README).
MAX_MESSAGE_CHARS = 4000
# Short answers such as a company or a name.
MAX_SHORT_ANSWER = 120

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """Drop control and direction-override characters, normalise, and trim whitespace."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip()


def one_line(text: str) -> str:
    """Collapse a multi-line answer into one line."""
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """Cut text at a word boundary with an ellipsis, for button labels and lists."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


def command_words(text: str) -> str:
    """Lower-cased text without surrounding punctuation, for matching command words."""
    return " ".join(text.lower().strip().strip("!?.,`'\"/").split())
