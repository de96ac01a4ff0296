"""Settings by text, slash command and buttons; bad values re-ask and change nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.state import UserSettings
from bot.store import checkins, users
from tests.privacy.journey import ALICE, conversation, expect, full_debrief
from tests.transcript import Conversation, reply_text

USER = "U0SETTINGS"


def stored(convo: Conversation) -> UserSettings:
    """The settings as saved in the database."""
    assert convo.engine is not None
    row = convo.engine.db.execute("SELECT settings FROM users WHERE user_id = ?",
                                  [convo.user]).fetchone()
    return UserSettings.model_validate_json(row[0])


@pytest.fixture
def alice(tmp_path: Path) -> Conversation:
    """A user with no platform time zone (as on Discord)."""
    convo = conversation(tmp_path / "r.db", USER)
    convo.tz = None
    return convo


async def test_settings_alone_shows_them_with_buttons(alice: Conversation) -> None:
    """Every setting, its value, and a button for each."""
    replies = await alice.say("settings")
    said = reply_text(replies)
    for words in ("Time zone: not set yet", "Monday to Friday, 09:00 to 19:00",
                  "How often: normal", "Letters signed: not set yet"):
        assert words in said
    labels = [b.label for m in replies for b in m.buttons]
    assert labels == ["Time zone", "Hours", "Days", "How often", "Name on letters"]


async def test_each_setting_by_text(alice: Conversation) -> None:
    """Typed `settings <name> <value>` changes exactly that setting."""
    await expect(alice, "settings timezone Berlin", "Europe/Berlin")
    await expect(alice, "settings hours 8-18", "between 08:00 and 18:00")
    await expect(alice, "settings days mon-sat", "Monday to Saturday")
    await expect(alice, "settings frequency fewer", "fewer")
    await expect(alice, "settings name Alex Kim", "“Alex Kim”")
    assert stored(alice) == UserSettings(tz="Europe/Berlin", hours_start=8, hours_end=18,
                                         days=[0, 1, 2, 3, 4, 5], frequency="fewer",
                                         sender_name="Alex Kim")
    await expect(alice, "settings days every day", "Any day of the week")
    await expect(alice, "settings days weekdays", "Monday to Friday")
    assert stored(alice).days == [0, 1, 2, 3, 4]


async def test_each_setting_by_slash_command(alice: Conversation) -> None:
    """`/rebound settings ...` does the same."""
    for args, wanted in (("settings timezone America/Chicago", "America/Chicago"),
                         ("settings hours 9am-5pm", "between 09:00 and 17:00"),
                         ("settings days mon, wed, fri", "Monday, Wednesday and Friday"),
                         ("settings frequency none", "No more check-ins")):
        assert wanted in reply_text(await alice.command(args))
    saved = stored(alice)
    assert (saved.tz, saved.hours_start, saved.hours_end, saved.days, saved.frequency) == (
        "America/Chicago", 9, 17, [0, 2, 4], "none")
    assert "Your settings" in reply_text(await alice.command("settings"))


async def test_each_setting_by_buttons(alice: Conversation) -> None:
    """Tap a setting, then a choice (or type the value, or its number)."""
    await alice.say("settings")
    await expect(alice, "[Days]", "On which days")
    await expect(alice, "[Every day]", "Any day of the week")
    await alice.say("settings")
    await expect(alice, "[How often]", "How often")
    await expect(alice, "2", "fewer")  # typed number picks the second choice
    await alice.say("settings")
    await expect(alice, "[Time zone]", "Which time zone")
    await expect(alice, "Lisbon", "Europe/Lisbon")
    await alice.say("settings")
    await expect(alice, "[Hours]", "Between which hours")
    await expect(alice, "[08:00 to 18:00]", "between 08:00 and 18:00")
    await alice.say("settings")
    await expect(alice, "[Name on letters]", "What name")
    await expect(alice, "Alex Kim", "“Alex Kim”")
    assert stored(alice) == UserSettings(tz="Europe/Lisbon", hours_start=8, hours_end=18,
                                         days=list(range(7)), frequency="fewer",
                                         sender_name="Alex Kim")


async def test_platform_zone_is_offered_as_a_button(alice: Conversation) -> None:
    """When Slack tells us the zone, one tap sets it."""
    alice.tz = "Asia/Tokyo"
    await alice.say("hi")
    await alice.say("cancel")
    await expect(alice, "settings timezone Berlin", "Europe/Berlin")
    await alice.say("settings")
    await expect(alice, "[Time zone]", "Use Asia/Tokyo")
    await expect(alice, "[Use Asia/Tokyo]", "Time zone set to Asia/Tokyo")


@pytest.mark.parametrize(("command", "wanted"), [
    ("settings timezone Atlantis", "I don't know the time zone “Atlantis”"),
    ("settings hours 25-3", "Hours go from 0 to 24"),
    ("settings hours 18-8", "start before it ends"),
    ("settings hours soon", "couldn't read"),
    ("settings days funday", "I don't know the day “funday”"),
    ("settings days mon-blursday", "I don't know the day"),
    ("settings frequency hourly", "`normal`, `fewer` or `none`"),
])
async def test_bad_values_re_ask_and_change_nothing(alice: Conversation, command: str,
                                                    wanted: str) -> None:
    """A friendly re-ask with an example; the stored settings stay exactly as they were."""
    await expect(alice, "settings timezone Berlin", "Europe/Berlin")
    before = stored(alice)
    said = await expect(alice, command, wanted)
    assert "cancel" in said  # the way out is named
    assert stored(alice) == before
    # The re-ask owns the next message: a good value now applies...
    await expect(alice, "cancel", "left as it was")
    assert stored(alice) == before


async def test_a_bad_value_then_a_good_one(alice: Conversation) -> None:
    """After the re-ask, the next message is the value."""
    await expect(alice, "settings hours 25-3", "Between which hours")
    await expect(alice, "also wrong", "couldn't read")
    await expect(alice, "10-20", "between 10:00 and 20:00")
    assert (stored(alice).hours_start, stored(alice).hours_end) == (10, 20)


async def test_unknown_setting_names_what_can_change(alice: Conversation) -> None:
    """`settings colour blue` lists the real settings."""
    said = await expect(alice, "settings colour blue", "I can't change “colour blue”")
    assert "settings timezone Berlin" in said
    assert stored(alice) == UserSettings()


async def test_settings_mid_debrief_keep_the_question(alice: Conversation) -> None:
    """Changing a setting during the debrief answers nothing and comes back to the question."""
    await expect(alice, "my interview went badly", "Which company")
    await expect(alice, "Acme", "role")
    said = await expect(alice, "settings timezone Berlin", "Europe/Berlin")
    assert "And the role you interviewed for at Acme?" in said
    await expect(alice, "settings", "Your settings")
    await expect(alice, "[Hours]", "Between which hours")
    said = await expect(alice, "7-17", "between 07:00 and 17:00")
    assert "And the role you interviewed for at Acme?" in said
    await expect(alice, "Data Engineer", "When was it?")
    assert stored(alice).tz == "Europe/Berlin"


async def test_status_shows_settings(alice: Conversation) -> None:
    """The overview ends with the check-in settings."""
    await alice.say("settings timezone Berlin")
    said = await expect(alice, "status", "Check-ins: Monday to Friday, 09:00 to 19:00 "
                                         "(Europe/Berlin), normal")
    assert "settings" in said
    await alice.say("settings frequency none")
    await expect(alice, "status", "Check-ins: off")


async def test_frequency_none_cancels_scheduled_check_ins(tmp_path: Path) -> None:
    """Saying none stops every pending check-in at once, and says how many."""
    convo = conversation(tmp_path / "r.db", USER)
    await full_debrief(convo, ALICE)
    assert convo.engine is not None
    key = f"test:w:{USER}"
    assert len(checkins.pending_for_user(convo.engine.db, key)) == 2
    await expect(convo, "settings frequency none", "cancelled the 2 that were scheduled")
    assert checkins.pending_for_user(convo.engine.db, key) == []


async def test_narrower_hours_move_scheduled_check_ins_inside_them(tmp_path: Path) -> None:
    """A check-in set for 09:00 moves to 10:00 when the window becomes 10-18."""
    convo = conversation(tmp_path / "r.db", USER)
    await full_debrief(convo, ALICE)
    assert convo.engine is not None
    key = f"test:w:{USER}"
    before = checkins.pending_for_user(convo.engine.db, key)
    await expect(convo, "settings hours 10-18", "moved 2 scheduled check-ins")
    after = checkins.pending_for_user(convo.engine.db, key)
    assert [a.due_at - b.due_at for a, b in zip(after, before)] == [timedelta(hours=1)] * 2
    record = users.load_or_create(convo.engine.db, convo.ref, convo.clock.now())
    assert record.settings.hours_start == 10
