"""Export: everything about the user, as Markdown and JSON, and nothing about anyone else."""

from __future__ import annotations

import json
from pathlib import Path

from bot.models import OutboundMessage
from tests.privacy.journey import ALICE, BOB, conversation, expect, full_debrief

ALICE_ID = "U0ALICEEXPORT1"
BOB_ID = "U0BOBEXPORT2"


def _files(replies: list[OutboundMessage]) -> dict[str, str]:
    """Attachment name suffix to content."""
    files = {f.filename.rsplit(".", 1)[1]: f.content for m in replies for f in m.files}
    assert set(files) == {"md", "json"}
    return files


async def test_export_holds_everything_about_the_user_and_nothing_of_another(
        tmp_path: Path) -> None:
    """Interviews, lessons, feelings, letters with versions, references, check-ins, settings."""
    db_path = tmp_path / "r.db"
    alice = conversation(db_path, ALICE_ID)
    bob = conversation(db_path, BOB_ID, clock=alice.clock)
    await full_debrief(alice, ALICE)
    await full_debrief(bob, BOB)
    await expect(alice, "settings hours 8-18", "between 08:00 and 18:00")

    replies = await alice.say("export")
    assert all(m.private for m in replies)
    files = _files(replies)
    markdown, raw = files["md"], files["json"]

    for sentence in (ALICE.company, ALICE.vent, ALICE.feeling, "Frustrated", ALICE.went_wrong,
                     ALICE.went_right, ALICE.forgiveness, ALICE.better_answer, ALICE.detail,
                     ALICE.reference, ALICE.relationship, ALICE.sender, "Europe/Berlin",
                     ALICE_ID):
        assert sentence in markdown, sentence
        assert sentence in raw or json.dumps(sentence)[1:-1] in raw, sentence
    for stranger in (BOB_ID, BOB.company, BOB.vent, BOB.feeling, BOB.forgiveness, BOB.sender,
                     BOB.reference, BOB.went_wrong):
        assert stranger not in markdown and stranger not in raw, stranger

    document = json.loads(raw)
    tables = document["tables"]
    assert [row["user_id"] for row in tables["users"]] == [ALICE_ID]
    assert tables["users"][0]["settings"]["hours_start"] == 8
    assert len(tables["interviews"]) == 1
    debrief = tables["interviews"][0]["debrief"]
    assert debrief["went_wrong"] == [ALICE.went_wrong]
    assert debrief["went_right"] == [ALICE.went_right]
    assert debrief["references"][0]["name"] == ALICE.reference
    # The thank-you letter with both versions, and the reference heads-up.
    kinds = sorted(letter["kind"] for letter in tables["letters"])
    assert kinds == ["reference-heads-up", "second-chance"]
    thank_you = next(row for row in tables["letters"] if row["kind"] == "second-chance")
    versions = [v for v in tables["letter_versions"] if v["letter_id"] == thank_you["id"]]
    assert [v["version"] for v in versions] == [1, 2]
    for version in versions:
        assert version["subject"] in markdown
    assert {row["kind"] for row in tables["checkins"]} == {"letter_reminder", "heard_back"}
    assert "## Check-ins" in markdown and "Did the letter go out?" in markdown
    assert "#### Version 2" in markdown


async def test_export_of_someone_with_nothing_yet(tmp_path: Path) -> None:
    """A user who only said hi gets a short, valid export."""
    alice = conversation(tmp_path / "r.db", ALICE_ID)
    replies = await alice.command("export")
    files = _files(replies)
    assert "## Interviews" in files["md"] and "None." in files["md"]
    assert json.loads(files["json"])["tables"]["users"][0]["user_id"] == ALICE_ID


async def test_export_mid_debrief_returns_to_the_question(tmp_path: Path) -> None:
    """Exporting is a detour: the debrief question comes back afterwards."""
    alice = conversation(tmp_path / "r.db", ALICE_ID)
    await expect(alice, "my interview went badly", "Which company")
    said = await expect(alice, "export", "everything I keep about you")
    assert "Which company" in said
    await expect(alice, ALICE.company, "role")
