"""Forms as Discord modals: opened from /rebound or a button, paged, validated, restart-proof.

No engine flow asked for a form when this was written (the letter command was still landing),
so a small test flow registers two forms through the same registry the real flows use.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.flows.base import Ctx, registry
from bot.models import FormField, FormRequest
from tests.discord.chat import Chat
from tests.discord.conftest import ALICE, GUILD, StartBot
from tests.discord.fake_discord import EPHEMERAL, FakeDiscord, Interaction

SURVEY = FormRequest(form_id="dtest:survey", title="Quick survey", fields=[
    FormField(name=f"q{i}", label=f"Question {i}", multiline=i == 2, required=i < 2)
    for i in range(7)])
QUICK = FormRequest(form_id="dtest:quick", title="Two things", fields=[
    FormField(name="company", label="Company", placeholder="e.g. " + "Acme " * 40),
    FormField(name="story", label="What happened", multiline=True, required=False,
              max_length=9000)])


def _open(form: FormRequest):  # type: ignore[no-untyped-def]
    def handler(ctx: Ctx, _args: str) -> None:
        ctx.say("Let's fill this in.", form=form)
    return handler


def _submitted(ctx: Ctx, form_id: str, values: dict[str, str]) -> None:
    if form_id == QUICK.form_id and values.get("company", "").lower() == "bad":
        again = QUICK.model_copy(update={"fields": [
            f.model_copy(update={"initial": values.get(f.name) or None}) for f in QUICK.fields]})
        ctx.say("One thing to fix:", form=again, form_errors={"company": "Use the real name."})
        return
    ctx.say("Got " + "; ".join(f"{k}={v}" for k, v in sorted(values.items()) if v))


@pytest.fixture(autouse=True)
def form_flow() -> Iterator[None]:
    """Register `discord survey` / `discord quick` and their form handler for one test."""
    registry.commands["discord survey"] = _open(SURVEY)
    registry.commands["discord quick"] = _open(QUICK)
    registry.forms["dtest:"] = _submitted
    yield
    del registry.commands["discord survey"], registry.commands["discord quick"]
    del registry.forms["dtest:"]


def modal_of(record: Interaction) -> dict:
    """The modal the bot answered an interaction with."""
    assert record.callback is not None and record.callback["type"] == 9, record.callback
    return record.callback["data"]  # type: ignore[no-any-return]


def inputs_of(modal: dict) -> list[dict]:
    """The text inputs inside a modal's labels."""
    return [c["component"] for c in modal["components"] if c["type"] == 18]


async def wait_answered(fake: FakeDiscord, record: Interaction) -> None:
    await fake.wait_for(lambda: record.callback, what="the interaction's response")


