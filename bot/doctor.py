"""`rebound doctor`: check settings, the database and platform credentials; say what to fix.

Each check yields a Finding: ok, warn (worth a look, the bot still runs), fail (must be fixed
before `rebound run` works) or skip (a live check the network did not allow). The live checks
call Slack's `auth.test` and Discord's `/users/@me` over plain HTTPS with aiohttp, so this
module stays free of the platform SDKs like the rest of `bot/`.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import aiohttp
from sqlite_utils import Database

from bot.config import Settings

SLACK_API = "https://slack.com/api/"
DISCORD_API = "https://discord.com/api/v10/"
LIVE_TIMEOUT = 5.0

Status = Literal["ok", "warn", "fail", "skip"]
_MARK = {"ok": "✓", "warn": "!", "fail": "✗", "skip": "–"}


@dataclass(frozen=True)
class Finding:
    """The outcome of one check, and what to do about it."""

    status: Status
    topic: str
    message: str
    fix: str | None = None


# ---- database ---------------------------------------------------------------------------------


def check_database(path: Path) -> list[Finding]:
    """Writable, in WAL mode, migrated, intact, and not readable by other users."""
    path = path.expanduser()
    topic = f"Database {path}"
    if not path.exists():
        parent = _existing_parent(path)
        if os.access(parent, os.W_OK):
            return [Finding("ok", topic, "does not exist yet; `rebound run` creates it")]
        return [Finding("fail", topic, f"cannot be created: {parent} is not writable",
                        f"Point REBOUND_DB at a writable place, or give this user write access "
                        f"to {parent}.")]
    if not os.access(path, os.R_OK | os.W_OK):
        return [Finding("fail", topic, "is not readable and writable by this user",
                        f"chown or chmod {path} (and its directory) for the user running "
                        "Rebound.")]
    findings: list[Finding] = []
    if not os.access(path.parent, os.W_OK):
        findings.append(Finding("fail", topic, f"its directory {path.parent} is not writable",
                                "SQLite keeps its -wal and -shm files next to the database: "
                                "make the directory writable."))
    try:
        conn = sqlite3.connect(path, timeout=2, isolation_level=None)
    except sqlite3.Error as error:
        return [Finding("fail", topic, f"cannot be opened ({error})",
                        "Restore it from a backup (see deploy/OPERATIONS.md).")]
    try:
        findings += _inspect(conn, path, topic)
    except sqlite3.DatabaseError as error:
        findings.append(Finding("fail", topic, f"is not a usable SQLite database ({error})",
                                "Restore it from a backup (see deploy/OPERATIONS.md)."))
    finally:
        conn.close()
    return findings


def _existing_parent(path: Path) -> Path:
    """The nearest directory above `path` that exists."""
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _inspect(conn: sqlite3.Connection, path: Path, topic: str) -> list[Finding]:
    """Checks that need an open connection."""
    findings: list[Finding] = []
    notes: list[str] = []
    integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
    if integrity != "ok":
        findings.append(Finding("fail", topic, f"failed its integrity check ({integrity})",
                                "Stop the bot and restore the latest backup."))
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode == "wal":
        notes.append("WAL")
    else:
        findings.append(Finding(
            "warn", topic, f"journal mode is {mode}, not WAL",
            "`rebound run` switches it to WAL on start. If it stays like this, the file "
            "system may not support WAL (network shares): move REBOUND_DB to a local disk."))
    pending = _pending_migrations(Database(conn))
    if pending:
        sets = sorted({name.split("/", 1)[0] for name in pending})
        findings.append(Finding("warn", topic, f"{len(pending)} schema migration(s) pending "
                                f"(in {', '.join(sets)})",
                                "They are applied automatically when the bot starts."))
    else:
        notes.append("schema up to date")
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        notes.append("writable")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            notes.append("busy (another process is writing: the bot is probably running)")
        else:
            findings.append(Finding("fail", topic, f"cannot be written ({error})",
                                    "Check the file's owner and permissions, and free disk "
                                    "space."))
    if path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH):
        findings.append(Finding("warn", topic, "is readable by other users on this machine",
                                f"It holds people's feelings and letters: chmod 600 {path}"))
    if not any(f.status == "fail" for f in findings):
        findings.insert(0, Finding("ok", topic, f"{integrity}: " + ", ".join(notes)))
    return findings


def _pending_migrations(db: Database) -> list[str]:
    """Names of migrations this version of Rebound would still apply."""
    from bot.store import db as store_db

    # The store keeps the registry private; doctor reads it without applying anything.
    store_db._load_all_migration_modules()
    pending: list[str] = []
    for migrations in store_db._MIGRATION_SETS:
        pending += [f"{migrations.name}/{m.name}" for m in migrations.pending(db)]
    return pending


# ---- credential formats ---------------------------------------------------------------------

_SLACK_BOT = re.compile(r"^xoxb-[0-9]+-[0-9]+-[A-Za-z0-9]+$")
_SLACK_APP = re.compile(r"^xapp-[0-9]+-[A-Z0-9]+-[0-9]+-[a-f0-9]+$")
_SIGNING = re.compile(r"^[a-f0-9]{32}$")
_DISCORD = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}$")


def _pasted_badly(name: str, value: str) -> Finding | None:
    """Quotes or spaces copied along with a secret."""
    if value != value.strip() or value[:1] in "\"'" or any(c.isspace() for c in value):
        return Finding("fail", name, "contains spaces or quotes",
                       f"Set {name} to the bare value, without quotes or spaces.")
    return None


def check_slack_formats(settings: Settings) -> list[Finding]:
    """The Slack variables: present together, each of the right kind."""
    bot, app, secret = settings.slack_bot_token, settings.slack_app_token, \
        settings.slack_signing_secret
    if not (bot or app or secret):
        return []
    findings: list[Finding] = []
    if not bot:
        return [Finding("fail", "SLACK_BOT_TOKEN", "is not set, but other Slack settings are",
                        "Copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth "
                        "& Permissions page.")]
    problem = _pasted_badly("SLACK_BOT_TOKEN", bot)
    if problem:
        findings.append(problem)
    elif bot.startswith("xoxp-"):
        findings.append(Finding("fail", "SLACK_BOT_TOKEN", "is a user token (xoxp-)",
                                "Use the Bot User OAuth Token, which starts with xoxb-."))
    elif bot.startswith("xapp-"):
        findings.append(Finding("fail", "SLACK_BOT_TOKEN", "holds the app-level token (xapp-)",
                                "Put the xapp- token in SLACK_APP_TOKEN and the xoxb- token in "
                                "SLACK_BOT_TOKEN."))
    elif not bot.startswith("xoxb-"):
        findings.append(Finding("fail", "SLACK_BOT_TOKEN", "does not look like a bot token",
                                "It starts with xoxb- (OAuth & Permissions page)."))
    elif not _SLACK_BOT.match(bot):
        findings.append(Finding("warn", "SLACK_BOT_TOKEN", "starts with xoxb- but has an "
                                "unusual shape", "Check it was copied whole; the live check "
                                "below says whether Slack accepts it."))
    else:
        findings.append(Finding("ok", "SLACK_BOT_TOKEN", "looks like a bot token"))
    if app:
        problem = _pasted_badly("SLACK_APP_TOKEN", app)
        if problem:
            findings.append(problem)
        elif not app.startswith("xapp-"):
            findings.append(Finding("fail", "SLACK_APP_TOKEN", "is not an app-level token",
                                    "Generate one under Basic Information → App-Level Tokens "
                                    "with the connections:write scope; it starts with xapp-."))
        elif not _SLACK_APP.match(app):
            findings.append(Finding("warn", "SLACK_APP_TOKEN", "starts with xapp- but has an "
                                    "unusual shape", "Check it was copied whole."))
        else:
            findings.append(Finding("ok", "SLACK_APP_TOKEN", "looks right: Socket Mode"))
    if secret:
        problem = _pasted_badly("SLACK_SIGNING_SECRET", secret)
        if problem:
            findings.append(problem)
        elif not _SIGNING.match(secret):
            findings.append(Finding("warn", "SLACK_SIGNING_SECRET", "is not 32 hex characters",
                                    "Copy the Signing Secret from Basic Information → App "
                                    "Credentials."))
        else:
            findings.append(Finding("ok", "SLACK_SIGNING_SECRET",
                                    "looks right" + ("" if app else ": HTTP mode")))
    if not app and not secret:
        findings.append(Finding("fail", "Slack mode", "neither SLACK_APP_TOKEN nor "
                                "SLACK_SIGNING_SECRET is set",
                                "Set SLACK_APP_TOKEN for Socket Mode (no public URL needed), or "
                                "SLACK_SIGNING_SECRET for HTTP mode behind a public URL."))
    return findings


def check_discord_format(settings: Settings) -> list[Finding]:
    """The Discord bot token's shape."""
    token = settings.discord_token
    if not token:
        return []
    if token.strip().lower().startswith("bot "):
        return [Finding("fail", "DISCORD_TOKEN", "starts with “Bot ”",
                        "Set only the token itself; Rebound adds the prefix.")]
    problem = _pasted_badly("DISCORD_TOKEN", token)
    if problem:
        return [problem]
    if not _DISCORD.match(token):
        return [Finding("fail", "DISCORD_TOKEN", "does not look like a bot token",
                        "Reset and copy it under Developer Portal → your app → Bot → Token "
                        "(three parts separated by dots).")]
    bot_id = _discord_id(token)
    return [Finding("ok", "DISCORD_TOKEN",
                    "looks like a bot token" + (f" for application {bot_id}" if bot_id else ""))]


