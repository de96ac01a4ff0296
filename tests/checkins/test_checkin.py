"""The check-in journeys: every branch, snooze and stop, and the `checkins` command."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.checkins import schedule
from bot.models import UserRef
from bot.store import interviews, transaction, users
from tests.checkins.harness import World, find_button

UTC = timezone.utc
THURSDAY_9 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)   # 09:00 in Berlin
HEARD_BACK_AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday, 09:00 in Berlin


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A fresh world on a Wednesday afternoon."""
    return World(tmp_path / "rebound.db")


async def heard_back(world: World, **debrief: object) -> tuple[UserRef, int]:
    """Alice, letter sent, receiving her first "heard back?"."""
    alice = world.user()
    interview = world.interview(alice, letter_sent=True, **debrief)
    assert await world.until(HEARD_BACK_AT) == 1
    assert "Have you heard back?" in world.latest_text()
    return alice, interview


def interview_row(world: World, ref: UserRef, interview_id: int):  # type: ignore[no-untyped-def]
    """The stored interview."""
    record = interviews.get(world.db, ref.key, interview_id)
    assert record is not None
    return record


def kinds(world: World, ref: UserRef) -> list[tuple[str, str]]:
    """(kind, local due time) of the user's pending check-ins."""
    return [(r.kind, world.local(ref, r.due_at).strftime("%a %d %b %H:%M"))
            for r in world.rows(ref, "pending")]


# ---- the letter reminder ---------------------------------------------------------------------


async def test_letter_reminder_sent_and_not_yet(world: World) -> None:
    """Next morning: "has your letter gone out?". Not yet: asked once more, then never again;
    the same button twice is already noted."""
    alice = world.user()
    world.interview(alice, references=[{"name": "Jordan"}])
    assert await world.until(THURSDAY_9) == 1
    said = world.latest_text()
    assert "has your thank-you letter gone out?" in said
    assert "have your references (Jordan) had their heads-up?" in said
    assert "[References told]" in said and "[Snooze]" in said and "[Stop these]" in said
    first = world.latest()
    assert "I'll ask once more tomorrow at 09:00" in await world.press(alice, "Not yet", first)
    assert "Already noted" in await world.press(alice, "Not yet", first)
    assert ("letter_reminder", "Fri 27 Nov 09:00") in kinds(world, alice)
    assert await world.until(datetime(2026, 11, 27, 8, 0, tzinfo=UTC)) == 1
    assert "I won't ask again" in await world.press(alice, "Not yet", world.latest())
    assert [kind for kind, _ in kinds(world, alice)] == ["heard_back"]


async def test_letter_reminder_yes_ticks_the_letter(world: World) -> None:
    """Yes, it's sent: ticked in the plan; a second press is already noted."""
    alice = world.user()
    interview = world.interview(alice)
    await world.until(THURSDAY_9)
    message = world.latest()
    assert "Letter sent: ticked" in await world.press(alice, "Yes, it's sent", message)
    assert "Already noted" in await world.press(alice, "Yes, it's sent", message)
    assert interview_row(world, alice, interview).debrief.letter_sent


async def test_no_reminder_when_the_letter_went_out_meanwhile(world: World) -> None:
    """Marked sent after the plan was made: the reminder is skipped, nothing is sent."""
    alice = world.user()
    interview = world.interview(alice)
    record = interview_row(world, alice, interview)
    record.debrief.letter_sent = True
    with transaction(world.db):
        interviews.save(world.db, record, world.clock.now())
    assert await world.until(THURSDAY_9) == 0
    assert [r.kind for r in world.rows(alice, "skipped")] == ["letter_reminder"]


# ---- heard back? ------------------------------------------------------------------------------


