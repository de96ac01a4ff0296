"""Text helpers for letters: tidying user input, casing names, counting and trimming words."""

from __future__ import annotations

import re

# C0/C1 control characters other than whitespace: never meaningful in a letter field.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?…])")
_ELLIPSIS = re.compile(r"\.{3,}")
_DOTS = re.compile(r"\.{2}")
_COMMAS = re.compile(r"[,;](?:\s*[,;])+")
_BANGS = re.compile(r"([!?])[!?]+")
# A comma glued to the next word ("a,b" -> "a, b"), but not inside numbers ("1,000").
_COMMA_GLUED = re.compile(r"(?<=[^\W\d_]),(?=[^\W\d_])")
_LEADING_JUNK = re.compile(r"^[\s,.;:·•*\-–—]+")
_TRAILING_JUNK = re.compile(r"[\s,.;:]+$")
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»", "„": "“"}
# Words whose final period belongs to the word: "Acme Inc." keeps its dot.
_ABBREVIATIONS = frozenset(
    "inc ltd co corp jr sr st etc bros dept mr mrs ms mx dr prof e.g i.e u.s u.k a.m p.m "
    "no vs approx est".split()
)


def tidy(text: str | None) -> str:
    """Tidy user input for splicing into a sentence: spaces and punctuation only, never words."""
    if not text:
        return ""
    # Each step runs only when a cheap test says it could change something: tidy is
    # called for every fragment of every draft.
    if not text.isprintable() or "  " in text:
        text = _SPACES.sub(" ", _CONTROL.sub("", text))
    text = text.strip()
    if not text:
        return ""
    if text[0] in _QUOTE_PAIRS:
        text = _strip_wrapping_quotes(text)
    if text and not text[0].isalnum():
        text = _LEADING_JUNK.sub("", text)
    if any(f" {mark}" in text for mark in ",.;:!?…"):
        text = _SPACE_BEFORE_PUNCT.sub("", text)
    if ".." in text:
        text = _DOTS.sub(".", _ELLIPSIS.sub("…", text))
    commas = text.count(",") + text.count(";")
    if commas >= 2:
        text = _COMMAS.sub(lambda m: m.group(0)[0], text)
    if "!!" in text or "??" in text or "!?" in text or "?!" in text:
        text = _BANGS.sub(r"\1", text)
    if commas:
        text = _COMMA_GLUED.sub(", ", text)
    if text and text[-1] in ",.;: ":
        text = _drop_trailing(text)
    return text


def tidy_lines(text: str | None) -> list[str]:
    """Tidy a multi-line answer into its non-empty lines, bullets and numbering removed."""
    if not text:
        return []
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"^\s*(?:[-*•·]+|\d{1,2}[.)])\s+", "", raw)
        line = tidy(line)
        if line:
            lines.append(line)
    return lines


def _strip_wrapping_quotes(text: str) -> str:
    """Drop one pair of quotes around the whole input: users quote job titles."""
    while len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        inner = text[1:-1]
        if text[0] in inner or text[-1] in inner:
            break
        text = inner.strip()
    return text


def _drop_trailing(text: str) -> str:
    """Drop trailing commas, colons and full stops, keeping an abbreviation's own dot."""
    stripped = _TRAILING_JUNK.sub("", text)
    if stripped != text and text.rstrip().endswith(".") and stripped:
        last = stripped.rsplit(" ", 1)[-1]
        bare = last.lower().strip("(")
        if bare in _ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()) or "." in bare:
            rest = text[len(stripped) :].lstrip()
            if rest.startswith("."):
                return stripped + "."
    return stripped


# ---- casing -------------------------------------------------------------------------

_TITLES = frozenset("mr mrs ms mx miss dr prof professor sir dame rev lady lord".split())
_PARTICLES = frozenset(
    "van von der den de del della di da du dos das la le bin ibn al el ter ten y".split()
)


def is_title(word: str) -> bool:
    """True for an honorific such as "Ms", "Dr." or "Professor"."""
    return word.lower().rstrip(".") in _TITLES


def name_case(name: str) -> str:
    """Capitalise an all-lower-case name ("zoë o'neil" -> "Zoë O'Neil"); leave others as typed."""
    if name != name.lower() or name == name.upper():
        return name  # mixed case is deliberate (McKenzie, DeShawn); caseless scripts stay
    parts = name.split(" ")
    out = []
    for index, part in enumerate(parts):
        if index > 0 and part in _PARTICLES and index < len(parts) - 1:
            out.append(part)
        else:
            out.append(re.sub(r"(^|[-'’])(\w)", lambda m: m.group(1) + m.group(2).upper(), part))
    return " ".join(out)