async def test_slash_command_opens_a_paged_form_and_submits_it_whole(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    record = await fake.slash(ALICE, "discord survey")
    await wait_answered(fake, record)
    first = modal_of(record)
    assert first["custom_id"] == "rbm:0:dtest:survey" and first["title"] == "Quick survey (1/2)"
    assert [i["custom_id"] for i in inputs_of(first)] == ["q0", "q1", "q2", "q3", "q4"]
    assert [c["label"] for c in first["components"]][:2] == ["Question 0", "Question 1"]
    assert inputs_of(first)[2]["style"] == 2 and inputs_of(first)[0]["style"] == 1
    page1 = await fake.submit_modal(ALICE, first["custom_id"],
                                    {f"q{i}": f"a{i}" for i in range(5)})
    [next_page] = await fake.wait_messages(1, channel_id=chat.dm)
    assert page1.callback is not None and page1.callback["data"]["flags"] & EPHEMERAL
    assert "Page 2 of 2" in next_page.content
    press = await fake.press(ALICE, next_page, next_page.button("Next page"))
    await wait_answered(fake, press)
    second = modal_of(press)
    assert second["custom_id"] == "rbm:1:dtest:survey"
    assert [i["custom_id"] for i in inputs_of(second)] == ["q5", "q6"]
    await fake.submit_modal(ALICE, second["custom_id"], {"q5": "a5", "q6": "a6"})
    done = (await chat.expect("Got q"))[-1]
    assert done.content == "Got " + "; ".join(f"q{i}=a{i}" for i in range(7))


async def test_a_form_from_a_dm_is_a_button_and_errors_offer_it_again(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    [offer] = await chat.say("discord quick", "Let's fill this in.")
    press = await fake.press(ALICE, offer, offer.button("Open the form"))
    await wait_answered(fake, press)
    modal = modal_of(press)
    company, story = inputs_of(modal)
    assert len(company["placeholder"]) <= 100 and story["max_length"] == 4000
    submit = await fake.submit_modal(ALICE, modal["custom_id"], {"company": "bad", "story": "x"})
    [errors] = await chat.expect("One thing to fix", "Company: Use the real name.")
    assert submit.callback is not None and submit.callback["data"]["flags"] & EPHEMERAL
    assert errors.ephemeral
    again = await fake.press(ALICE, errors, errors.button("Open the form again"))
    await wait_answered(fake, again)
    reopened = inputs_of(modal_of(again))
    assert [i.get("value") for i in reopened] == ["bad", "x"]  # what they typed, kept
    await fake.submit_modal(ALICE, modal["custom_id"], {"company": "Acme", "story": "x"})
    await chat.expect("Got company=Acme; story=x")


async def test_form_button_and_open_modal_survive_a_restart(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    first = await start_bot()
    chat = Chat(fake, ALICE)
    [offer] = await chat.say("discord quick", "Let's fill this in.")
    press = await fake.press(ALICE, offer, offer.button("Open the form"))
    await wait_answered(fake, press)
    await first.adapter.stop()
    await start_bot()
    # The modal opened before the restart is submitted after it.
    await fake.submit_modal(ALICE, modal_of(press)["custom_id"], {"company": "Acme"})
    await chat.expect("Got company=Acme")
    # And the button still opens the form (its definition is in SQLite, not in memory).
    again = await fake.press(ALICE, offer, offer.button("Open the form"))
    await wait_answered(fake, again)
    assert modal_of(again)["custom_id"] == "rbm:0:dtest:quick"


async def test_a_form_in_a_server_opens_there_and_answers_in_the_dm(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    channel = fake.guild_channel(GUILD)
    chat = Chat(fake, ALICE)
    record = await fake.slash(ALICE, "discord quick", guild_id=GUILD, channel_id=channel)
    await wait_answered(fake, record)
    modal = modal_of(record)
    submit = await fake.submit_modal(ALICE, modal["custom_id"], {"company": "Acme"},
                                     guild_id=GUILD, channel_id=channel)
    await chat.expect("Got company=Acme")
    [note] = await fake.wait_messages(1, channel_id=channel)
    assert submit.callback is not None and submit.callback["data"]["flags"] & EPHEMERAL
    assert note.ephemeral and "our DMs" in note.content


async def test_an_unknown_form_button_says_it_expired(fake: FakeDiscord,
                                                      start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    [offer] = await chat.say("discord quick", "Let's fill this in.")
    forged = {**offer.__dict__}
    forged["components"] = [{"type": 1, "components": [
        {"type": 2, "style": 1, "label": "Open", "custom_id": "rbf:0:dtest:never-offered"}]}]
    message = type(offer)(**forged)
    await fake.press(ALICE, message, "rbf:0:dtest:never-offered")
    [expired] = await chat.expect("That form has expired")
    assert expired.ephemeral


async def test_the_letter_command_opens_its_form_and_drafts_in_the_dm(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    record = await fake.slash(ALICE, "letter thank-you")
    await wait_answered(fake, record)
    modal = modal_of(record)
    assert modal["custom_id"].startswith("rbm:0:letter:thank-you:")
    assert modal["title"] == "Thank-you letter"
    inputs = {i["custom_id"]: i for i in inputs_of(modal)}
    assert "company" in inputs and inputs["clarifications"]["style"] == 2
    assert all(len(i.get("placeholder") or "") <= 100 for i in inputs.values())
    # Company left empty: the errors come back privately, with the form one click away.
    await fake.submit_modal(ALICE, modal["custom_id"], {"company": "", "role": "Analyst"})
    [errors] = await chat.expect("Almost there")
    assert errors.ephemeral and errors.content.count("I need this one") == 1
    again = await fake.press(ALICE, errors, errors.button("Open the form again"))
    await wait_answered(fake, again)
    reopened = {i["custom_id"]: i for i in inputs_of(modal_of(again))}
    assert reopened["role"].get("value") == "Analyst"
    await fake.submit_modal(ALICE, modal_of(again)["custom_id"],
                            {"company": "Acme Health", "role": "Analyst",
                             "interviewer_names": "Ms Rivera", "specific_detail": "",
                             "clarifications": ""})
    [draft] = await chat.expect("Here's your draft", "Subject:")
    assert "Acme Health" in draft.content and "Alice Moreau" in draft.content
    assert not draft.ephemeral and draft.allowed_mentions == {"parse": []}


async def test_the_letter_form_from_a_server_drafts_in_the_dm(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    channel = fake.guild_channel(GUILD)
    chat = Chat(fake, ALICE)
    record = await fake.slash(ALICE, "letter follow-up", guild_id=GUILD, channel_id=channel)
    await wait_answered(fake, record)
    modal = modal_of(record)
    await fake.submit_modal(ALICE, modal["custom_id"], {"company": "Globex", "role": "Analyst"},
                            guild_id=GUILD, channel_id=channel)
    [draft] = await chat.expect("Subject:")
    assert "Globex" in draft.content
    [note] = await fake.wait_messages(1, channel_id=channel)
    assert note.ephemeral and "Globex" not in note.content
