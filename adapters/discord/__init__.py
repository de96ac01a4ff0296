"""Discord adapter (discord.py): DMs, /rebound, buttons that survive restarts, modals."""