async def test_offer_celebrates_closes_and_cancels(world: World) -> None:
    """An offer: congratulations, the interview closed, its check-ins and the weekly goal
    cancelled; pressing again, or an older "heard back?", is already noted."""
    alice, interview = await heard_back(world)
    message = world.latest()
    world.add(alice, schedule.WEEKLY_GOAL, HEARD_BACK_AT + timedelta(days=7), None,
              {"apps": 3, "people": 2})
    world.add(alice, schedule.HEARD_BACK, HEARD_BACK_AT + timedelta(days=7), interview)
    said = await world.press(alice, "An offer!", message)
    assert "Congratulations" in said and "closed Data Analyst at Acme" in said
    record = interview_row(world, alice, interview)
    assert (record.status, record.outcome) == ("closed", "offer")
    assert world.rows(alice, "pending") == []
    assert "Already noted: you got an offer" in await world.press(alice, "A no", message)


async def test_typed_answer_to_heard_back_is_understood(world: World) -> None:
    """"not yet" typed after the check-in answers it; it does not start a new debrief."""
    alice, interview = await heard_back(world)
    said = await world.say(alice, "not yet")
    assert "No news yet is normal" in said
    assert "Which company" not in said
    assert ("heard_back", "Tue 08 Dec 09:00") in kinds(world, alice)
    # The typed answer closed the question: the next message is a fresh one.
    assert (await world.say(alice, "status")).startswith("Your interviews")


async def test_nothing_yet_three_times_then_move_on(world: World) -> None:
    """Nothing yet: a follow-up draft offered and a new ask a week on; after three rounds,
    suggest moving on; "Close this one" closes it with no reply."""
    alice, interview = await heard_back(world)
    for round_, when in ((1, "Tue 08 Dec 09:00"), (2, "Tue 15 Dec 09:00")):
        said = await world.press(alice, "Nothing yet", world.latest())
        assert "[Draft a follow-up]" in said and "I'll ask again" in said
        assert kinds(world, alice) == [("heard_back", when)]
        assert await world.travel(timedelta(days=7)) == 1
        assert "Checking in again" in world.latest_text()
    said = await world.press(alice, "Nothing yet", world.latest())
    assert "after 3 check-ins" in said
    assert "[Set a weekly goal]" in said and "[Close this one]" in said
    assert world.rows(alice, "pending") == []
    said = await world.press(alice, "Close this one")
    assert "Closed Data Analyst at Acme" in said
    record = interview_row(world, alice, interview)
    assert (record.status, record.outcome) == ("closed", "no reply")


async def test_after_three_rounds_ask_once_more(world: World) -> None:
    """"Ask me once more" books one more round; pressed again, already noted."""
    alice, _ = await heard_back(world)
    row = world.rows(alice, "sent")[-1]
    world.db.execute("UPDATE checkins SET payload = '{\"round\": 3}' WHERE id = ?", [row.id])
    await world.press(alice, "Nothing yet", world.latest())
    choices = world.last
    assert "I'll ask once more" in await world.press(alice, "Ask me once more", choices)
    assert "Already noted" in await world.press(alice, "Ask me once more", choices)
    assert [r.payload["round"] for r in world.rows(alice, "pending")] == [4]


async def test_follow_up_draft_from_the_check_in(world: World) -> None:
    """"Draft a follow-up" drafts and saves the letter; pressed again, shows the same one."""
    alice, interview = await heard_back(world)
    await world.press(alice, "Nothing yet", world.latest())
    button = find_button(world.last, "Draft a follow-up")
    said = await world.press_id(alice, button.id)
    assert "Subject:" in said and "Acme" in said
    again = await world.press_id(alice, button.id)
    assert "the one I drafted earlier" in again
    rows = world.db.execute("SELECT kind FROM letters WHERE interview_id = ?",
                            [interview]).fetchall()
    assert rows == [("follow-up",)]


