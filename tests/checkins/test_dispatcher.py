"""The dispatcher: claim, deliver, record; retries, unreachable users, downtime, leases."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.checkins import schedule
from bot.checkins.dispatcher import HOST, RETRY_DELAYS, Dispatcher
from bot.clock import SystemClock
from bot.engine import Engine
from bot.models import CheckinDueIn, UserRef
from bot.store import checkins, transaction
from tests.checkins.harness import START, RecordingSender, World

UTC = timezone.utc


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A fresh world on a Wednesday afternoon."""
    return World(tmp_path / "rebound.db")


async def test_a_due_check_in_is_delivered_once(world: World) -> None:
    """Nothing before it is due; once due, one delivery, recorded as sent; never again."""
    alice = world.user()
    world.interview(alice)
    assert await world.dispatcher.run_once() == 0
    assert await world.until(datetime(2026, 11, 26, 7, 59, tzinfo=UTC)) == 0
    assert await world.until(datetime(2026, 11, 26, 8, 0, tzinfo=UTC)) == 1
    user, messages = world.sender.sent[0]
    assert user == alice
    assert "has your thank-you letter gone out" in messages[0].text
    reminder = world.rows(alice, "sent")[0]
    assert (reminder.kind, reminder.attempts) == (schedule.LETTER_REMINDER, 1)
    assert await world.travel(timedelta(hours=1)) == 0
    assert len(world.sender.sent) == 1


async def test_late_rows_are_sent_and_stale_rows_are_missed(world: World) -> None:
    """After downtime: under 36 hours late is still sent; older is missed, and the sequence
    moves on (a missed "heard back?" is asked again now; a missed reminder is dropped)."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    late = world.add(alice, schedule.HEARD_BACK, START - timedelta(hours=30), interview)
    stale_reminder = world.add(alice, schedule.LETTER_REMINDER, START - timedelta(hours=50),
                               interview)
    bob = world.user("bob")
    stale = world.add(bob, schedule.HEARD_BACK, START - timedelta(hours=40),
                      world.interview(bob, plan=False), {"round": 2})
    assert await world.dispatcher.run_once() == 2
    assert world.row(late).status == "sent"
    assert (world.row(stale_reminder).status, world.row(stale).status) == ("missed", "missed")
    assert world.rows(alice, "pending") == []
    again = world.rows(bob, "sent")
    assert len(again) == 1 and again[0].payload == {"round": 2, "after_missed": stale}
    assert "Checking in again" in world.sender.sent[-1][1][0].text
    assert world.dispatcher.stats["missed"] == 2


async def test_staleness_is_configurable(tmp_path: Path) -> None:
    """REBOUND_CHECKIN_STALENESS_HOURS=12: 30 hours late is too late."""
    world = World(tmp_path / "r.db", settings_overrides={"REBOUND_CHECKIN_STALENESS_HOURS": 12})
    alice = world.user()
    interview = world.interview(alice, plan=False)
    reminder = world.add(alice, schedule.LETTER_REMINDER, START - timedelta(hours=30),
                         interview)
    assert await world.dispatcher.run_once() == 0
    assert world.row(reminder).status == "missed"
    assert world.sender.sent == []


async def test_a_late_check_in_waits_for_the_users_morning(world: World) -> None:
    """Back up at 23:00 Berlin: the check-in due at 18:00 waits until 09:00, not sent at night."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    row = world.add(alice, schedule.HEARD_BACK, datetime(2026, 11, 25, 17, 0, tzinfo=UTC),
                    interview)
    assert await world.until(datetime(2026, 11, 25, 22, 0, tzinfo=UTC)) == 0
    assert world.row(row).due_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert await world.until(datetime(2026, 11, 26, 8, 0, tzinfo=UTC)) == 1


