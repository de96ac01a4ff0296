"""Forget me: after confirmation no row, and no byte of the database file, keeps the user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store import open_database
from tests.privacy.journey import ALICE, BOB, conversation, expect, full_debrief
from tests.transcript import reply_text

ALICE_ID = "U0ALICEFORGET42"
BOB_ID = "U0BOBSTAYS77"


def rows_mentioning(db_path: Path, needle: str) -> dict[str, int]:
    """For every table in the file, how many rows have a column containing `needle`."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
        found = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            condition = " OR ".join(f'CAST("{c}" AS TEXT) LIKE ?' for c in columns)
            count = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {condition}',
                                 [f"%{needle}%"] * len(columns)).fetchone()[0]
            if count:
                found[table] = count
        return found
    finally:
        conn.close()


def file_bytes_after_vacuum(db_path: Path) -> bytes:
    """Checkpoint the WAL into the file, VACUUM, and return the bytes of the file and its WAL."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    data = db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


async def test_forget_me_after_confirmation_leaves_no_trace(tmp_path: Path) -> None:
    """Two users debrief; one forgets; every table and the file's bytes lose only that one."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    bob = conversation(db_path, BOB_ID, clock=alice.clock)
    await full_debrief(alice, ALICE)
    await full_debrief(bob, BOB)
    await alice.say("export")  # an export leaves nothing behind in the database either

    before = rows_mentioning(db_path, ALICE_ID)
    # The check can see Alice: her rows are in users, interviews, letters, check-ins...
    assert {"users", "interviews", "letters", "checkins"} <= set(before)
    assert ALICE.vent.encode() in file_bytes_after_vacuum(db_path)

    await expect(alice, "forget me", "Delete everything")
    said = await expect(alice, "[Delete everything]", "deleted everything")
    assert "check-ins" in said

    assert rows_mentioning(db_path, ALICE_ID) == {}
    for sentence in (ALICE.vent, ALICE.forgiveness, ALICE.went_wrong, ALICE.sender,
                     ALICE.reference, ALICE.company):
        assert rows_mentioning(db_path, sentence) == {}, sentence
    # Bob is untouched, row for row.
    assert rows_mentioning(db_path, BOB_ID).keys() == before.keys()

    data = file_bytes_after_vacuum(db_path)
    for needle in (ALICE_ID, ALICE.vent, ALICE.forgiveness, ALICE.went_wrong, ALICE.feeling,
                   ALICE.reference, ALICE.better_answer):
        assert needle.encode() not in data, needle
    # ...while the same search finds the user who stayed.
    assert BOB_ID.encode() in data and BOB.vent.encode() in data


async def test_typing_the_confirmation_word_deletes(tmp_path: Path) -> None:
    """`delete everything` typed instead of the button works the same."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    await expect(alice, "my interview went badly", "Which company")
    await expect(alice, ALICE.company, "role")
    await expect(alice, "forget-me", "type `delete everything`")
    await expect(alice, "Delete Everything", "deleted everything")
    assert rows_mentioning(db_path, ALICE_ID) == {}


async def test_anything_else_keeps_the_data_and_resumes_the_debrief(tmp_path: Path) -> None:
    """A reply other than the confirmation deletes nothing and returns to the question."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    await expect(alice, "my interview went badly", "Which company")
    await expect(alice, ALICE.company, "role")
    await expect(alice, "forget me", "Delete everything")
    said = await expect(alice, "no wait", "nothing was deleted")
    assert "And the role you interviewed for" in said
    await expect(alice, "Data Engineer", "When was it?")
    assert rows_mentioning(db_path, ALICE_ID)["interviews"] == 1


async def test_keep_button_and_cancel_delete_nothing(tmp_path: Path) -> None:
    """Keep my data, and `cancel` while asked, both leave everything in place."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    await expect(alice, "my interview went badly", "Which company")
    await expect(alice, "forget me", "Delete everything")
    await expect(alice, "[Keep my data]", "everything stays")
    await expect(alice, "forget me", "Delete everything")
    await expect(alice, "cancel", "nothing was deleted")
    assert rows_mentioning(db_path, ALICE_ID)["users"] == 1


async def test_stale_and_repeated_confirmations_are_harmless(tmp_path: Path) -> None:
    """An old confirm deletes nothing; a second press after deletion leaves no new row."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    await expect(alice, "my interview went badly", "Which company")
    await expect(alice, "forget me", "Delete everything")
    old_confirm = alice.find_button("Delete everything")
    await expect(alice, "[Keep my data]", "everything stays")
    # The confirm button from the request she turned down no longer deletes anything.
    replies = await alice._send(_button(alice, old_confirm.id))
    assert "haven't deleted anything" in reply_text(replies)
    assert rows_mentioning(db_path, ALICE_ID)["interviews"] == 1

    await expect(alice, "forget me", "Delete everything")
    confirm = alice.find_button("Delete everything")
    await expect(alice, "[Delete everything]", "deleted everything")
    # A double tap, or the platform delivering the press again.
    replies = await alice._send(_button(alice, confirm.id))
    assert "nothing to delete" in reply_text(replies)
    assert rows_mentioning(db_path, ALICE_ID) == {}
    # The same delivery id again is not a duplicate any more (its record went too): still fine.
    alice.event_id = "evt-1"
    await alice._send(_button(alice, confirm.id))
    alice.event_id = "evt-1"
    await alice._send(_button(alice, confirm.id))
    assert rows_mentioning(db_path, ALICE_ID) == {}


async def test_a_slash_command_forgets_too(tmp_path: Path) -> None:
    """`/rebound forget me` asks the same confirmation."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    await alice.say("hi")
    replies = await alice.command("forget me")
    assert "Delete everything" in reply_text(replies)
    await expect(alice, "[Delete everything]", "deleted everything")
    assert rows_mentioning(db_path, ALICE_ID) == {}
    # Coming back later starts fresh: a first-contact welcome and a new, empty interview.
    await expect(alice, "hi", "I'm Rebound")
    db = open_database(db_path)
    rows = db.execute("SELECT debrief FROM interviews").fetchall()
    assert len(rows) == 1 and '"company":null' in rows[0][0]


def _button(convo, button_id: str):  # type: ignore[no-untyped-def]
    """A press of a button by id, with the conversation's common fields."""
    from bot.models import ButtonIn

    return ButtonIn(button_id=button_id, **convo._common())
