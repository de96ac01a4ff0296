"""User fragments on their way into a letter: tidied, freed of flagged phrases, capped.

Everything the user typed passes through `prepare`, which returns `Parts`: the
values the templates splice in. Names are used whole or not at all; free text
loses only the phrases the tone check would flag (keeping the topic they framed)
and is cut at a sentence or clause to fit its word cap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.letters.fields import LetterFields
from bot.letters.kinds import LetterKind
from bot.letters.text import (
    cap_first,
    company_case,
    count_words,
    fix_i,
    is_title,
    lower_first,
    name_case,
    tidy,
    truncate_words,
)
from bot.letters.tone import span_findings


@dataclass
class Clar:
    point: str = ""
    answer: str = ""
    question: bool = False


@dataclass
class Parts:
    """The user's fields, cleaned and capped, ready to be spliced into templates."""

    sender: str = ""
    names: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""
    when: date | None = None
    promised: date | None = None
    detail: str = ""
    clars: list[Clar] = field(default_factory=list)
    stress: str = ""
    how: str = ""
    strengths: list[str] = field(default_factory=list)
    ref_name: str = ""
    relationship: str = ""
    offer_background: bool = True
    ask_second: bool = False
    trimmed: set[str] = field(default_factory=set)


@dataclass
class _Item:
    """One user fragment on its way into a letter."""

    name: str  # the LetterFields field it came from
    text: str
    limit: int | None  # word cap; None for names, which are used whole or not at all
    phrase: bool  # spliced into a sentence, so it must not end with punctuation


# Word caps per fragment: (default, short).
_CAPS = {
    "detail": (30, 18),
    "point": (15, 12),
    "answer": (45, 25),
    "stress": (30, 20),
    "how": (35, 20),
    "strength": (10, 8),
    "relationship": (10, 10),
}
_MAX_NAME_WORDS = 6
_MAX_COMPANY_WORDS = 10
_MAX_ROLE_WORDS = 12


# The fields each kind reads: the others are not cleaned at all (and cost nothing).
_COMMON = frozenset({"sender_name", "company", "role", "interview_date"})
USES: dict[LetterKind, frozenset[str]] = {
    LetterKind.THANK_YOU: _COMMON
    | {
        "interviewer_names",
        "specific_detail",
        "clarifications",
        "offer_background",
        "ask_second_interview",
    },
    LetterKind.SECOND_CHANCE: _COMMON
    | {
        "interviewer_names",
        "specific_detail",
        "clarifications",
        "offer_background",
        "what_to_stress",
    },
    LetterKind.FOLLOW_UP: _COMMON
    | {"interviewer_names", "specific_detail", "promised_date", "what_to_stress"},
    LetterKind.AFTER_REJECTION: _COMMON | {"interviewer_names", "specific_detail"},
    LetterKind.REFERENCE_HEADS_UP: _COMMON
    | {"reference_name", "reference_relationship", "how_it_went", "what_to_stress", "strengths"},
}


# What people type in a form field they mean to leave empty.
_BLANKS = frozenset(
    "none n/a na n.a. null nil - -- — unknown tbd tba ? no nope nothing skip .".split()
)
# Joins fragments for one batched tone scan; no pattern can match across it.
_SEPARATOR = "\n¦\n"


