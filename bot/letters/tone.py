"""The tone check: phrases that weaken a letter after a hard interview, and what to say instead.

Two layers. Span rules find phrases (apology, nerves, self-deprecation, desperation,
hedging, exclamation runs) with their offsets. Document rules (no clear ask, no specific
detail, too long, too many exclamation marks) only apply to text long enough to be a
letter and report start = end = 0 with an empty phrase. Text inside double quotes is
never flagged: users quote job titles, products and the interviewer's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.letters.text import count_words


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to change in a letter: what matched, where, why it hurts, what to do instead."""

    phrase: str
    start: int
    end: int
    rule: str
    why: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class _Rule:
    why: str
    suggestion: str


RULES: dict[str, _Rule] = {
    "apology": _Rule(
        "Apologising puts the spotlight on what went wrong; they remember the apology, "
        "not the answer.",
        "Drop the apology and state the point with confidence, e.g. \"I'd like to add to "
        'my answer on…".',
    ),
    "nerves": _Rule(
        "They noticed already; naming your nerves adds nothing and makes them the headline.",
        "Leave nerves out and go straight to what you'd say now, e.g. \"Since we spoke, "
        "I've thought more about…\".",
    ),
    "self-deprecation": _Rule(
        "Running yourself down invites them to agree; the letter is there to show what you can do.",
        "Replace the verdict with a confident restatement, e.g. \"I'd like to add to my "
        'answer on…".',
    ),
    "desperation": _Rule(
        "Pleading turns the letter from what you offer into what you need, which weakens "
        "your case.",
        "Show enthusiasm instead, e.g. \"I'm very keen on this role and would value a "
        'second conversation."',
    ),
    "hedging": _Rule(
        "Stacked qualifiers blur your request and make it easy to say no.",
        'Say it once, plainly, e.g. "I\'d welcome the chance to talk again."',
    ),
    "exclamations": _Rule(
        "Several exclamation marks read as over-eager in a professional letter.",
        "Keep one at most and let your words carry the warmth.",
    ),
    "no-ask": _Rule(
        "Without a clear ask, the reader doesn't know what you'd like to happen next.",
        'End with one concrete request, e.g. "Is there anything else I can clarify?" or '
        '"Would you be open to a second conversation?"',
    ),
    "no-specifics": _Rule(
        "A letter with no specifics could go to anyone, so it's easy to forget.",
        'Add one detail from the conversation, e.g. "I especially enjoyed hearing about '
        'your plan to…".',
    ),
    "too-long": _Rule(
        "Hiring managers skim; a long letter buries your point.",
        "Trim to under 250 words (150–200 is ideal): thanks, one detail, your "
        "clarification and the ask.",
    ),
}

# A text must be longer than this to be judged as a letter by the document rules.
LETTER_MIN_WORDS = 40
LETTER_MAX_WORDS = 250
MAX_EXCLAMATIONS = 2


@dataclass(frozen=True, slots=True)
class _Pattern:
    rule: str
    # Cheap lower-case substrings; the regex only runs when one of them is present.
    anchors: tuple[str, ...]
    regex: re.Pattern[str]
    suggestion: str | None


_UPPER_LITERAL = re.compile(r"(?<!\\)[A-Z]")


def _lower_pattern(pattern: str) -> str:
    """Lower-case a pattern's literal letters; escapes such as \\s and \\b stay."""
    return _UPPER_LITERAL.sub(lambda m: m.group(0).lower(), pattern)


def _p(rule: str, anchors: str, pattern: str, suggestion: str | None = None) -> _Pattern:
    # Patterns run on lower-cased text without IGNORECASE: several times faster in `re`.
    return _Pattern(
        rule,
        tuple(anchors.split("|")),
        re.compile(_lower_pattern(pattern), re.MULTILINE),
        suggestion,
    )


