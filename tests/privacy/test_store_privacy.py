"""Every table is reachable from a user key, or declared global; forget deletes along each path."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

import bot
from bot.models import UserRef
from bot.store import open_database, privacy, transaction, users

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


def _import_everything() -> None:
    """Import every module under bot/, so every migration set anyone wrote is registered."""
    for module in pkgutil.walk_packages(bot.__path__, "bot."):
        importlib.import_module(module.name)


def test_every_table_in_the_full_schema_has_a_user_key_path_or_is_declared_global(
        tmp_path: Path) -> None:
    """The day someone adds a table with no way back to the user, this fails and names it."""
    _import_everything()
    db = open_database(tmp_path / "r.db")
    paths = privacy.user_tables(db)  # raises UncoveredTables, naming the tables
    names = {row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert names == set(paths) | (names & set(privacy.GLOBAL_TABLES))
    assert {"users", "interviews", "letters", "letter_versions", "checkins",
            "processed_events"} <= set(paths)
    assert paths["letter_versions"].depth == 2


def test_a_table_without_a_path_makes_export_and_forget_refuse(tmp_path: Path) -> None:
    """A silent gap in forget-me would be worse than an error."""
    db = open_database(tmp_path / "r.db")
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT, body TEXT)")
    with pytest.raises(privacy.UncoveredTables) as problem:
        privacy.forget(db, "test:w:u1")
    assert problem.value.tables == ["notes"]
    with pytest.raises(privacy.UncoveredTables):
        privacy.export_rows(db, "test:w:u1")
    privacy.register_global_table("notes", "test: holds no personal data")
    try:
        privacy.user_tables(db)
    finally:
        privacy.GLOBAL_TABLES.pop("notes")


def test_forget_reaches_tables_without_cascade_and_without_foreign_keys(tmp_path: Path) -> None:
    """A user_key column with no FK, and an FK without ON DELETE CASCADE, are both emptied."""
    db = open_database(tmp_path / "r.db")
    db.execute("CREATE TABLE nudges (user_key TEXT NOT NULL, note TEXT)")  # no foreign key
    db.execute("CREATE TABLE letter_notes (letter_id INTEGER NOT NULL REFERENCES letters(id),"
               " note TEXT)")  # foreign key without cascade: a plain DELETE of users would fail
    for name in ("u1", "u2"):
        ref = UserRef(platform="test", workspace="w", user=name)
        with transaction(db):
            users.load_or_create(db, ref, NOW)
            db.execute("INSERT INTO letters (user_key, kind, created_at)"
                       " VALUES (?, 'thank-you', ?)", [ref.key, NOW.isoformat()])
            letter_id = db.execute("SELECT MAX(id) FROM letters").fetchone()[0]
            db.execute("INSERT INTO letter_notes VALUES (?, ?)", [letter_id, f"note of {name}"])
            db.execute("INSERT INTO nudges VALUES (?, ?)", [ref.key, f"nudge of {name}"])

    deleted = privacy.forget(db, "test:w:u1")

    assert deleted["letter_notes"] == 1 and deleted["nudges"] == 1 and deleted["users"] == 1
    assert [r[0] for r in db.execute("SELECT note FROM letter_notes")] == ["note of u2"]
    assert [r[0] for r in db.execute("SELECT note FROM nudges")] == ["nudge of u2"]
    assert privacy.counts(db, "test:w:u2")["letters"] == 1


def test_find_users_by_key_or_platform_id(tmp_path: Path) -> None:
    """Operators answering a request by e-mail know the platform id, not our key."""
    db = open_database(tmp_path / "r.db")
    with transaction(db):
        users.load_or_create(db, UserRef(platform="slack", workspace="T1", user="U42"), NOW)
        users.load_or_create(db, UserRef(platform="discord", workspace="", user="U42"), NOW)
    assert privacy.find_users(db, "slack:T1:U42") == ["slack:T1:U42"]
    assert privacy.find_users(db, "U42") == ["discord::U42", "slack:T1:U42"]
    assert privacy.find_users(db, "U43") == []
