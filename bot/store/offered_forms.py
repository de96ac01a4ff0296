"""Forms offered behind a button (a modal opened later), kept so the button works after a restart.

Chat platforms whose modals can only open in answer to a click (Discord) show a form as a
button; the form's definition and any pages already filled in wait here until it is opened.
Rows cascade from `users` (forget-me) and expire after FORM_MEMORY.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database, Migrations

from bot.models import FormRequest
from bot.store.db import register_migrations, transaction

FORM_MEMORY = timedelta(days=14)

migrations = register_migrations(Migrations("rebound.offered_forms"))


@migrations()
def m001_offered_forms(db: Database) -> None:
    """One row per (user, form id): the form and the values of pages already submitted."""
    db.executescript(
        """
        CREATE TABLE offered_forms (
            user_key TEXT NOT NULL REFERENCES users(key) ON DELETE CASCADE,
            form_id TEXT NOT NULL,
            form TEXT NOT NULL,
            values_so_far TEXT NOT NULL DEFAULT '{}',
            offered_at TEXT NOT NULL,
            PRIMARY KEY (user_key, form_id)
        );
        CREATE INDEX offered_forms_age ON offered_forms(offered_at);
        """
    )


def ensure(db: Database) -> None:
    """Create the table if this database was opened before this module was imported."""
    migrations.apply(db)


@dataclass
class OfferedForm:
    """A stored form and what the user has typed into its earlier pages."""

    form: FormRequest
    values: dict[str, str] = field(default_factory=dict)


def remember(db: Database, user_key: str, form: FormRequest, now: datetime) -> bool:
    """Store (or refresh) a form offered to the user; False if the user no longer exists."""
    with transaction(db):
        db.execute("DELETE FROM offered_forms WHERE offered_at < ?",
                   [(now - FORM_MEMORY).isoformat()])
        exists = db.execute("SELECT 1 FROM users WHERE key = ?", [user_key]).fetchone()
        if exists is None:
            return False
        db.execute(
            "INSERT INTO offered_forms (user_key, form_id, form, values_so_far, offered_at) "
            "VALUES (?, ?, ?, '{}', ?) ON CONFLICT (user_key, form_id) DO UPDATE SET "
            "form = excluded.form, values_so_far = '{}', offered_at = excluded.offered_at",
            [user_key, form.form_id, form.model_dump_json(), now.isoformat()],
        )
    return True


def recall(db: Database, user_key: str, form_id: str, now: datetime) -> OfferedForm | None:
    """The form offered under this id, unless it has expired or was never offered."""
    row = db.execute(
        "SELECT form, values_so_far, offered_at FROM offered_forms "
        "WHERE user_key = ? AND form_id = ?", [user_key, form_id]).fetchone()
    if row is None or datetime.fromisoformat(row[2]) < now - FORM_MEMORY:
        return None
    return OfferedForm(FormRequest.model_validate_json(row[0]), json.loads(row[1]))


def save_page(db: Database, user_key: str, form_id: str, values: dict[str, str]) -> None:
    """Keep the values of a submitted page until the last page comes in."""
    with transaction(db):
        row = db.execute("SELECT values_so_far FROM offered_forms WHERE user_key = ? AND "
                         "form_id = ?", [user_key, form_id]).fetchone()
        if row is None:
            return
        merged = {**json.loads(row[0]), **values}
        db.execute("UPDATE offered_forms SET values_so_far = ? WHERE user_key = ? AND "
                   "form_id = ?", [json.dumps(merged), user_key, form_id])


def clear_values(db: Database, user_key: str, form_id: str) -> None:
    """Forget typed values once the whole form was submitted (the engine has them now)."""
    with transaction(db):
        db.execute("UPDATE offered_forms SET values_so_far = '{}' WHERE user_key = ? AND "
                   "form_id = ?", [user_key, form_id])
