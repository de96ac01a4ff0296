"""Property tests: any input gives a clean, bounded, placeholder-free draft."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.letters import Clarification, LetterFields, LetterKind, draft, tone_check
from bot.letters.kinds import word_limit

# Letters from many scripts, plus the punctuation people type in names and notes. No
# brackets or braces: a user who types them gets them back, which is not a leak.
_LETTERS = st.characters(
    categories=("Lu", "Ll", "Lo", "Nd"),
    exclude_characters="[]{}",
)
_WORD = st.text(_LETTERS, min_size=1, max_size=12)
# Words the tone check cares about, so user text regularly contains them.
_TRIGGERS = st.sampled_from(
    [
        "sorry",
        "I'm so sorry",
        "nervous",
        "I was nervous",
        "my mind went blank",
        "I blanked on",
        "I bombed",
        "I messed up",
        "not my best",
        "I really need this job",
        "begging",
        "maybe",
        "just",
        "perhaps",
        "I think",
        "!!",
        "!",
        "anxious",
        "apologize",
        "forgive me",
        "desperate",
        "nervous system",
        "Sorry Not Sorry",
        '"quoted sorry"',
        "kind of",
        "I froze",
        "None",
        "i",
        "Inc.",
        "e.g.",
        "...",
        ",",
        ";",
        ":",
        "-",
        "–",
        "?",
        "'",
        "’",
        "\n",
        "  ",
    ]
)
_PHRASE = st.lists(st.one_of(_WORD, _TRIGGERS), min_size=0, max_size=14).map(" ".join)
_LONG = st.lists(st.one_of(_WORD, _TRIGGERS), min_size=0, max_size=120).map(" ".join)
_NAME = st.one_of(
    st.just(""),
    st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    st.sampled_from(
        [
            "Zoë Ñúñez",
            "李雷",
            "محمد عبد الله",
            "Ms Rivera",
            "dr. o'neil",
            "sam",
            "Jean-Luc Picard",
            "Ms",
            "ИВАН ПЕТРОВ",
            "Nguyễn Văn An",
        ]
    ),
)
_TEXT = st.one_of(st.just(""), _PHRASE, _LONG)
_DATE = st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))


@st.composite
def letter_fields(draw: st.DrawFn) -> LetterFields:
    """Random LetterFields with unicode, long, empty and tone-triggering values."""
    return LetterFields(
        sender_name=draw(_NAME),
        interviewer_names=draw(st.lists(_NAME, max_size=5)),
        company=draw(st.one_of(_NAME, _PHRASE)),
        role=draw(st.one_of(_NAME, _PHRASE)),
        interview_date=draw(_DATE),
        promised_date=draw(_DATE),
        clarifications=draw(st.lists(st.builds(Clarification, _TEXT, _TEXT), max_size=5)),
        specific_detail=draw(_TEXT),
        offer_background=draw(st.booleans()),
        ask_second_interview=draw(st.booleans()),
        reference_name=draw(_NAME),
        reference_relationship=draw(_PHRASE),
        how_it_went=draw(_TEXT),
        what_to_stress=draw(_TEXT),
        strengths=draw(st.lists(_PHRASE, max_size=4)),
    )


_LEAKS = ("None", "[", "{", "}", "]", "  ", " ,", ",,", "..", " .", "\n\n\n", "()")


def _inputs_text(fields: LetterFields) -> str:
    """Everything the user typed, joined: what they typed may come back verbatim."""
    parts = [
        fields.sender_name,
        fields.company,
        fields.role,
        fields.specific_detail,
        fields.reference_name,
        fields.reference_relationship,
        fields.how_it_went,
        fields.what_to_stress,
        *fields.interviewer_names,
        *fields.strengths,
    ]
    for item in fields.clarifications:
        parts += [item.point, item.better_answer]
    return "\n".join(parts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(list(LetterKind)),
    fields=letter_fields(),
    variant=st.integers(min_value=-5, max_value=10),
    short=st.booleans(),
)
@example(kind=LetterKind.THANK_YOU, fields=LetterFields(), variant=0, short=False)
def test_every_draft_is_clean_bounded_and_leak_free(
    kind: LetterKind, fields: LetterFields, variant: int, short: bool
) -> None:
    letter = draft(kind, fields, variant=variant, short=short)
    assert tone_check(letter.body) == []
    assert letter.word_count <= word_limit(kind, short)
    typed = _inputs_text(fields)
    for leak in _LEAKS:
        if (
            leak.strip()
            and leak.lower() in typed.lower()
            and leak not in ("  ", " ,", ",,", "..", " .")
        ):
            continue  # the user typed it: showing their own text is not a leak
        assert leak not in letter.body, (leak, letter.body)
        assert leak not in letter.subject, (leak, letter.subject)
    assert letter.subject and letter.subject == letter.subject.strip()
    assert letter.body == letter.body.strip()
    assert all(line == line.rstrip() for line in letter.body.split("\n"))
    assert "• \n" not in letter.body and not letter.body.endswith("•")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(list(LetterKind)), fields=letter_fields(), variant=st.integers(0, 30))
def test_next_variant_differs_and_short_is_shorter(
    kind: LetterKind, fields: LetterFields, variant: int
) -> None:
    this = draft(kind, fields, variant=variant)
    following = draft(kind, fields, variant=variant + 1)
    assert this.body != following.body
    assert draft(kind, fields, variant=variant, short=True).word_count < this.word_count


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(list(LetterKind)), fields=letter_fields(), variant=st.integers(0, 5))
def test_drafts_are_deterministic(kind: LetterKind, fields: LetterFields, variant: int) -> None:
    assert draft(kind, fields, variant) == draft(kind, fields.model_copy(deep=True), variant)
