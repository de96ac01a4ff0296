"""A real dispatcher process for the crash test: it delivers check-ins to an append-only file.

    python -m tests.checkins.dispatch_process DB SINK [--hang-after N] [--marker PATH]

Each delivery appends "<checkin id> <user>" to SINK and fsyncs before reporting "sent", so
the file is the receiving side's own record. With --hang-after N, the N-th send hangs (a
platform call that never returns) after touching MARKER, so the test can SIGKILL the process
in the middle of a batch. Without it, the process delivers everything due and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
from pathlib import Path

from bot.checkins.dispatcher import Dispatcher
from bot.config import load_settings
from bot.engine import Engine
from bot.models import Delivery, OutboundMessage, UserRef

BATCH = 20


class FileSink:
    """The user's side of the wire: one fsynced line per message received."""

    platform = "test"

    def __init__(self, path: Path, hang_after: int | None, marker: Path | None) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.hang_after = hang_after
        self.marker = marker
        self.calls = 0

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """Take a moment (the network), then record the delivery durably."""
        self.calls += 1
        if self.hang_after is not None and self.calls == self.hang_after:
            if self.marker is not None:
                self.marker.write_text("hanging\n")
            await asyncio.Event().wait()  # never returns: the test kills us here
        await asyncio.sleep(0.002)
        match = re.match(r"ck:(\d+):", messages[0].buttons[0].id)
        checkin_id = match.group(1) if match else "?"
        os.write(self.fd, f"{checkin_id} {user.user}\n".encode())
        os.fsync(self.fd)
        return Delivery(status="sent")


async def main() -> None:
    """Dispatch until nothing is left to do (or forever, when told to hang)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("sink")
    parser.add_argument("--hang-after", type=int, default=None)
    parser.add_argument("--marker", default=None)
    args = parser.parse_args()
    engine = Engine(args.db)
    sink = FileSink(Path(args.sink), args.hang_after, Path(args.marker) if args.marker else None)
    dispatcher = Dispatcher(engine, {"test": sink}, load_settings(), poll_seconds=1,
                            lease_seconds=5, batch_size=BATCH)
    await dispatcher.start()
    while True:
        left = engine.db.execute(
            "SELECT COUNT(*) FROM checkins WHERE status IN ('pending', 'sending')").fetchone()[0]
        if left == 0:
            break
        await asyncio.sleep(0.05)
    await dispatcher.stop()
    print(json.dumps(dict(dispatcher.stats)))


if __name__ == "__main__":
    asyncio.run(main())
