"""The only code that speaks SQL: tables, migrations and per-user queries."""

from bot.store import checkins, events, interviews, letters, users
from bot.store.db import open_database, register_migrations, transaction

__all__ = [
    "checkins", "events", "interviews", "letters", "users",
    "open_database", "register_migrations", "transaction",
]
