"""Block Kit rendering: escaping, limits, buttons, modals, inline errors, App Home."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.render import (
    FORM_ACTION_ID, MAX_BLOCKS, SECTION_CHARS, decode_form, encode_form, escape, form_button,
    render_answered, render_form_errors, render_home, render_message, render_modal, split_text,
)
from bot.models import Button, FormField, FormRequest, OutboundMessage


def make_form(**overrides: object) -> FormRequest:
    """A letter-like form with one required and one optional multiline field."""
    fields = [
        FormField(name="company", label="Company", placeholder="Acme"),
        FormField(name="points", label="Points to clarify", required=False, multiline=True,
                  max_length=900, initial="The SQL question"),
    ]
    data: dict[str, object] = {"form_id": "letter:thank-you", "title": "Thank-you letter",
                               "fields": fields}
    data.update(overrides)
    return FormRequest(**data)  # type: ignore[arg-type]


def all_text(payload: dict) -> str:
    """Every string inside a payload, for searching."""
    return json.dumps(payload, ensure_ascii=False)


def test_channel_pings_and_links_are_escaped_in_blocks_and_fallback() -> None:
    message = OutboundMessage(text="You said: <!channel> <!everyone> <@U1> & <http://x|y>")
    [payload] = render_message(message)
    section_text = payload["blocks"][0]["text"]["text"]
    assert section_text == ("You said: &lt;!channel&gt; &lt;!everyone&gt; &lt;@U1&gt; &amp; "
                            "&lt;http://x|y&gt;")
    assert "<" not in payload["text"] and ">" not in payload["text"]
    assert "<!" not in all_text(payload)


def test_buttons_become_one_actions_block_with_unique_ids_and_engine_values() -> None:
    message = OutboundMessage(text="How are you feeling?", buttons=[
        Button(id="q:3:feel:Sad", label="Sad"),
        Button(id="q:3:done", label="Done", style="primary"),
    ])
    [payload] = render_message(message)
    actions = payload["blocks"][-1]
    assert actions["type"] == "actions"
    assert [e["value"] for e in actions["elements"]] == ["q:3:feel:Sad", "q:3:done"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == 2
    assert actions["elements"][1]["style"] == "primary"
    assert "style" not in actions["elements"][0]
    # The fallback numbers the choices so a notification still makes sense.
    assert payload["text"] == "How are you feeling?\n  1. Sad\n  2. Done"


def test_long_text_splits_on_paragraphs_under_the_section_limit() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 300 for n in range(12)]
    message = OutboundMessage(text="\n\n".join(paragraphs))
    [payload] = render_message(message)
    sections = [b["text"]["text"] for b in payload["blocks"]]
    assert all(len(s) <= SECTION_CHARS for s in sections)
    assert len(sections) > 1
    # No paragraph was cut in the middle: each section starts at a paragraph.
    assert all(s.startswith("Paragraph") for s in sections)
    assert "\n\n".join(sections).split() == message.text.split()


def test_escaping_is_counted_before_splitting() -> None:
    text = "&" * 2000  # 10,000 characters once escaped
    pieces = split_text(text)
    assert all(len(escape(piece)) <= SECTION_CHARS for piece in pieces)
    assert "".join(pieces) == text


def test_a_huge_message_stays_within_fifty_blocks_per_payload() -> None:
    message = OutboundMessage(text="\n\n".join(["x" * 2900] * 120),
                              buttons=[Button(id="go:help", label="Help")])
    payloads = render_message(message)
    assert len(payloads) == 3
    assert all(len(p["blocks"]) <= MAX_BLOCKS for p in payloads)
    assert payloads[-1]["blocks"][-1]["type"] == "actions"
    assert all(p["text"] for p in payloads)
    sections = sum(1 for p in payloads for b in p["blocks"] if b["type"] == "section")
    assert sections == 120


def test_empty_text_still_renders_a_valid_message() -> None:
    [payload] = render_message(OutboundMessage(text="", buttons=[Button(id="a:b", label="Ok")]))
    assert payload["blocks"][0]["text"]["text"].strip() == ""
    assert payload["blocks"][-1]["type"] == "actions"


def test_long_button_labels_are_trimmed_to_slack_limit() -> None:
    message = OutboundMessage(text="t", buttons=[Button(id="x:1", label="y" * 80)])
    [payload] = render_message(message)
    assert len(payload["blocks"][-1]["elements"][0]["text"]["text"]) == 75


def test_answered_message_keeps_the_text_drops_buttons_and_shows_choice() -> None:
    [payload] = render_message(OutboundMessage(text="Pick one", buttons=[
        Button(id="q:1:a", label="A <b>")]))
    blocks = render_answered(payload["blocks"], "A <b>")
    assert [b["type"] for b in blocks] == ["section", "context"]
    assert blocks[-1]["elements"][0]["text"] == "✓ A &lt;b&gt;"


def test_modal_has_one_input_per_field_with_matching_ids() -> None:
    view = render_modal(make_form(), intro="Let's write it.", private_metadata="D1")
    assert view["type"] == "modal"
    assert view["callback_id"] == "letter:thank-you"
    assert view["title"]["text"] == "Thank-you letter"
    assert view["private_metadata"] == "D1"
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [(b["block_id"], b["element"]["action_id"]) for b in inputs] == [
        ("company", "company"), ("points", "points")]
    assert inputs[0]["optional"] is False and inputs[1]["optional"] is True
    assert inputs[1]["element"]["multiline"] is True
    assert inputs[1]["element"]["initial_value"] == "The SQL question"
    assert inputs[0]["element"]["placeholder"]["text"] == "Acme"
    assert view["blocks"][0]["type"] == "section"


def test_form_errors_map_to_blocks_and_strays_land_on_the_first_field() -> None:
    errors = render_form_errors({"company": "Which company was it?",
                                 "_form": "Something else."}, ["company", "points"])
    assert errors == {"company": "Which company was it? Something else."}
    assert render_form_errors({"nope": "x"}, ["points"]) == {"points": "x"}


def test_form_survives_a_round_trip_through_a_button_value() -> None:
    form = make_form()
    value = encode_form(form)
    assert value is not None and len(value) <= 2000
    assert decode_form(value) == form
    assert form_button(value)["action_id"] == FORM_ACTION_ID


def test_damaged_or_foreign_button_values_decode_to_none() -> None:
    assert decode_form("q:1:done") is None
    assert decode_form("z:not-base64!!") is None
    assert decode_form("z:" + "A" * 40) is None


def test_a_form_too_big_for_a_button_is_not_encoded() -> None:
    import random
    rng = random.Random(5)
    fields = [FormField(name=f"f{n}", label=f"Field {n}",
                        initial="".join(rng.choice("abcdefghijklmnopqrstuvwxyz ")
                                        for _ in range(400)))
              for n in range(8)]
    assert encode_form(make_form(fields=fields)) is None


def test_home_view_shows_overview_and_start_buttons() -> None:
    view = render_home("Your interviews:\n1. Acme <x>", [
        Button(id="go:debrief", label="Start a debrief"),
        Button(id="go:letter", label="Draft a letter")])
    assert view["type"] == "home"
    assert "Acme &lt;x&gt;" in all_text(view)
    actions = [b for b in view["blocks"] if b["type"] == "actions"][0]
    assert [e["value"] for e in actions["elements"]] == ["go:debrief", "go:letter"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=12000), st.lists(st.text(min_size=1, max_size=80), max_size=30))
def test_any_message_renders_within_block_kit_limits(text: str, labels: list[str]) -> None:
    buttons = [Button(id=f"x:{n}", label=label) for n, label in enumerate(labels)]
    payloads = render_message(OutboundMessage(text=text, buttons=buttons))
    for payload in payloads:
        assert 1 <= len(payload["blocks"]) <= MAX_BLOCKS
        assert isinstance(payload["text"], str)
        for block in payload["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_CHARS
                # Only our escapes may produce '&'-entities; no raw angle brackets survive.
                assert "<" not in block["text"]["text"]
            if block["type"] == "actions":
                assert len(block["elements"]) <= 25
    action_ids = [e["action_id"] for p in payloads for b in p["blocks"] if b["type"] == "actions"
                  for e in b["elements"]]
    assert len(action_ids) == len(set(action_ids)) == len(buttons)
