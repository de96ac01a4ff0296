"""Drafting: turn LetterFields into a subject and body for one kind, variant and length.

The pipeline is: clean every user fragment (tidy, take out phrases the tone check
would flag, cap its length), compose the letter from templates.py, then verify it.
If the body is over its word limit or the tone check still finds something, the
draft degrades one step at a time (shorter answers, fewer points, then dropping
optional parts) until it passes; an empty set of fields always passes, so the loop
ends. Everything is deterministic: the same inputs give the same draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from pydantic import BaseModel, ConfigDict

from bot.letters import templates as t
from bot.letters.fields import LetterFields
from bot.letters.kinds import LetterKind, word_limit
from bot.letters.text import (
    cap_first,
    company_case,
    count_words,
    ends_sentence,
    fix_i,
    is_title,
    join_and,
    lower_first,
    name_case,
    sentence,
    tidy,
    truncate_words,
)
from bot.letters.tone import LETTER_MIN_WORDS, Finding, span_findings, tone_check


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
    parts = _prepare(fields, kind, short)
    limit = word_limit(kind, short)
    steps = iter(_DEGRADE_STEPS)
    while True:
        subject, body = _COMPOSERS[kind](parts, v, short)
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


# ---- preparing the user's fragments ---------------------------------------------------


@dataclass
class _Clar:
    point: str = ""
    answer: str = ""
    question: bool = False


@dataclass
class _Parts:
    """The user's fields, cleaned and capped, ready to be spliced into templates."""

    sender: str = ""
    names: list[str] = field(default_factory=list)
    company: str = ""
    role: str = ""
    when: date | None = None
    promised: date | None = None
    detail: str = ""
    clars: list[_Clar] = field(default_factory=list)
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


def _prepare(fields: LetterFields, kind: LetterKind, short: bool) -> _Parts:
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
            clars.append(_Clar(_quote_question(point) if question else point, answer, question))
    return _Parts(
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


_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?…;])\s+")
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


def _shape(text: str) -> str:
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


# ---- composing -------------------------------------------------------------------------

_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _fmt_date(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]}"


_ROLE_NOUNS = frozenset(
    "role position job opening post vacancy opportunity internship contract placement".split()
)
_ARTICLES = frozenset("the a an this that your".split())


def _role_np(role: str) -> str:
    """ "Data Analyst" -> "the Data Analyst role"; empty -> "the role"."""
    if not role:
        return "the role"
    words = role.split(" ")
    suffix = "" if words[-1].lower() in _ROLE_NOUNS else " role"
    if words[0].lower() in _ARTICLES and len(words) > 1:
        return role + suffix
    return f"the {role}{suffix}"


def _bare_role(role: str) -> str:
    """The role without a leading article, for subject lines."""
    words = role.split(" ")
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        return cap_first(" ".join(words[1:]))
    return cap_first(role)


def _slots(p: _Parts) -> dict[str, str]:
    """Every placeholder value, each optional piece with its own leading space."""
    co, role = p.company, p.role
    at_co = f" at {co}" if co else ""
    role_np = _role_np(role)
    about = f" about {role_np}{at_co}" if (role or co) else ""
    bare = _bare_role(role) if role else ""
    if bare:
        topic = f"{bare} interview"
    elif co:
        topic = f"interview at {co}"
    else:
        topic = ""
    on_date = f" on {_fmt_date(p.when)}" if p.when else ""
    count = len(p.names)
    return {
        "you": "you both" if count == 2 else "you all" if count > 2 else "you",
        "on_date": on_date,
        "recently": on_date or " recently",
        "about_role": about,
        "for_role": f" for {role_np}{at_co}" if (role or co) else "",
        "the_role": role_np,
        "at_co": at_co,
        "co_or_team": co or "the team",
        "work_at": f"the work at {co}" if co else "the team's work",
        # Right after "I interviewed for the X role at Acme", "they" is clear.
        "they": "they" if (role or co) else "the hiring team",
        "them": "them" if (role or co) else "the hiring team",
        "topic": topic,
        "Topic": cap_first(topic),
        "dash_topic": f" – {topic}" if topic else "",
        "dash_co": f" – {co}" if co else "",
        "interest": role_np if role else (f"joining {co}" if co else ""),
        "for_role_short": f" for {role_np}" if role else (f" at {co}" if co else ""),
        "heads_subject": f"you may get a call from {co}"
        if co
        else "a reference call may be coming",
        "heads_about": (
            f"my {bare} interview"
            if bare
            else f"my interview at {co}"
            if co
            else "a reference call"
        ),
        "promised": _fmt_date(p.promised) if p.promised else "",
    }