def _discord_id(token: str) -> str | None:
    """The bot's user id, which the token's first part encodes."""
    first = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded if decoded.isdigit() else None


# ---- live checks ------------------------------------------------------------------------------


async def live_slack(token: str, api: str = SLACK_API,
                     timeout: float = LIVE_TIMEOUT) -> Finding:
    """Ask Slack who the token belongs to (auth.test)."""
    topic = "Slack live check"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http:
            async with http.post(api.rstrip("/") + "/auth.test",
                                 headers={"Authorization": f"Bearer {token}"}) as response:
                body = await response.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as error:
        return Finding("skip", topic, f"skipped: Slack did not answer ({type(error).__name__})")
    if body.get("ok"):
        who = f"{body.get('user', '?')} in {body.get('team', '?')}"
        return Finding("ok", topic, f"SLACK_BOT_TOKEN accepted: {who}")
    refusal = str(body.get("error", "unknown_error"))
    return Finding("fail", topic, f"Slack refused SLACK_BOT_TOKEN ({refusal})",
                   "Reinstall the app to your workspace and copy the new Bot User OAuth Token.")


async def live_discord(token: str, api: str = DISCORD_API,
                       timeout: float = LIVE_TIMEOUT) -> Finding:
    """Ask Discord who the token belongs to (GET /users/@me)."""
    topic = "Discord live check"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http:
            async with http.get(api.rstrip("/") + "/users/@me",
                                headers={"Authorization": f"Bot {token}"}) as response:
                status = response.status
                body = await response.json(content_type=None) if status == 200 else {}
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as error:
        return Finding("skip", topic, f"skipped: Discord did not answer ({type(error).__name__})")
    if status == 200:
        return Finding("ok", topic, f"DISCORD_TOKEN accepted: {body.get('username', '?')} "
                                    f"({body.get('id', '?')})")
    if status == 401:
        return Finding("fail", topic, "Discord refused DISCORD_TOKEN (401)",
                       "Reset the token under Developer Portal → Bot and set the new one.")
    return Finding("warn", topic, f"Discord answered {status}; try again later")