# Intensifiers that may sit between "I was" and the word that matters.
_INT = (
    r"(?:\s+(?:so|very|really|truly|terribly|deeply|awfully|extremely|incredibly|quite|"
    r"pretty|rather|super|completely|totally|a\s+bit|a\s+little|kind\s+of|sort\s+of))*"
)
# "I was", "I'm", "I felt"... : first person, present or past.
_I_WAS = (
    r"\b(?:I\s+(?:was|am|felt|feel|got|get|seemed|looked|sounded)|I'm|I've\s+been"
    r"|I\s+have\s+been|I\s+must\s+have\s+(?:seemed|looked|sounded|been))"
)
_SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\s\s)|(?<=[.!?][\"”)]\s))"

_ADD_INSTEAD = 'Try "I\'d also like to add…" and give the point itself.'

PATTERNS: tuple[_Pattern, ...] = (
    # -- apology ---------------------------------------------------------------------
    # One regex per anchor: the windows around "sorry" are scanned once, not four times.
    _p(
        "apology",
        "sorry",
        rf"\b(?:I'm|I\s+am|I\s+was|I\s+feel|I\s+felt|we're|we\s+are){_INT}\s+sorry\b"
        r"(?:\s+(?:for|about|that|if|again))?"
        r"|\b(?:so|very|really|truly|terribly|deeply|awfully|extremely)\s+sorry\b"
        r"|\bsorry\s+(?:for|about|that|if|again|I\b|to\s+(?:bother|trouble|disturb|say|hear))"
        rf"|{_SENTENCE_START}sorry\b(?=\s*(?:[,.!;:—–-]|$))",
    ),
    _p(
        "apology",
        "apolog",
        r"\bapologi[sz](?:e|ed|es|ing)\b"
        r"|\b(?:my|an|our|sincere|sincerest|deepest|humble|heartfelt)\s+apolog(?:y|ies)\b"
        r"|\bapologies\b(?=\s+(?:for|if|again|that)\b|\s*[,.!;:—–-])",
    ),
    _p(
        "apology",
        "forgive|pardon|excuse",
        r"\b(?:please\s+)?(?:forgive|pardon)\s+(?:me|my)\b|\b(?:please\s+)?excuse\s+my\b",
    ),
    _p("apology", "regret", r"\bI\s+(?:deeply\s+|really\s+|truly\s+|sincerely\s+)?regret\b"),
    _p("apology", "bad|mistake", r"\bmy\s+(?:bad|mistake)\b"),
    # -- nerves ----------------------------------------------------------------------
    _p("nerves", "nervous", r"\bnervous(?:ly|ness)?\b(?!\s+(?:system|systems|tissue|tissues)\b)"),
    _p(
        "nerves",
        "nerves",
        r"\b(?:my|case\s+of|bundle\s+of|bag\s+of|ball\s+of|bit\s+of|interview)\s+nerves\b"
        r"|\bnerves\s+(?:got|took|kicked|were|got\s+the\s+better)\b",
    ),
    _p(
        "nerves",
        "anxi",
        rf"{_I_WAS}{_INT}\s+anxious\b|\bmade\s+me{_INT}\s+anxious\b"
        r"|\b(?:my|interview)\s+anxiety\b|\bI\s+(?:have|had|get)\s+anxiety\b",
        'Say "I look forward to hearing from you." and leave feelings out.',
    ),
    _p(
        "nerves",
        "nervous|anxi|stress|overwhelm|fluster|rattle|shak|tense|panick|scared|terrified"
        "|frazzl|jitter|edge|intimidat|uneasy",
        rf"{_I_WAS}{_INT}\s+(?:nervous|anxious|stressed(?:\s+out)?|overwhelmed|flustered|rattled|shaken|shaky"
        r"|tense|panicky|panicked|scared|terrified|frazzled|jittery|on\s+edge|intimidated"
        r"|uneasy)\b",
    ),
    _p(
        "nerves",
        "blank",
        r"\b(?:my\s+)?(?:mind|head|brain)\s+went\s+(?:completely\s+|totally\s+)?blank\b"
        r"|\bI\s+(?:completely\s+|totally\s+|just\s+)?(?:went\s+blank|blanked)\b(?:\s+(?:on|out))?"
        r"|\bblanked\s+(?:on|out)\b|\bdrew\s+a\s+(?:complete\s+|total\s+)?blank\b",
        "Give the answer you'd give now instead: \"On the … question, I'd…\".",
    ),
    _p("nerves", "tongue", r"\btongue[- ]tied\b"),
    _p(
        "nerves",
        "froze|freez",
        r"\bI\s+(?:completely\s+|totally\s+|just\s+|kind\s+of\s+|sort\s+of\s+)?froze\b(?:\s+up)?"
        r"|\bfroze\s+up\b|\bfreez(?:e|ing)\s+up\b",
    ),
    _p("nerves", "choke", r"\bI\s+(?:completely\s+|totally\s+|kind\s+of\s+|just\s+)?choked\b"),
    _p("nerves", "jitters", r"\b(?:the|my|interview|pre-?interview|first-?day)\s+jitters\b"),
    _p("nerves", "fright", r"\bstage\s+fright\b"),
    _p(
        "nerves",
        "panic",
        r"\bI\s+(?:\w+\s+)?panick(?:ed|ing)\b|\bI\s+(?:started|began)\s+to\s+panic\b"
        r"|\bI\s+was\s+in\s+a\s+panic\b",
    ),
    _p("nerves", "flustered", r"\bflustered\b"),
    _p("nerves", "butterflies", r"\bbutterflies\s+in\s+my\s+stomach\b"),
    # -- self-deprecation ------------------------------------------------------------
    _p(
        "self-deprecation",
        "bomb",
        r"\bI\s+(?:\w+\s+)?bombed\b|\bbombed\s+(?:the|that|my|this|it)\b"
        r"|\bbombing\s+(?:the|that|my|this)\s+interview\b",
    ),
    _p(
        "self-deprecation",
        "messed|screwed",
        r"\bI\s+(?:\w+\s+)?(?:messed|screwed)\s+(?:up|it\s+up|that\s+up|things\s+up)\b"
        r"|\b(?:messed|screwed)\s+(?:it|that)\s+up\b|\bmade\s+a\s+mess\s+of\b",
    ),
    _p(
        "self-deprecation",
        "blew",
        r"\bI\s+(?:\w+\s+)?blew\s+it\b|\bblew\s+(?:the|my|that)\s+interview\b",
    ),
    _p(
        "self-deprecation",
        "best",
        r"n(?:ot|'t)\s+(?:at\s+)?(?:my|our)\s+(?:very\s+)?best\b",
        'Skip the verdict and restate the point: "I\'d like to add to my answer on…".',
    ),
    _p("self-deprecation", "justice", r"(?:\bnot|n't)\s+do\s+(?:myself|my\s+\w+|it)\s+justice\b"),
    _p(
        "self-deprecation",
        "badly|poorly|terribly|awfully|horribly",
        r"\bI\s+(?:\w+\s+)?(?:did|performed|interviewed|answered|presented|explained\s+\w+|"
        r"came\s+across|handled\s+\w+)\s+(?:so\s+|very\s+|really\s+|quite\s+|pretty\s+)?"
        r"(?:badly|poorly|terribly|awfully|horribly)\b",
    ),
    _p(
        "self-deprecation",
        "terrible|awful|useless|hopeless|incompetent|stupid|foolish|dumb|idiot|unprepared"
        "|underprepared|disaster|mess|failure|inadequate",
        rf"{_I_WAS}{_INT}\s+(?:terrible|awful|useless|hopeless|incompetent|stupid|foolish"
        r"|dumb|like\s+an?\s+(?:idiot|fool)|unprepared|underprepared|a\s+(?:mess|disaster|failure)"
        r"|inadequate)\b",
    ),
    _p(
        "self-deprecation",
        "good|great|strong|best",
        r"\bI(?:'m|\s+am)\s+not\s+(?:very\s+|that\s+|really\s+|particularly\s+|especially\s+)?"
        r"(?:good|great|strong|the\s+best)\s+(?:at|with)\b",
    ),
    _p(
        "self-deprecation",
        "candidate",
        r"(?:\bnot|n't)\s+(?:be\s+)?(?:the|a)\s+(?:strongest|best|most\s+qualified|ideal|right|"
        r"perfect|strong|good)\s+candidate\b",
    ),
    _p("self-deprecation", "just|only", r"\bI(?:'m|\s+am)\s+(?:just|only)\s+an?\b"),
    _p(
        "self-deprecation",
        "let",
        r"\bI\s+let\s+(?:you|you\s+all|the\s+team|everyone|myself)\s+down\b",
    ),
    _p(
        "self-deprecation",
        "embarrass|humiliat",
        r"\bembarrass(?:ed|ing|ment)\b|\bhumiliat(?:ed|ing|ion)\b",
    ),
    _p(
        "self-deprecation",
        "disaster|wreck|trainwreck|crash|mess|failure",
        r"\b(?:interview|answer|answers|performance|presentation|I|it)\s+(?:was|were)\s+"
        r"(?:a\s+)?(?:complete\s+|total\s+|bit\s+of\s+a\s+|real\s+|such\s+a\s+)?"
        r"(?:disaster|train\s*wreck|car\s+crash|mess|failure)\b",
    ),
    _p("self-deprecation", "rambl", r"\bI\s+(?:\w+\s+)?rambl(?:ed|ing)\b"),
    _p(
        "self-deprecation",
        "fumble|stumble|struggle|flounder",
        r"\bI\s+(?:\w+\s+)?(?:fumbled|stumbled|struggled|floundered)\b",
        _ADD_INSTEAD,
    ),
    _p("self-deprecation", "failed", r"\bI\s+(?:\w+\s+)?failed\s+to\b", _ADD_INSTEAD),
    _p("self-deprecation", "forgot", r"\bI\s+(?:completely\s+|totally\s+)?forgot\b", _ADD_INSTEAD),
    _p(
        "self-deprecation",
        "weak|poor|bad|terrible|awful|disappointing|shaky|clumsy|wrong|off",
        r"\bmy\s+(?:weak|poor|bad|terrible|awful|disappointing|shaky|clumsy)\s+(?:answer|answers|"
        r"response|responses|interview|performance|explanation)\b"
        r"|\bmy\s+(?:answer|answers|response|responses|explanation)\s+(?:was|were)\s+"
        r"(?:so\s+|really\s+|pretty\s+|quite\s+)?(?:weak|poor|bad|terrible|awful|shaky|clumsy"
        r"|disappointing|wrong|off)\b",
    ),
    _p("self-deprecation", "fool", r"\bmade\s+a\s+fool\s+of\s+myself\b"),
    _p(
        "self-deprecation",
        "confus",
        r"\bI\s+(?:was|got)\s+(?:so\s+|really\s+|a\s+bit\s+|very\s+)?confused\b",
    ),
    # -- desperation -----------------------------------------------------------------
    _p(
        "desperation",
        "need",
        r"\bI\s+(?:really\s+|truly\s+|desperately\s+|so\s+|badly\s+)?need\s+(?:this|the|a)\s+"
        r"(?:job|role|position|opportunity|offer|work)\b",
        'Try "I\'m very keen to join the team."',
    ),
    _p("desperation", "desperat", r"\bdesperat(?:e|ely|ion)\b"),
    _p(
        "desperation",
        "beg",
        r"\b(?:I|we)\s+(?:\w+\s+)?beg\b(?!\s+(?:to\s+differ|the\s+question))"
        r"|\bbegging\s+(?:you|for|to)\b|\bbeg\s+(?:you|for)\b",
    ),
    _p(
        "desperation",
        "please",
        r"\bplease[,!]?\s+please\b|\bplease\s+(?:give|grant)\s+me\s+(?:another|one\s+more|a\s+second"
        r"|a)\s+chance\b",
    ),
    _p("desperation", "chance", r"\b(?:one\s+more|my\s+last|my\s+only|one\s+last)\s+chance\b"),
    _p("desperation", "anything", r"\bI(?:'ll|\s+will|'d|\s+would)\s+do\s+anything\b"),
    _p(
        "desperation",
        "any",
        r"\b(?:take|accept|do)\s+any\s+(?:job|role|position)\b|\bany\s+(?:job|role|position)\s+at\s+all\b",
    ),
    _p(
        "desperation",
        "reconsider",
        r"\bplease\s+reconsider\b|\b(?:beg|ask|urge|implore)\s+you\s+to\s+reconsider\b",
        "Ask for feedback, or to be kept in mind for future roles, instead.",
    ),
    _p(
        "desperation", "afford", r"\bcan(?:'t|not|\s+not)\s+afford\s+to\s+(?:lose|miss|pass\s+up)\b"
    ),
    _p("desperation", "mean", r"\bmeans?\s+(?:everything|the\s+world)\s+to\s+me\b"),
    _p("desperation", "hope", r"\bmy\s+(?:only|last)\s+hope\b"),
    # -- hedging (strong single hedges; stacked ones are counted separately) ---------
    _p(
        "hedging",
        "just",
        r"\b(?:I\s+)?just\s+wanted\s+to\b|\bjust\s+(?:checking|following|touching)\s+(?:in|up|base)\b",
        "Say what you're doing: \"I'm writing to follow up on…\".",
    ),
    _p("hedging", "trouble|ask", r"\bif\s+it'?s\s+not\s+too\s+much\s+(?:trouble|to\s+ask)\b"),
    _p(
        "hedging",
        "bother|impos|pester",
        r"\bI\s+hope\s+(?:I'm\s+not|I\s+am\s+not|this\s+is(?:n't|\s+not)|it'?s\s+not)\s+"
        r"(?:bothering|a\s+bother|too\s+much|imposing|an\s+imposition)\b"
        r"|\bI\s+(?:don't|do\s+not)\s+want\s+to\s+(?:bother|pester|impose|be\s+a\s+(?:bother|pain|nuisance))\b",
    ),
)

_HEDGE = re.compile(
    r"\b(?:just|maybe|perhaps|possibly|probably|hopefully|somewhat|might|i\s+think|i\s+guess"
    r"|i\s+suppose|i\s+feel\s+like|i\s+was\s+wondering|i\s+wonder|kind\s+of|sort\s+of"
    r"|a\s+little\s+bit|not\s+sure)\b"
)
# Words every hedge contains; the hedge regex only runs around them.
_HEDGE_ANCHORS = frozenset(
    "just maybe perhaps possibly probably hopefully somewhat might think guess suppose feel "
    "wonder kind sort little sure".split()
)
# "kind of"/"sort of" is a hedge only after these ("it was kind of", not "the kind of").
_HEDGE_KIND_AFTER = frozenset(
    "i it it's was is am are were i'm that's feel felt be been got get also only just really "
    "still".split()
)
_PREV_WORD = re.compile(r"([\w']+)\W*$")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)|\n")

_QUOTED = re.compile(r'"[^"\n]{1,200}"|“[^”\n]{1,200}”|«[^»\n]{1,200}»|„[^“”\n]{1,200}[“”]')


def tone_check(text: str) -> list[Finding]:
    """Findings in `text`, in order: phrases first, then document-level rules."""
    if not text or not text.strip():
        return []
    return span_findings(text) + document_findings(text)


def span_findings(text: str) -> list[Finding]:
    """Phrase-level findings only (no document rules), sorted by position."""
    if not text:
        return []
    norm = _normalise(text)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(norm)] if _has_quote(norm) else []
    # One scan finds every anchor word; each pattern then runs only around its anchors.
    by_pattern: dict[int, list[int]] = {}
    hedges: list[int] = []
    for match in _ANCHOR_SCAN.finditer(norm):
        position = match.start()
        for index in _ANCHOR_PATTERNS[match.group(0)]:
            if index < 0:
                hedges.append(position)
            else:
                by_pattern.setdefault(index, []).append(position)
    hits: list[tuple[int, int, str, str | None]] = []
    for index in sorted(by_pattern):
        pattern = PATTERNS[index]
        for low, high in _windows(norm, by_pattern[index], _REACH):
            for found in pattern.regex.finditer(norm, low, high):
                start, end = found.span()
                if (
                    end > start
                    and not _inside(start, quotes)
                    and not _proper_noun(text, start, end)
                ):
                    hits.append((start, end, pattern.rule, pattern.suggestion))
    if "!" in norm:
        for found in _BANG_RUN.finditer(norm):
            if "!" in found.group(0) and not _inside(found.start(), quotes):
                hits.append((found.start(), found.end(), "exclamations", None))
    if len(hedges) >= 2:
        hits.extend(_stacked_hedges(norm, quotes, _windows(norm, hedges, 24)))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    findings: list[Finding] = []
    last_end = -1
    for start, end, rule, suggestion in hits:
        if start < last_end:
            continue  # overlapping phrase already reported
        info = RULES[rule]
        findings.append(
            Finding(text[start:end], start, end, rule, info.why, suggestion or info.suggestion)
        )
        last_end = end
    return findings


