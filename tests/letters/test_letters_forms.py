"""Letter kinds from loose words, tidying user input, and the letter forms."""

from __future__ import annotations

from datetime import date

import pytest

from bot.letters import (
    Clarification,
    FormError,
    LetterFields,
    LetterKind,
    fields_from_form,
    form_fields,
    form_values,
    parse_date,
    required_missing,
    tidy,
)
from bot.models import FormField


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("thank-you", LetterKind.THANK_YOU),
        ("Thanks", LetterKind.THANK_YOU),
        ("thank you", LetterKind.THANK_YOU),
        ("a thank you note please", LetterKind.THANK_YOU),
        ("Second chance", LetterKind.SECOND_CHANCE),
        ("second-chance", LetterKind.SECOND_CHANCE),
        ("2nd chance letter", LetterKind.SECOND_CHANCE),
        ("followup", LetterKind.FOLLOW_UP),
        ("follow up", LetterKind.FOLLOW_UP),
        ("Follow-Up!", LetterKind.FOLLOW_UP),
        ("rejection", LetterKind.AFTER_REJECTION),
        ("after-rejection", LetterKind.AFTER_REJECTION),
        ("thank you after the rejection", LetterKind.AFTER_REJECTION),
        ("reference", LetterKind.REFERENCE_HEADS_UP),
        ("heads-up", LetterKind.REFERENCE_HEADS_UP),
        ("heads up for my references", LetterKind.REFERENCE_HEADS_UP),
        ("reference-heads-up", LetterKind.REFERENCE_HEADS_UP),
    ],
)
def test_kind_parse(text: str, kind: LetterKind) -> None:
    assert LetterKind.parse(text) is kind


@pytest.mark.parametrize("text", ["", "   ", "pizza", "letter", None, "cover letter"])
def test_kind_parse_unknown(text: str | None) -> None:
    assert LetterKind.parse(text) is None


def test_kind_values() -> None:
    assert [k.value for k in LetterKind] == [
        "thank-you",
        "second-chance",
        "follow-up",
        "after-rejection",
        "reference-heads-up",
    ]
    assert LetterKind("follow-up") == "follow-up"


@pytest.mark.parametrize(
    ("raw", "tidied"),
    [
        ("  Data   Analyst  ", "Data Analyst"),
        ("the roadmap.", "the roadmap"),
        ("the roadmap,", "the roadmap"),
        ("the roadmap ;:", "the roadmap"),
        ("Acme Inc.", "Acme Inc."),
        ("Sam J.", "Sam J."),
        ("U.S.", "U.S."),
        ("a , b", "a, b"),
        ("a,,b", "a, b"),
        ("1,000 users", "1,000 users"),
        ("wait...", "wait…"),
        ("really?!!", "really?"),
        ('"Senior Analyst"', "Senior Analyst"),
        ("“Head of Growth”", "Head of Growth"),
        ("- first point", "first point"),
        ("line\none", "line one"),
        ("tab\tand\x00null", "tab andnull"),
        ("", ""),
        (None, ""),
        ("Zoë  Ñúñez", "Zoë Ñúñez"),
        ("I don't know", "I don't know"),
    ],
)
def test_tidy(raw: str | None, tidied: str) -> None:
    assert tidy(raw) == tidied


def test_tidy_never_changes_words() -> None:
    raw = "  we  cut   costs by 40%, shipped weekly , and hired 3 people ...  "
    assert (
        tidy(raw).replace(",", "").replace("…", "").split()
        == raw.replace(",", "").replace(".", "").split()
    )


@pytest.mark.parametrize("kind", list(LetterKind))
def test_forms_fit_a_discord_modal(kind: LetterKind) -> None:
    fields = form_fields(kind)
    assert 1 <= len(fields) <= 5
    names = [f.name for f in fields]
    assert len(set(names)) == len(names)
    for field in fields:
        assert isinstance(field, FormField)
        assert len(field.label) <= 45
        assert field.name in LetterFields.model_fields
        assert field.max_length <= 4000
    assert any(f.required for f in fields)


def test_required_missing() -> None:
    assert required_missing(LetterKind.THANK_YOU, LetterFields()) == ["company"]
    assert required_missing(LetterKind.THANK_YOU, LetterFields(company="  ")) == ["company"]
    assert required_missing(LetterKind.THANK_YOU, LetterFields(company="Acme")) == []
    assert required_missing(LetterKind.REFERENCE_HEADS_UP, LetterFields()) == [
        "reference_name",
        "company",
    ]
    assert required_missing("follow-up", LetterFields(company="Acme")) == []