async def test_a_failed_send_is_retried_with_backoff_then_given_up(world: World) -> None:
    """503s: retried after 1, 5, 15 and 60 minutes, then recorded as failed with the reason."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    row = world.add(alice, schedule.HEARD_BACK, START, interview)
    world.sender.mode = "failed"
    assert await world.dispatcher.run_once() == 0
    for delay in RETRY_DELAYS:
        record = world.row(row)
        assert (record.status, record.last_error) == ("pending", "HTTP 503")
        assert record.due_at == world.clock.now() + delay
        assert await world.travel(delay - timedelta(seconds=1)) == 0
        assert await world.travel(timedelta(seconds=1)) == 0
    record = world.row(row)
    assert (record.status, record.attempts, record.last_error) == ("failed", 5, "HTTP 503")
    assert world.sender.attempts == 5


async def test_a_retry_after_a_failure_is_delivered(world: World) -> None:
    """The platform recovers: the second attempt gets through, once."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    row = world.add(alice, schedule.HEARD_BACK, START, interview)
    world.sender.mode = "raise"
    assert await world.dispatcher.run_once() == 0
    assert world.row(row).last_error == "ConnectionResetError"
    world.sender.mode = "sent"
    assert await world.travel(RETRY_DELAYS[0]) == 1
    assert (world.row(row).status, world.row(row).attempts) == ("sent", 2)
    assert len(world.sender.sent) == 1


async def test_an_unreachable_user_is_paused_not_retried(world: World) -> None:
    """DMs blocked: that check-in is undeliverable, the user's others pause, data stays;
    `checkins` shows them paused and they can be resumed."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    first = world.add(alice, schedule.HEARD_BACK, START, interview)
    later = world.add(alice, schedule.LETTER_REMINDER, START + timedelta(days=1), interview)
    world.sender.mode = "undeliverable"
    assert await world.dispatcher.run_once() == 0
    assert world.row(first).status == "undeliverable"
    assert world.row(first).last_error == "cannot DM this user"
    assert world.row(later).status == "paused"
    assert await world.travel(timedelta(days=2)) == 0
    assert world.sender.attempts == 1
    said = await world.say(alice, "checkins")
    assert "paused: I couldn't reach you by DM" in said
    world.sender.mode = "sent"
    assert "Resumed 1 check-in" in await world.press(alice, "Resume paused ones")
    assert world.row(later).status == "pending"
    assert await world.dispatcher.run_once() == 1


async def test_check_ins_that_no_longer_matter_are_skipped(world: World) -> None:
    """Letter already sent, interview closed, or check-ins off: nothing sent, row skipped."""
    alice = world.user()
    sent_letter = world.interview(alice, plan=False, letter_sent=True)
    reminder = world.add(alice, schedule.LETTER_REMINDER, START, sent_letter)
    bob = world.user("bob", frequency="none")
    bobs = world.add(bob, schedule.HEARD_BACK, START, world.interview(bob, plan=False))
    carol = world.user("carol")
    closed = world.interview(carol, plan=False)
    world.db.execute("UPDATE interviews SET status = 'closed' WHERE id = ?", [closed])
    carols = world.add(carol, schedule.HEARD_BACK, START, closed)
    assert await world.dispatcher.run_once() == 0
    assert [world.row(i).status for i in (reminder, bobs, carols)] == ["skipped"] * 3
    assert world.sender.attempts == 0


async def test_an_engine_failure_is_never_pushed_to_the_user(world: World) -> None:
    """A check-in whose turn fails is recorded as failed and retried, not sent as "oops"."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    row = world.add(alice, schedule.HEARD_BACK, START, interview)
    world.db.execute("UPDATE interviews SET debrief = '{\"step\": 5}' WHERE id = ?",
                     [interview])
    assert await world.dispatcher.run_once() == 0
    assert world.sender.attempts == 0
    assert (world.row(row).status, world.row(row).last_error) == ("pending", "engine error")


