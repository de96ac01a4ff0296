"""A full debrief with distinctive words, so tests can look for them afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.clock import FrozenClock
from tests.transcript import START, Conversation, reply_text


@dataclass(frozen=True)
class Words:
    """Sentences one user types; each is distinctive enough to find in a file's bytes."""

    company: str
    vent: str
    feeling: str
    went_wrong: str
    went_right: str
    forgiveness: str
    better_answer: str
    detail: str
    sender: str
    reference: str
    relationship: str


ALICE = Words(
    company="Quillfeather Analytics",
    vent="My cat Bartholomew would have interviewed better than me today",
    feeling="like a soggy pretzel in the rain",
    went_wrong="I froze on the quaternion rotation question",
    went_right="My explanation of the Kessler pipeline was crisp",
    forgiveness="Zebras forgive themselves and so will I",
    better_answer="I would normalise the quaternion before composing the rotations",
    detail="their move to a lakehouse on Iceberg",
    sender="Alexandrina Voss",
    reference="Priyamvada Shastri",
    relationship="my manager at Initech Lumen",
)

BOB = Words(
    company="Marmalade Robotics",
    vent="The whiteboard marker died and so did my confidence, Gertrude knows",
    feeling="hollow as a drum in a cupboard",
    went_wrong="I mixed up the Dijkstra and Prim steps",
    went_right="The manager loved my Grafana dashboard story",
    forgiveness="Otters hold hands and I will hold on to myself",
    better_answer="I would walk through Dijkstra with a priority queue first",
    detail="their warehouse fleet of snail robots",
    sender="Bartholomeus Kettering",
    reference="Odalys Fenwick-Moreau",
    relationship="my lead at Hooli Cascade",
)


def conversation(db_path: Path, user: str, clock: FrozenClock | None = None) -> Conversation:
    """A conversation for `user` on the SQLite file at `db_path`."""
    convo = Conversation(db_path)
    if clock is not None:
        convo.clock = clock
        convo.restart()
    convo.user = user
    convo.tz = "Europe/Berlin"
    return convo


async def expect(convo: Conversation, action: str, wanted: str) -> str:
    """Send `action` (text, or `[Label]` to press) and check the reply mentions `wanted`."""
    if action.startswith("[") and action.endswith("]"):
        replies = await convo.press(action[1:-1])
    else:
        replies = await convo.say(action)
    said = reply_text(replies)
    assert wanted in said, f"after {action!r} expected {wanted!r} in:\n{said}"
    return said


async def full_debrief(convo: Conversation, words: Words) -> None:
    """Every step of the debrief, from hello to the plan, with a redrafted letter."""
    await expect(convo, "my interview went badly", "Which company")
    await expect(convo, words.company, "role")
    await expect(convo, "Data Engineer", "When was it?")
    await expect(convo, "[Yesterday]", "Who interviewed you?")
    await expect(convo, "Dana Lee", "how are you feeling")
    await expect(convo, "[Frustrated]", "Noted")
    await expect(convo, words.feeling, "Noted")
    await expect(convo, "[Done]", "let it out")
    await expect(convo, words.vent, "what went wrong?")
    await expect(convo, words.went_wrong, "So far")
    await expect(convo, "[Done]", "what went well?")
    await expect(convo, words.went_right, "So far")
    await expect(convo, "[Done]", "write one sentence to yourself")
    await expect(convo, words.forgiveness, "Kept.")
    await expect(convo, f"[{words.went_wrong}]", "Picked 1")
    await expect(convo, "[Done]", "what would you say now")
    await expect(convo, words.better_answer, "One specific thing")
    await expect(convo, words.detail, "second interview")
    await expect(convo, "[Yes, ask]", "How should I sign")
    await expect(convo, words.sender, "Subject:")
    await expect(convo, "[Another version]", "another take")
    await expect(convo, "[Looks good]", "heads-up")
    await expect(convo, words.reference, "How do you know")
    await expect(convo, words.relationship, f"heads-up for {words.reference}")
    await expect(convo, "[That's everyone]", "Your plan for")


__all__ = ["ALICE", "BOB", "START", "Words", "conversation", "expect", "full_debrief"]
