"""`rebound doctor` on good and broken configurations, with Slack and Discord faked on loopback."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot.config import load_settings
from bot.doctor import diagnose, exit_code, render
from bot.store import open_database

GOOD_SLACK = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
GOOD_APP = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789"
GOOD_DISCORD = "MTE5MzQ1Njc4OTAxMjM0NTY3OA.GaBcDe.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab"
REVOKED_SLACK = "xoxb-1234567890-0987654321-RevokedRevokedRevoked00"
REVOKED_DISCORD = "MTE5MzQ1Njc4OTAxMjM0NTY3OA.GaBcDe.RevokedRevokedRevokedRevokedRevoked00"


@dataclass
class FakeApis:
    """Slack's auth.test and Discord's /users/@me, answering by token."""

    base: str = ""
    seen: list[tuple[str, str]] = field(default_factory=list)

    @property
    def slack(self) -> str:
        return f"{self.base}/slack/api/"

    @property
    def discord(self) -> str:
        return f"{self.base}/discord/api/v10/"


@pytest.fixture
async def apis() -> AsyncIterator[FakeApis]:
    """The fake APIs on a free loopback port."""
    fake = FakeApis()

    async def auth_test(request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        fake.seen.append(("slack", header))
        if header == f"Bearer {GOOD_SLACK}":
            return web.json_response({"ok": True, "user": "rebound", "team": "Career Centre"})
        return web.json_response({"ok": False, "error": "invalid_auth"})

    async def me(request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        fake.seen.append(("discord", header))
        if header == f"Bot {GOOD_DISCORD}":
            return web.json_response({"id": "1193456789012345678", "username": "Rebound"})
        return web.json_response({"message": "401: Unauthorized", "code": 0}, status=401)

    app = web.Application()
    app.router.add_post("/slack/api/auth.test", auth_test)
    app.router.add_get("/discord/api/v10/users/@me", me)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.base = f"http://127.0.0.1:{port}"
    yield fake
    await runner.cleanup()


def healthy_db(tmp_path: Path) -> Path:
    """A migrated database in WAL mode, readable by its owner only."""
    path = tmp_path / "data" / "rebound.db"
    open_database(path).conn.close()
    path.chmod(0o600)
    return path


async def run_doctor(tmp_path: Path, apis: FakeApis, **env: str) -> tuple[int, str]:
    """The real `rebound doctor` process, with only the given settings in its environment."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SLACK_", "DISCORD_", "REBOUND_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "doctor", "--slack-api-url", apis.slack,
        "--discord-api-url", apis.discord, env={**clean, **env}, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_a_good_configuration_passes(tmp_path: Path, apis: FakeApis) -> None:
    """Valid settings, a healthy database and accepted tokens: exit 0."""
    db = healthy_db(tmp_path)
    code, out = await run_doctor(tmp_path, apis, REBOUND_DB=str(db), SLACK_BOT_TOKEN=GOOD_SLACK,
                                 SLACK_APP_TOKEN=GOOD_APP, DISCORD_TOKEN=GOOD_DISCORD)
    assert code == 0, out
    assert "✓ Database" in out and "WAL" in out and "schema up to date" in out
    assert "SLACK_BOT_TOKEN accepted: rebound in Career Centre" in out
    assert "DISCORD_TOKEN accepted: Rebound (1193456789012345678)" in out
    assert "Socket Mode" in out
    assert "All good." in out
    assert ("slack", f"Bearer {GOOD_SLACK}") in apis.seen
    assert ("discord", f"Bot {GOOD_DISCORD}") in apis.seen
    # The report itself never prints a secret.
    assert GOOD_SLACK not in out and GOOD_DISCORD not in out and GOOD_APP not in out


