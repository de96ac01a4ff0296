"""Drafting: turn LetterFields into a subject and body for one kind, variant and length.

The pipeline: fragment.prepare cleans every user fragment, layout.py writes the
letter from templates.py, and draft() verifies it. If the body is over its word
limit or the tone check still finds something, the draft degrades one step at a
time (drop the fragment a finding sits in; else shorter answers, fewer points, then
optional parts) until it passes. An empty set of fields always passes, so the loop
ends. Everything is deterministic: the same inputs give the same draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from pydantic import BaseModel, ConfigDict

from bot.letters import templates as t
from bot.letters.fields import LetterFields
from bot.letters.fragment import Parts, prepare
from bot.letters.kinds import LetterKind, word_limit
from bot.letters.layout import COMPOSERS
from bot.letters.text import count_words, truncate_words
from bot.letters.tone import Finding, tone_check


class Draft(BaseModel):
    """A drafted letter: subject line and a body ready to paste into an email."""

    model_config = ConfigDict(frozen=True)

    kind: LetterKind
    subject: str
    body: str
    variant: int = 0
    short: bool = False
    # Names of fields that were shortened or left out to respect tone and length.
    trimmed: tuple[str, ...] = ()

    @property
    def word_count(self) -> int:
        """Words in the body."""
        return count_words(self.body)

    @property
    def text(self) -> str:
        """Subject and body as one block of plain text."""
        return f"Subject: {self.subject}\n\n{self.body}"


def variant_count(kind: LetterKind) -> int:
    """How many distinct variants `kind` has; variant numbers wrap around modulo this."""
    return t.VARIANTS


def draft(
    kind: LetterKind | str,
    fields: LetterFields | None = None,
    variant: int = 0,
    short: bool = False,
) -> Draft:
    """Draft a letter of `kind` from `fields`; always within its word limit and tone-clean."""
    kind = LetterKind(kind)
    fields = fields or LetterFields()
    v = variant % t.VARIANTS
    parts = prepare(fields, kind, short)
    limit = word_limit(kind, short)
    steps = iter(_DEGRADE_STEPS)
    while True:
        subject, body = COMPOSERS[kind](parts, v, short)
        over = count_words(body) > limit
        findings = [] if over else tone_check(body)
        if not over and not findings:
            break
        dropped = _drop_offending(parts, body, findings)
        if dropped is not None:
            parts = dropped
            continue
        parts = _next_degradation(parts, steps)
    return Draft(
        kind=kind,
        subject=subject,
        body=body,
        variant=v,
        short=short,
        trimmed=tuple(sorted(parts.trimmed)),
    )


def _cap_answers(words: int) -> Callable[[Parts], Parts]:
    return lambda p: replace(
        p, clars=[replace(c, answer=truncate_words(c.answer, words)) for c in p.clars]
    )


_DEGRADE_STEPS: tuple[tuple[str, Callable[[Parts], Parts]], ...] = (
    ("strengths", lambda p: replace(p, strengths=p.strengths[:1])),
    ("clarifications", _cap_answers(25)),
    ("clarifications", lambda p: replace(p, clars=p.clars[:2])),
    ("specific_detail", lambda p: replace(p, detail=truncate_words(p.detail, 15))),
    ("how_it_went", lambda p: replace(p, how=truncate_words(p.how, 20))),
    ("what_to_stress", lambda p: replace(p, stress=truncate_words(p.stress, 15))),
    ("clarifications", lambda p: replace(p, clars=p.clars[:1])),
    ("clarifications", _cap_answers(15)),
    ("strengths", lambda p: replace(p, strengths=[])),
    ("reference_relationship", lambda p: replace(p, relationship="")),
    ("specific_detail", lambda p: replace(p, detail="")),
    ("how_it_went", lambda p: replace(p, how="")),
    ("what_to_stress", lambda p: replace(p, stress="")),
    ("clarifications", lambda p: replace(p, clars=[])),
    ("interviewer_names", lambda p: replace(p, names=[])),
    ("role", lambda p: replace(p, role="")),
    ("company", lambda p: replace(p, company="")),
    ("sender_name", lambda p: replace(p, sender="")),
    ("reference_name", lambda p: replace(p, ref_name="")),
    ("interview_date", lambda p: replace(p, when=None, promised=None)),
)


def _next_degradation(p: Parts, steps: Iterator[tuple[str, Callable[[Parts], Parts]]]) -> Parts:
    """Apply the next degradation step that changes something."""
    for name, step in steps:
        changed = step(p)
        if changed != p:
            changed.trimmed = p.trimmed | {name}
            return changed
    raise AssertionError("an empty letter must pass its own checks")  # pragma: no cover


def _fragments(p: Parts) -> list[tuple[str, str, Callable[[Parts], Parts]]]:
    """Each optional user fragment with the field it came from and how to drop it."""
    out: list[tuple[str, str, Callable[[Parts], Parts]]] = [
        ("specific_detail", p.detail, lambda q: replace(q, detail="")),
        ("what_to_stress", p.stress, lambda q: replace(q, stress="")),
        ("how_it_went", p.how, lambda q: replace(q, how="")),
        ("reference_relationship", p.relationship, lambda q: replace(q, relationship="")),
    ]
    for index, clar in enumerate(p.clars):
        drop = (lambda i: lambda q: replace(q, clars=q.clars[:i] + q.clars[i + 1 :]))(index)
        out.append(("clarifications", clar.point, drop))
        out.append(("clarifications", clar.answer, drop))
    for index, strength in enumerate(p.strengths):
        out.append(
            (
                "strengths",
                strength,
                (lambda i: lambda q: replace(q, strengths=q.strengths[:i] + q.strengths[i + 1 :]))(
                    index
                ),
            )
        )
    return [item for item in out if item[1]]


def _drop_offending(p: Parts, body: str, findings: list[Finding]) -> Parts | None:
    """Drop the user fragment a phrase finding sits in, if there is one."""
    lowered = body.lower()
    for finding in findings:
        if finding.end == 0:
            continue
        for name, text, drop in _fragments(p):
            core = text.lower()[:60]
            position = lowered.find(core)
            while position != -1:
                if position <= finding.start < position + len(text) + 2:
                    changed = drop(p)
                    changed.trimmed = p.trimmed | {name}
                    return changed
                position = lowered.find(core, position + 1)
    return None