async def test_rows_left_mid_send_by_a_dead_dispatcher(world: World) -> None:
    """A row whose turn ran may have been sent: marked unknown, never resent. A row claimed
    but never worded was never sent: queued again and delivered once."""
    alice = world.user()
    interview = world.interview(alice, plan=False)
    worded = world.add(alice, schedule.HEARD_BACK, START, interview)
    unworded = world.add(alice, schedule.LETTER_REMINDER, START, interview)
    with transaction(world.db):
        assert checkins.claim(world.db, [worded, unworded], "dead-one", START) == {worded,
                                                                                   unworded}
    # The dead dispatcher's engine turn for `worded` ran (and maybe its send did too).
    words = await world.engine.handle(CheckinDueIn(
        user=alice, checkin_id=worded, event_id=checkins.event_id(worded, 1)))
    assert words
    assert await world.dispatcher.run_once() == 1
    assert (world.row(worded).status, world.row(unworded).status) == ("unknown", "sent")
    assert "not resent" in (world.row(worded).last_error or "")
    assert len(world.sender.sent) == 1
    assert "thank-you letter" in world.sender.sent[0][1][0].text
    assert world.dispatcher.stats["recovered_unknown"] == 1
    assert world.dispatcher.stats["recovered_requeued"] == 1


async def test_a_stale_claim_cannot_produce_words(world: World) -> None:
    """A dispatcher that lost its claim (the row was claimed again) gets no words to send."""
    alice = world.user()
    row = world.add(alice, schedule.HEARD_BACK, START, world.interview(alice, plan=False))
    with transaction(world.db):
        checkins.claim(world.db, [row], "someone", START)
    old_claim = CheckinDueIn(user=alice, checkin_id=row, event_id=checkins.event_id(row, 0))
    assert await world.engine.handle(old_claim) == []
    current = CheckinDueIn(user=alice, checkin_id=row, event_id=checkins.event_id(row, 1))
    assert await world.engine.handle(current) != []


async def test_two_dispatchers_on_one_file(tmp_path: Path) -> None:
    """The second waits while the first holds the lease, and takes over once it expires;
    every check-in reaches the user exactly once."""
    path = tmp_path / "shared.db"
    world = World(path)
    lease_now = [1000.0]
    first = Dispatcher(world.engine, {"test": world.sender}, world.settings, clock=world.clock,
                       lease_clock=lambda: lease_now[0], owner="first", lease_seconds=15)
    other_engine = Engine(path, clock=world.clock)
    second = Dispatcher(other_engine, {"test": world.sender}, world.settings,
                        clock=world.clock, lease_clock=lambda: lease_now[0], owner="second",
                        lease_seconds=15)
    refs = [world.user(f"user{n}") for n in range(6)]
    for ref in refs[:3]:
        world.add(ref, schedule.HEARD_BACK, START, world.interview(ref, plan=False))
    assert await first.run_once() == 3
    for ref in refs[3:]:
        world.add(ref, schedule.HEARD_BACK, START + timedelta(hours=1),
                  world.interview(ref, plan=False))
    world.clock.advance(timedelta(hours=1))
    lease_now[0] += 14
    assert await second.run_once() == 0          # the first's lease still runs
    assert not second.leader and first.leader
    lease_now[0] += 2                            # the first stopped renewing: expired
    assert await second.run_once() == 3
    assert second.leader
    assert await first.run_once() == 0           # and the first now stands aside
    assert not first.leader
    delivered = [user.user for user, _ in world.sender.sent]
    assert sorted(delivered) == sorted(ref.user for ref in refs)


async def test_a_dead_holder_on_this_host_is_replaced_at_once(world: World) -> None:
    """After a crash the restarted process need not wait out the lease: its holder is gone."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead_pid = int(finished.stdout)
    with transaction(world.db):
        assert checkins.take_lease(world.db, "crashed", HOST, dead_pid, 1e12, 15,
                                   name="checkins:test")
    alice = world.user()
    world.add(alice, schedule.HEARD_BACK, START, world.interview(alice, plan=False))
    assert await world.dispatcher.run_once() == 1


async def test_rows_of_platforms_without_an_adapter_are_left_alone(world: World) -> None:
    """A Slack-only process never touches Discord users' check-ins."""
    alice = world.user()
    row = world.add(alice, schedule.HEARD_BACK, START, world.interview(alice, plan=False))
    elsewhere = Dispatcher(world.engine, {"bench": RecordingSender("bench")}, world.settings,
                           clock=world.clock)
    assert await elsewhere.run_once() == 0
    assert world.row(row).status == "pending"


