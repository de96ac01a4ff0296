"""Discord adapter (discord.py): DMs, /rebound, buttons that survive restarts, modals."""

from adapters.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
