"""Processed platform event ids, so a delivery repeated by the platform is handled once."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlite_utils import Database

# Slack retries for minutes and Discord replays on resume; a day is ample.
EVENT_MEMORY = timedelta(days=1)


def first_time(db: Database, user_key: str, event_id: str, now: datetime) -> bool:
    """Record the event id; True when it had not been seen (unexpired) before."""
    # Expired ids are swept now and then, not on every turn.
    if random.random() < 0.01:
        db.execute("DELETE FROM processed_events WHERE expires_at < ?", [now.isoformat()])
    cursor = db.execute(
        "INSERT OR IGNORE INTO processed_events (event_id, user_key, expires_at) VALUES (?, ?, ?)",
        [event_id, user_key, (now + EVENT_MEMORY).isoformat()],
    )
    return cursor.rowcount == 1