async def test_second_interview_prep_date_and_the_day_after(world: World) -> None:
    """A second interview: congratulations, the prep list (lessons to repeat and to correct,
    questions to ask), its date, a check-in the morning after, then "heard back?" again."""
    alice, interview = await heard_back(world)
    said = await world.press(alice, "A second interview", world.latest())
    assert "well done" in said
    for words in ("Keep doing:", "My story about the churn model", "Sharpen:",
                  "The SQL window question: “I'd use ROW_NUMBER”", "Good questions to ask",
                  "When is the second interview?"):
        assert words in said
    said = await world.say(alice, "2026-12-03")
    assert "Thursday 3 December: noted" in said
    assert kinds(world, alice) == [("second_interview", "Fri 04 Dec 09:00")]
    assert interview_row(world, alice, interview).outcome == "second interview"
    assert await world.until(datetime(2026, 12, 4, 8, 0, tzinfo=UTC)) == 1
    assert "How did your second interview" in world.latest_text()
    said = await world.press(alice, "It went well", world.latest())
    assert "great to hear" in said
    assert kinds(world, alice) == [("heard_back", "Fri 11 Dec 09:00")]
    assert "Already noted: it went well" in await world.press(alice, "Rough", world.latest())


async def test_second_interview_date_not_known_yet(world: World) -> None:
    """No date yet: I'll ask where things stand in about a week."""
    alice, _ = await heard_back(world)
    await world.press(alice, "A second interview", world.latest())
    assert "No problem" in await world.press(alice, "No date yet")
    assert kinds(world, alice) == [("heard_back", "Tue 08 Dec 09:00")]


async def test_rejection_letter_then_weekly_goal(world: World) -> None:
    """A no: acknowledged, the after-rejection reply offered, then a weekly goal whose
    check-ins track it until an offer."""
    alice, interview = await heard_back(world)
    said = await world.press(alice, "A no", world.latest())
    assert "not a verdict on you" in said and "[Draft that reply]" in said
    assert "[5 applications, 3 people]" in said
    record = interview_row(world, alice, interview)
    assert (record.status, record.outcome) == ("closed", "rejection")
    choices = world.last
    reply = await world.press(alice, "Draft that reply", choices)
    assert "Subject:" in reply
    said = await world.press(alice, "5 applications, 3 people", choices)
    assert "Goal set: 5 applications and 3 people" in said
    assert "Already noted" in await world.press(alice, "5 applications, 3 people", choices)
    assert kinds(world, alice) == [("weekly_goal", "Tue 08 Dec 09:00")]
    assert await world.travel(timedelta(days=7)) == 1
    assert "Your goal: 5 applications sent and 3 people contacted" in world.latest_text()
    # Next week is booked with this one, so silence never ends the series.
    assert kinds(world, alice) == [("weekly_goal", "Tue 15 Dec 09:00")]
    assert "real momentum" in await world.press(alice, "Hit it", world.latest())
    assert "Already noted: you hit your goal" in await world.press(alice, "Part of it",
                                                                    world.latest())
    assert await world.travel(timedelta(days=7)) == 1
    assert "The last few weeks: hit it." in world.latest_text()
    said = await world.press(alice, "I got an offer!", world.latest())
    assert "Congratulations" in said
    assert world.rows(alice, "pending") == []


async def test_change_the_weekly_goal_in_words(world: World) -> None:
    """"Change the goal": typed numbers update the running series."""
    alice = world.user()
    world.add(alice, schedule.WEEKLY_GOAL, datetime(2026, 11, 26, 8, 0, tzinfo=UTC), None,
              {"apps": 3, "people": 2, "history": []})
    await world.until(THURSDAY_9)
    assert "How did this week go?" in world.latest_text()
    assert "Two numbers" in await world.press(alice, "Change the goal", world.latest())
    assert "Two numbers, please" in await world.say(alice, "lots")
    assert "Goal changed: 8 applications and 4 people" in await world.say(alice, "8 and 4")
    assert [r.payload["apps"] for r in world.rows(alice, "pending")] == [8]


# ---- snooze ----------------------------------------------------------------------------------


async def test_snooze_tomorrow_once(world: World) -> None:
    """Snooze → Tomorrow asks again tomorrow morning; the same press again is already noted."""
    alice, _ = await heard_back(world)
    menu = await world.press(alice, "Snooze", world.latest())
    assert "[Later today]" in menu and "[Next week]" in menu and "[Pick a time]" in menu
    options = world.last
    assert "I'll ask again tomorrow at 09:00" in await world.press(alice, "Tomorrow", options)
    assert "Already noted" in await world.press(alice, "Next week", options)
    assert kinds(world, alice) == [("heard_back", "Wed 02 Dec 09:00")]
    assert await world.travel(timedelta(days=1)) == 1
    assert "Have you heard back?" in world.latest_text()