def _proper_noun(text: str, start: int, end: int) -> bool:
    """A single capitalised word next to another one: part of a name ("Nervous Robot Games")."""
    word = text[start:end]
    if " " in word or not word[:1].isupper() or word.isupper():
        return False
    opening = text[:start].rstrip(" \"'“‘(•-")
    if not opening or opening[-1] in ".!?:\n":
        return False  # capitalised because it starts a sentence ("Sorry Sam, I...")
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    following = len(after) == 2 and after[0] == " " and after[1].isupper()
    preceding = (
        len(before) == 2
        and before[1] == " "
        and before[0].isalpha()
        and _capitalised_word_before(text, start - 1)
    )
    return following or preceding


def _capitalised_word_before(text: str, space: int) -> bool:
    begin = text.rfind(" ", 0, space) + 1
    previous = text[begin:space]
    return previous[:1].isupper() and previous not in ("I", "I'm", "I’m")


def _anchor_regex(anchors: list[str]) -> re.Pattern[str]:
    """A regex finding any anchor at the start of a word, grouped by first letter for speed."""
    groups: dict[str, list[str]] = {}
    for anchor in sorted(anchors, key=len, reverse=True):  # longest first: "messed" over "mess"
        groups.setdefault(anchor[0], []).append(re.escape(anchor[1:]))
    body = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in sorted(groups.items()))
    return re.compile(rf"(?<![\w'])(?:{body})")


