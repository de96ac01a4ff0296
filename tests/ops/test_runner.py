"""`rebound run` start-up: a platform that cannot be reached gives a clear, secret-free error."""

from __future__ import annotations

import socket
from pathlib import Path

import discord
import pytest

from bot.config import load_settings
from bot.errors import ConfigError
from bot.runner import run_platforms

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.abcdefghijklmnopqrstuvwxyz0123456789AB"


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_unreachable_discord_names_the_platform_and_hides_the_token(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connection refused at start-up: a ConfigError saying Discord, without the token."""
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10")
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    with pytest.raises(ConfigError) as caught:
        await run_platforms(load_settings(), str(tmp_path / "run.db"))
    message = str(caught.value)
    assert message.startswith("Discord could not start")
    assert "rebound doctor" in message
    assert TOKEN not in message


def test_a_new_database_is_private_to_its_owner(tmp_path: Path) -> None:
    """The file that holds feelings and letters is created mode 0600."""
    from bot.store import open_database

    open_database(tmp_path / "private.db")
    assert (tmp_path / "private.db").stat().st_mode & 0o777 == 0o600