async def test_a_broken_configuration_says_what_to_fix(tmp_path: Path, apis: FakeApis) -> None:
    """Wrong token kinds, no Slack mode, a prefixed Discord token, a world-readable file."""
    db = healthy_db(tmp_path)
    db.chmod(0o644)
    code, out = await run_doctor(tmp_path, apis, REBOUND_DB=str(db),
                                 SLACK_BOT_TOKEN="xoxp-1234-5678-abcdef",
                                 DISCORD_TOKEN=f"Bot {GOOD_DISCORD}")
    assert code == 1, out
    assert "✗ SLACK_BOT_TOKEN: is a user token (xoxp-)" in out
    assert "fix: Use the Bot User OAuth Token, which starts with xoxb-." in out
    assert "✗ Slack mode: neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set" in out
    assert "✗ DISCORD_TOKEN: starts with “Bot ”" in out
    assert f"chmod 600 {db}" in out
    assert "3 things to fix" in out
    assert apis.seen == []  # malformed tokens are not sent anywhere


async def test_tokens_the_platforms_refuse(tmp_path: Path, apis: FakeApis) -> None:
    """Well-formed but revoked tokens fail the live check."""
    db = healthy_db(tmp_path)
    code, out = await run_doctor(tmp_path, apis, REBOUND_DB=str(db),
                                 SLACK_BOT_TOKEN=REVOKED_SLACK,
                                 SLACK_SIGNING_SECRET="0123456789abcdef0123456789abcdef",
                                 DISCORD_TOKEN=REVOKED_DISCORD)
    assert code == 1, out
    assert "✗ Slack live check: Slack refused SLACK_BOT_TOKEN (invalid_auth)" in out
    assert "✗ Discord live check: Discord refused DISCORD_TOKEN (401)" in out
    assert "HTTP mode" in out


async def test_invalid_settings_name_the_variable(tmp_path: Path, apis: FakeApis) -> None:
    """A bad value stops the doctor at the first line, naming the variable."""
    code, out = await run_doctor(tmp_path, apis, REBOUND_LOG_LEVEL="loud")
    assert code == 1
    assert "✗ Settings: Invalid settings: REBOUND_LOG_LEVEL" in out


async def test_no_network_skips_the_live_checks(tmp_path: Path) -> None:
    """When nothing answers, the live checks are skipped, not failed."""
    settings = load_settings(REBOUND_DB=str(healthy_db(tmp_path)), SLACK_BOT_TOKEN=GOOD_SLACK,
                             SLACK_APP_TOKEN=GOOD_APP, DISCORD_TOKEN=GOOD_DISCORD)
    closed = "http://127.0.0.1:9/"  # the discard port: nothing listens there
    findings = await diagnose(settings, slack_api=closed, discord_api=closed, timeout=2)
    skipped = [f for f in findings if f.status == "skip"]
    assert [f.topic for f in skipped] == ["Slack live check", "Discord live check"]
    assert exit_code(findings) == 0
    assert "– Slack live check: skipped" in render(findings)


def test_database_problems(tmp_path: Path) -> None:
    """Not a database; not yet migrated and not in WAL mode; not created yet."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    settings = load_settings(REBOUND_DB=str(junk), DISCORD_TOKEN=GOOD_DISCORD)
    findings = asyncio.run(diagnose(settings, live=False))
    assert exit_code(findings) == 1
    assert any("not a usable SQLite database" in f.message for f in findings)

    import sqlite3

    old = tmp_path / "old.db"
    sqlite3.connect(old).execute("CREATE TABLE t (x)").connection.close()
    old.chmod(0o600)
    findings = asyncio.run(diagnose(settings.model_copy(update={"db": old}), live=False))
    messages = render(findings)
    assert "journal mode is delete, not WAL" in messages
    assert "schema migration(s) pending (in " in messages and "rebound.core" in messages
    assert exit_code(findings) == 0  # both are fixed by starting the bot

    fresh = tmp_path / "new" / "rebound.db"
    findings = asyncio.run(diagnose(settings.model_copy(update={"db": fresh}), live=False))
    assert "does not exist yet" in render(findings) and exit_code(findings) == 0
