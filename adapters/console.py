"""The console adapter: `rebound chat` in a terminal, buttons as numbered choices."""

from __future__ import annotations

import asyncio
import getpass
import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.engine import Engine
from bot.models import (
    Button, ButtonIn, CommandIn, Delivery, FormRequest, FormSubmitIn, InboundEvent,
    OutboundMessage, TextIn, UserRef,
)

BANNER = "Rebound · type a message and press Enter · `help` for commands · Ctrl-D to leave"
GOODBYE = "Take care. Everything is saved; run `rebound chat` to pick up where you left off."


def console_user(name: str | None = None) -> UserRef:
    """The person at this terminal."""
    try:
        default = getpass.getuser()
    except (KeyError, OSError):
        default = "me"
    return UserRef(platform="console", workspace="local", user=name or default)


def render(message: OutboundMessage) -> str:
    """Plain text for the terminal: the message, its numbered choices, any files."""
    return message.fallback_text


def to_inbound(line: str, user: UserRef, last_buttons: list[Button]) -> InboundEvent:
    """A typed line: a number picks the last message's button, anything else is text."""
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(last_buttons):
        return ButtonIn(user=user, button_id=last_buttons[int(stripped) - 1].id,
                        event_id=uuid.uuid4().hex)
    return TextIn(user=user, text=line, event_id=uuid.uuid4().hex)


class ConsoleAdapter:
    """Reads lines, hands them to the engine, prints the replies (and check-ins)."""

    platform = "console"

    def __init__(self, engine: Engine, user: UserRef, stdin: TextIO = sys.stdin,
                 stdout: TextIO = sys.stdout, export_dir: Path | None = None,
                 on_command: Callable[[str], str | None] | None = None) -> None:
        self.engine = engine
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()
        self.export_dir = export_dir or Path.cwd()
        self.last_buttons: list[Button] = []
        # Console-only words (such as `timewarp`) handled outside the engine.
        self.on_command = on_command
        self._print_lock = asyncio.Lock()
        self._lines: asyncio.Queue[str | None] | None = None
        # Set while the chat waits for a line, so the prompt never prints ahead of replies.
        self._wanted = threading.Event()

    async def run(self) -> None:
        """The chat loop; ends at end of input or Ctrl-C."""
        if self.interactive:
            self._write(BANNER + "\n")
        await self.deliver(await self.engine.handle(
            CommandIn(user=self.user, name="session_start", event_id=uuid.uuid4().hex)))
        while True:
            line = await self._next_line()
            if line is None:
                break
            if not self.interactive:
                self._write(f"\nyou › {line}\n")
            if self.on_command:
                answer = self.on_command(line)
                if answer is not None:
                    self._write(f"\n{answer}\n")
                    continue
            event = to_inbound(line, self.user, self.last_buttons)
            await self.deliver(await self.engine.handle(event))
        if self.interactive:
            self._write("\n" + GOODBYE + "\n")

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """A check-in: print it now, so it appears in the terminal as it falls due."""
        if user != self.user:
            # Another console user's check-in waits until they are at the keyboard.
            return Delivery(status="failed", reason="not at this terminal")
        async with self._print_lock:
            for message in messages:
                self._write(f"\nrebound › {render(message)}\n")
                if message.buttons:
                    self.last_buttons = list(message.buttons)
            if self.interactive:
                self._write("\nyou › ")
        return Delivery(status="sent")

    async def _next_line(self) -> str | None:
        """The next typed line, read on a daemon thread so Ctrl-C ends the chat at once."""
        if self._lines is None:
            self._lines = asyncio.Queue()
            loop = asyncio.get_running_loop()
            threading.Thread(target=self._read_forever, args=(loop, self._lines),
                             name="console-input", daemon=True).start()
        self._wanted.set()
        return await self._lines.get()

    def _read_forever(self, loop: asyncio.AbstractEventLoop,
                      lines: asyncio.Queue[str | None]) -> None:
        """Feed lines to the chat loop until end of input."""
        while True:
            self._wanted.wait()
            self._wanted.clear()
            line = self._read_line()
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the chat already ended
                return
            if line is None:
                return

    def _read_line(self) -> str | None:
        """One line from the user, without its newline; None at end of input."""
        if self.interactive:
            try:
                return input("\nyou › ")
            except EOFError:
                return None
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    async def deliver(self, replies: list[OutboundMessage]) -> None:
        """Print replies; run any form by asking its fields one at a time."""
        for message in replies:
            self._write(f"\nrebound › {render(message)}\n")
            for attachment in message.files:
                path = self.export_dir / attachment.filename
                # Exports hold the user's reflections: readable by the user alone.
                path.touch(mode=0o600, exist_ok=True)
                path.chmod(0o600)
                path.write_text(attachment.content, encoding="utf-8")
                self._write(f"  (saved to {path})\n")
            if message.buttons:
                self.last_buttons = list(message.buttons)
            if message.form:
                await self._fill_form(message.form)

    async def _fill_form(self, form: FormRequest) -> None:
        """Ask a form's fields in turn, then submit it to the engine."""
        values: dict[str, str] = {}
        self._write(f"\n{form.title}: a few quick questions (Enter to leave optional ones "
                    "blank).\n")
        for field in form.fields:
            suffix = "" if field.required else " (optional)"
            hint = f" [{field.initial}]" if field.initial else ""
            if field.multiline:
                suffix += " (use ' | ' between lines)"
            self._write(f"  {field.label}{suffix}{hint}\n")
            answer = await self._next_line()
            if answer is None:
                self._write("  Form left unfinished; nothing was changed.\n")
                return
            if not self.interactive:
                self._write(f"  you › {answer}\n")
            answer = answer.replace(" | ", "\n") if field.multiline else answer
            values[field.name] = answer if answer.strip() else (field.initial or "")
        event = FormSubmitIn(user=self.user, form_id=form.form_id, values=values,
                             event_id=uuid.uuid4().hex)
        await self.deliver(await self.engine.handle(event))

    def _write(self, text: str) -> None:
        """Print and flush, so piped output arrives in order."""
        self.stdout.write(text)
        self.stdout.flush()
