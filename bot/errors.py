"""Error types.

BotError
 +-- UserInputError   the user's input cannot be used; becomes a friendly re-prompt
 +-- ConcurrentTurn   another turn for the same user saved first; the turn is retried
 +-- ConfigError      a setting is missing or invalid; names the variable
"""

from __future__ import annotations


class BotError(Exception):
    """Root of every error the bot raises on purpose."""


class UserInputError(BotError):
    """Input we cannot use; `message` is what the user is told."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConcurrentTurn(BotError):
    """Another turn for this user was saved between our load and our save."""


class ConfigError(BotError):
    """A setting is missing or invalid."""
