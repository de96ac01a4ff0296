"""Per-user rows: settings and conversation state, saved with a version check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.errors import ConcurrentTurn
from bot.models import UserRef
from bot.state import UserSettings, UserState


@dataclass
class UserRecord:
    """A loaded user: who they are, their settings and their state at `version`."""

    ref: UserRef
    settings: UserSettings
    state: UserState
    version: int
    is_new: bool = False
    # Set when the user was deleted during the turn (forget me): nothing must be saved back.
    forgotten: bool = False
    # The stored JSON as loaded, so an unchanged turn writes nothing.
    loaded: tuple[str, str] | None = None


def load_or_create(db: Database, ref: UserRef, now: datetime) -> UserRecord:
    """Load the user's row, creating an empty one on first contact."""
    row = db.execute(
        "SELECT settings, state, version FROM users WHERE key = ?", [ref.key]
    ).fetchone()
    if row is not None:
        return UserRecord(
            ref=ref,
            settings=UserSettings.model_validate_json(row[0]),
            state=UserState.model_validate_json(row[1]),
            version=row[2],
            loaded=(row[0], row[1]),
        )
    stamp = now.isoformat()
    db.execute(
        "INSERT INTO users (key, platform, workspace, user_id, settings, state, version,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
        [ref.key, ref.platform, ref.workspace, ref.user, UserSettings().model_dump_json(),
         UserState().model_dump_json(), stamp, stamp],
    )
    return UserRecord(ref=ref, settings=UserSettings(), state=UserState(), version=0, is_new=True)


def save(db: Database, record: UserRecord, now: datetime) -> None:
    """Save settings and state; raise ConcurrentTurn if another turn saved first."""
    settings, state = record.settings.model_dump_json(), record.state.model_dump_json()
    if record.loaded == (settings, state):
        return
    cursor = db.execute(
        "UPDATE users SET settings = ?, state = ?, version = version + 1, updated_at = ?"
        " WHERE key = ? AND version = ?",
        [settings, state, now.isoformat(), record.ref.key, record.version],
    )
    if cursor.rowcount != 1:
        raise ConcurrentTurn(record.ref.key)
    record.version += 1
    record.loaded = (settings, state)


def exists(db: Database, user_key: str) -> bool:
    """True when the user has a row."""
    return db.execute("SELECT 1 FROM users WHERE key = ?", [user_key]).fetchone() is not None


def forget(db: Database, user_key: str) -> None:
    """Delete the user and, by cascade, every row about them."""
    db.execute("DELETE FROM users WHERE key = ?", [user_key])
