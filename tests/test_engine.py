"""The engine's turn: locking, durability, migrations, settings and isolation between users."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.engine import Engine
from bot.errors import ConcurrentTurn, ConfigError
from bot.models import TextIn, UserRef
from bot.store import open_database, transaction, users
from tests.conftest import make_user


async def test_two_messages_at_once_are_processed_one_after_the_other(engine: Engine) -> None:
    """Both answers land, in order, with no lost update."""
    user = make_user()
    await engine.handle(TextIn(user=user, text="hi", platform_tz="UTC"))
    first, second = await asyncio.gather(
        engine.handle(TextIn(user=user, text="Acme")),
        engine.handle(TextIn(user=user, text="Data Engineer")),
    )
    assert "role you interviewed for at Acme" in first[0].text
    assert "When was it?" in second[0].text
    row = engine.db.execute("SELECT debrief FROM interviews").fetchone()
    assert '"company":"Acme"' in row[0] and '"role":"Data Engineer"' in row[0]


async def test_two_engines_on_one_file_never_lose_a_turn(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    """Two processes' worth of engines share the file; every turn is kept."""
    path = tmp_path / "shared.db"
    one, two = Engine(path, clock=clock), Engine(path, clock=clock)
    user = make_user()
    await one.handle(TextIn(user=user, text="hi", platform_tz="UTC"))
    await two.handle(TextIn(user=user, text="Acme"))
    replies = await one.handle(TextIn(user=user, text="Analyst"))
    assert "When was it?" in replies[0].text
    version = one.db.execute("SELECT version FROM users").fetchone()[0]
    assert version == 3


def test_a_stale_save_is_refused(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    """Saving state loaded before someone else's save raises ConcurrentTurn."""
    db = open_database(tmp_path / "v.db")
    ref = make_user()
    with transaction(db):
        users.load_or_create(db, ref, clock.now())
    with transaction(db):
        early = users.load_or_create(db, ref, clock.now())
    with transaction(db):
        late = users.load_or_create(db, ref, clock.now())
        late.state.prompt_token += 5
        users.save(db, late, clock.now())
    early.state.prompt_token += 1
    with pytest.raises(ConcurrentTurn), transaction(db):
        users.save(db, early, clock.now())


def test_an_unchanged_turn_writes_nothing(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    """Saving state exactly as loaded leaves the row and its version alone."""
    db = open_database(tmp_path / "u.db")
    ref = make_user()
    with transaction(db):
        users.load_or_create(db, ref, clock.now())
    with transaction(db):
        record = users.load_or_create(db, ref, clock.now())
        users.save(db, record, clock.now())
    assert db.execute("SELECT version FROM users").fetchone()[0] == 0


def test_database_is_durable_and_migrated_from_empty(tmp_path: Path) -> None:
    """WAL, synchronous=FULL, foreign keys, and every table from an empty file."""
    path = tmp_path / "fresh.db"
    db = open_database(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    names = set(db.table_names())
    assert {"users", "interviews", "letters", "letter_versions", "checkins",
            "processed_events", "_sqlite_migrations"} <= names
    again = open_database(path)  # reopening applies nothing twice
    count = again.execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0]
    assert count == db.execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0]
    plain = sqlite3.connect(path)
    assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_users_never_see_each_other(engine: Engine) -> None:
    """Two users, two journeys, no crossing."""
    ann, bo = make_user("ann"), make_user("bo")
    await engine.handle(TextIn(user=ann, text="hi", platform_tz="UTC"))
    await engine.handle(TextIn(user=ann, text="Acme"))
    await engine.handle(TextIn(user=bo, text="hi", platform_tz="UTC"))
    await engine.handle(TextIn(user=bo, text="Globex"))
    replies = await engine.handle(TextIn(user=bo, text="status"))
    assert "Globex" in replies[0].text and "Acme" not in replies[0].text
    other_workspace = UserRef(platform="test", workspace="elsewhere", user="ann")
    replies = await engine.handle(TextIn(user=other_workspace, text="status"))
    assert "No interviews yet" in replies[0].text


def test_a_bad_setting_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up errors say which variable to fix."""
    monkeypatch.setenv("REBOUND_CHECKIN_STALENESS_HOURS", "soon")
    with pytest.raises(ConfigError, match="REBOUND_CHECKIN_STALENESS_HOURS"):
        load_settings()


def test_database_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    """REBOUND_DB chooses the file."""
    monkeypatch.setenv("REBOUND_DB", str(tmp_path / "x.db"))
    assert load_settings().db == tmp_path / "x.db"


async def test_a_ten_thousand_character_paste_is_refused_kindly(engine: Engine) -> None:
    """Over the documented limit: a clear message, the question again, and no state change."""
    user = make_user()
    await engine.handle(TextIn(user=user, text="hi", platform_tz="UTC"))
    before = engine.db.execute("SELECT state, version FROM users").fetchone()
    replies = await engine.handle(TextIn(user=user, text="x" * 10_000))
    assert "That's a long one (10,000 characters)" in replies[0].text
    assert "Which company" in replies[0].text
    assert engine.db.execute("SELECT state, version FROM users").fetchone() == before
    replies = await engine.handle(TextIn(user=user, text="y" * 4_000))
    assert "That looks longer than a company name" in replies[0].text


async def test_control_characters_are_dropped_and_words_kept(engine: Engine) -> None:
    """NUL, bell and direction overrides vanish; the words around them stay."""
    user = make_user()
    await engine.handle(TextIn(user=user, text="hi", platform_tz="UTC"))
    replies = await engine.handle(TextIn(user=user, text="Ac\x00me\x07 \u202eCorp\u200b"))
    assert "at Acme Corp?" in replies[0].text