# ---- everything -------------------------------------------------------------------------------


async def diagnose(settings: Settings, *, live: bool = True, slack_api: str = SLACK_API,
                   discord_api: str = DISCORD_API,
                   timeout: float = LIVE_TIMEOUT) -> list[Finding]:
    """Run every check for these settings."""
    findings = [Finding("ok", "Settings", "loaded and valid")]
    if settings.log_file:
        parent = _existing_parent(Path(settings.log_file).expanduser())
        if not os.access(parent, os.W_OK):
            findings.append(Finding("fail", "REBOUND_LOG_FILE", f"{parent} is not writable",
                                    "Choose a writable path, or unset it to log to stderr."))
    findings += check_database(Path(settings.db))
    slack = check_slack_formats(settings)
    discord = check_discord_format(settings)
    findings += slack + discord
    if not settings.slack_bot_token and not settings.discord_token:
        findings.append(Finding("fail", "Platforms", "neither Slack nor Discord is configured",
                                "Set SLACK_BOT_TOKEN (+ SLACK_APP_TOKEN or SLACK_SIGNING_SECRET)"
                                " and/or DISCORD_TOKEN. `rebound chat` works without them."))
    if live:
        checks = []
        if settings.slack_bot_token and not any(f.status == "fail" and
                                                f.topic == "SLACK_BOT_TOKEN" for f in slack):
            checks.append(live_slack(settings.slack_bot_token, slack_api, timeout))
        if settings.discord_token and not any(f.status == "fail" for f in discord):
            checks.append(live_discord(settings.discord_token, discord_api, timeout))
        findings += await asyncio.gather(*checks)
    return findings


def render(findings: list[Finding]) -> str:
    """The report a person reads: one line per finding, and the fix under each problem."""
    lines = ["Rebound doctor"]
    for finding in findings:
        lines.append(f"{_MARK[finding.status]} {finding.topic}: {finding.message}")
        if finding.fix and finding.status in ("fail", "warn"):
            lines.append(f"    fix: {finding.fix}")
    failures = sum(1 for f in findings if f.status == "fail")
    lines.append("All good." if not failures else
                 f"{failures} thing{'s' if failures > 1 else ''} to fix before `rebound run`.")
    return "\n".join(lines)


def exit_code(findings: list[Finding]) -> int:
    """1 when anything must be fixed, else 0."""
    return 1 if any(f.status == "fail" for f in findings) else 0