# Anchors are word prefixes. A matched anchor stands for every anchor it starts with
# ("messed" also means "mess"); hedge words map to -1.
_ALL_ANCHORS = sorted({a for p in PATTERNS for a in p.anchors} | _HEDGE_ANCHORS)
_ANCHOR_SCAN = _anchor_regex(_ALL_ANCHORS)
_ANCHOR_PATTERNS: dict[str, tuple[int, ...]] = {}
for _anchor in _ALL_ANCHORS:
    _indices = {i for i, p in enumerate(PATTERNS) for a in p.anchors if _anchor.startswith(a)}
    if _anchor in _HEDGE_ANCHORS:
        _indices.add(-1)
    _ANCHOR_PATTERNS[_anchor] = tuple(sorted(_indices))
_BANG_RUN = re.compile(r"[!?]{2,}")
# How far a match may reach from its anchor word: longer phrases are not plausible.
_REACH = 80


def _windows(text: str, positions: list[int], reach: int) -> list[tuple[int, int]]:
    """Merged spans of text reaching `reach` characters around each position."""
    size = len(text)
    merged: list[tuple[int, int]] = []
    for position in sorted(positions):
        low = max(0, position - reach)
        high = min(size, position + reach + 16)
        while high < size and text[high].isalnum():
            high += 1  # never cut a word in two: "\\b" would match at the cut
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _normalise(text: str) -> str:
    """Lower case with straight apostrophes, the same length as `text` so offsets hold."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two characters ("İ")
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.replace("’", "'").replace("‘", "'")


def _has_quote(text: str) -> bool:
    return '"' in text or "“" in text or "«" in text or "„" in text


def document_findings(text: str) -> list[Finding]:
    """Letter-level findings (no ask, no specifics, too long, exclamations) with start = end = 0."""
    words = count_words(text)
    if words <= LETTER_MIN_WORDS:
        return []
    masked = _mask_quotes(text.replace("’", "'"))
    content = _content(masked)
    lowered = " " + " ".join(_normalise(content).split()) + " "
    out: list[Finding] = []
    if not _any_phrase(lowered, _ASK_PHRASES):
        out.append(_doc("no-ask"))
    specific = (
        _any_phrase(lowered, _SPECIFIC_PHRASES)
        or bool(_DIGIT.search(content))
        or _has_specifics(content)
    )
    if not specific:
        out.append(_doc("no-specifics"))
    if words > LETTER_MAX_WORDS:
        info = RULES["too-long"]
        out.append(
            Finding(
                "", 0, 0, "too-long", f"At {words} words it's long. {info.why}", info.suggestion
            )
        )
    if len(_BANG.findall(masked)) > MAX_EXCLAMATIONS:
        out.append(_doc("exclamations"))
    return out


def _doc(rule: str) -> Finding:
    info = RULES[rule]
    return Finding("", 0, 0, rule, info.why, info.suggestion)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _mask_quotes(text: str) -> str:
    """Replace quoted passages by spaces of the same length."""
    if not _has_quote(text):
        return text
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def _stacked_hedges(
    text: str, quotes: list[tuple[int, int]], windows: list[tuple[int, int]]
) -> list[tuple[int, int, str, str | None]]:
    """Two or more hedges in one sentence: one finding spanning them."""
    matches = [
        m
        for low, high in windows
        for m in _HEDGE.finditer(text, low, high)
        if not _inside(m.start(), quotes) and _counts_as_hedge(text, m)
    ]
    if len(matches) < 2:
        return []
    boundaries = [m.end() for m in _SENTENCE_END.finditer(text)]
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for match in matches:
        start, end = match.span()
        sentence = sum(1 for b in boundaries if b <= start)
        by_sentence.setdefault(sentence, []).append((start, end))
    return [
        (spans[0][0], spans[-1][1], "hedging", None)
        for spans in by_sentence.values()
        if len(spans) >= 2
    ]


def _counts_as_hedge(text: str, match: re.Match[str]) -> bool:
    """Filter hedge words that are ordinary in context ("not just", "the kind of")."""
    word = match.group(0).lower()
    window = text[max(0, match.start() - 40) : match.start()]
    before = _PREV_WORD.search(window)
    previous = before.group(1).lower() if before else ""
    if word == "just":
        following = text[match.end() : match.end() + 9].lower()
        return previous != "not" and not following.startswith((" as ", " like ", " in time"))
    if word.startswith(("kind", "sort")):
        gap = window[before.end(1) :] if before else ""
        at_start = before is None or any(c in gap for c in ".!?\n")
        return at_start or previous in _HEDGE_KIND_AFTER
    if word == "might":
        return previous not in {"my", "all", "main"}
    return True


_BANG = re.compile(r"!+")


def _expand(*groups: str) -> tuple[str, ...]:
    """All phrases made of one choice per group: ("i'd|i would", "welcome|value") -> 4 phrases."""
    phrases = [""]
    for group in groups:
        phrases = [f"{p} {choice}".strip() for p in phrases for choice in group.split("|")]
    return tuple(phrases)


# Literal phrases, searched with `in` on lower-cased text with single spaces: much faster
# than one big regex of alternatives, and a stray false match only makes the rule lenient.
_ASK_PHRASES: tuple[str, ...] = (
    "?",
    " please",
    "let me know",
    "look forward",
    "looking forward",
    "happy to",
    "glad to",
    "feel free",
    "don't hesitate",
    "next step",
    "if you could",
    "if you'd like",
    "if you would like",
    "may i ",
    "are you open",
    "keep me in mind",
    "hope to hear",
    "would it be",
    *_expand("would|could|can|will", "you "),
    *_expand(
        "i'd|i would",
        "welcome|value|love|appreciate|like|be glad|be happy|be grateful"
        "|be delighted|be keen|be pleased",
    ),
    *_expand("i'm|i am", "happy|glad|keen|eager|available"),
)
_SPECIFIC_PHRASES: tuple[str, ...] = (
    *_expand(
        "you|we",
        "mentioned|described|explained|shared|showed|discussed|covered"
        "|talked about|walked me through",
    ),
    *_expand("our", "conversation|discussion|chat|talk", "about|on|of"),
    *_expand("hearing|learning", "about|how"),
    "especially",
    "particularly",
    "in particular",
    "for example",
    "for instance",
    "such as",
    "highlight",
    "stood out",
    "stayed with me",
    "my answer",
    "your question",
)
_DIGIT = re.compile(r"\d")


def _any_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in text for phrase in phrases)


# Scripts without letter case: a word in one of them is most likely a name.
_CASELESS = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0900-\u097f\u0e00-\u0e7f"
    r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
)
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|good\s+(?:morning|afternoon|evening)|greetings)\b[^\n]{0,80}[,:!]?\s*$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many|with)\s+)?(?:regards|wishes|thanks|thank\s+you"
    r"|cheers|sincerely|best|all\s+the\s+best|yours(?:\s+\w+)?|respectfully|gratefully"
    r"|talk\s+soon)[\s,.!]*$",
    re.IGNORECASE,
)
_PRONOUN_I = frozenset({"I", "I'm", "I'd", "I've", "I'll"})


def _content(text: str) -> str:
    """The letter without its greeting line and sign-off block."""
    lines = text.strip().split("\n")
    if lines and _GREETING.match(lines[0]):
        lines = lines[1:]
    for index in range(len(lines) - 1, max(len(lines) - 5, -1), -1):
        if _SIGN_OFF.match(lines[index]):
            lines = lines[:index]
            break
    return "\n".join(lines)


def _has_specifics(content: str) -> bool:
    """A number, a quote, a pointing phrase, or a capitalised word inside a sentence."""
    if _CASELESS.search(content):
        return True
    for line in content.split("\n"):
        sentence_start = True
        for token in line.split():
            if sentence_start:
                sentence_start = token[-1] in ".!?:" or not any(c.isalnum() for c in token)
                continue
            word = token.strip("\"'“”‘’()[],.;:!?")
            if word and word[0].isupper() and word not in _PRONOUN_I:
                return True
            sentence_start = token[-1] in ".!?:"
    return False
