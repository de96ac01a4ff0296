"""Structured logs that never carry what users wrote or the bot's secrets.

Every record leaves as one line: JSON (default) or key=value. It holds the time, level,
logger and message, plus only the extra fields on `ALLOWED_FIELDS` (event kind, platform,
timing, outcome...). Anything else a caller attaches is dropped, so a stray
`extra={"text": ...}` cannot leak a user's words. Token shapes (Slack `xox?-`/`xapp-`,
Discord bot tokens, bearer headers) and the configured secrets themselves are scrubbed from
messages and exception text. Exceptions are logged as their type and stack frames; their
message, which may quote user input, only with REBOUND_LOG_ERROR_DETAIL=true.

Platform libraries log request bodies at DEBUG (slack_sdk prints whole message payloads),
so their loggers are held at WARNING whatever REBOUND_LOG_LEVEL says.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings

# Extra fields a record may carry; add a name here (not in the call) to log a new one.
ALLOWED_FIELDS = frozenset({
    "event_kind",   # text, button, command, form, checkin_due
    "platform",     # slack, discord, console...
    "ms",           # how long the step took, in milliseconds
    "outcome",      # ok, error, duplicate, sent, failed, undeliverable, skipped...
    "status",       # an HTTP status or a check-in status
    "count",        # how many rows or items were affected
    "attempt",      # which try this was
    "checkin_id",   # a check-in row id (a number, never its content)
    "interview_id",  # an interview row id
    "checkin_kind",  # letter_reminder, heard_back...
    "component",    # which part of the bot: dispatcher, retention, slack...
    "error_type",   # an exception class name, when logged without exc_info
    "reason",       # a short machine reason such as "rate_limited" or "not_in_channel"
    # The check-in dispatcher's fields: batch size and per-outcome counts, its lease.
    "batch", "sent", "failed", "undeliverable", "unknown", "retrying", "skipped", "missed",
    "requeued", "platforms", "owner", "leader", "checkin",
    "error",        # an exception class name (never str(error): that can quote input)
})

# Loggers whose messages we write ourselves and keep free of user text.
OUR_LOGGERS = ("rebound", "bot", "adapters", "__main__")
# Platform and framework loggers, held at WARNING (they log payloads at DEBUG and INFO).
LIBRARY_LOGGERS = ("slack_bolt", "slack_sdk", "discord", "aiohttp", "apscheduler", "asyncio",
                   "websockets", "urllib3", "sqlite_utils")

_REDACTED = "[redacted]"
# One alternation, so each string is scanned once.
_TOKENS = re.compile("|".join([
    # Slack bot, user, app-level, refresh and rotating tokens.
    r"xox[a-z]{1,2}[.-][A-Za-z0-9.\-]+",
    r"xapp-[A-Za-z0-9\-]+",
    # Discord bot tokens: base64 user id, timestamp, HMAC (also catches JWT-like strings).
    r"[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{20,}",
    # Authorization header values.
    r"(?i:\b(?:bearer|bot)\s+[A-Za-z0-9._~+/=\-]{16,})",
    # A Slack signing secret is 32 hex characters.
    r"\b[0-9a-f]{32}\b",
]))
# In library messages, quoted values under these keys are payload (message text, forms).
_PAYLOAD_KEYS = re.compile(
    r"""(?ix)(['"]?(?:text|body|content|value|values|message|blocks|view|fields|
    description|title|token|password|secret|authorization)['"]?\s*[:=]\s*)
    ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
)

_FIELD_ORDER = tuple(sorted(ALLOWED_FIELDS))
_STANDARD = frozenset(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message", "asctime", "taskName",
}


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace token-shaped strings and the given secret values with a marker."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, _REDACTED)
    return _TOKENS.sub(_REDACTED, text)


def _is_ours(name: str) -> bool:
    """True for loggers whose messages this project writes."""
    return name.split(".")[0] in OUR_LOGGERS


class RedactingFilter(logging.Filter):
    """Drops fields not on the allow-list, holds libraries to WARNING, scrubs secrets."""

    def __init__(self, secrets: Iterable[str] = (), error_detail: bool = False) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]
        self.error_detail = error_detail

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; False when it must not be written at all."""
        ours = _is_ours(record.name)
        if not ours and record.levelno < logging.WARNING:
            return False
        fields = vars(record)
        for name in fields.keys() - _STANDARD:
            if name not in ALLOWED_FIELDS:
                del fields[name]
            elif isinstance(fields[name], str):
                fields[name] = scrub(fields[name], self.secrets)[:200]
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not kill logging
            message = str(record.msg)
        if not ours:
            message = _PAYLOAD_KEYS.sub(lambda m: m.group(1) + repr(_REDACTED), message)
        record.msg = scrub(message, self.secrets)
        record.args = None
        record.stack_info = None
        record.exc_text = None
        if record.exc_info and record.exc_info[1] is not None:
            record.rebound_exc = self._exception(record.exc_info[1])  # type: ignore[attr-defined]
        record.exc_info = None
        return True

    def _exception(self, error: BaseException) -> dict[str, Any]:
        """Type and frames of an exception; its message only when error detail is on."""
        frames = traceback.extract_tb(error.__traceback__)[-8:]
        info: dict[str, Any] = {
            "exc_type": type(error).__qualname__,
            "exc_frames": [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames],
        }
        cause = error.__cause__ or error.__context__
        if cause is not None:
            info["exc_cause"] = type(cause).__qualname__
        if self.error_detail:
            info["exc_text"] = scrub(str(error), self.secrets)[:500]
        return info


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record as an ordered dict of allowed fields."""
    out: dict[str, Any] = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        + f".{int(record.msecs):03d}Z",
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    present = vars(record)
    for name in _FIELD_ORDER:
        if name in present:
            out[name] = present[name]
    out.update(getattr(record, "rebound_exc", {}))
    return out


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the allowed fields."""
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    """`key=value` pairs, quoting values that contain spaces."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the allowed fields."""
        parts = []
        for key, value in _fields(record).items():
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            if not text or any(c in text for c in ' "='):
                text = json.dumps(text, ensure_ascii=False)
            parts.append(f"{key}={text}")
        return " ".join(parts)


def configure_logging(settings: Settings, *, quiet: bool = False,
                      stream: TextIO | None = None) -> logging.Handler:
    """Install the one handler every log line goes through; safe to call again.

    `quiet` (for `rebound chat`) keeps the terminal for the conversation: WARNING and up on
    standard error, unless REBOUND_LOG_FILE sends everything to a file instead.
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_rebound", False):
            root.removeHandler(existing)
            existing.close()
    level = logging.getLevelName(settings.log_level)
    handler: logging.Handler
    if settings.log_file:
        Path(settings.log_file).expanduser().parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(Path(settings.log_file).expanduser(), encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
        if quiet:
            level = max(level, logging.WARNING)
    setattr(handler, "_rebound", True)  # marks the handler ours, to replace it on reconfigure
    secrets = [settings.slack_bot_token, settings.slack_app_token,
               settings.slack_signing_secret, settings.discord_token]
    handler.addFilter(RedactingFilter([s for s in secrets if s], settings.log_error_detail))
    handler.setFormatter(KeyValueFormatter() if settings.log_format == "kv" else JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.captureWarnings(True)
    return handler
