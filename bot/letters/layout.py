"""Letter layout: the subject and body of each kind, built from prepared Parts and templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from bot.letters import templates as t
from bot.letters.fragment import Parts, shape
from bot.letters.kinds import LetterKind
from bot.letters.text import (
    cap_first,
    count_words,
    ends_sentence,
    join_and,
    lower_first,
    sentence,
)
from bot.letters.tone import LETTER_MIN_WORDS

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


def _slots(p: Parts) -> dict[str, str]:
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


def _detail_sentence(bank: dict[str, t.Slot], p: Parts, v: int, values: dict[str, str]) -> str:
    """The sentence carrying the user's specific detail, framed to fit its shape."""
    form = shape(p.detail)
    if form == "multi":
        return _fill(t.DETAIL_MULTI[v], {"Detail": sentence(p.detail)})
    if form == "clause":
        return _fill(t.DETAIL_CLAUSE[v], {"detail": p.detail})
    if form == "gerund":
        return _fill(
            t.DETAIL_GERUND[v], {"detail": lower_first(p.detail), "Detail": cap_first(p.detail)}
        )
    return _fill(bank["detail"][v], {**values, "detail": lower_first(p.detail)})


def _clarification_block(p: Parts, v: int, limit: int) -> tuple[str, list[str]]:
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
    bank: dict[str, t.Slot], plain: t.Slot, v: int, values: dict[str, str], p: Parts
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


def _thank_you(p: Parts, v: int, short: bool, second_chance: bool = False) -> tuple[str, str]:
    subject, body = _thank_you_letter(p, v, short, second_chance, warm=not short)
    if short and not p.detail and count_words(body) > LETTER_MIN_WORDS:
        # Long enough to be judged as a letter: it needs its one concrete touch back.
        subject, body = _thank_you_letter(p, v, short, second_chance, warm=True)
    return subject, body


def _thank_you_letter(
    p: Parts, v: int, short: bool, second_chance: bool, warm: bool
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
        if p.stress and not short and shape(p.stress) == "np":
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


def _second_chance(p: Parts, v: int, short: bool) -> tuple[str, str]:
    return _thank_you(p, v, short, second_chance=True)


def _follow_up(p: Parts, v: int, short: bool) -> tuple[str, str]:
    bank = t.FOLLOW_UP
    values = _slots(p)
    opening = _fill(bank["open_short" if short else "open"][v], values)
    status = _fill(bank["promised"][v], values) if p.promised else bank["no_promised"][v]
    paragraphs = [_paragraph(opening, status)]
    if not short:
        if p.detail and shape(p.detail) == "np":
            interest = _fill(
                bank["interest_detail"][v], {**values, "detail": lower_first(p.detail)}
            )
        else:
            interest = _fill(bank["interest"][v], values)
        stress = ""
        if p.stress and shape(p.stress) == "np":
            stress = _fill(bank["stress"][v], {"stress": lower_first(p.stress)})
        paragraphs.append(_paragraph(interest, stress))
    paragraphs.append(_paragraph(bank["ask"][v], "" if short else bank["close"][v]))
    body = _assemble(_greeting(p.names), paragraphs, bank["signoff"][v], p.sender)
    return _subject(bank, _PLAIN_SUBJECTS[LetterKind.FOLLOW_UP], v, values, p), body


def _after_rejection(p: Parts, v: int, short: bool) -> tuple[str, str]:
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


def _reference(p: Parts, v: int, short: bool) -> tuple[str, str]:
    bank = t.REFERENCE_HEADS_UP
    values = _slots(p)
    opening = _fill(bank["open"][v], values)
    if p.stress and shape(p.stress) == "np":
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
        if p.how and shape(p.how) == "multi":
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


COMPOSERS: dict[LetterKind, Callable[[Parts, int, bool], tuple[str, str]]] = {
    LetterKind.THANK_YOU: _thank_you,
    LetterKind.SECOND_CHANCE: _second_chance,
    LetterKind.FOLLOW_UP: _follow_up,
    LetterKind.AFTER_REJECTION: _after_rejection,
    LetterKind.REFERENCE_HEADS_UP: _reference,
}