async def test_snooze_to_words_returns_to_the_debrief(world: World) -> None:
    """"Pick a time" while mid-debrief: "monday morning" is understood, a bad answer is
    re-asked, and then the debrief question comes back."""
    alice, _ = await heard_back(world)
    await world.say(alice, "new interview")
    assert world.rows(alice, "pending") == []
    await world.press(alice, "Snooze", world.latest())
    assert "When should I ask again?" in await world.press(alice, "Pick a time")
    assert "I couldn't read" in await world.say(alice, "whenever the moon is blue")
    said = await world.say(alice, "monday morning")
    assert "I'll ask again on Monday 7 December at 09:00" in said
    assert "Which company" in said  # back to the debrief
    assert kinds(world, alice) == [("heard_back", "Mon 07 Dec 09:00")]


# ---- stop ------------------------------------------------------------------------------------


async def test_stop_this_interview(world: World) -> None:
    """Stop → this interview: its check-ins cancelled, and nothing new is booked for it,
    even from an old button."""
    alice, interview = await heard_back(world)
    message = world.latest()
    world.add(alice, schedule.HEARD_BACK, HEARD_BACK_AT + timedelta(days=3), interview)
    other = world.interview(alice, plan=False, company="Globex", letter_sent=True)
    world.add(alice, schedule.HEARD_BACK, HEARD_BACK_AT + timedelta(days=3), other)
    said = await world.press(alice, "Stop these", message)
    assert "[Just Data Analyst at Acme]" in said and "[All check-ins]" in said
    menu = world.last
    said = await world.press(alice, "Just Data Analyst at Acme", menu)
    assert "no more check-ins about Data Analyst at Acme" in said
    assert [r.interview_id for r in world.rows(alice, "pending")] == [other]
    said = await world.press(alice, "Nothing yet", message)
    assert "I'll ask again" not in said
    assert [r.interview_id for r in world.rows(alice, "pending")] == [other]
    assert "Already noted" in await world.press(alice, "Just Data Analyst at Acme", menu)


async def test_stop_all_and_turn_back_on(world: World) -> None:
    """Stop → all: frequency none, everything cancelled; `checkins` offers to turn them on."""
    alice, _ = await heard_back(world)
    world.interview(alice, company="Globex")
    await world.press(alice, "Stop these", world.latest())
    said = await world.press(alice, "All check-ins")
    assert "no more check-ins" in said.lower()
    assert world.rows(alice, "pending") == []
    stored = users.load_or_create(world.db, alice, world.clock.now()).settings
    assert stored.frequency == "none"
    assert "Check-ins are off" in await world.say(alice, "checkins")
    assert "back on" in await world.press(alice, "Turn check-ins on")
    assert users.load_or_create(world.db, alice, world.clock.now()).settings.frequency == \
        "normal"


async def test_the_word_stop_right_after_a_check_in(world: World) -> None:
    """"stop" typed after a check-in offers to stop check-ins; with nothing recent and
    nothing in progress it is the usual "nothing to cancel"."""
    alice, _ = await heard_back(world)
    said = await world.say(alice, "stop")
    assert "Stop check-ins for this, or all of them?" in said
    assert "no more check-ins" in (await world.press(alice, "All check-ins")).lower()
    bob = world.user("bob")
    assert "Nothing to cancel" in await world.say(bob, "stop")


async def test_stop_mid_debrief_still_pauses_the_debrief(world: World) -> None:
    """In the middle of a debrief "stop" keeps meaning "pause this"."""
    alice = world.user()
    await world.say(alice, "my interview went badly")
    assert "Everything you've told me is saved" in await world.say(alice, "stop")


# ---- buttons work whatever the conversation is doing -------------------------------------------


