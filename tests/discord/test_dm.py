"""Direct messages through the real discord.py, against the fake Discord."""

from __future__ import annotations

import discord
import pytest

from adapters.discord import DiscordAdapter
from bot.clock import FrozenClock
from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from tests.discord.chat import Chat
from tests.discord.conftest import ALICE, BOB, StartBot
from tests.discord.fake_discord import FakeDiscord


async def test_a_whole_debrief_by_dm_with_buttons(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    await chat.say("I bombed my interview", "Hi, I'm Rebound", "Which company")
    await chat.say("Acme Robotics", "role you interviewed for at Acme Robotics?")
    await chat.say("Backend Engineer", "When was it?")
    await chat.press("Yesterday", "Who interviewed you?")
    # Discord gives no time zone, so the bot asks once.
    await chat.say("Dana Lee and Sam Ortiz", "which time zone are you in?")
    await chat.say("Berlin", "Europe/Berlin", "how are you feeling about it?")
    await chat.press("Frustrated", "Noted: frustrated")
    await chat.press("Done", "let it out")
    await chat.say("I knew the caching answer and it just wouldn't come out.", "what went wrong?")
    await chat.say("I blanked on the system design question", "So far")
    await chat.press("Done", "what went well?")
    await chat.say("My SQL answer was strong")
    await chat.press("Done", "write one sentence to yourself")
    await chat.say("One hard hour doesn't define me.", "Which points should it clarify?")
    await chat.press("I blanked on the system design question", "Picked 1")
    await chat.press("Done", "what would you say now")
    await chat.say("I would sketch a cache-aside design.", "One specific thing")
    await chat.say("Their move to event sourcing", "second interview")
    # Discord's display name signs the letter, so the bot does not ask for one.
    drafted = await chat.press("Yes, ask", "Here's your draft", "Subject:")
    assert "Alice Moreau" in "\n".join(m.content for m in drafted)
    await chat.press("Looks good", "heads-up")
    await chat.say("Priya Shah", "How do you know Priya Shah?")
    await chat.say("my manager at Initech", "Here's a heads-up for Priya Shah", "Anyone else?")
    await chat.press("That's everyone", "Your plan for Backend Engineer at Acme Robotics",
                     "I'll check in")
    # Every message of the conversation went out with mentions switched off.
    messages = fake.messages_in(chat.dm)
    assert messages and all(m.allowed_mentions == {"parse": []} for m in messages)
    assert all(len(m.content) <= 2000 for m in messages)
    # Pressed buttons were retired and the choice shown on their message.
    assert any(e.content.endswith("→ Yesterday") and e.components == [] for e in fake.edits)


async def test_echoed_everyone_cannot_ping(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    await chat.say("hi", "Which company")
    [echo] = await chat.say("@everyone @here <@&123> <@111000000000000002>",
                            "interviewed for at @everyone")
    assert "@everyone" in echo.content
    assert echo.allowed_mentions == {"parse": []}
    request = next(r for r in reversed(fake.requests) if r.path.endswith("/messages"))
    assert request.json["allowed_mentions"] == {"parse": []}


async def test_other_bots_are_ignored_and_replies_keep_their_order(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    await fake.user_dms(BOB, "hello from a bot", author_is_bot=True)
    chat = Chat(fake, ALICE)
    # Two messages at once: answered one after the other, in order.
    await fake.user_dms(ALICE, "hi")
    await fake.user_dms(ALICE, "Acme Robotics")
    await chat.expect("Which company", "role you interviewed for at Acme Robotics?")
    assert fake.messages_in(fake.dm_channel_of(BOB)) == []
    assert len(fake.messages_in(chat.dm)) == 2


async def test_the_bot_asks_only_for_servers_and_dms(fake: FakeDiscord,
                                                     start_bot: StartBot) -> None:
    await start_bot()
    [identify] = fake.identify_payloads
    intents = discord.Intents._from_value(identify["intents"])
    assert intents.guilds and intents.dm_messages
    # No privileged intents, and no server messages at all.
    assert not (intents.message_content or intents.members or intents.presences)
    assert not intents.guild_messages


async def test_commands_sync_only_when_they_change(fake: FakeDiscord, start_bot: StartBot,
                                                  settings: object) -> None:
    first = await start_bot()
    syncs = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 1
    [command] = syncs[0].json
    assert command["name"] == "rebound"
    assert command["contexts"] == [0, 1, 2] and command["integration_types"] == [0]
    assert command["options"][0]["name"] == "args" and not command["options"][0]["required"]
    await first.adapter.stop()
    await start_bot()
    syncs = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 1, "an unchanged command set is not synced again"


async def test_a_failed_command_sync_does_not_stop_the_bot(fake: FakeDiscord,
                                                           start_bot: StartBot) -> None:
    fake.fail("PUT", r"/applications/\d+/commands", 400, 50035, "Invalid Form Body", times=1)
    first = await start_bot()
    await Chat(fake, ALICE).say("hi", "Which company")
    await first.adapter.stop()
    # Not recorded as synced, so the next start tries again.
    await start_bot()
    syncs = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(syncs) == 2 and fake.commands


async def test_a_rejected_token_is_a_clear_config_error(fake: FakeDiscord, settings: Settings,
                                                        clock: FrozenClock) -> None:
    fake.fail("GET", "/users/@me", 401, 0, "401: Unauthorized")
    adapter = DiscordAdapter(Engine(settings.db, clock=clock), settings, api_base=fake.api_base,
                             gateway_url=fake.gateway_url, guild_ready_timeout=0)
    with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected"):
        await adapter.start()
    missing = settings.model_copy(update={"discord_token": None})
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        DiscordAdapter(Engine(settings.db, clock=clock), missing)