def _greeting(names: list[str]) -> str:
    """ "Dear Ms Rivera," for titled or full names, "Hi Sam," for first names, else "Hello,"."""
    if not names:
        return "Hello,"
    if len(names) > 3:
        return "Hello everyone,"
    first_names_only = all(" " not in name for name in names)
    return f"{'Hi' if first_names_only else 'Dear'} {join_and(names)},"


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def _detail_sentence(bank: dict[str, t.Slot], p: _Parts, v: int, values: dict[str, str]) -> str:
    """The sentence carrying the user's specific detail, framed to fit its shape."""
    shape = _shape(p.detail)
    if shape == "multi":
        return _fill(t.DETAIL_MULTI[v], {"Detail": sentence(p.detail)})
    if shape == "clause":
        return _fill(t.DETAIL_CLAUSE[v], {"detail": p.detail})
    if shape == "gerund":
        return _fill(
            t.DETAIL_GERUND[v], {"detail": lower_first(p.detail), "Detail": cap_first(p.detail)}
        )
    return _fill(bank["detail"][v], {**values, "detail": lower_first(p.detail)})


def _clarification_block(p: _Parts, v: int, limit: int) -> tuple[str, list[str]]:
    """(paragraph restating the points that have better answers, points still to expand on)."""
    answered = [c for c in p.clars[:limit] if c.answer]
    pending = [
        f"your question {c.point}" if c.question else lower_first(c.point)
        for c in p.clars[:limit]
        if c.point and not c.answer
    ]
    if not answered:
        return "", pending
    if len(answered) == 1:
        c = answered[0]
        if not c.point:
            return _fill(t.CLAR_ANSWER_ONLY[v], {"answer": _as_ending(c.answer)}), pending
        if c.question:
            return _fill(
                t.CLAR_QUESTION[v], {"point": c.point, "Answer": sentence(c.answer)}
            ), pending
        return _fill(
            t.CLAR_ONE[v],
            {
                "point": lower_first(c.point),
                "answer": _as_ending(c.answer),
                "Answer": sentence(c.answer),
            },
        ), pending
    number = ("two", "three")[len(answered) - 2]
    lines = [_fill(t.CLAR_INTRO[v], {"n": number, "N": number.capitalize()})]
    for c in answered:
        if c.question:
            lines.append(f"• {c.point} {sentence(c.answer)}")
        elif c.point:
            lines.append(f"• {cap_first(c.point)}: {_as_ending(c.answer)}")
        else:
            lines.append(f"• {sentence(c.answer)}")
    return "\n".join(lines), pending


def _as_ending(text: str) -> str:
    """User text after a colon: keep its case, make sure it ends a sentence."""
    return text if ends_sentence(text) else text + "."


def _paragraph(*sentences: str) -> str:
    return " ".join(s for s in sentences if s)


def _assemble(greeting: str, paragraphs: list[str], signoff: str, sender: str) -> str:
    blocks = [greeting] + [p for p in paragraphs if p]
    if sender:
        blocks.append(f"{signoff}\n{sender}")
    return "\n\n".join(_polish(b) for b in blocks)


_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")
_SPACE_PUNCT = re.compile(r" +(?=[,.;:?!])")
_DOUBLE_DOT = re.compile(r"(?<![.…])\.\.(?!\.)")
_MARK_DOT = re.compile(r"([?!…][”\"’)]?)\.(?=\s|$)")


def _polish(block: str) -> str:
    """Last-line defence against spacing slips where pieces meet."""
    block = _DOUBLE_SPACE.sub(" ", block)
    block = _SPACE_PUNCT.sub("", block)
    block = _DOUBLE_DOT.sub(".", block)
    return _MARK_DOT.sub(r"\1", block)


def _subject(
    bank: dict[str, t.Slot], plain: t.Slot, v: int, values: dict[str, str], p: _Parts
) -> str:
    if p.role or p.company:
        return _polish(_fill(bank["subject"][v], values))
    return plain[v]