async def test_check_in_buttons_work_mid_debrief(world: World) -> None:
    """A check-in arriving mid-debrief leaves the debrief where it was; its buttons work."""
    alice = world.user()
    interview = world.interview(alice, letter_sent=True)
    await world.say(alice, "new interview")
    assert await world.until(HEARD_BACK_AT) == 1
    said = await world.press(alice, "Nothing yet", world.latest())
    assert "No news yet is normal" in said
    assert "Which company" in await world.say(alice, "hi")
    assert interview_row(world, alice, interview).status == "open"


# ---- the `checkins` command ------------------------------------------------------------------


async def test_checkins_list_move_and_cancel(world: World) -> None:
    """List with numbers; move by words or button; cancel; unknown numbers explained."""
    alice = world.user()
    world.interview(alice)
    said = await world.say(alice, "checkins")
    assert "1. tomorrow at 09:00: did the thank-you letter go out? (Data Analyst at Acme)" \
        in said
    assert "2. Tuesday 1 December at 09:00: have you heard back?" in said
    assert "[Move 1]" in said and "[Cancel 2]" in said
    said = await world.say(alice, "checkins move 1 friday 2pm")
    assert "now Friday 27 November at 14:00" in said
    assert "There's no check-in number 7" in await world.say(alice, "checkins cancel 7")
    await world.say(alice, "checkins")
    listing = world.last
    assert "Cancelled" in await world.press(alice, "Cancel 2", listing)
    assert "Already noted" in await world.press(alice, "Cancel 2", listing)
    assert "When should it be instead?" in await world.press(alice, "Move 1", listing)
    assert "now tomorrow at 09:00" in await world.press(alice, "Tomorrow")
    assert kinds(world, alice) == [("letter_reminder", "Thu 26 Nov 09:00")]
    said = await world.say(alice, "checkins cancel 1")
    assert "Cancelled" in said
    assert "No check-ins scheduled" in await world.say(alice, "checkins")


async def test_checkins_off_and_on_by_command(world: World) -> None:
    """`checkins off` stops everything; `checkins on` allows new ones."""
    alice = world.user()
    world.interview(alice)
    assert "no more check-ins" in (await world.say(alice, "checkins off")).lower()
    assert world.rows(alice, "pending") == []
    assert "back on" in await world.say(alice, "checkins on")


async def test_forget_me_removes_check_ins_and_stops(world: World) -> None:
    """Forgetting the user deletes every check-in row and stop, by cascade."""
    alice, interview = await heard_back(world)
    await world.press(alice, "Stop these", world.latest())
    await world.press(alice, "Just Data Analyst at Acme")
    with transaction(world.db):
        users.forget(world.db, alice.key)
    for table in ("checkins", "checkin_stops"):
        assert world.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


async def test_typed_number_or_other_words_after_a_check_in(world: World) -> None:
    """"2" picks the second answer; words that are no answer start what they always did."""
    alice, _ = await heard_back(world)
    assert "A second interview: well done" in await world.say(alice, "2")
    other = World(world.path.with_name("carol.db"))
    carol, _ = await heard_back(other)
    said = await other.say(carol, "I had another awful interview today")
    assert "Which company" in said
    assert other.rows(carol, "sent")[0].answer is None


async def test_stop_checkins_with_none_recent_offers_all(world: World) -> None:
    """"stop checkins" with no recent check-in: stop all, or keep them."""
    alice = world.user()
    world.interview(alice)
    said = await world.say(alice, "stop checkins")
    assert "Stop all check-ins?" in said and "[Keep them]" in said
    menu = world.last
    assert "keep checking in" in await world.press(alice, "Keep them", menu)
    assert len(world.rows(alice, "pending")) == 2
    assert "no more check-ins" in (await world.press(alice, "All check-ins", menu)).lower()
    assert world.rows(alice, "pending") == []


async def test_checkins_move_works_mid_debrief(world: World) -> None:
    """`checkins move 1 friday 2pm` in the middle of a debrief moves it, then resumes."""
    alice = world.user()
    world.interview(alice)
    await world.say(alice, "new interview")
    said = await world.say(alice, "checkins move 1 friday 2pm")
    assert "now Friday 27 November at 14:00" in said and "Which company" in said
