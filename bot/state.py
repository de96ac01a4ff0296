"""Stored state: the user's settings and conversation position, and one interview's debrief."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field


class UserSettings(BaseModel):
    """What the user chose: time zone, allowed hours and days, check-in frequency."""

    tz: str | None = None
    hours_start: int = Field(default=9, ge=0, le=23)
    hours_end: int = Field(default=19, ge=1, le=24)
    # Monday is 0, as in `date.weekday()`.
    days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    frequency: Literal["normal", "fewer", "none"] = "normal"
    sender_name: str | None = None


class UserState(BaseModel):
    """Where the user is in the conversation; saved after every turn."""

    # The flow that owns the next message ("debrief", "letter", ...), or None when idle.
    flow: str | None = None
    flow_data: dict[str, Any] = Field(default_factory=dict)
    active_interview: int | None = None
    # Changes each time a new question is asked; buttons carry it so old ones are spotted.
    prompt_token: int = 0
    # The buttons of the latest question (id, label), so a typed number or label can press one.
    choices: list[tuple[str, str]] = Field(default_factory=list)
    # Set while the bot waits for the time zone before resuming a flow.
    awaiting_tz: bool = False


class Clarification(BaseModel):
    """A stumbled point and what the user would say about it now."""

    point: str
    better_answer: str = ""


class Reference(BaseModel):
    """Someone who may be called about the user, and the heads-up drafted for them."""

    name: str
    relationship: str = ""
    letter_id: int | None = None


class DebriefState(BaseModel):
    """Everything one interview's debrief has learned, and the step it is on."""

    step: str = "company"
    history: list[str] = Field(default_factory=list)
    finished: bool = False
    company: str | None = None
    role: str | None = None
    interview_date: date | None = None
    interviewers: list[str] = Field(default_factory=list)
    feelings: list[str] = Field(default_factory=list)
    vent: str | None = None
    # Lessons to correct (what went wrong) and lessons to repeat (what went right).
    went_wrong: list[str] = Field(default_factory=list)
    went_right: list[str] = Field(default_factory=list)
    forgiveness: str | None = None
    clarify_points: list[int] = Field(default_factory=list)
    clarifications: list[Clarification] = Field(default_factory=list)
    specific_detail: str | None = None
    ask_second_interview: bool | None = None
    letter_id: int | None = None
    letter_variant: int = 0
    letter_short: bool = False
    references: list[Reference] = Field(default_factory=list)
    pending_reference: str | None = None
    letter_sent: bool = False
    references_told: bool = False
    promised_date: date | None = None

    @property
    def title(self) -> str:
        """A short name for the interview, for lists."""
        if self.role and self.company:
            return f"{self.role} at {self.company}"
        return self.company or self.role or "New interview"