def prepare(fields: LetterFields, kind: LetterKind, short: bool) -> Parts:
    """Clean and cap the fields `kind` uses."""
    uses = USES[kind]
    trimmed: set[str] = set()
    cap = {key: value[1 if short else 0] for key, value in _CAPS.items()}
    # Pass 1: tidy every fragment.
    items: list[_Item] = []

    def add(
        name: str,
        text: str,
        limit: int | None,
        phrase: bool = False,
        casing: Callable[[str], str] | None = None,
    ) -> int:
        if name in uses and text and text.strip().lower() not in _BLANKS:
            cleaned = casing(tidy(text)) if casing else _pre_clean(text, limit or 0)
            if cleaned:
                items.append(_Item(name, cleaned, limit, phrase))
                return len(items) - 1
        return -1

    sender = add("sender_name", fields.sender_name, None, casing=name_case)
    company = add("company", fields.company, None, casing=company_case)
    role = add("role", fields.role, None, casing=str)
    reference = add("reference_name", fields.reference_name, None, casing=name_case)
    names = [
        add("interviewer_names", raw, None, casing=name_case) for raw in fields.interviewer_names
    ]
    detail = add("specific_detail", fields.specific_detail, cap["detail"], True)
    stress = add("what_to_stress", fields.what_to_stress, cap["stress"], True)
    how = add("how_it_went", fields.how_it_went, cap["how"])
    relation = add(
        "reference_relationship", fields.reference_relationship, cap["relationship"], True
    )
    strengths = [add("strengths", x, cap["strength"], True) for x in fields.strengths[:3]]
    clar_items = []
    if "clarifications" in uses:
        clar_items = [
            (
                add("clarifications", c.point, cap["point"], True),
                add("clarifications", c.better_answer, cap["answer"]),
            )
            for c in fields.clarifications[:3]
        ]
        if len(fields.clarifications) > 3:
            trimmed.add("clarifications")

    # Pass 2: one tone scan over all fragments; only the flagged ones get the slow path.
    flagged = _flagged_items([item.text for item in items])
    limits = {
        "sender_name": _MAX_NAME_WORDS + 2,
        "company": _MAX_COMPANY_WORDS,
        "role": _MAX_ROLE_WORDS,
    }
    for index, item in enumerate(items):
        name, text, limit = item.name, item.text, item.limit
        if limit is None:  # a name: used as typed, or not at all
            if index in flagged or count_words(text) > limits.get(name, _MAX_NAME_WORDS):
                item.text = ""
                trimmed.add(name)
            elif is_title(text) and " " not in text:
                item.text = ""  # a bare "Ms" is not a name to greet
            continue
        original = text
        if index in flagged:
            text = _remove_flagged(text)
        text = truncate_words(text, limit)
        if item.phrase:
            text = tidy(text.rstrip("?!.… "))
        if text != original and count_words(text) < count_words(original):
            trimmed.add(name)
        item.text = text

    def get(index: int) -> str:
        return items[index].text if index >= 0 else ""

    clars = []
    for point_index, answer_index in clar_items:
        point, answer = get(point_index), get(answer_index)
        question = _is_question(point)
        if point or answer:
            clars.append(Clar(_quote_question(point) if question else point, answer, question))
    return Parts(
        sender=get(sender),
        names=[n for n in map(get, names) if n],
        company=get(company),
        role=get(role),
        when=fields.interview_date,
        promised=fields.promised_date if "promised_date" in uses else None,
        detail=get(detail),
        clars=clars,
        stress=get(stress),
        how=get(how),
        strengths=[s for s in map(get, strengths) if s],
        ref_name=get(reference),
        relationship=_relationship(get(relation)),
        offer_background=fields.offer_background,
        ask_second=fields.ask_second_interview and "ask_second_interview" in uses,
        trimmed=trimmed,
    )


def _flagged_items(texts: list[str]) -> set[int]:
    """Indices of the texts the tone check flags, found with a single scan."""
    if not texts:
        return set()
    joined = _SEPARATOR.join(texts)
    findings = span_findings(joined)
    if not findings:
        return set()
    starts = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(_SEPARATOR)
    flagged = set()
    for finding in findings:
        index = max(i for i, start in enumerate(starts) if start <= finding.start)
        flagged.add(index)
    return flagged


_BANG_INSIDE = re.compile(r"!+")


def _pre_clean(text: str, limit: int) -> str:
    """Tidy free text, calm its exclamation marks, and keep only the part that can be used."""
    cleaned = fix_i(tidy(text))
    # Exclamation marks in a user's note become full stops: the letter stays calm.
    if "!" in cleaned:
        cleaned = tidy(_BANG_INSIDE.sub(".", cleaned))
    words = cleaned.split(" ")
    if len(words) > 3 * limit:
        # A paste far over the cap: only its start can be used, so only clean the start.
        cleaned = " ".join(words[: 3 * limit])
    return cleaned


_LEAD_JOINERS = re.compile(
    r"^(?:(?:on|with|over|about|during|in|at|and|so|but|because|when|that|by|to|of)\s+)+",
    re.IGNORECASE,
)
_TAIL_JOINERS = re.compile(
    r"(?:\s*[,;:—–-]?\s*\b(?:where|when|that|because|and|as|since|which|so|but|while|after|"
    r"before|until|though|although|if)\b)+\s*$",
    re.IGNORECASE,
)
_CLAUSE_BOUNDARY = re.compile(
    r"[,;—–]|\b(?:but|and|though|although|yet|while|so|because|whereas|since)\b", re.IGNORECASE
)
_NOUN_START = frozenset(
    "the my your a an this that our their his her its how why what which question questions "
    "some one two three".split()
)


