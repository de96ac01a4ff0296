"""The core tables: users, interviews, letters, check-ins and processed platform events."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from bot.store.db import register_migrations

core = register_migrations(Migrations("rebound.core"))


@core()
def m001_core_tables(db: Database) -> None:
    """Create the first tables; every row about a user cascades from `users`."""
    db.executescript(
        """
        CREATE TABLE users (
            key TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            workspace TEXT NOT NULL,
            user_id TEXT NOT NULL,
            settings TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE interviews (
            id INTEGER PRIMARY KEY,
            user_key TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
            status TEXT NOT NULL DEFAULT 'open',
            outcome TEXT,
            debrief TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX interviews_user ON interviews(user_key);
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY,
            user_key TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
            interview_id INTEGER REFERENCES interviews(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            inputs TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX letters_user ON letters(user_key);
        CREATE TABLE letter_versions (
            id INTEGER PRIMARY KEY,
            letter_id INTEGER NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            variant INTEGER NOT NULL DEFAULT 0,
            short INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (letter_id, version)
        );
        CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            user_key TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
            interview_id INTEGER REFERENCES interviews(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            claimed_at TEXT,
            finished_at TEXT,
            last_error TEXT
        );
        CREATE INDEX checkins_due ON checkins(status, due_at);
        CREATE INDEX checkins_user ON checkins(user_key);
        CREATE TABLE processed_events (
            event_id TEXT PRIMARY KEY,
            user_key TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX processed_events_expiry ON processed_events(expires_at);
        """
    )
