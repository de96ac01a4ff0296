"""The `rebound` command: `chat` in the terminal, `run` for Slack and Discord, and friends."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import click

from bot.config import load_settings
from bot.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)?\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """"2d", "3h", "90m", "1w" as a timedelta (days when no unit)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(text)
    unit = _UNITS[(match.group(2) or "d").lower()]
    return timedelta(**{unit: float(match.group(1))})


@click.group()
def main() -> None:
    """Rebound: a kind coach for the days after a rough interview."""


@main.command()
@click.option("--db", "db_path", default=None, help="SQLite file (default: REBOUND_DB or ./rebound.db).")
@click.option("--user", "user_name", default=None, help="Who is chatting (default: your login).")
@click.option("--clock", "clock_offset", default="0", help="Start with the clock moved ahead, e.g. 2d.")
def chat(db_path: str | None, user_name: str | None, clock_offset: str) -> None:
    """Talk to Rebound in this terminal (no tokens needed)."""
    from adapters.console import ConsoleAdapter, console_user
    from bot.clock import SystemClock
    from bot.engine import Engine

    try:
        settings = load_settings()
        offset = parse_duration(clock_offset)
    except ConfigError as problem:
        raise click.ClickException(str(problem)) from None
    except ValueError:
        raise click.ClickException("--clock takes a duration like 2d, 3h or 90m") from None
    from bot.logs import configure_logging

    # The terminal is for the conversation: only warnings, unless REBOUND_LOG_FILE is set.
    configure_logging(settings, quiet=True)
    clock = SystemClock(offset)
    engine = Engine(db_path or settings.db, clock=clock)
    dispatchers: list = []

    def console_command(line: str) -> str | None:
        """`timewarp 2d` moves this session's clock forward, to try check-ins."""
        words = line.strip().split()
        if not words or words[0].lower() != "timewarp":
            return None
        try:
            delta = parse_duration(" ".join(words[1:]) or "1d")
        except ValueError:
            return "timewarp takes a duration: `timewarp 2d`, `timewarp 3h`, `timewarp 90m`."
        clock.offset += delta
        for dispatcher in dispatchers:
            dispatcher.poke()  # check-ins now due arrive at once
        return f"(clock moved ahead {delta}; it is now {clock.now():%a %d %b %H:%M} UTC)"

    adapter = ConsoleAdapter(engine, console_user(user_name), on_command=console_command)

    async def session() -> None:
        """The chat, with the check-in dispatcher running alongside in the same loop."""
        from bot.checkins.dispatcher import Dispatcher

        dispatcher = Dispatcher(engine, {"console": adapter}, settings, poll_seconds=5)
        dispatchers.append(dispatcher)
        await dispatcher.start()
        try:
            await adapter.run()
        finally:
            await dispatcher.stop()

    try:
        asyncio.run(session())
    except KeyboardInterrupt:
        click.echo("\nTake care. Everything is saved.")
    sys.exit(0)


@main.command()
@click.option("--db", "db_path", default=None, help="SQLite file (default: REBOUND_DB).")
def run(db_path: str | None) -> None:
    """Run the bot on every platform whose credentials are configured."""
    try:
        settings = load_settings()
    except ConfigError as problem:
        raise click.ClickException(str(problem)) from None
    from bot.logs import configure_logging
    from bot.runner import run_platforms

    configure_logging(settings)
    try:
        asyncio.run(run_platforms(settings, db_path))
    except ConfigError as problem:
        raise click.ClickException(str(problem)) from None
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _settings_with_db(db_path: str | None):  # type: ignore[no-untyped-def]
    """Settings, with --db taking the place of REBOUND_DB when given."""
    try:
        settings = load_settings()
    except ConfigError as problem:
        raise click.ClickException(str(problem)) from None
    if db_path:
        settings = settings.model_copy(update={"db": Path(db_path)})
    return settings