_PLAIN_SUBJECTS: dict[LetterKind, t.Slot] = {
    LetterKind.THANK_YOU: (
        "Thank you for your time",
        "Thank you for the conversation",
        "Great to meet you",
    ),
    LetterKind.SECOND_CHANCE: (
        "Thank you, and my continued interest",
        "Thank you – and a request",
        "Following our conversation",
    ),
    LetterKind.FOLLOW_UP: (
        "Following up on my interview",
        "Checking in on my application",
        "A quick follow-up",
    ),
    LetterKind.AFTER_REJECTION: (
        "Thank you",
        "Thank you, and a request for feedback",
        "Thank you for considering me",
    ),
    LetterKind.REFERENCE_HEADS_UP: (
        "Heads-up: a reference call may be coming",
        "A quick heads-up about a reference call",
        "Reference heads-up",
    ),
}


def _thank_you(p: _Parts, v: int, short: bool, second_chance: bool = False) -> tuple[str, str]:
    subject, body = _thank_you_letter(p, v, short, second_chance, warm=not short)
    if short and not p.detail and count_words(body) > LETTER_MIN_WORDS:
        # Long enough to be judged as a letter: it needs its one concrete touch back.
        subject, body = _thank_you_letter(p, v, short, second_chance, warm=True)
    return subject, body


def _thank_you_letter(
    p: _Parts, v: int, short: bool, second_chance: bool, warm: bool
) -> tuple[str, str]:
    kind = LetterKind.SECOND_CHANCE if second_chance else LetterKind.THANK_YOU
    bank = t.BANKS[kind]
    values = _slots(p)
    opening = _fill(bank["open"][v], values)
    if p.detail:
        detail = _detail_sentence(bank, p, v, values)
    else:
        detail = bank["warm"][v] if warm else ""
    clar_limit = (1 if second_chance else 2) if short else 3
    clar, pending = _clarification_block(p, v, clar_limit)
    pending_text = _fill(t.PENDING[v], {"points": join_and(pending)}) if pending else ""
    paragraphs = [_paragraph(opening, detail), clar]
    if second_chance:
        stress = ""
        if p.stress and not short and _shape(p.stress) == "np":
            stress = _fill(bank["stress"][v], {"stress": lower_first(p.stress)})
        paragraphs.append(
            _paragraph(_fill(bank["enthusiasm"][v], values), stress, bank["request"][v])
        )
        if not short:
            offer = bank["offer"][v] if p.offer_background else ""
            paragraphs.append(_paragraph(pending_text, offer, bank["close"][v]))
    else:
        if short:
            ask = bank["offer_ask_short"][v] if p.offer_background else bank["ask"][v]
            paragraphs.append(
                _paragraph(pending_text, ask, t.SECOND_REQUEST[v] if p.ask_second else "")
            )
        else:
            offer = bank["offer"][v] if p.offer_background else ""
            paragraphs.append(_paragraph(pending_text, offer, bank["ask"][v]))
            paragraphs.append(
                _paragraph(t.SECOND_REQUEST[v] if p.ask_second else "", bank["close"][v])
            )
    body = _assemble(_greeting(p.names), paragraphs, bank["signoff"][v], p.sender)
    return _subject(bank, _PLAIN_SUBJECTS[kind], v, values, p), body


def _second_chance(p: _Parts, v: int, short: bool) -> tuple[str, str]:
    return _thank_you(p, v, short, second_chance=True)


def _follow_up(p: _Parts, v: int, short: bool) -> tuple[str, str]:
    bank = t.FOLLOW_UP
    values = _slots(p)
    opening = _fill(bank["open_short" if short else "open"][v], values)
    status = _fill(bank["promised"][v], values) if p.promised else bank["no_promised"][v]
    paragraphs = [_paragraph(opening, status)]
    if not short:
        if p.detail and _shape(p.detail) == "np":
            interest = _fill(
                bank["interest_detail"][v], {**values, "detail": lower_first(p.detail)}
            )
        else:
            interest = _fill(bank["interest"][v], values)
        stress = ""
        if p.stress and _shape(p.stress) == "np":
            stress = _fill(bank["stress"][v], {"stress": lower_first(p.stress)})
        paragraphs.append(_paragraph(interest, stress))
    paragraphs.append(_paragraph(bank["ask"][v], "" if short else bank["close"][v]))
    body = _assemble(_greeting(p.names), paragraphs, bank["signoff"][v], p.sender)
    return _subject(bank, _PLAIN_SUBJECTS[LetterKind.FOLLOW_UP], v, values, p), body


