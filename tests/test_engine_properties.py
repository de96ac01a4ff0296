"""Property tests: whatever arrives, the engine answers, never fails, and leaves valid state."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FrozenClock
from bot.engine import OOPS, Engine
from bot.models import ButtonIn, CommandIn, FormSubmitIn, TextIn, UserRef
from bot.state import DebriefState, UserSettings, UserState

WORDS = ["hi", "help", "back", "skip", "cancel", "restart", "status", "continue", "done",
         "new interview", "yesterday", "today", "Acme", "Berlin", "1", "2", "3", "keep it",
         "letter", "letters", "checkins", "settings", "yes", "no", "clear", "debrief", ""]
USERS = [UserRef(platform="test", workspace="w", user=name) for name in ("ann", "bo")]

texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=300),
                  st.text(alphabet="🙂😡مرحبا你好\u202e\x00\n @!<>", max_size=40))
forged = st.one_of(st.text(max_size=60), st.sampled_from(
    ["q:999:done", "q:x:y", "iv:1:open", "iv:9999:sent", "iv:abc", "go:nothing", "ck:1:snooze",
     "q:1:pick:99", "q:2:pick:-1", "go:__idle__", ":::"]))
actions = st.lists(st.one_of(
    st.tuples(st.just("text"), texts),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=8)),
    st.tuples(st.just("stale"), st.integers(min_value=1, max_value=6)),
    st.tuples(st.just("forged"), forged),
    st.tuples(st.just("command"), st.sampled_from(["", "help", "status", "letter", "nonsense x",
                                                   "checkins", "settings"])),
    st.tuples(st.just("form"), st.text(max_size=20)),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=72)),
    st.tuples(st.just("user"), st.integers(min_value=0, max_value=1)),
), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_engine_never_fails_and_state_validates(steps: list[tuple[str, object]]) -> None:
    """Random messages, buttons (valid, stale, forged), commands and forms."""
    with tempfile.TemporaryDirectory() as folder:
        clock = FrozenClock(datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc))
        engine = Engine(Path(folder) / "p.db", clock=clock)
        user = USERS[0]
        history: list[list] = []
        for kind, value in steps:
            if kind == "wait":
                clock.advance(timedelta(hours=int(value)))  # type: ignore[arg-type]
                continue
            if kind == "user":
                user = USERS[int(value)]  # type: ignore[arg-type]
                continue
            event = _event(kind, value, user, history)
            if event is None:
                continue
            replies = engine.handle_now(event)
            assert all(reply.text != OOPS for reply in replies), (kind, value)
            history.append([b for reply in replies for b in reply.buttons])
        _assert_state_valid(engine)


def _event(kind: str, value: object, user: UserRef, history: list[list]):  # type: ignore[no-untyped-def]
    """Build the inbound event an action describes."""
    if kind == "text":
        return TextIn(user=user, text=str(value))
    if kind == "command":
        return CommandIn(user=user, name="rebound", args=str(value))
    if kind == "form":
        return FormSubmitIn(user=user, form_id=str(value), values={"x": "y"})
    if kind == "forged":
        return ButtonIn(user=user, button_id=str(value))
    offset = 1 if kind == "press" else 1 + int(value)  # type: ignore[call-overload]
    if len(history) < offset or not history[-offset]:
        return None
    buttons = history[-offset]
    index = int(value) % len(buttons) if kind == "press" else 0  # type: ignore[call-overload]
    return ButtonIn(user=user, button_id=buttons[index].id)


def _assert_state_valid(engine: Engine) -> None:
    """Every stored row parses into its model."""
    for settings_json, state_json in engine.db.execute("SELECT settings, state FROM users"):
        UserSettings.model_validate_json(settings_json)
        state = UserState.model_validate_json(state_json)
        if state.active_interview is not None:
            row = engine.db.execute("SELECT 1 FROM interviews WHERE id = ?",
                                    [state.active_interview]).fetchone()
            assert row is not None
    for (debrief_json,) in engine.db.execute("SELECT debrief FROM interviews"):
        debrief = DebriefState.model_validate_json(debrief_json)
        assert all(0 <= i < len(debrief.went_wrong) for i in debrief.clarify_points)
    for (payload,) in engine.db.execute("SELECT payload FROM checkins"):
        json.loads(payload)


JOURNEY = ["hi", "Acme", "Engineer", "yesterday", "Dana Lee", "1", "done", "so angry",
           "I froze on SQL", "done", "My intro was clear", "done", "I'm learning", "1", "done",
           "I'd use a window function", "their roadmap", "yes", "Alex", "2", "3", "1",
           "Priya", "my manager", "done", "1", "2"]
INTERRUPTIONS = st.one_of(
    st.sampled_from(["back", "skip", "help", "status", "cancel", "continue", "restart",
                     "letters", "checkins", "settings", "questions", "new interview", "", "5",
                     "keep it", "clear", "no"]),
    st.text(max_size=80),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(JOURNEY)), INTERRUPTIONS,
                          st.booleans()), max_size=8))
def test_a_journey_with_interruptions_never_fails(interruptions: list[tuple[int, str, bool]]) -> None:
    """The full debrief with global words, noise and stale buttons dropped in anywhere."""
    with tempfile.TemporaryDirectory() as folder:
        clock = FrozenClock(datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc))
        engine = Engine(Path(folder) / "j.db", clock=clock)
        user = USERS[0]
        extra: dict[int, list[tuple[str, bool]]] = {}
        for position, text, stale in interruptions:
            extra.setdefault(position, []).append((text, stale))
        history: list[list] = []
        for index in range(len(JOURNEY) + 1):
            for text, stale in extra.get(index, []):
                event = _event("stale", 2, user, history) if stale else None
                for item in (event, TextIn(user=user, text=text)):
                    if item is None:
                        continue
                    replies = engine.handle_now(item)
                    assert all(reply.text != OOPS for reply in replies), text
                    history.append([b for reply in replies for b in reply.buttons])
            if index < len(JOURNEY):
                replies = engine.handle_now(TextIn(user=user, text=JOURNEY[index],
                                                   platform_tz="Europe/Berlin"))
                assert all(reply.text != OOPS for reply in replies), JOURNEY[index]
                history.append([b for reply in replies for b in reply.buttons])
        _assert_state_valid(engine)
