"""`/rebound` and its subcommands, in the bot's DM and in a server channel."""

from __future__ import annotations

import pytest

from adapters.discord.commands import suggest
from tests.discord.chat import Chat
from tests.discord.conftest import ALICE, GUILD, StartBot
from tests.discord.fake_discord import EPHEMERAL, FakeDiscord

# Subcommand -> words its answer contains (the engine's own copy).
SUBCOMMANDS = {
    None: "Which company",
    "letter": "Which letter shall we draft?",
    "status": "No interviews yet",
    "help": "Here's what I can do",
    "checkins": "No check-ins scheduled",
    "settings": "Your settings",
    "export": "everything I keep about you",
    "forget-me": "This deletes everything I have about you",
    "gibberish": "I don't know the command",
}


@pytest.mark.parametrize("args", list(SUBCOMMANDS), ids=[str(a) for a in SUBCOMMANDS])
async def test_each_subcommand_in_the_dm(fake: FakeDiscord, start_bot: StartBot,
                                         args: str | None) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    record = await chat.slash(args, SUBCOMMANDS[args])
    # The answer is the interaction's own response, in the DM, visible (it is private there).
    assert record.callback is not None and record.callback["type"] == 4
    answer = fake.messages_in(chat.dm)[0]
    assert answer.via == "callback" and not answer.ephemeral
    assert answer.allowed_mentions == {"parse": []}
    if args == "export":
        assert any(name.endswith(".json") for name in answer.files)
    if args == "forget-me":
        assert "Delete everything" in [b["label"] for r in answer.components
                                       for b in r["components"]]


@pytest.mark.parametrize("args", list(SUBCOMMANDS), ids=[str(a) for a in SUBCOMMANDS])
async def test_each_subcommand_in_a_server_answers_privately(
        fake: FakeDiscord, start_bot: StartBot, args: str | None) -> None:
    await start_bot()
    channel = fake.guild_channel(GUILD)
    chat = Chat(fake, ALICE)
    record = await fake.slash(ALICE, args, guild_id=GUILD, channel_id=channel)
    # The content goes to the DM ...
    await chat.expect(SUBCOMMANDS[args])
    # ... and the server channel only sees an ephemeral pointer to it, filled in once the DM
    # went out (deferred first, as DMs can outlast Discord's 3 seconds).
    [note] = await fake.wait_messages(1, channel_id=channel)
    assert record.callback is not None and record.callback["type"] == 5
    assert record.callback["data"]["flags"] & EPHEMERAL
    assert note.via == "original" and note.ephemeral
    assert f"discord.com/channels/@me/{chat.dm}" in note.content
    assert SUBCOMMANDS[args] not in note.content
    assert all(m.allowed_mentions == {"parse": []} for m in fake.messages)
    if args == "export":
        [export] = [m for m in fake.messages_in(chat.dm) if m.files]
        assert len(export.files) == 2


async def test_a_server_user_with_closed_dms_gets_the_answer_ephemerally(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    channel = fake.guild_channel(GUILD)
    dm = fake.dm_channel_of(ALICE)
    fake.fail("POST", f"/channels/{dm}/messages", 403, 50007, "Cannot send messages to this user")
    await fake.slash(ALICE, "status", guild_id=GUILD, channel_id=channel)
    messages = await fake.wait_for(
        lambda: [m for m in fake.messages_in(channel) if "No interviews yet" in m.content],
        what="the answer in the channel")
    first, *rest = fake.messages_in(channel)
    assert "couldn't DM you" in first.content and "our DMs" not in first.content
    assert messages and all(m.ephemeral for m in rest)


async def test_autocomplete_suggests_subcommands(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    record = await fake.autocomplete(ALICE, "let")
    await fake.wait_for(lambda: record.callback, what="the autocomplete answer")
    assert record.callback is not None and record.callback["type"] == 8
    values = [c["value"] for c in record.callback["data"]["choices"]]
    assert "letter" in values and "letter thank-you" in values and "status" not in values


def test_suggestions_keep_free_text() -> None:
    assert [v for v, _ in suggest("")][:2] == ["letter", "letter thank-you"]
    assert suggest("letter thank-you for Acme")[0][0] == "letter thank-you for Acme"
    assert len(suggest("")) <= 25


async def test_a_command_waiting_behind_a_slow_reply_is_deferred_then_answered(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    bot = await start_bot()
    bot.adapter.defer_after = 0.05  # Discord allows 3 s; the test needs no real wait
    chat = Chat(fake, ALICE)
    # The reply to this DM is slow to post, so the user's next turn waits behind it.
    fake.slow("POST", f"/channels/{chat.dm}/messages", 0.5)
    await fake.user_dms(ALICE, "hi")
    record = await fake.slash(ALICE, "status")
    await chat.expect("Which company", "Your interviews", "Back to where we were")
    assert record.callback is not None and record.callback["type"] == 5
    vias = [m.via for m in fake.messages_in(chat.dm)]
    assert vias == ["channel", "original", "followup"]
