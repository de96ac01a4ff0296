"""Check-ins through the Discord adapter: sent to the DM, 50007 undeliverable, never retried."""

from __future__ import annotations

from datetime import timedelta

from bot.checkins import schedule
from bot.checkins.dispatcher import Dispatcher
from bot.clock import FrozenClock
from bot.config import Settings
from bot.models import Button, OutboundMessage, UserRef
from bot.state import DebriefState
from bot.store import checkins, interviews, transaction, users
from tests.discord.chat import Chat
from tests.discord.conftest import ALICE, BOB, Bot, StartBot
from tests.discord.fake_discord import FakeDiscord

NUDGE = [OutboundMessage(text="Heard back from @everyone at Acme?",
                         buttons=[Button(id="ci:1:nothing", label="Nothing yet")])]


def heard_back_due(bot: Bot, user_id: int, clock: FrozenClock) -> int:
    """A Discord user with a finished debrief and a "heard back?" check-in due now."""
    ref = UserRef(platform="discord", workspace="", user=str(user_id))
    db, now = bot.engine.db, clock.now()
    with transaction(db):
        record = users.load_or_create(db, ref, now)
        record.settings.tz = "Europe/Berlin"
        users.save(db, record, now)
        interview = interviews.create(db, ref.key, now)
        interview.debrief = DebriefState(company="Acme", role="Analyst", finished=True,
                                         interview_date=(now - timedelta(days=6)).date())
        interviews.save(db, interview, now)
        return checkins.add(db, ref.key, interview.id, schedule.HEARD_BACK, now, now)


def status_of(bot: Bot, user_id: int, checkin_id: int) -> str:
    record = checkins.get(bot.engine.db, f"discord::{user_id}", checkin_id)
    assert record is not None
    return record.status


async def test_a_check_in_reaches_the_dm_and_its_buttons_work(
        fake: FakeDiscord, start_bot: StartBot, settings: Settings, clock: FrozenClock) -> None:
    bot = await start_bot()
    checkin_id = heard_back_due(bot, ALICE, clock)
    dispatcher = Dispatcher(bot.engine, {"discord": bot.adapter}, settings, clock=clock)
    assert await dispatcher.run_once() == 1
    assert status_of(bot, ALICE, checkin_id) == "sent"
    chat = Chat(fake, ALICE)
    [nudge] = await chat.expect("heard back")
    assert nudge.allowed_mentions == {"parse": []} and nudge.custom_ids
    await chat.press("An offer!", "Congratulations")
    assert fake.edits and fake.edits[-1].content.endswith("→ An offer!")


async def test_closed_dms_make_a_check_in_undeliverable_without_retry(
        fake: FakeDiscord, start_bot: StartBot, settings: Settings, clock: FrozenClock) -> None:
    bot = await start_bot()
    dm = fake.dm_channel_of(BOB)
    fake.fail("POST", f"/channels/{dm}/messages", 403, 50007, "Cannot send messages to this user")
    checkin_id = heard_back_due(bot, BOB, clock)
    dispatcher = Dispatcher(bot.engine, {"discord": bot.adapter}, settings, clock=clock)
    assert await dispatcher.run_once() == 0
    assert status_of(bot, BOB, checkin_id) == "undeliverable"
    posts = [r for r in fake.requests if r.path == f"/channels/{dm}/messages"]
    assert len(posts) == 1
    clock.advance(timedelta(days=1))
    await dispatcher.run_once()
    assert len([r for r in fake.requests if r.path == f"/channels/{dm}/messages"]) == 1


async def test_send_proactive_reports_each_outcome(fake: FakeDiscord, start_bot: StartBot) -> None:
    bot = await start_bot()
    alice = UserRef(platform="discord", user=str(ALICE))
    bob = UserRef(platform="discord", user=str(BOB))
    sent = await bot.adapter.send_proactive(alice, NUDGE)
    assert sent.status == "sent"
    [message] = fake.messages_in(fake.dm_channel_of(ALICE))
    assert message.allowed_mentions == {"parse": []} and message.custom_ids == ["rb:ci:1:nothing"]
    # A user Discord no longer knows.
    gone = await bot.adapter.send_proactive(UserRef(platform="discord", user="42"), NUDGE)
    assert gone.status == "undeliverable"
    # Any other refusal is a failure the dispatcher may retry, with Discord's code as reason.
    fake.fail("POST", f"/channels/{fake.dm_channel_of(BOB)}/messages", 400, 50035,
              "Invalid Form Body", times=1)
    failed = await bot.adapter.send_proactive(bob, NUDGE)
    assert failed.status == "failed" and failed.reason is not None and "50035" in failed.reason
    assert (await bot.adapter.send_proactive(bob, NUDGE)).status == "sent"
    await bot.adapter.stop()
    stopped = await bot.adapter.send_proactive(alice, NUDGE)
    assert stopped.status == "failed"