def test_fields_from_form_thank_you() -> None:
    fields = fields_from_form(
        LetterKind.THANK_YOU,
        {
            "company": " Acme ",
            "role": "Data Analyst",
            "interviewer_names": "Ms Rivera and Sam, Priya",
            "specific_detail": "the Q3 roadmap",
            "clarifications": "- the SQL question: I'd use a window function\n\n"
            "2. team conflict - the Q3 launch story\nsalary expectations",
        },
    )
    assert fields.company == "Acme"
    assert fields.interviewer_names == ["Ms Rivera", "Sam", "Priya"]
    assert fields.clarifications == [
        Clarification("the SQL question", "I'd use a window function"),
        Clarification("team conflict", "the Q3 launch story"),
        Clarification("salary expectations"),
    ]


def test_fields_from_form_keeps_what_the_form_does_not_ask() -> None:
    base = LetterFields(sender_name="Ana", company="Old", strengths=["the demo"])
    fields = fields_from_form(LetterKind.AFTER_REJECTION, {"company": "Acme"}, base=base)
    assert (fields.sender_name, fields.company, fields.strengths) == ("Ana", "Acme", ["the demo"])
    assert base.company == "Old"


def test_fields_from_form_dates_and_errors() -> None:
    today = date(2025, 3, 24)  # a Monday
    fields = fields_from_form(
        LetterKind.FOLLOW_UP,
        {
            "company": "Acme",
            "interview_date": "12 March",
            "promised_date": "friday",
        },
        today=today,
    )
    assert fields.interview_date == date(2025, 3, 12)
    assert fields.promised_date == date(2025, 3, 28)
    with pytest.raises(FormError) as error:
        fields_from_form(
            LetterKind.FOLLOW_UP, {"interview_date": "31/02", "promised_date": "soon"}, today=today
        )
    assert set(error.value.errors) == {"interview_date", "promised_date"}
    assert "exist" in error.value.errors["interview_date"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-12", date(2025, 3, 12)),
        ("12 March", date(2025, 3, 12)),
        ("12th of March 2024", date(2024, 3, 12)),
        ("March 12, 2025", date(2025, 3, 12)),
        ("Mar 12", date(2025, 3, 12)),
        ("Tuesday 11 March", date(2025, 3, 11)),
        ("25/12/2024", date(2024, 12, 25)),
        ("12/25/2024", date(2024, 12, 25)),
        ("today", date(2025, 3, 24)),
        ("yesterday", date(2025, 3, 23)),
        ("last friday", date(2025, 3, 21)),
        ("28 December", date(2024, 12, 28)),  # the nearest one: last December
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, today=date(2025, 3, 24)) == expected


@pytest.mark.parametrize("text", ["03/04/2025", "31/02/2025", "2025-02-30", "next week", "14"])
def test_parse_date_rejects_unclear_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text, today=date(2025, 3, 24))


def test_parse_date_without_year_needs_today() -> None:
    with pytest.raises(ValueError, match="year"):
        parse_date("12 March")


def test_form_round_trip_and_prefill() -> None:
    fields = LetterFields(
        company="Acme",
        role="Data Analyst",
        interviewer_names=["Ms Rivera"],
        clarifications=[
            Clarification("the SQL question", "window functions"),
            Clarification("salary"),
        ],
        interview_date=date(2025, 3, 12),
    )
    for kind in LetterKind:
        values = form_values(kind, fields)
        again = fields_from_form(kind, values, base=fields, today=date(2025, 3, 20))
        assert again == fields
        prefilled = {f.name: f.initial for f in form_fields(kind, prefill=fields)}
        assert prefilled["company"] == "Acme"


def test_letter_fields_accept_loose_input() -> None:
    fields = LetterFields(
        interviewer_names="Sam & Priya",
        strengths="- the demo\n- the Q&A",
        clarifications="the SQL question: window functions",
        company=None,
        role=None,
    )
    assert fields.interviewer_names == ["Sam", "Priya"]
    assert fields.strengths == ["the demo", "the Q&A"]
    assert fields.clarifications == [Clarification("the SQL question", "window functions")]
    assert (fields.company, fields.role) == ("", "")
    assert LetterFields.model_validate({"company": "Acme", "retired_field": 1}).company == "Acme"
