"""Discord rendering and translation: chunking, buttons, forms as modals, inbound events."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.inbound import (
    display_name, modal_values, to_button_in, to_command_in, to_form_submit_in, to_text_in,
)
from adapters.discord.render import (
    MAX_CONTENT, next_page_message, page_count, parse_modal_id,
    pressed_content, render, render_modal, split_text,
)
from bot.models import Button, FileAttachment, FormField, FormRequest, OutboundMessage


def make_form(n_fields: int = 2, form_id: str = "letter:thank-you") -> FormRequest:
    """A letter-like form with `n_fields` inputs, the second multiline and optional."""
    fields = [FormField(name=f"f{i}", label=f"Field {i}", multiline=i == 1, required=i != 1,
                        max_length=9000 if i == 1 else 200, initial="x" if i == 0 else None)
              for i in range(n_fields)]
    return FormRequest(form_id=form_id, title="Thank-you letter", fields=fields)


def test_short_text_is_one_message_with_its_buttons() -> None:
    message = OutboundMessage(text="When was it?", buttons=[
        Button(id="q:3:today", label="Today", style="primary"),
        Button(id="q:3:yesterday", label="Yesterday")])
    [spec] = render(message)
    assert spec.content == "When was it?"
    assert [(b.custom_id, b.label, b.style) for b in spec.buttons] == [
        ("rb:q:3:today", "Today", "primary"), ("rb:q:3:yesterday", "Yesterday", "secondary")]


def test_long_text_splits_on_paragraphs_and_buttons_go_on_the_last_chunk() -> None:
    paragraphs = [("Paragraph %d. " % i) * 40 for i in range(6)]  # ~560 chars each
    message = OutboundMessage(text="\n\n".join(paragraphs), buttons=[Button(id="a:b", label="Ok")],
                              files=[FileAttachment(filename="x.json", content="{}")])
    specs = render(message)
    assert len(specs) > 1
    assert all(len(s.content) <= MAX_CONTENT for s in specs)
    # Every chunk ends at a paragraph's end: nothing is cut mid-paragraph.
    assert all(s.content.rstrip().endswith(".") for s in specs)
    assert "\n\n".join(s.content for s in specs).split() == message.text.split()
    assert [bool(s.buttons) for s in specs] == [False] * (len(specs) - 1) + [True]
    assert [bool(s.files) for s in specs] == [False] * (len(specs) - 1) + [True]


def test_a_single_huge_word_is_cut_hard() -> None:
    chunks = split_text("x" * 4500)
    assert [len(c) for c in chunks] == [2000, 2000, 500]


@given(st.text(alphabet=st.sampled_from(list("ab \n😀é")), max_size=7000))
def test_split_keeps_every_word_and_respects_the_limit(text: str) -> None:
    chunks = split_text(text)
    assert all(len(c) <= MAX_CONTENT for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


def test_buttons_that_do_not_fit_become_text_choices() -> None:
    long_id = "q:1:" + "x" * 95  # rb: + 99 chars > 100
    buttons = [Button(id=long_id, label="Too long")] + [
        Button(id=f"go:{i}", label=f"B{i}") for i in range(30)]
    [spec] = render(OutboundMessage(text="Pick", buttons=buttons))
    assert len(spec.buttons) == 25
    assert all(len(b.custom_id) <= 100 for b in spec.buttons)
    assert "• Too long" in spec.content and "• B29" in spec.content


def test_a_form_becomes_a_button_that_opens_it() -> None:
    form = make_form()
    [spec] = render(OutboundMessage(text="Let's draft it.", form=form))
    assert spec.buttons[-1].custom_id == "rbf:0:letter:thank-you"
    assert spec.buttons[-1].label == "Open the form"
    assert spec.forms == (form,)


def test_form_errors_name_the_fields_and_offer_the_form_again() -> None:
    form = make_form()
    message = OutboundMessage(text="A couple of things to fix:", form=form,
                              form_errors={"f0": "Please fill this in."})
    [spec] = render(message)
    assert "• Field 0: Please fill this in." in spec.content
    assert spec.buttons[-1].label == "Open the form again"
    # An error the engine's text already states is not repeated.
    stated = message.model_copy(update={"text": "Fix this:\n• f0: Please fill this in."})
    assert render(stated)[0].content == "Fix this:\n• f0: Please fill this in."


def test_modal_pages_hold_five_inputs_within_discord_limits() -> None:
    form = make_form(7)
    assert page_count(form) == 2
    first = render_modal(form, 0)
    second = render_modal(form, 1, values={"f5": "typed before"})
    assert [i.custom_id for i in first.inputs] == ["f0", "f1", "f2", "f3", "f4"]
    assert [i.custom_id for i in second.inputs] == ["f5", "f6"]
    assert first.title == "Thank-you letter (1/2)" and second.custom_id == "rbm:1:letter:thank-you"
    assert first.inputs[0].default == "x"
    assert first.inputs[1].multiline and not first.inputs[1].required
    assert first.inputs[1].max_length == 4000
    assert second.inputs[0].default == "typed before"
    assert parse_modal_id(second.custom_id) == ("letter:thank-you", 1)
    assert parse_modal_id("rb:q:1:x") is None
    nxt = next_page_message(form, 0)
    assert nxt.buttons[0].custom_id == "rbf:1:letter:thank-you"


def test_pressed_message_shows_the_choice_unless_that_overflows() -> None:
    assert pressed_content("When was it?", "Today") == "When was it?\n\n→ Today"
    assert pressed_content("x" * 1999, "Today") == "x" * 1999


def test_inbound_events_carry_ids_names_and_privacy() -> None:
    text = to_text_in(user_id=42, message_id=7, content="hi", name="Ada")
    assert (text.user.key, text.event_id, text.text, text.platform_tz) == (
        "discord::42", "7", "hi", None)
    command = to_command_in(user_id=42, interaction_id=8, args="  letter  ", in_guild=True)
    assert (command.name, command.args, command.in_public_channel) == ("rebound", "letter", True)
    assert to_command_in(user_id=42, interaction_id=9, args=None, in_guild=False).args == ""
    button = to_button_in(user_id=42, interaction_id=10, button_id="q:1:x", in_guild=False)
    assert button.button_id == "q:1:x" and button.event_id == "10"
    form = to_form_submit_in(user_id=42, interaction_id=11, form_id="f", values={"a": "b"},
                             in_guild=False)
    assert form.values == {"a": "b"}
    assert display_name("Ada L", "ada") == "Ada L"
    assert display_name(None, "ada") == "ada"


def test_modal_values_read_both_component_layouts() -> None:
    components = [
        {"type": 18, "id": 1, "component": {"type": 4, "custom_id": "company", "value": "Acme"}},
        {"type": 1, "components": [{"type": 4, "custom_id": "role", "value": "Analyst"}]},
        {"type": 10, "content": "ignored"},
    ]
    assert modal_values(components) == {"company": "Acme", "role": "Analyst"}
