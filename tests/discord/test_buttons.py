"""Buttons carry the engine's id in their custom_id, so they work across restarts."""

from __future__ import annotations

from tests.discord.chat import Chat
from tests.discord.conftest import ALICE, StartBot
from tests.discord.fake_discord import FakeDiscord


async def test_a_button_pressed_before_a_restart(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    await chat.say("hi", "Which company")
    await chat.say("Acme", "role")
    [question] = await chat.say("Analyst", "When was it?")
    assert question.custom_ids[0].startswith("rb:q:")
    await chat.press("Today", "Who interviewed you?")
    # The pressed message now shows the choice and has no buttons left to press again.
    [edit] = [e for e in fake.edits if e.id == question.id]
    assert edit.content.endswith("→ Today") and edit.components == []
    assert edit.allowed_mentions == {"parse": []}


async def test_a_button_pressed_after_a_restart(fake: FakeDiscord, start_bot: StartBot) -> None:
    first = await start_bot()
    chat = Chat(fake, ALICE)
    await chat.say("hi", "Which company")
    await chat.say("Acme", "role")
    [question] = await chat.say("Analyst", "When was it?")
    await first.adapter.stop()
    # A new process: new client, new engine, same database; nothing held in memory.
    await start_bot()
    assert fake.identifies == 2
    await fake.press(ALICE, question, question.button("Yesterday"))
    await chat.expect("Who interviewed you?")


async def test_an_old_button_after_the_question_moved_on(fake: FakeDiscord,
                                                         start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    await chat.say("hi", "Which company")
    await chat.say("Acme", "role")
    [question] = await chat.say("Analyst", "When was it?")
    today = question.button("Today")
    await chat.say("yesterday", "Who interviewed you?")
    # Pressed from the original message (as a second client window might still show it).
    await fake.press(ALICE, question, today)
    await chat.expect("That question has moved on", "Who interviewed you?")


async def test_an_action_button_survives_a_restart(fake: FakeDiscord, start_bot: StartBot) -> None:
    first = await start_bot()
    chat = Chat(fake, ALICE)
    await chat.slash("help", "Here's what I can do")
    [help_message] = fake.messages_in(chat.dm)
    await first.adapter.stop()
    await start_bot()
    await fake.press(ALICE, help_message, help_message.button("Talk through an interview"))
    await chat.expect("Which company")