def _after_rejection(p: _Parts, v: int, short: bool) -> tuple[str, str]:
    bank = t.AFTER_REJECTION
    values = _slots(p)
    opening = _fill(bank["open"][v], values)
    detail = ""
    if not short:
        detail = _detail_sentence(bank, p, v, values) if p.detail else bank["warm"][v]
    paragraphs = [
        _paragraph(opening, detail),
        bank["feedback"][v],
        _paragraph(_fill(bank["door"][v], values), "" if short else bank["close"][v]),
    ]
    body = _assemble(_greeting(p.names), paragraphs, bank["signoff"][v], p.sender)
    return _subject(bank, _PLAIN_SUBJECTS[LetterKind.AFTER_REJECTION], v, values, p), body


def _reference(p: _Parts, v: int, short: bool) -> tuple[str, str]:
    bank = t.REFERENCE_HEADS_UP
    values = _slots(p)
    opening = _fill(bank["open"][v], values)
    if p.stress and _shape(p.stress) == "np":
        stress = _fill(bank["stress"][v], {"stress": lower_first(p.stress)})
    elif p.stress:
        stress = _fill(bank["stress_multi"][v], {"Stress": sentence(p.stress)})
    else:
        stress = bank["stress_fallback"][v]
    paragraphs = [opening]
    if not short:
        relationship = (
            _fill(bank["relationship"][v], {"relationship": p.relationship})
            if p.relationship
            else ""
        )
        if p.how and _shape(p.how) == "multi":
            how = _fill(bank["how_multi"][v], {"How": _as_ending(lower_first(p.how))})
        elif p.how:
            how = _fill(bank["how"][v], {"how": lower_first(p.how)})
        else:
            how = bank["how_fallback"][v]
        strengths = ""
        if p.strengths:
            strengths = _fill(
                bank["strengths"][v], {"strengths": join_and([lower_first(s) for s in p.strengths])}
            )
        paragraphs = [_paragraph(opening, relationship), _paragraph(how, strengths)]
    paragraphs.append(_paragraph(stress, bank["thanks"][v]))
    body = _assemble(
        _greeting([p.ref_name] if p.ref_name else []), paragraphs, bank["signoff"][v], p.sender
    )
    return _subject(bank, _PLAIN_SUBJECTS[LetterKind.REFERENCE_HEADS_UP], v, values, p), body


_COMPOSERS: dict[LetterKind, Callable[[_Parts, int, bool], tuple[str, str]]] = {
    LetterKind.THANK_YOU: _thank_you,
    LetterKind.SECOND_CHANCE: _second_chance,
    LetterKind.FOLLOW_UP: _follow_up,
    LetterKind.AFTER_REJECTION: _after_rejection,
    LetterKind.REFERENCE_HEADS_UP: _reference,
}


# ---- degrading until the draft passes ------------------------------------------------------


def _cap_answers(words: int) -> Callable[[_Parts], _Parts]:
    return lambda p: replace(
        p, clars=[replace(c, answer=truncate_words(c.answer, words)) for c in p.clars]
    )


_DEGRADE_STEPS: tuple[tuple[str, Callable[[_Parts], _Parts]], ...] = (
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


def _next_degradation(p: _Parts, steps: Iterator[tuple[str, Callable[[_Parts], _Parts]]]) -> _Parts:
    """Apply the next degradation step that changes something."""
    for name, step in steps:
        changed = step(p)
        if changed != p:
            changed.trimmed = p.trimmed | {name}
            return changed
    raise AssertionError("an empty letter must pass its own checks")  # pragma: no cover


def _fragments(p: _Parts) -> list[tuple[str, str, Callable[[_Parts], _Parts]]]:
    """Each optional user fragment with the field it came from and how to drop it."""
    out: list[tuple[str, str, Callable[[_Parts], _Parts]]] = [
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


def _drop_offending(p: _Parts, body: str, findings: list[Finding]) -> _Parts | None:
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
