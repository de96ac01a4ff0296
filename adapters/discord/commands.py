"""The `/rebound` slash command, its suggestions, and syncing it only when it changed."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import discord
from discord import app_commands

log = logging.getLogger("rebound.discord")

# What `/rebound` understands after its name, mirroring Slack's subcommands.
SUBCOMMANDS = [
    ("", "Start or pick up a debrief"),
    ("letter", "Draft a letter"),
    ("letter thank-you", "Draft a thank-you letter"),
    ("letter second-chance", "Ask for a second chance"),
    ("letter follow-up", "Follow up when you've heard nothing"),
    ("letter after-rejection", "Reply gracefully to a rejection"),
    ("letter reference", "Give a reference a heads-up"),
    ("checkins", "See, move or cancel check-ins"),
    ("status", "Your interviews, letters and next check-ins"),
    ("settings", "Time zone, hours, how often I check in"),
    ("help", "What I can do"),
    ("export", "All your data, as a file"),
    ("forget-me", "Delete everything about you"),
]

CommandCallback = Callable[[discord.Interaction, str | None], Awaitable[None]]


def suggest(typed: str, limit: int = 25) -> list[tuple[str, str]]:
    """(value, shown name) pairs for what the user has typed so far; free text stays allowed."""
    wanted = " ".join(typed.lower().split())
    found = [(value, f"{value} · {hint}" if value else hint) for value, hint in SUBCOMMANDS
             if value and value.startswith(wanted)]
    if wanted and all(value != wanted for value, _ in found):
        found.insert(0, (typed.strip()[:100], typed.strip()[:100]))
    return found[:limit]


def build_tree(client: discord.Client, on_command: CommandCallback) -> app_commands.CommandTree:
    """A command tree holding `/rebound [args]`, usable in servers and in the bot's DMs."""
    tree = app_commands.CommandTree(client)

    @app_commands.command(name="rebound",
                          description="Talk through a rough interview, draft letters, check-ins")
    @app_commands.describe(args="Optional: letter, status, checkins, settings, help, export…")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def rebound(interaction: discord.Interaction, args: str | None = None) -> None:
        await on_command(interaction, args)

    @rebound.autocomplete("args")
    async def complete(interaction: discord.Interaction,
                       current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name[:100], value=value)
                for value, name in suggest(current)]

    tree.add_command(rebound)
    return tree


def commands_digest(tree: app_commands.CommandTree, application_id: int | None) -> str:
    """A hash of the command set as Discord would receive it (and of the application)."""
    payload = [command.to_dict(tree) for command in tree.get_commands()]
    blob = json.dumps({"application": application_id, "commands": payload}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def digest_path(db_path: Path | str) -> Path:
    """Where the last synced hash lives: next to the database."""
    return Path(str(db_path) + ".discord-commands.sha256")


async def sync_if_changed(tree: app_commands.CommandTree, application_id: int | None,
                          db_path: Path | str) -> bool:
    """Sync global commands when they differ from the last sync; True if a sync happened."""
    digest = commands_digest(tree, application_id)
    path = digest_path(db_path)
    try:
        if path.read_text(encoding="utf-8").strip() == digest:
            return False
    except OSError:
        pass
    try:
        await tree.sync()
    except discord.HTTPException as error:
        # DMs and existing commands still work; the hash is not stored, so the next start
        # tries again.
        log.warning("could not sync slash commands", extra={
            "component": "discord", "status": error.status, "reason": str(error.code)})
        return False
    try:
        path.write_text(digest + "\n", encoding="utf-8")
    except OSError:
        # Not fatal: we will simply sync again next start.
        log.warning("could not store the slash-command hash next to the database",
                    extra={"component": "discord"})
    log.info("slash commands synced")
    return True
