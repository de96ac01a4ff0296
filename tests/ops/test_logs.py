"""Logs: one JSON object a line, with timing and outcome, never the user's words or a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.logs import configure_logging, scrub
from tests.privacy.journey import ALICE, conversation, expect, full_debrief

SLACK_BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_APP = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789"
SIGNING = "0123456789abcdef0123456789abcdef"
DISCORD = "MTE5MzQ1Njc4OTAxMjM0NTY3OA.GaBcDe.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab"
SECRETS = (SLACK_BOT, SLACK_APP, SIGNING, DISCORD)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Logging configured at DEBUG with fake secrets, into a string; undone afterwards."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.level, {name: logging.getLogger(name).level
                          for name in ("slack_sdk", "slack_bolt", "discord", "aiohttp")})
    settings = load_settings(REBOUND_LOG_LEVEL="debug", SLACK_BOT_TOKEN=SLACK_BOT,
                             SLACK_APP_TOKEN=SLACK_APP, SLACK_SIGNING_SECRET=SIGNING,
                             DISCORD_TOKEN=DISCORD)
    handler = configure_logging(settings, stream=stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(saved[0])
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


def records(stream: io.StringIO) -> list[dict]:
    """Every line, parsed (fails if any line is not JSON)."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_a_journey_logs_kinds_and_timings_but_no_words(captured: io.StringIO,
                                                             tmp_path: Path) -> None:
    """A whole debrief and an export at DEBUG: every turn logged, none of its text."""
    convo = conversation(tmp_path / "r.db", "U0LOGS")
    await full_debrief(convo, ALICE)
    await expect(convo, "export", "everything I keep")
    await expect(convo, "settings hours 25-3", "Hours go from")

    lines = records(captured)
    turns = [r for r in lines if r["logger"] == "rebound.engine" and r["msg"] == "turn"]
    assert len(turns) == 27  # 25 debrief turns, the export and the settings change
    for record in turns:
        assert set(record) >= {"ts", "level", "logger", "msg", "event_kind", "platform", "ms",
                               "outcome"}
        assert record["platform"] == "test" and record["outcome"] == "ok"
        assert isinstance(record["ms"], (int, float))
    assert {r["event_kind"] for r in turns} == {"text", "button"}
    output = captured.getvalue()
    for sentence in (ALICE.vent, ALICE.feeling, ALICE.went_wrong, ALICE.went_right,
                     ALICE.forgiveness, ALICE.better_answer, ALICE.detail, ALICE.company,
                     ALICE.reference, ALICE.sender, "U0LOGS", "Dear Dana Lee"):
        assert sentence not in output, sentence


async def test_a_failed_turn_logs_the_error_without_what_caused_it(captured: io.StringIO,
                                                                   tmp_path: Path) -> None:
    """Stored state that no longer loads: the error type and frames, not the quoted input."""
    convo = conversation(tmp_path / "r.db", "U0BROKEN")
    await convo.say("hi")
    assert convo.engine is not None
    convo.engine.db.execute(
        "UPDATE users SET state = ? WHERE user_id = 'U0BROKEN'",
        [f'{{"flow": "{ALICE.vent} {SLACK_BOT}", "prompt_token": "not a number"}}'])
    await expect(convo, ALICE.forgiveness, "Something went wrong on my side")

    [failure] = [r for r in records(captured) if r["msg"] == "turn failed"]
    assert failure["level"] == "ERROR" and failure["outcome"] == "error"
    assert failure["exc_type"] == "ValidationError"
    assert any("engine.py" in frame for frame in failure["exc_frames"])
    assert "exc_text" not in failure
    output = captured.getvalue()
    for needle in (ALICE.vent, ALICE.forgiveness, *SECRETS, "not a number"):
        assert needle not in output


def test_extra_fields_outside_the_allow_list_are_dropped(captured: io.StringIO) -> None:
    """`extra={"text": ...}` by mistake cannot leak a message."""
    logging.getLogger("rebound.test").info(
        "delivered", extra={"text": ALICE.vent, "user": "U0SOMEONE", "platform": "slack",
                            "outcome": "sent", "ms": 12.5})
    [record] = records(captured)
    assert record["platform"] == "slack" and record["outcome"] == "sent" and record["ms"] == 12.5
    assert "text" not in record and "user" not in record
    assert ALICE.vent not in captured.getvalue() and "U0SOMEONE" not in captured.getvalue()