@main.command()
@click.option("--db", "db_path", default=None, help="SQLite file (default: REBOUND_DB).")
@click.option("--offline", is_flag=True, help="Skip the live checks against Slack and Discord.")
@click.option("--slack-api-url", default=None, hidden=True)
@click.option("--discord-api-url", default=None, hidden=True)
def doctor(db_path: str | None, offline: bool, slack_api_url: str | None,
           discord_api_url: str | None) -> None:
    """Check settings, database and credentials, and say what to fix."""
    from bot import doctor as checks

    try:
        settings = load_settings()
    except ConfigError as problem:
        click.echo(f"Rebound doctor\n✗ Settings: {problem}\n    fix: correct that variable "
                   "in the environment or .env (see deploy/.env.example).")
        sys.exit(1)
    if db_path:
        settings = settings.model_copy(update={"db": Path(db_path)})
    findings = asyncio.run(checks.diagnose(
        settings, live=not offline, slack_api=slack_api_url or checks.SLACK_API,
        discord_api=discord_api_url or checks.DISCORD_API))
    click.echo(checks.render(findings))
    sys.exit(checks.exit_code(findings))


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--db", "db_path", default=None, help="SQLite file (default: REBOUND_DB).")
def backup(path: Path, db_path: str | None) -> None:
    """Copy the database to PATH (a file or a directory), safely while the bot runs."""
    from bot.store.backup import BackupError
    from bot.store.backup import backup as take_backup

    settings = _settings_with_db(db_path)
    try:
        result = take_backup(Path(settings.db), path)
    except BackupError as problem:
        raise click.ClickException(str(problem)) from None
    rows = sum(result.tables.values())
    click.echo(f"Backed up {settings.db} to {result.path} ({result.size:,} bytes, "
               f"{len(result.tables)} tables, {rows:,} rows). It holds personal data: keep it "
               "private and delete old copies on schedule.")


def _one_user(db, who: str) -> str:  # type: ignore[no-untyped-def]
    """The single user key `who` names, or a clear error."""
    from bot.store import privacy

    keys = privacy.find_users(db, who)
    if not keys:
        raise click.ClickException(f"No user matches {who!r}. Give the platform user id (e.g. "
                                   "U0123ABCD) or the full key platform:workspace:user.")
    if len(keys) > 1:
        raise click.ClickException(f"{who!r} matches several users: {', '.join(keys)}. "
                                   "Repeat with the full key.")
    return keys[0]


@main.command("export-user")
@click.argument("who")
@click.option("--db", "db_path", default=None, help="SQLite file (default: REBOUND_DB).")
@click.option("--out", "out_dir", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the two files (default: here).")
def export_user(who: str, db_path: str | None, out_dir: Path) -> None:
    """Write everything stored about one user (Markdown + JSON), for an access request."""
    from datetime import datetime, timezone

    from bot.export import build_export
    from bot.store import open_database, privacy

    db = open_database(_settings_with_db(db_path).db)
    key = _one_user(db, who)
    out_dir.mkdir(parents=True, exist_ok=True)
    for attachment in build_export(privacy.export_rows(db, key), datetime.now(timezone.utc)):
        target = out_dir / attachment.filename
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(attachment.content)
        click.echo(f"Wrote {target}")


@main.command("forget-user")
@click.argument("who")
@click.option("--db", "db_path", default=None, help="SQLite file (default: REBOUND_DB).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_user(who: str, db_path: str | None, yes: bool) -> None:
    """Delete everything stored about one user, for a deletion request."""
    from bot.store import open_database, privacy

    db = open_database(_settings_with_db(db_path).db)
    key = _one_user(db, who)
    held = {table: n for table, n in privacy.counts(db, key).items() if n}
    summary = ", ".join(f"{table}: {n}" for table, n in sorted(held.items()))
    if not yes:
        click.confirm(f"Delete every row about {key} ({summary})? This cannot be undone",
                      abort=True)
    deleted = privacy.forget(db, key)
    try:
        privacy.compact(db)
        compacted = "and compacted the file so the deleted data is gone from disk"
    except Exception:  # the running bot may hold the lock; its daily maintenance compacts
        compacted = ("the file will be compacted by the bot's daily maintenance (it was busy "
                     "just now)")
    click.echo(f"Deleted {sum(deleted.values())} rows about {key}, {compacted}. Backups made "
               "before today still contain this user until they are rotated out.")


if __name__ == "__main__":
    main()