_SMALL_WORDS = frozenset("the a an of and for at in on to de la le du van von & y".split())


def company_case(company: str) -> str:
    """Capitalise an all-lower-case company name ("the city council" -> "the City Council")."""
    if company != company.lower() or company == company.upper():
        return company  # brand casing stays: eBay, IKEA, iRobot
    return " ".join(
        w if w in _SMALL_WORDS or not w[:1].isalpha() else w[:1].upper() + w[1:]
        for w in company.split(" ")
    )


def cap_first(text: str) -> str:
    """Capitalise the first letter, unless the first word is styled (iPhone, eBay)."""
    if not text or not text[0].islower():
        return text
    first = text.split(" ", 1)[0]
    if any(ch.isupper() for ch in first[1:]):
        return text
    return text[0].upper() + text[1:]


# Words a sentence may start with that are ordinary, not names: safe to lower-case after a comma.
_COMMON_STARTS = frozenset(
    "the a an it its my our their this that these those some most parts part there they we "
    "overall mostly everything nothing both one two half much many".split()
)


def lower_first(text: str) -> str:
    """Lower-case a leading common word ("The panel..." -> "the panel...") to follow a comma."""
    first = text.split(" ", 1)[0]
    if first.lower() in _COMMON_STARTS and first[:1].isupper() and first[1:] == first[1:].lower():
        return text[0].lower() + text[1:]
    return text


_LONE_I = re.compile(r"(?<![\w'’.-])i(?=(?:['’](?:m|d|ve|ll))?(?![\w'’-])(?!\.e\b))")


def fix_i(text: str) -> str:
    """Capitalise the pronoun "i" ("i'd say" -> "I'd say")."""
    return _LONE_I.sub("I", text)


_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


def sentence(text: str) -> str:
    """Make a fragment a sentence: capital first letter and final punctuation."""
    text = cap_first(text.strip())
    if not text:
        return ""
    return text if _TERMINAL.search(text) else text + "."


def ends_sentence(text: str) -> bool:
    """True when `text` already ends with terminal punctuation."""
    return bool(_TERMINAL.search(text))


def join_and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---- counting and trimming ----------------------------------------------------------

# Han and kana are written without spaces: each character counts as a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\s\w]*\w\S*")


def count_words(text: str) -> int:
    """Words in `text`; punctuation-only tokens (•, —) do not count, CJK characters do."""
    if text.isascii():
        return len(_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    if cjk:
        text = _CJK.sub(" ", text)
    return cjk + len(_WORD.findall(text))


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_SPLIT = re.compile(r"(?<=[,;:])\s+|\s+(?=[—–]\s)")
_DANGLING = frozenset(
    "a an the and or but to of for with in on at from by as that which who my our your their "
    "its is are was were be so than then into onto about over under like because while when if "
    "&".split()
)


def truncate_words(text: str, limit: int) -> str:
    """Shorten `text` to at most `limit` words: cut at a sentence, else a clause, else a word."""
    if limit <= 0:
        return ""
    if count_words(text) <= limit:
        return text
    for splitter in (_SENTENCE_SPLIT, _CLAUSE_SPLIT):
        pieces = splitter.split(text)
        kept: list[str] = []
        used = 0
        for piece in pieces:
            words = count_words(piece)
            if used + words > limit:
                break
            kept.append(piece)
            used += words
        if kept:
            return _clean_cut(" ".join(kept))
    # One long run-on clause: cut at a word, then drop words that would leave it dangling.
    kept = []
    used = 0
    for token in text.split(" "):
        words = count_words(token)
        if used + words > limit:
            if not kept and _CJK.search(token):
                kept.append(_cut_cjk(token, limit))
            break
        kept.append(token)
        used += words
    return _clean_cut(" ".join(kept))


def _cut_cjk(token: str, limit: int) -> str:
    """The start of a space-free CJK run holding `limit` characters."""
    out = []
    seen = 0
    for ch in token:
        if _CJK.match(ch):
            seen += 1
            if seen > limit:
                break
        out.append(ch)
    return "".join(out)


def _clean_cut(text: str) -> str:
    """Remove trailing joiners and punctuation left by a cut."""
    words = text.split(" ")
    while words and (
        words[-1].lower().strip(",;:—–-") in _DANGLING or not words[-1].strip(",;:—–-")
    ):
        words.pop()
    return _TRAILING_JUNK.sub("", " ".join(words)).rstrip(" —–-")