async def test_started_dispatcher_wakes_for_a_new_check_in(tmp_path: Path) -> None:
    """With the real clock: a check-in scheduled a moment from now arrives without polling,
    and stop() hands the lease back."""
    world = World(tmp_path / "r.db")
    clock = SystemClock()
    engine = Engine(tmp_path / "r.db", clock=clock)
    sender = RecordingSender()
    dispatcher = Dispatcher(engine, {"test": sender}, world.settings, poll_seconds=3600)
    alice = world.user(hours_start=0, hours_end=24, days=list(range(7)))
    interview = world.interview(alice, plan=False)
    await dispatcher.start()
    try:
        with transaction(engine.db):
            checkins.add(engine.db, alice.key, interview, schedule.HEARD_BACK,
                         clock.now() + timedelta(milliseconds=300), clock.now())
        await sender.wait(1, timeout=10)
    finally:
        await dispatcher.stop()
    assert checkins.lease_holder(engine.db, "checkins:test") is None


async def test_a_moved_clock_is_noticed_when_poked(tmp_path: Path) -> None:
    """`timewarp 2d` in the console: the dispatcher is poked and sends what fell due."""
    world = World(tmp_path / "r.db")
    clock = SystemClock()
    engine = Engine(tmp_path / "r.db", clock=clock)
    sender = RecordingSender()
    dispatcher = Dispatcher(engine, {"test": sender}, world.settings, poll_seconds=3600)
    alice = world.user(hours_start=0, hours_end=24, days=list(range(7)))
    interview = world.interview(alice, plan=False)
    with transaction(engine.db):
        checkins.add(engine.db, alice.key, interview, schedule.HEARD_BACK,
                     clock.now() + timedelta(days=2), clock.now())
    await dispatcher.start()
    try:
        clock.offset += timedelta(days=2, minutes=1)
        dispatcher.poke()
        await sender.wait(1, timeout=10)
    finally:
        await dispatcher.stop()
    assert "Have you heard back?" in sender.sent[0][1][0].text


async def test_start_is_quick_and_leaves_the_batch_to_the_loop(tmp_path: Path) -> None:
    """start() returns before delivering: the first pass runs on the loop right after."""
    world = World(tmp_path / "r.db")
    alice = world.user()
    world.add(alice, schedule.HEARD_BACK, START, world.interview(alice, plan=False))
    await world.dispatcher.start()
    try:
        assert world.sender.sent == []
        await world.sender.wait(1, timeout=10)
    finally:
        await world.dispatcher.stop()
    assert UserRef(platform="test", workspace="w", user="alice") == world.sender.sent[0][0]


async def test_nothing_is_sent_before_the_turns_are_durable(world: World) -> None:
    """Group commit: when the platform is called, the row is claimed, its turn recorded and
    the connection back to synchronous=FULL (the sync point has run)."""
    alice = world.user()
    row = world.add(alice, schedule.HEARD_BACK, START, world.interview(alice, plan=False))
    seen: list[tuple[str, bool, int, int]] = []
    original = world.sender.send_proactive

    async def inspecting(user: UserRef, messages):  # type: ignore[no-untyped-def]
        status = world.row(row).status
        turn = world.db.execute("SELECT 1 FROM processed_events WHERE event_id = ?",
                                [checkins.event_id(row, 1)]).fetchone() is not None
        synchronous = world.db.execute("PRAGMA synchronous").fetchone()[0]
        syncs = world.db.execute("SELECT SUM(syncs) FROM dispatcher_lease").fetchone()[0]
        seen.append((status, turn, synchronous, syncs))
        return await original(user, messages)

    world.sender.send_proactive = inspecting  # type: ignore[method-assign]
    assert await world.dispatcher.run_once() == 1
    assert seen == [("sending", True, 2, 1)]
    assert world.db.execute("PRAGMA synchronous").fetchone()[0] == 2
