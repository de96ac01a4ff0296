"""The five letter kinds, the loose words users call them by, and their length limits."""

from __future__ import annotations

import re
from enum import StrEnum


class LetterKind(StrEnum):
    """A kind of letter Rebound drafts."""

    THANK_YOU = "thank-you"
    SECOND_CHANCE = "second-chance"
    FOLLOW_UP = "follow-up"
    AFTER_REJECTION = "after-rejection"
    REFERENCE_HEADS_UP = "reference-heads-up"

    @classmethod
    def parse(cls, text: str | None) -> LetterKind | None:
        """The kind a user most likely means by `text` ("thanks", "follow up"...), or None."""
        if not text:
            return None
        words = _normalise(text)
        if not words:
            return None
        exact = _ALIASES.get(words)
        if exact is not None:
            return exact
        # Longer phrases ("a thank you note after the rejection") fall back to keywords;
        # the most specific kind wins, so "thank you after rejection" is after-rejection.
        padded = f" {words} "
        for keywords, kind in _KEYWORDS:
            if any(f" {keyword} " in padded for keyword in keywords):
                return kind
        return None


# Hard upper bounds on body words, per SPEC; a short draft aims for about 60% of it.
WORD_LIMITS: dict[LetterKind, int] = {
    LetterKind.THANK_YOU: 250,
    LetterKind.SECOND_CHANCE: 250,
    LetterKind.FOLLOW_UP: 150,
    LetterKind.AFTER_REJECTION: 180,
    LetterKind.REFERENCE_HEADS_UP: 120,
}
SHORT_WORD_LIMITS: dict[LetterKind, int] = {
    LetterKind.THANK_YOU: 150,
    LetterKind.SECOND_CHANCE: 160,
    LetterKind.FOLLOW_UP: 90,
    LetterKind.AFTER_REJECTION: 100,
    LetterKind.REFERENCE_HEADS_UP: 75,
}


def word_limit(kind: LetterKind, short: bool = False) -> int:
    """The most body words a draft of `kind` may have."""
    return (SHORT_WORD_LIMITS if short else WORD_LIMITS)[kind]


# Filler users wrap around the kind: "draft a thank-you letter please".
_FILLER = frozenset(
    "a an the my me please draft write letter letters note email mail message msg for to "
    "one some new".split()
)
_NON_WORD = re.compile(r"[^\w]+")


def _normalise(text: str) -> str:
    """Lower-case words without punctuation or filler: "Thank-You note!" -> "thank you"."""
    words = [w for w in _NON_WORD.split(text.lower()) if w and w not in _FILLER]
    return " ".join(words)


_ALIASES: dict[str, LetterKind] = {}
for _kind, _names in {
    LetterKind.THANK_YOU: (
        "thank you",
        "thankyou",
        "thanks",
        "thank",
        "thx",
        "ty",
        "thank u",
        "thanks you",
    ),
    LetterKind.SECOND_CHANCE: (
        "second chance",
        "2nd chance",
        "second",
        "secondchance",
        "another chance",
        "second interview",
        "2nd interview",
        "chance",
        "retry",
        "try again",
    ),
    LetterKind.FOLLOW_UP: (
        "follow up",
        "followup",
        "follow",
        "nudge",
        "check in",
        "checkin",
        "chase",
        "status",
        "no reply",
        "no answer",
        "heard nothing",
        "nothing yet",
    ),
    LetterKind.AFTER_REJECTION: (
        "after rejection",
        "rejection",
        "rejected",
        "after rejected",
        "reject",
        "turned down",
        "declined",
        "no offer",
        "feedback",
    ),
    LetterKind.REFERENCE_HEADS_UP: (
        "reference heads up",
        "reference",
        "references",
        "ref",
        "refs",
        "heads up",
        "headsup",
        "heads",
        "referee",
        "referees",
        "reference headsup",
    ),
}.items():
    for _name in _names:
        _ALIASES[_name] = _kind

_KEYWORDS: tuple[tuple[tuple[str, ...], LetterKind], ...] = (
    (("rejection", "rejected", "reject", "turned down"), LetterKind.AFTER_REJECTION),
    (("reference", "references", "referee", "heads up", "headsup"), LetterKind.REFERENCE_HEADS_UP),
    (("follow up", "followup", "follow", "nudge", "check in"), LetterKind.FOLLOW_UP),
    (
        ("second chance", "2nd chance", "second interview", "another chance"),
        LetterKind.SECOND_CHANCE,
    ),
    (("thank", "thanks", "thankyou"), LetterKind.THANK_YOU),
)
