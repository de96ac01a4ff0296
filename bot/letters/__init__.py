"""Letters: five kinds of letter, drafted from a user's facts, and the tone check. Pure: no I/O."""

from __future__ import annotations

from bot.letters.compose import Draft, draft, variant_count
from bot.letters.fields import Clarification, LetterFields, Reference
from bot.letters.forms import (
    FormError,
    fields_from_form,
    form_fields,
    form_values,
    parse_date,
    required_missing,
)
from bot.letters.kinds import LetterKind, word_limit
from bot.letters.text import tidy
from bot.letters.tone import Finding, tone_check

__all__ = [
    "Clarification",
    "Draft",
    "Finding",
    "FormError",
    "LetterFields",
    "LetterKind",
    "Reference",
    "draft",
    "fields_from_form",
    "form_fields",
    "form_values",
    "parse_date",
    "required_missing",
    "tidy",
    "tone_check",
    "variant_count",
    "word_limit",
]
