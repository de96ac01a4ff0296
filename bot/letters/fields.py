"""What a letter is made of: the user's facts, clarified points and references."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.letters.text import tidy_lines

# Where a point ends and the better answer begins: "the SQL question: I'd use a window".
_POINT_SPLIT = re.compile(r"\s*(?::(?=\s|$)|\s[-–—]+\s|=>|->)\s*")
_NAME_SPLIT = re.compile(r"\s*(?:[,;/\n]|\s&\s|\sand\s)\s*", re.IGNORECASE)


class Clarification(BaseModel):
    """A point the user stumbled on, and what they would say now."""

    model_config = ConfigDict(frozen=True)

    point: str = ""
    better_answer: str = ""

    def __init__(self, point: str = "", better_answer: str = "", **data: Any) -> None:
        """Allow `Clarification("the SQL question", "I'd use a window function")`."""
        super().__init__(point=point, better_answer=better_answer, **data)

    @field_validator("point", "better_answer", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @classmethod
    def from_line(cls, line: str) -> Clarification:
        """Parse "point: what I'd say now" or "point - answer"; no separator: a point only."""
        parts = _POINT_SPLIT.split(line.strip(), maxsplit=1)
        if len(parts) == 2:
            return cls(parts[0], parts[1])
        return cls(parts[0])


class Reference(BaseModel):
    """Someone who may be called about the user, and what they should stress."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    relationship: str = ""
    what_to_stress: str = ""

    def __init__(
        self, name: str = "", relationship: str = "", what_to_stress: str = "", **data: Any
    ) -> None:
        """Allow `Reference("Jordan", "my manager at Globex")`."""
        super().__init__(
            name=name, relationship=relationship, what_to_stress=what_to_stress, **data
        )

    @field_validator("name", "relationship", "what_to_stress", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(value)


class LetterFields(BaseModel):
    """Everything a letter may use; every field is optional and empty means "leave it out"."""

    # Stored drafts keep their inputs: tolerate fields a later version no longer has.
    model_config = ConfigDict(extra="ignore")

    sender_name: str = ""
    interviewer_names: list[str] = Field(default_factory=list)
    company: str = ""
    role: str = ""
    interview_date: date | None = None
    # Points stumbled on with the better answer; a letter uses the first three.
    clarifications: list[Clarification] = Field(default_factory=list)
    # One thing from the conversation, best as a noun phrase: "your plan to rebuild search".
    specific_detail: str = ""
    offer_background: bool = True
    # A thank-you may carry the second-chance request too.
    ask_second_interview: bool = False
    # The date the company said it would decide by (follow-up).
    promised_date: date | None = None
    reference_name: str = ""
    # How the reference knows the user: "my manager at Globex".
    reference_relationship: str = ""
    how_it_went: str = ""
    # What a reference (or the letter) should put forward: "my work on the billing migration".
    what_to_stress: str = ""
    # Lessons to repeat: what went well in the interview.
    strengths: list[str] = Field(default_factory=list)

    @field_validator(
        "sender_name",
        "company",
        "role",
        "specific_detail",
        "reference_name",
        "reference_relationship",
        "how_it_went",
        "what_to_stress",
        mode="before",
    )
    @classmethod
    def _text(cls, value: Any) -> str:
        return "" if value is None else str(value)

    @field_validator("interviewer_names", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return split_names(value)
        return [str(v) for v in value if v is not None and str(v).strip()]

    @field_validator("strengths", mode="before")
    @classmethod
    def _strengths(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return tidy_lines(value)
        return [str(v) for v in value if v is not None and str(v).strip()]

    @field_validator("clarifications", mode="before")
    @classmethod
    def _clarifications(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [Clarification.from_line(line) for line in tidy_lines(value)]
        out = []
        for item in value:
            if isinstance(item, str):
                if item.strip():
                    out.append(Clarification.from_line(item))
            elif isinstance(item, (tuple, list)):
                out.append(Clarification(*item))
            else:
                out.append(item)
        return out

    def with_reference(self, reference: Reference) -> LetterFields:
        """A copy addressed to `reference`, for its heads-up letter."""
        update: dict[str, Any] = {
            "reference_name": reference.name,
            "reference_relationship": reference.relationship,
        }
        if reference.what_to_stress:
            update["what_to_stress"] = reference.what_to_stress
        return self.model_copy(update=update)


def split_names(text: str) -> list[str]:
    """Split "Ms Rivera and Sam, Priya" into names."""
    return [name for name in (n.strip() for n in _NAME_SPLIT.split(text)) if name]