def _remove_flagged(text: str) -> str:
    """Take out flagged phrases: keep the topic when the phrase only frames it."""
    for _ in range(6):
        findings = span_findings(text)
        if not findings:
            return text
        found = findings[0]
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.!?…;]+[.!?…;]*", text)]
        start, end = next(((s, e) for s, e in sentences if s <= found.start < e), (0, len(text)))
        while start < end and text[start] == " ":
            start += 1
        before = text[start : found.start].strip()
        after = text[found.end : end]
        after_core = after.strip().rstrip(".!?…;")
        if not before:
            rest = after.lstrip(" ,;:—–-")
            if after.lstrip().startswith((",", ";", ":", "—", "–", "-")) and rest:
                replacement = cap_first(rest) if start == 0 else rest
            else:
                rest = _LEAD_JOINERS.sub("", rest)
                first = rest.split(" ", 1)[0].lower() if rest else ""
                replacement = rest if first in _NOUN_START else ""
        else:
            # Keep the clauses before the flagged one: "The panel was friendly but I
            # struggled" keeps "The panel was friendly".
            cut = list(_CLAUSE_BOUNDARY.finditer(before))
            if cut:
                kept = before[: cut[-1].start()]
            elif not after_core:
                kept = before
            else:
                kept = ""
            kept = _TAIL_JOINERS.sub("", kept).rstrip(" ,;:—–-")
            if len(kept.split()) < 2:
                kept = ""
            ending = after.strip()[-1:] if after.strip()[-1:] in (".", "!", "?", "…", ";") else ""
            replacement = kept + ending if kept else ""
        text = tidy(text[:start] + replacement + " " + text[end:])
    return text if not span_findings(text) else ""


_CLAUSE_STARTS = frozenset(
    "i we you he she they it there i'm we're you're they're it's there's i'd you'd we'd "
    "he's she's".split()
)
_GERUNDS = frozenset(
    "discussing talking hearing learning meeting seeing touring chatting exploring reviewing "
    "walking working comparing digging getting going sharing".split()
)
_QUESTION_WORDS = frozenset(
    "how what why when where which who whom could can would do did does is are have has will "
    "should".split()
)
_PROMPT_WORDS = frozenset("tell describe walk give talk explain name".split())
_MULTI = re.compile(r"[.!?…]\s+\S")


def shape(text: str) -> str:
    """How a fragment can be spliced: "np", "clause", "gerund" or "multi" (several sentences)."""
    if _MULTI.search(text):
        return "multi"
    first = text.split(" ", 1)[0].lower().replace("’", "'")
    if first in _CLAUSE_STARTS:
        return "clause"
    if first in _GERUNDS:
        return "gerund"
    return "np"


def _is_question(point: str) -> bool:
    first = point.split(" ", 1)[0].lower() if point else ""
    return bool(point) and (
        point.endswith("?") or first in _QUESTION_WORDS or first in _PROMPT_WORDS
    )


def _quote_question(point: str) -> str:
    """The interviewer's question in quotes, ending in its own punctuation."""
    first = point.split(" ", 1)[0].lower()
    text = cap_first(point.rstrip(".!? "))
    mark = "." if first in _PROMPT_WORDS and not point.endswith("?") else "?"
    return f"“{text}{mark}”"


_RELATION_NOUNS = frozenset(
    "manager boss supervisor colleague mentor professor teacher lead director teammate coworker "
    "co-worker former old previous direct line client tutor advisor adviser peer friend head "
    "senior team".split()
)
_DETERMINERS = frozenset("my our a an the your his her their".split())
_VERBS = frozenset("was is were been worked works managed supervised taught knows know led".split())


_WAS = re.compile(r"^\S+\s+(?:was|is|were|are|has\s+been|had\s+been)\s+(.+)$", re.IGNORECASE)


def _relationship(text: str) -> str:
    """ "former manager at Globex" -> "my former manager at Globex"; a sentence is dropped."""
    if not text:
        return ""
    first = text.split(" ", 1)[0]
    lowered = first.lower()
    if _MULTI.search(text):
        return ""
    if lowered in _CLAUSE_STARTS:
        # "she was my manager at Globex" -> "my manager at Globex"
        match = _WAS.match(text)
        return _relationship(match.group(1)) if match else ""
    if lowered in _VERBS:
        return ""
    if lowered in _RELATION_NOUNS and first[:1].isupper() and first[1:] == first[1:].lower():
        text = text[0].lower() + text[1:]
    if lowered in _DETERMINERS:
        return lower_first(text) if lowered != "my" else "my" + text[2:]
    return "my " + text
