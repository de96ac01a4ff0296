"""The check-in dispatcher: claims due rows, asks the engine for the words, hands them to the
adapter that owns the user, and records what happened.

The `checkins` table is the only source of truth. APScheduler is just the alarm clock: one
date job armed for the next due time (re-armed after each batch and whenever a check-in is
scheduled or moved in this process) plus a safety poll. Nothing is pickled, nothing lives
only in memory, so a restart loses nothing. One dispatcher per database holds a lease row;
any other waits and takes over once the lease expires or its holder's process is gone.
Leases are per platform, so `rebound chat` (console users) and `rebound run` (Slack and
Discord users) can share a file without ever handling the same rows.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.checkins import schedule
from bot.clock import Clock
from bot.models import CheckinDueIn, OutboundMessage, UserRef
from bot.ports import Sender
from bot.state import UserSettings
from bot.store import checkins, transaction
from bot.store.checkins import DueRow, Outcome

log = logging.getLogger("rebound.checkins")

HOST = socket.gethostname()
# Waits before retrying a failed send (attempt 1, 2, ...); after the last, give up.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
                timedelta(hours=1))
# A row left in `sending` whose check-in turn never ran is queued again only this soon after
# its claim; later, the engine's memory of events may have been swept, so we cannot tell.
REQUEUE_WITHIN = timedelta(hours=12)


class Dispatcher:
    """Delivers due check-ins exactly once where possible, never twice."""

    def __init__(self, engine: Any, senders: Mapping[str, Sender], settings: Any, *,
                 clock: Clock | None = None, lease_clock: Callable[[], float] = time.time,
                 owner: str | None = None, poll_seconds: float = 30.0,
                 lease_seconds: float = 15.0, batch_size: int = 50,
                 send_timeout: float = 30.0, platforms: Sequence[str] | None = None) -> None:
        self.engine = engine
        self.db = engine.db
        self.senders = dict(senders)
        self.clock: Clock = clock or engine.clock
        self.staleness = timedelta(hours=float(getattr(settings, "checkin_staleness_hours", 36)))
        self.lease_clock = lease_clock
        self.owner = owner or f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.batch_size = batch_size
        self.send_timeout = send_timeout
        # Only rows of users we can reach: a Discord-only process leaves Slack rows alone.
        self.platforms = list(platforms) if platforms is not None else list(self.senders)
        self.stats: Counter[str] = Counter()
        # The platforms whose lease this dispatcher holds; it only touches their rows.
        self.held: list[str] = []
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._run_lock = asyncio.Lock()
        self._current: asyncio.Future[int] | None = None
        self._armed_for: datetime | None = None
        self._again = False
        self._stopping = False

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Take the lease if free, recover from a crash, and arm the alarm clock."""
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._hold_lease()
        scheduler = AsyncIOScheduler(timezone=timezone.utc, event_loop=self._loop)
        # Several instances allowed: a wake-up during a pass only flags it to look again.
        common = {"coalesce": True, "max_instances": 8, "misfire_grace_time": None}
        scheduler.add_job(self._tick, IntervalTrigger(seconds=self.poll_seconds), id="poll",
                          **common)
        scheduler.add_job(self._renew, IntervalTrigger(seconds=self.lease_seconds / 3),
                          id="lease", **common)
        scheduler.start()
        self._scheduler = scheduler
        checkins.on_change(self._on_change)
        # First batch right away, but not inside start(): start stays quick whatever is due.
        self.poke()
        log.info("dispatcher started", extra={"leader": self.leader, "owner": self.owner})

    async def stop(self) -> None:
        """Finish the batch in hand, stop the alarm clock and hand the lease back."""
        self._stopping = True
        checkins.remove_listener(self._on_change)
        if self._current is not None:
            await asyncio.gather(self._current, return_exceptions=True)
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        if self.held:
            with transaction(self.db):
                for platform in self.held:
                    checkins.release_lease(self.db, self.owner, _lease_name(platform))
            self.held = []

    def poke(self) -> None:
        """Look for due check-ins now (the clock moved, or something was scheduled)."""
        if self._scheduler is None or self._stopping:
            return
        self._armed_for = None
        self._scheduler.add_job(self._tick, id="wake", replace_existing=True,
                                misfire_grace_time=None, coalesce=True, max_instances=8)

    # ---- one pass --------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Dispatch everything due now; return how many check-ins were delivered."""
        async with self._run_lock:
            if not self._hold_lease():
                return 0
            self._expire_stale()
            delivered = 0
            while not self._stopping:
                now = self.clock.now()
                rows = checkins.due(self.db, now, self.batch_size, self.held)
                if not rows:
                    break
                ready, later = self._split_by_hours(rows, now)
                # Group commit: the claim and every turn of the batch commit without waiting
                # for the disk; one sync point makes them all durable before anything is sent.
                with checkins.deferred_sync(self.db):
                    with transaction(self.db):
                        for row, moment in later:
                            checkins.defer(self.db, row.id, moment)
                        claimed = checkins.claim(self.db, [r.id for r in ready], self.owner,
                                                 now)
                    batch = [row for row in ready if row.id in claimed]
                    outcomes, words = await self._word(batch)
                if batch:
                    checkins.sync_point(self.db)
                    delivered += await self._deliver(batch, outcomes, words)
                elif not later:
                    break
                if not self._hold_lease():
                    break
            self._arm()
            return delivered

    async def _word(self, batch: list[DueRow]
                    ) -> tuple[list[Outcome], list[tuple[DueRow, UserRef, list[OutboundMessage]]]]:
        """Ask the engine for each check-in's words (one turn each)."""
        outcomes: list[Outcome] = []
        words: list[tuple[DueRow, UserRef, list[OutboundMessage]]] = []
        for row in batch:
            user = UserRef(platform=row.platform, workspace=row.workspace,  # type: ignore[arg-type]
                           user=row.user_id)
            event = CheckinDueIn(user=user, checkin_id=row.id,
                                 event_id=checkins.event_id(row.id, row.attempts + 1))
            messages = await self.engine.handle(event)
            if _is_engine_failure(messages):
                outcomes.append(self._failure(row, "engine error"))
            elif not messages:
                # No longer relevant: letter already sent, interview closed, user said stop.
                outcomes.append(Outcome(row.id, "skipped", user_key=row.user_key))
            else:
                words.append((row, user, messages))
        return outcomes, words

    async def _deliver(self, batch: list[DueRow], outcomes: list[Outcome],
                       words: list[tuple[DueRow, UserRef, list[OutboundMessage]]]) -> int:
        """Send every worded check-in at once, then record every outcome of the batch."""
        outcomes = list(outcomes)
        outcomes.extend(await asyncio.gather(*(self._send(row, user, messages)
                                               for row, user, messages in words)))
        with transaction(self.db):
            checkins.record(self.db, outcomes, self.owner, self.clock.now())
        for outcome in outcomes:
            self.stats[outcome.status if outcome.retry_at is None else "retrying"] += 1
        log.info("check-ins dispatched", extra={
            "batch": len(batch), **{k: v for k, v in Counter(o.status for o in outcomes).items()}})
        return sum(1 for outcome in outcomes if outcome.status == "sent")

    async def _send(self, row: DueRow, user: UserRef, messages: list[OutboundMessage]) -> Outcome:
        """Hand one check-in to its platform's adapter and translate the answer."""
        sender = self.senders.get(row.platform)
        if sender is None:
            return Outcome(row.id, "failed", "no adapter for this platform",
                           user_key=row.user_key)
        try:
            delivery = await asyncio.wait_for(sender.send_proactive(user, messages),
                                              self.send_timeout)
        except asyncio.TimeoutError:
            # The platform may have delivered it: never risk a second copy.
            return Outcome(row.id, "unknown", "platform did not answer in time",
                           user_key=row.user_key)
        except Exception as error:  # noqa: BLE001 - one user's failure must not stop the batch
            log.warning("send failed", extra={"checkin": row.id, "error": type(error).__name__})
            return self._failure(row, type(error).__name__)
        if delivery.status == "sent":
            return Outcome(row.id, "sent", user_key=row.user_key)
        if delivery.status == "undeliverable":
            return Outcome(row.id, "undeliverable", delivery.reason, user_key=row.user_key)
        return self._failure(row, delivery.reason or "failed")

    def _failure(self, row: DueRow, reason: str) -> Outcome:
        """A failed attempt: retry later with backoff, or give up after the last delay."""
        attempt = row.attempts + 1
        retry_at = None
        if attempt <= len(RETRY_DELAYS):
            retry_at = self.clock.now() + RETRY_DELAYS[attempt - 1]
        return Outcome(row.id, "failed", reason[:200], retry_at=retry_at, user_key=row.user_key)

    def _split_by_hours(self, rows: list[DueRow], now: datetime
                        ) -> tuple[list[DueRow], list[tuple[DueRow, datetime]]]:
        """Rows to send now, and rows to push into the user's hours (late, or hours changed)."""
        ready: list[DueRow] = []
        later: list[tuple[DueRow, datetime]] = []
        settings_by_user: dict[str, UserSettings] = {}
        for row in rows:
            settings = settings_by_user.get(row.user_key)
            if settings is None:
                settings = _settings(row.settings_json)
                settings_by_user[row.user_key] = settings
            allowed = schedule.into_allowed_hours(now, settings)
            if allowed > now + timedelta(seconds=1):
                later.append((row, allowed))
            else:
                ready.append(row)
        return ready, later

    def _expire_stale(self) -> None:
        """Mark rows too late to be worth sending as missed, and let the sequence move on."""
        now = self.clock.now()
        while True:
            rows = checkins.stale(self.db, now - self.staleness, 500, self.held)
            if not rows:
                return
            with transaction(self.db):
                for row in rows:
                    if not checkins.mark_missed(self.db, row.id, now):
                        continue
                    self.stats["missed"] += 1
                    follow = schedule.after_missed(row.kind, row.payload, row.due_at, now,
                                                   _settings(row.settings_json))
                    if follow is None or checkins.is_stopped(self.db, row.user_key,
                                                             row.interview_id):
                        continue
                    kind, due_at, payload = follow
                    if not checkins.has_pending(self.db, row.user_key, row.interview_id, kind):
                        checkins.add(self.db, row.user_key, row.interview_id, kind, due_at, now,
                                     {**payload, "after_missed": row.id})
            log.info("stale check-ins marked missed", extra={"count": len(rows)})

    # ---- the lease -------------------------------------------------------------------------

    @property
    def leader(self) -> bool:
        """True while this dispatcher holds the lease of at least one platform."""
        return bool(self.held)

    def _hold_lease(self) -> bool:
        """Take or renew each platform's lease; resolve rows a dead holder left behind."""
        now = self.lease_clock()
        held: list[str] = []
        with transaction(self.db):
            for platform in self.platforms:
                name = _lease_name(platform)
                holder = checkins.lease_holder(self.db, name)
                # A holder on this host whose process is gone (killed, crashed): take over
                # now rather than wait for its lease to run out.
                dead = (holder.owner if holder is not None and holder.owner != self.owner
                        and holder.host == HOST and holder.expires_at > now
                        and not _process_alive(holder.pid) else None)
                if checkins.take_lease(self.db, self.owner, HOST, os.getpid(), now,
                                       self.lease_seconds, dead_owner=dead, name=name):
                    held.append(platform)
            taken = [platform for platform in held if platform not in self.held]
            if taken:
                recovery = checkins.recover(self.db, self.clock.now(), REQUEUE_WITHIN,
                                            self.owner, taken)
                if recovery.requeued or recovery.unknown:
                    log.warning("recovered check-ins left mid-send", extra={
                        "requeued": len(recovery.requeued), "unknown": len(recovery.unknown)})
                self.stats["recovered_unknown"] += len(recovery.unknown)
                self.stats["recovered_requeued"] += len(recovery.requeued)
        if held != self.held:
            log.info("dispatcher lease", extra={"platforms": ",".join(held),
                                                "owner": self.owner})
        self.held = held
        return bool(held)

    async def _renew(self) -> None:
        """Keep the lease fresh; a waiting dispatcher starts work once it gets it."""
        if self._stopping:
            return
        before = set(self.held)
        if self._hold_lease() and set(self.held) - before:
            self.poke()

    # ---- the alarm clock -------------------------------------------------------------------

    async def _tick(self) -> None:
        """One scheduled wake-up; shielded so stopping never cuts a batch in half."""
        if self._stopping:
            return
        if self._current is not None and not self._current.done():
            # A pass is running: have it look once more when it ends, then return at once.
            self._again = True
            return
        self._current = asyncio.ensure_future(self._guarded_run())
        await asyncio.shield(self._current)

    async def _guarded_run(self) -> int:
        """run_once (again if woken meanwhile), logging without message text, never raising."""
        delivered = 0
        self._again = True
        while self._again and not self._stopping:
            self._again = False
            try:
                delivered += await self.run_once()
            except Exception:  # noqa: BLE001 - the safety poll tries again
                log.exception("dispatch pass failed")
        return delivered

    def _arm(self) -> None:
        """Set the alarm for the next due check-in."""
        if self._scheduler is None or self._stopping or not self.leader:
            return
        upcoming = checkins.next_due(self.db, self.held)
        self._armed_for = upcoming
        if upcoming is None:
            if self._scheduler.get_job("wake"):
                self._scheduler.remove_job("wake")
            return
        self._set_alarm(upcoming)

    def _set_alarm(self, due_at: datetime) -> None:
        """Wake at `due_at` on our clock (which may run ahead of the wall, see `timewarp`)."""
        assert self._scheduler is not None
        delay = max(0.0, (due_at - self.clock.now()).total_seconds())
        run_at = datetime.now(timezone.utc) + timedelta(seconds=delay)
        self._scheduler.add_job(self._tick, DateTrigger(run_date=run_at), id="wake",
                                replace_existing=True, misfire_grace_time=None, coalesce=True,
                                max_instances=8)

    def _on_change(self, due_at: datetime) -> None:
        """A check-in was scheduled or moved in this process: wake earlier if it is sooner."""
        loop = self._loop
        if loop is None or self._stopping:
            return
        loop.call_soon_threadsafe(self._rearm_for, due_at)

    def _rearm_for(self, due_at: datetime) -> None:
        """Bring the alarm forward to `due_at` if that is before the one set."""
        if self._scheduler is None or self._stopping or not self.leader:
            return
        if self._armed_for is not None and self._armed_for <= due_at:
            return
        self._armed_for = due_at
        self._set_alarm(due_at)


def _lease_name(platform: str) -> str:
    """One lease row per platform."""
    return f"checkins:{platform}"


def _settings(raw: str) -> UserSettings:
    """The user's stored settings (defaults if the row is damaged)."""
    try:
        return UserSettings.model_validate_json(raw)
    except ValueError:
        return UserSettings()


def _is_engine_failure(messages: list[OutboundMessage]) -> bool:
    """The engine's "something went wrong" answer: never push that to a user unprompted."""
    from bot.engine import OOPS

    return len(messages) == 1 and messages[0].text == OOPS


def _process_alive(pid: int) -> bool:
    """True when a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
