"""Drafting: golden letters per kind, personalisation, variants, length and clean gaps."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bot.letters import (
    Clarification,
    Draft,
    LetterFields,
    LetterKind,
    Reference,
    draft,
    tone_check,
    variant_count,
    word_limit,
)

GOLDEN = Path(__file__).parent / "golden"
# Set REBOUND_UPDATE_GOLDEN=1 to rewrite the golden files, then read every diff before committing.
UPDATE = os.environ.get("REBOUND_UPDATE_GOLDEN") == "1"


def make_full() -> LetterFields:
    """Every field filled, as a debrief would know them."""
    return LetterFields(
        sender_name="Ana Lima",
        interviewer_names=["Ms Rivera", "Sam Okafor"],
        company="Acme Health",
        role="Senior Data Analyst",
        interview_date=date(2025, 3, 12),
        promised_date=date(2025, 3, 21),
        clarifications=[
            Clarification(
                "the SQL window question",
                "I'd rank orders per customer with ROW_NUMBER and keep the first",
            ),
            Clarification(
                "stakeholder conflict",
                "in my last role I got product and finance to agree on one churn "
                "metric in two weeks",
            ),
            Clarification("how would you measure onboarding success?"),
        ],
        specific_detail="your plan to rebuild the onboarding funnel",
        what_to_stress="my five years in healthcare analytics",
        reference_name="Jordan",
        reference_relationship="former manager at Globex",
        how_it_went="the case study went well, but the SQL round was tough",
        strengths=["the case study presentation", "my questions about the roadmap"],
    )


def make_minimal(kind: LetterKind) -> LetterFields:
    """Only the required fields of `kind`."""
    if kind is LetterKind.REFERENCE_HEADS_UP:
        return LetterFields(reference_name="Jordan", company="Acme Health")
    return LetterFields(company="Acme Health")


CASES = (
    [(kind, "full", False, 0) for kind in LetterKind]
    + [(kind, "minimal", False, 0) for kind in LetterKind]
    + [
        (LetterKind.THANK_YOU, "full", True, 0),
        (LetterKind.THANK_YOU, "full", False, 1),
        (LetterKind.THANK_YOU, "full", False, 2),
        (LetterKind.SECOND_CHANCE, "full", True, 1),
        (LetterKind.REFERENCE_HEADS_UP, "minimal", True, 2),
    ]
)


@pytest.mark.parametrize(("kind", "case", "short", "variant"), CASES)
def test_golden(kind: LetterKind, case: str, short: bool, variant: int) -> None:
    fields = make_full() if case == "full" else make_minimal(kind)
    letter = draft(kind, fields, variant=variant, short=short)
    name = f"{kind.value}-{case}-v{variant}{'-short' if short else ''}.txt"
    path = GOLDEN / name
    text = letter.text + "\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text
    assert tone_check(letter.body) == []


def test_thank_you_has_every_part_spec_asks_for() -> None:
    body = draft(LetterKind.THANK_YOU, make_full()).body
    assert body.startswith("Dear Ms Rivera and Sam Okafor,\n\nThank you both")
    assert "Senior Data Analyst role at Acme Health" in body
    assert "12 March" in body
    assert "your plan to rebuild the onboarding funnel" in body  # one specific detail
    assert "ROW_NUMBER" in body and "churn metric" in body  # clarifications, restated
    assert "“How would you measure onboarding success?”" in body
    assert "background" in body  # the offer of more background
    assert "?" in body  # the ask
    assert body.endswith("Best regards,\nAna Lima")


def test_a_clarification_is_a_confident_restatement() -> None:
    fields = LetterFields(
        company="Acme",
        clarifications=[
            "I blanked on the caching question: I'd put a read-through cache in front of the API"
        ],
    )
    body = draft(LetterKind.THANK_YOU, fields).body
    assert "my answer on the caching question" in body
    assert "read-through cache" in body
    assert "blank" not in body.lower() and "sorry" not in body.lower()


def test_user_apologies_and_nerves_do_not_reach_the_letter() -> None:
    fields = LetterFields(
        company="Acme",
        specific_detail="Sorry, the Q3 roadmap",
        clarifications=[
            Clarification("the SQL question", "I was so nervous. I'd use a window function")
        ],
    )
    letter = draft(LetterKind.THANK_YOU, fields)
    assert tone_check(letter.body) == []
    assert "the Q3 roadmap" in letter.body and "window function" in letter.body
    assert "nervous" not in letter.body.lower() and "sorry" not in letter.body.lower()
    assert "clarifications" in letter.trimmed


def test_thank_you_can_carry_the_second_chance_request() -> None:
    plain = draft(LetterKind.THANK_YOU, LetterFields(company="Acme")).body
    asking = draft(
        LetterKind.THANK_YOU, LetterFields(company="Acme", ask_second_interview=True)
    ).body
    assert "meet again" not in plain
    assert "meet again" in asking and "this role or another" in asking


def test_second_chance_asks_for_a_second_interview() -> None:
    for variant in range(variant_count(LetterKind.SECOND_CHANCE)):
        body = draft(LetterKind.SECOND_CHANCE, make_full(), variant=variant).body.lower()
        assert "second" in body or "again" in body
        assert "this role" in body or "this position" in body


def test_follow_up_names_the_promised_date() -> None:
    body = draft(LetterKind.FOLLOW_UP, make_full()).body
    assert "21 March" in body and "12 March" in body
    assert (
        "21 March"
        not in draft(
            LetterKind.FOLLOW_UP, make_full().model_copy(update={"promised_date": None})
        ).body
    )


def test_after_rejection_asks_for_feedback_and_leaves_the_door_open() -> None:
    for variant in range(3):
        body = draft(LetterKind.AFTER_REJECTION, make_full(), variant=variant).body
        assert "feedback" in body
        assert any(w in body for w in ("future", "stay in touch", "keep me in mind"))


def test_reference_heads_up_is_addressed_to_the_reference() -> None:
    body = draft(LetterKind.REFERENCE_HEADS_UP, make_full()).body
    assert body.startswith("Hi Jordan,")
    assert "my former manager at Globex" in body
    assert "the SQL round was tough" in body  # honest, brief
    assert "five years in healthcare analytics" in body  # what to stress
    assert "Ms Rivera" not in body


def test_reference_from_a_reference_model() -> None:
    fields = make_full().with_reference(
        Reference("dr. o'neil", "my thesis supervisor", "my statistics work")
    )
    body = draft(LetterKind.REFERENCE_HEADS_UP, fields).body
    assert body.startswith("Dear Dr. O'Neil,")
    assert "my thesis supervisor" in body and "my statistics work" in body


@pytest.mark.parametrize(
    ("names", "greeting"),
    [
        ([], "Hello,"),
        (["Ms Rivera"], "Dear Ms Rivera,"),
        (["sam"], "Hi Sam,"),
        (["Sam", "Priya"], "Hi Sam and Priya,"),
        (["Sam Okafor"], "Dear Sam Okafor,"),
        (["Zoë Ñúñez"], "Dear Zoë Ñúñez,"),
        (["李雷"], "Hi 李雷,"),
        (["محمد عبد الله"], "Dear محمد عبد الله,"),
        (["A", "B", "C", "D"], "Hello everyone,"),
        (["Ms", "  "], "Hello,"),
        (["ms rivera", "dr van der berg"], "Dear Ms Rivera and Dr van der Berg,"),
    ],
)
def test_greeting(names: list[str], greeting: str) -> None:
    body = draft(LetterKind.THANK_YOU, LetterFields(interviewer_names=names)).body
    assert body.split("\n", 1)[0] == greeting


def test_unicode_everywhere() -> None:
    fields = LetterFields(
        sender_name="Zoë Ñúñez",
        interviewer_names=["李雷"],
        company="株式会社テスト",
        role="Ingeniera de datos",
        specific_detail="the بيانات pipeline",
    )
    for kind in LetterKind:
        letter = draft(kind, fields)
        assert tone_check(letter.body) == []
        if kind is not LetterKind.REFERENCE_HEADS_UP:
            assert "株式会社テスト" in letter.body and letter.body.endswith("Zoë Ñúñez")


def test_missing_fields_leave_no_trace() -> None:
    for kind in LetterKind:
        for variant in range(3):
            for short in (False, True):
                letter = draft(kind, LetterFields(), variant=variant, short=short)
                for leak in ("None", "[", "{", "  ", " ,", ",,", "..", " .", "the  ", "at ."):
                    assert leak not in letter.body and leak not in letter.subject
                assert not letter.body.rstrip().endswith(",")  # no dangling sign-off


def test_unsigned_letters_end_cleanly() -> None:
    body = draft(LetterKind.FOLLOW_UP, LetterFields(company="Acme")).body
    assert body.splitlines()[-1].endswith((".", "?"))


def test_long_input_is_trimmed_to_the_limit_and_reported() -> None:
    long = " ".join(["we rebuilt the billing pipeline, cut costs by 40% and shipped weekly."] * 40)
    fields = LetterFields(
        company="Acme",
        role="Data Analyst",
        specific_detail=long,
        how_it_went=long,
        what_to_stress=long,
        strengths=[long] * 5,
        clarifications=[Clarification(long, long)] * 5,
    )
    for kind in LetterKind:
        for short in (False, True):
            letter = draft(kind, fields, short=short)
            assert letter.word_count <= word_limit(kind, short)
            assert tone_check(letter.body) == []
            assert letter.trimmed
            assert "  " not in letter.body and ".." not in letter.body


def test_variants_differ_and_wrap_around() -> None:
    for kind in LetterKind:
        count = variant_count(kind)
        assert count >= 3
        letters = [draft(kind, make_full(), variant=v) for v in range(count + 1)]
        for this, following in zip(letters, letters[1:], strict=False):
            assert this.body != following.body
        assert letters[count].body == letters[0].body and letters[count].variant == 0
        assert draft(kind, make_full(), variant=-1).variant == count - 1


def test_short_is_shorter_for_every_kind_and_variant() -> None:
    for fields in (make_full(), LetterFields()):
        for kind in LetterKind:
            for variant in range(3):
                full = draft(kind, fields, variant=variant)
                short = draft(kind, fields, variant=variant, short=True)
                assert short.word_count < full.word_count
                assert short.short and not full.short


def test_draft_accepts_kind_strings_and_no_fields() -> None:
    letter = draft("follow-up")
    assert isinstance(letter, Draft) and letter.kind is LetterKind.FOLLOW_UP
    assert letter.subject and letter.body and letter.word_count > 10


def test_deterministic() -> None:
    assert draft(LetterKind.THANK_YOU, make_full(), 1) == draft(
        LetterKind.THANK_YOU, make_full(), 1
    )


def test_trailing_punctuation_and_case_are_tidied() -> None:
    fields = LetterFields(
        company="acme health.",
        role=" Data   Analyst ,",
        interviewer_names="ms rivera",
        sender_name="ana lima",
        specific_detail="your plan to rebuild onboarding...",
    )
    body = draft(LetterKind.THANK_YOU, fields).body
    assert "the Data Analyst role at Acme Health." in body
    assert "Dear Ms Rivera," in body and body.endswith("Ana Lima")
    assert "rebuild onboarding." in body


def test_abbreviations_keep_their_dot_without_doubling() -> None:
    body = draft(LetterKind.THANK_YOU, LetterFields(company="Umbrella Corp.")).body
    assert "at Umbrella Corp." in body and ".." not in body


def test_question_shaped_point_without_answer_is_offered() -> None:
    fields = LetterFields(
        company="Acme", clarifications=[Clarification("how would you scale the queue?")]
    )
    body = draft(LetterKind.THANK_YOU, fields).body
    assert "your question “How would you scale the queue?”" in body


def test_lower_case_company_names_are_capitalised_but_not_their_small_words() -> None:
    body = draft(LetterKind.FOLLOW_UP, LetterFields(company="the city council of york")).body
    assert "joining the City Council of York" in body
    assert "eBay" in draft(LetterKind.FOLLOW_UP, LetterFields(company="eBay")).body
