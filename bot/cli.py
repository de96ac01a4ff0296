"""The `rebound` command: `chat` in the terminal, `run` for Slack and Discord, and friends."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import timedelta

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
    clock = SystemClock(offset)
    engine = Engine(db_path or settings.db, clock=clock)

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
        return f"(clock moved ahead {delta}; it is now {clock.now():%a %d %b %H:%M} UTC)"

    adapter = ConsoleAdapter(engine, console_user(user_name), on_command=console_command)
    try:
        asyncio.run(adapter.run())
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
    from bot.runner import run_platforms

    try:
        asyncio.run(run_platforms(settings, db_path))
    except ConfigError as problem:
        raise click.ClickException(str(problem)) from None
    except KeyboardInterrupt:
        click.echo("Stopped.")


if __name__ == "__main__":
    main()
