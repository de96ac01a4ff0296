"""A gateway RECONNECT (op 7) mid-conversation: nothing lost, nothing answered twice."""

from __future__ import annotations

from tests.discord.chat import Chat
from tests.discord.conftest import ALICE, StartBot
from tests.discord.fake_discord import FakeDiscord


async def test_reconnect_and_resume_lose_nothing_and_double_nothing(
        fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    chat = Chat(fake, ALICE)
    await chat.say("hi", "Which company")
    await fake.request_reconnect()
    # Sent while the bot is away: Discord keeps them for the RESUME.
    await fake.user_dms(ALICE, "Acme Robotics")
    status = await fake.slash(ALICE, "status")
    await chat.expect("role you interviewed for at Acme Robotics?", "Your interviews")
    assert fake.resumes == 1 and fake.identifies == 1, "resumed the session, no new IDENTIFY"
    # Discord may deliver events again after a resume: the same message and interaction twice.
    await fake.replay(3)
    # A barrier: once this is answered, any duplicate answer would already be here.
    await chat.say("Backend Engineer", "When was it?")
    contents = [m.content for m in fake.messages_in(chat.dm)]
    # hi -> company question; Acme -> role question; status -> overview + where we were;
    # Backend Engineer -> date question. Each exactly once.
    assert len(contents) == 5, contents
    assert contents[1] == "And the role you interviewed for at Acme Robotics?"
    assert contents[2].startswith("Your interviews") and contents[3].startswith("Back to")
    assert contents[4].startswith("When was it?")
    assert status.callback is not None and status.callback["type"] == 4