def test_secrets_are_scrubbed_from_messages_and_exception_text(tmp_path: Path) -> None:
    """Even with error detail switched on, tokens in messages and exceptions are masked."""
    stream = io.StringIO()
    settings = load_settings(REBOUND_LOG_ERROR_DETAIL="true", SLACK_BOT_TOKEN=SLACK_BOT,
                             DISCORD_TOKEN=DISCORD)
    handler = configure_logging(settings, stream=stream)
    try:
        log = logging.getLogger("rebound.test")
        log.warning("token was %s and header Bearer %s", SLACK_BOT, SLACK_APP)
        try:
            raise RuntimeError(f"auth failed for Bot {DISCORD} with signing {SIGNING}")
        except RuntimeError:
            log.exception("login failed")
        # A token we were never told about is still caught by its shape.
        log.error("unknown xoxp-999-888-777-abcdefabcdef and xoxe.xoxp-1-Zm9vYmFy")
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    for needle in (*SECRETS, "xoxp-999", "xoxe.xoxp"):
        assert needle not in output
    lines = [json.loads(line) for line in output.splitlines()]
    assert lines[1]["exc_type"] == "RuntimeError"
    assert lines[1]["exc_text"] == "auth failed for Bot [redacted] with signing [redacted]"
    assert output.count("[redacted]") >= 5


def test_library_loggers_are_held_at_warning_and_their_payloads_masked(
        captured: io.StringIO) -> None:
    """slack_sdk logs whole request bodies at DEBUG; those never reach the output."""
    sdk = logging.getLogger("slack_sdk.web.async_base_client")
    sdk.debug(f"Sending a request - json: {{'channel': 'D1', 'text': '{ALICE.vent}'}}")
    sdk.info(f"A retry handler found for {ALICE.vent}")
    bolt = logging.getLogger("slack_bolt.App")
    bolt.warning(f"Unhandled request ({{'type': 'view', 'text': '{ALICE.went_wrong}', "
                 f"\"value\": \"{ALICE.forgiveness}\", 'token': '{SLACK_BOT}'}})")
    [record] = records(captured)
    assert record["logger"] == "slack_bolt.App" and record["level"] == "WARNING"
    assert "Unhandled request" in record["msg"]
    for needle in (ALICE.vent, ALICE.went_wrong, ALICE.forgiveness, SLACK_BOT):
        assert needle not in captured.getvalue()


def test_key_value_format(tmp_path: Path) -> None:
    """REBOUND_LOG_FORMAT=kv writes one key=value line per record."""
    stream = io.StringIO()
    handler = configure_logging(load_settings(REBOUND_LOG_FORMAT="kv"), stream=stream)
    try:
        logging.getLogger("rebound.test").info("check-in sent", extra={
            "platform": "discord", "outcome": "sent", "ms": 3.25, "checkin_id": 7})
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue().strip()
    assert 'level=INFO logger=rebound.test msg="check-in sent"' in line
    assert "checkin_id=7" in line and "ms=3.25" in line and "outcome=sent" in line


def test_chat_logs_quietly_unless_told_where(tmp_path: Path) -> None:
    """`rebound chat` keeps the terminal for talking: WARNING+ only, or all of it in a file."""
    stream = io.StringIO()
    handler = configure_logging(load_settings(REBOUND_LOG_LEVEL="DEBUG"), quiet=True,
                                stream=stream)
    try:
        logging.getLogger("rebound.test").info("routine")
        logging.getLogger("rebound.test").warning("worth knowing")
    finally:
        logging.getLogger().removeHandler(handler)
    assert [json.loads(line)["msg"] for line in stream.getvalue().splitlines()] == [
        "worth knowing"]

    log_file = tmp_path / "logs" / "rebound.log"
    handler = configure_logging(load_settings(REBOUND_LOG_LEVEL="DEBUG",
                                              REBOUND_LOG_FILE=str(log_file)), quiet=True)
    try:
        logging.getLogger("rebound.test").debug("routine")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert json.loads(log_file.read_text())["msg"] == "routine"


def test_scrub_leaves_ordinary_text_alone() -> None:
    """Words, ids and timings are not mistaken for tokens."""
    text = "turn took 12.5 ms for event 42 on slack in channel D0123ABC"
    assert scrub(text) == text
