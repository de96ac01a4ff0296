"""The Discord adapter: wires discord.py events to the engine and delivers its replies."""

from __future__ import annotations

import asyncio
import logging
import traceback
import weakref
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl

from adapters.discord import render as r
from adapters.discord.commands import build_tree, sync_if_changed
from adapters.discord.components import DYNAMIC_ITEMS, FormModal, build_files, build_view
from adapters.discord.inbound import (
    display_name, modal_values, to_button_in, to_command_in, to_form_submit_in, to_text_in,
    user_ref,
)
from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.models import Delivery, InboundEvent, OutboundMessage, UserRef
from bot.store import offered_forms

log = logging.getLogger("rebound.discord")

NO_MENTIONS = discord.AllowedMentions.none()
# Non-privileged and minimal: servers (interactions, cache) and DMs. DMs carry their text
# without the Message Content intent; server messages are never read, so not even received.
INTENTS = discord.Intents.none()
INTENTS.guilds = True
INTENTS.dm_messages = True
# Discord wants an answer to an interaction within 3 s; defer if the turn is still running.
DEFER_AFTER = 2.0
CANNOT_MESSAGE_USER = 50007
# Codes that mean this user cannot be reached at all: retrying would not help.
UNREACHABLE = {CANNOT_MESSAGE_USER, 50033, 10013}  # cannot DM; invalid recipient; unknown user


class _Client(discord.Client):
    """discord.Client with the adapter attached (dynamic items reach it as `client.rebound`)."""

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(**options)
        self.rebound = adapter
        self.tree = build_tree(self, adapter.on_command)

    async def setup_hook(self) -> None:
        """Register buttons that outlive restarts, then sync commands if they changed."""
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        await sync_if_changed(self.tree, self.application_id, self.rebound.command_hash_base)

    async def on_ready(self) -> None:
        """READY (and guilds, up to guild_ready_timeout) received."""
        self.rebound._ready.set()

    async def on_message(self, message: discord.Message) -> None:
        """A message the bot can see; only DMs from people matter."""
        await self.rebound.on_message(message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Every interaction; modal submissions are read here (see FormModal)."""
        await self.rebound.on_interaction(interaction)


class _Responder:
    """Answers one interaction in order: the initial response, a deferred one, then follow-ups."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction
        self.awaiting_original = False  # deferred with "thinking": the placeholder needs filling

    @property
    def answered(self) -> bool:
        """True once Discord has had its initial response."""
        return self.interaction.response.is_done()

    async def defer(self, *, ephemeral: bool, update: bool) -> None:
        """Buy time: a silent update for a button in a DM, "thinking…" otherwise."""
        if self.answered:
            return
        if update:
            await self.interaction.response.defer()
        else:
            await self.interaction.response.defer(ephemeral=ephemeral, thinking=True)
            self.awaiting_original = True

    async def send(self, spec: r.MessageSpec, *, ephemeral: bool) -> None:
        """One message, through whichever channel the interaction allows now."""
        if not (spec.content or spec.buttons or spec.files):
            return  # Discord refuses an empty message
        view = build_view(spec)
        files = build_files(spec)
        content = spec.content or None
        if not self.answered:
            kwargs: dict[str, Any] = {"files": files} if files else {}
            if view is not None:
                kwargs["view"] = view
            await self.interaction.response.send_message(
                content, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **kwargs)
        elif self.awaiting_original:
            self.awaiting_original = False
            await self.interaction.edit_original_response(
                content=content, view=view, attachments=files, allowed_mentions=NO_MENTIONS)
        else:
            kwargs = {"files": files} if files else {}
            if view is not None:
                kwargs["view"] = view
            await self.interaction.followup.send(
                content or discord.utils.MISSING, ephemeral=ephemeral,
                allowed_mentions=NO_MENTIONS, **kwargs)


class DiscordAdapter:
    """Rebound on Discord: DMs, `/rebound`, buttons, modals and proactive check-ins."""

    platform = "discord"
    # Seconds to wait for the turn before deferring an interaction (Discord allows 3).
    defer_after = DEFER_AFTER

    def __init__(self, engine: Engine, settings: Settings, *, api_base: str | None = None,
                 gateway_url: str | None = None, guild_ready_timeout: float = 2.0) -> None:
        if not settings.discord_token:
            raise ConfigError("DISCORD_TOKEN is not set: copy the bot token from the Discord "
                              "developer portal (Bot → Reset Token).")
        self.engine = engine
        self.settings = settings
        self.api_base = api_base
        self.gateway_url = gateway_url
        self.guild_ready_timeout = guild_ready_timeout
        # The slash-command hash lives next to the database the engine actually opened.
        self.command_hash_base: Path = _database_file(engine) or Path(settings.db)
        offered_forms.ensure(engine.db)
        self.client: _Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())
        self._saved_endpoints: tuple[str, yarl.URL] | None = None
        self._stopping = False

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in, connect to the gateway, and return once READY."""
        _quiet_library_logs()
        self._point_at_endpoints()
        self._ready = asyncio.Event()
        self._stopping = False
        self.client = _Client(
            self, intents=INTENTS, allowed_mentions=NO_MENTIONS,
            # No message cache: users' words need not sit in memory.
            max_messages=None, chunk_guilds_at_startup=False,
            guild_ready_timeout=self.guild_ready_timeout,
        )
        token = self.settings.discord_token
        assert token is not None
        self._task = asyncio.create_task(self.client.start(token), name="discord-client")
        ready = asyncio.create_task(self._ready.wait())
        await asyncio.wait({self._task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            await self._cleanup_after_failed_start()
            error = self._task.exception() if not self._task.cancelled() else None
            if isinstance(error, discord.LoginFailure):
                raise ConfigError("DISCORD_TOKEN was rejected by Discord: reset the bot token "
                                  "in the developer portal and set it again.") from None
            raise error or RuntimeError("the Discord client stopped before it was ready")
        self._task.add_done_callback(self._client_ended)
        log.info("discord connected")

    async def stop(self) -> None:
        """Disconnect and wait for the client to finish."""
        self._stopping = True
        if self.client is not None:
            await self.client.close()
        if self._task is not None:
            try:
                await self._task
            except (Exception, asyncio.CancelledError):  # noqa: BLE001 - stopping anyway
                pass
        self._restore_endpoints()

    async def _cleanup_after_failed_start(self) -> None:
        if self.client is not None:
            await self.client.close()
        self._restore_endpoints()

    def _client_ended(self, task: asyncio.Task[None]) -> None:
        """Say loudly if the connection ends while we did not ask it to."""
        if self._stopping or task.cancelled():
            return
        error = task.exception()
        log.error("discord client stopped", extra={
            "component": "discord", "error_type": type(error).__name__ if error else None})

    def _point_at_endpoints(self) -> None:
        """Use another REST base / gateway (tests, benchmarks). discord.py reads these class
        attributes, so they are process-wide: one Discord adapter runs per process."""
        if self.api_base is None and self.gateway_url is None:
            return
        gateway_cls = discord.gateway.DiscordWebSocket
        self._saved_endpoints = (discord.http.Route.BASE, gateway_cls.DEFAULT_GATEWAY)
        if self.api_base is not None:
            discord.http.Route.BASE = self.api_base
        if self.gateway_url is not None:
            gateway_cls.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def _restore_endpoints(self) -> None:
        if self._saved_endpoints is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                self._saved_endpoints)
            self._saved_endpoints = None

    def _lock(self, user_key: str) -> asyncio.Lock:
        """One lock per user around turn + delivery, so replies go out in the order asked."""
        lock = self._locks.get(user_key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_key] = lock
        return lock

    # ---- DMs ------------------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A DM from a person becomes a text event; the replies go back into the DM."""
        if message.author.bot or message.guild is not None:
            return
        if not isinstance(message.channel, discord.DMChannel):
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        event = to_text_in(user_id=message.author.id, message_id=message.id,
                           content=message.content,
                           name=display_name(message.author.global_name, message.author.name))
        async with self._lock(event.user.key):
            try:
                replies = await self.engine.handle(event)
                await self._send_to_channel(message.channel, event.user.key,
                                            r.render_all(replies))
            except Exception as error:  # noqa: BLE001 - the one outer handler for DMs
                _log_failure("dm", error)
                await _try(message.channel.send(r.OOPS, allowed_mentions=NO_MENTIONS))

    async def _send_to_channel(self, channel: discord.abc.Messageable, user_key: str,
                               specs: list[r.MessageSpec]) -> int:
        """Post messages in order; returns how many went out."""
        sent = 0
        for spec in specs:
            if not (spec.content or spec.buttons or spec.files):
                continue
            self._remember_forms(user_key, spec)
            kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
            view = build_view(spec)
            if view is not None:
                kwargs["view"] = view
            files = build_files(spec)
            if files:
                kwargs["files"] = files
            await channel.send(spec.content or None, **kwargs)
            sent += 1
        return sent

    def _remember_forms(self, user_key: str, spec: r.MessageSpec) -> None:
        for form in spec.forms:
            offered_forms.remember(self.engine.db, user_key, form, self._now())

    def _now(self) -> datetime:
        clock = getattr(self.engine, "clock", None)
        return clock.now() if clock is not None else datetime.now(timezone.utc)

    # ---- interactions ---------------------------------------------------------------------

    async def on_command(self, interaction: discord.Interaction, args: str | None) -> None:
        """`/rebound [args]`, in a DM or a server channel."""
        event = to_command_in(user_id=interaction.user.id, interaction_id=interaction.id,
                              args=args, in_guild=interaction.guild_id is not None,
                              name=_name(interaction))
        await self._interaction_turn(interaction, event, can_open_modal=True)

    async def on_button(self, interaction: discord.Interaction, button_id: str) -> None:
        """An engine button, pressed now or days (and restarts) after it was sent."""
        event = to_button_in(user_id=interaction.user.id, interaction_id=interaction.id,
                             button_id=button_id, in_guild=interaction.guild_id is not None,
                             name=_name(interaction))
        await self._interaction_turn(interaction, event, can_open_modal=True,
                                     pressed=_pressed_label(interaction))

    async def on_form_button(self, interaction: discord.Interaction, form_id: str,
                             page: int) -> None:
        """Open a stored form's page as a modal (a modal must be the first response)."""
        try:
            user = user_ref(interaction.user.id)
            offered = offered_forms.recall(self.engine.db, user.key, form_id, self._now())
            if offered is None:
                await interaction.response.send_message(
                    r.FORM_EXPIRED, ephemeral=True, allowed_mentions=NO_MENTIONS)
                return
            await self._open_modal(interaction, r.render_modal(offered.form, page,
                                                               offered.values))
        except Exception as error:  # noqa: BLE001 - outer handler for form buttons
            _log_failure("form_button", error)
            await self._interaction_oops(interaction)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Modal submissions, read from the raw payload (commands and buttons route themselves)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        parsed = r.parse_modal_id(str(data.get("custom_id", "")))
        if parsed is None:
            return
        form_id, page = parsed
        try:
            await self._on_modal_submit(interaction, form_id, page,
                                        modal_values(list(data.get("components", []))))
        except Exception as error:  # noqa: BLE001 - outer handler for modal submissions
            _log_failure("modal", error)
            await self._interaction_oops(interaction)

    async def _on_modal_submit(self, interaction: discord.Interaction, form_id: str, page: int,
                               values: dict[str, str]) -> None:
        """A page of a form: keep it and offer the next, or hand the whole form to the engine."""
        user = user_ref(interaction.user.id)
        db = self.engine.db
        offered = offered_forms.recall(db, user.key, form_id, self._now())
        if offered is not None and page + 1 < r.page_count(offered.form):
            offered_forms.save_page(db, user.key, form_id, values)
            await _Responder(interaction).send(r.next_page_message(offered.form, page),
                                               ephemeral=True)
            return
        if offered is not None:
            values = {**offered.values, **values}
            offered_forms.clear_values(db, user.key, form_id)
        event = to_form_submit_in(user_id=interaction.user.id, interaction_id=interaction.id,
                                  form_id=form_id, values=values,
                                  in_guild=interaction.guild_id is not None,
                                  name=_name(interaction))
        await self._interaction_turn(interaction, event, can_open_modal=False)

    async def _open_modal(self, interaction: discord.Interaction, spec: r.ModalSpec) -> None:
        modal = FormModal(spec)
        await interaction.response.send_modal(modal)
        # We read submissions from the raw payload; drop discord.py's in-memory copy.
        modal.stop()

    async def _interaction_turn(self, interaction: discord.Interaction, event: InboundEvent,
                                *, can_open_modal: bool, pressed: str | None = None) -> None:
        """Run the turn (deferring if it is slow), then deliver, under the user's lock."""
        responder = _Responder(interaction)
        in_guild = interaction.guild_id is not None
        is_button = interaction.type is discord.InteractionType.component
        lock = self._lock(event.user.key)
        try:
            replies = await self._turn_in_time(responder, lock, event, in_guild=in_guild,
                                               is_button=is_button)
        except Exception as error:  # noqa: BLE001 - outer handler (lock not held here)
            _log_failure(event.kind, error)
            await self._interaction_oops(interaction)
            return
        try:
            await self._deliver(interaction, responder, event.user.key, replies,
                                can_open_modal=can_open_modal, pressed=pressed,
                                in_guild=in_guild, is_button=is_button)
        except Exception as error:  # noqa: BLE001 - outer handler for delivery
            _log_failure(event.kind, error)
            await self._interaction_oops(interaction)
        finally:
            lock.release()

    async def _turn_in_time(self, responder: _Responder, lock: asyncio.Lock,
                            event: InboundEvent, *, in_guild: bool,
                            is_button: bool) -> list[OutboundMessage]:
        """The engine's replies, with the user's lock held on return; defers past DEFER_AFTER."""
        async def locked_turn() -> list[OutboundMessage]:
            await lock.acquire()
            try:
                return await self.engine.handle(event)
            except BaseException:
                lock.release()
                raise

        work = asyncio.ensure_future(locked_turn())
        done, _ = await asyncio.wait({work}, timeout=self.defer_after)
        if not done:
            try:
                await responder.defer(ephemeral=in_guild, update=is_button and not in_guild)
            except Exception as error:  # noqa: BLE001 - still deliver what we can
                _log_failure("defer", error)
        return await work

    async def _deliver(self, interaction: discord.Interaction, responder: _Responder,
                       user_key: str, replies: list[OutboundMessage], *, can_open_modal: bool,
                       pressed: str | None, in_guild: bool, is_button: bool) -> None:
        """Put the replies where they belong: a modal, the DM, or ephemeral notes."""
        form_reply = next((m for m in replies if m.form and not m.form_errors), None)
        if form_reply is not None and form_reply.form is not None and can_open_modal \
                and not responder.answered:
            offered_forms.remember(self.engine.db, user_key, form_reply.form, self._now())
            await self._open_modal(interaction, r.render_modal(form_reply.form))
            rest = [m for m in replies if m is not form_reply]
            if rest:
                channel = await interaction.user.create_dm()
                await self._send_to_channel(channel, user_key, r.render_all(rest))
            return
        # Form errors answer the submission itself, privately, with a way back into the form.
        for message in (m for m in replies if m.form_errors):
            for spec in r.render(message):
                self._remember_forms(user_key, spec)
                await responder.send(spec, ephemeral=True)
        replies = [m for m in replies if not m.form_errors]
        if in_guild:
            await self._deliver_from_server(interaction, responder, user_key, replies)
            return
        if not replies:
            # A replayed delivery (the engine saw its id already): it was answered the first
            # time, and a second initial response would be refused.
            return
        if is_button and interaction.message is not None:
            # Show the choice on the pressed message and retire its buttons.
            content = r.pressed_content(interaction.message.content, pressed)
            if not responder.answered:
                await interaction.response.edit_message(content=content, view=None,
                                                        allowed_mentions=NO_MENTIONS)
            elif not responder.awaiting_original:
                await interaction.edit_original_response(content=content, view=None,
                                                         allowed_mentions=NO_MENTIONS)
        for spec in r.render_all(replies):
            self._remember_forms(user_key, spec)
            await responder.send(spec, ephemeral=False)

    async def _deliver_from_server(self, interaction: discord.Interaction,
                                   responder: _Responder, user_key: str,
                                   replies: list[OutboundMessage]) -> None:
        """In a server, personal content goes to the DM; the channel sees a private pointer."""
        specs = r.render_all(replies)
        if not specs:
            return
        # Sending to the DM can outlast Discord's 3 s (rate limits): hold the answer open.
        await responder.defer(ephemeral=True, update=False)
        channel = await interaction.user.create_dm()
        try:
            await self._send_to_channel(channel, user_key, specs)
        except discord.Forbidden as error:
            if error.code != CANNOT_MESSAGE_USER:
                raise
            # DMs closed to server members: answer here, visible to them alone.
            await responder.send(r.MessageSpec(r.DM_BLOCKED), ephemeral=True)
            for spec in specs:
                self._remember_forms(user_key, spec)
                await responder.send(spec, ephemeral=True)
            return
        await responder.send(r.MessageSpec(r.dm_pointer(channel.id)), ephemeral=True)

    async def _interaction_oops(self, interaction: discord.Interaction) -> None:
        """Tell the user something broke, however far the interaction got."""
        responder = _Responder(interaction)
        await _try(responder.send(r.MessageSpec(r.OOPS), ephemeral=True))

    # ---- check-ins ------------------------------------------------------------------------

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """Open the user's DM and send; 50007 (DMs closed, bot blocked) is undeliverable."""
        if self.client is None or not self._ready.is_set() or self.client.is_closed():
            return Delivery(status="failed", reason="discord not connected")
        sent = 0
        try:
            user_id = int(user.user)
            person = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            channel = person.dm_channel or await person.create_dm()
            for spec in r.render_all(messages):
                sent += await self._send_to_channel(channel, user.key, [spec])
        except discord.HTTPException as error:
            if sent:
                # Part of it arrived: a retry would repeat it, so report it as sent.
                return Delivery(status="sent", reason=f"partial: code {error.code}",
                                at=self._now())
            if error.code in UNREACHABLE or isinstance(error, discord.NotFound):
                return Delivery(status="undeliverable", reason=f"code {error.code}")
            return Delivery(status="failed", reason=f"http {error.status} code {error.code}")
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            if sent:
                return Delivery(status="sent", reason="partial: network", at=self._now())
            return Delivery(status="failed", reason=type(error).__name__)
        return Delivery(status="sent", at=self._now())


def _database_file(engine: Engine) -> Path | None:
    """The engine's SQLite file (None for an in-memory database)."""
    row = engine.db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def _name(interaction: discord.Interaction) -> str | None:
    user = interaction.user
    return display_name(getattr(user, "global_name", None), user.name)


def _pressed_label(interaction: discord.Interaction) -> str | None:
    """The label of the button that was pressed, read from the message's components."""
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    custom_id = data.get("custom_id")
    message = interaction.message
    if message is None:
        return None
    for row in message.components:
        for child in getattr(row, "children", []):
            if getattr(child, "custom_id", None) == custom_id:
                return getattr(child, "label", None)
    return None


async def _try(awaitable: Any) -> None:
    """Best effort (telling the user something broke must not raise again)."""
    try:
        await awaitable
    except Exception as error:  # noqa: BLE001
        log.warning("could not tell the user about an error",
                    extra={"component": "discord", "error_type": type(error).__name__})


def _log_failure(where: str, error: BaseException) -> None:
    """Log the failure's type and code location; never its message (it may quote user text)."""
    frames = traceback.extract_tb(error.__traceback__)[-6:]
    location = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    log.error("discord %s handler failed: %s at %s", where, type(error).__name__, location,
              extra={"component": "discord", "event_kind": where,
                     "error_type": type(error).__name__,
                     "reason": str(getattr(error, "code", "")) or None})


def _quiet_library_logs() -> None:
    """discord.py logs gateway payloads and request bodies (message text) at DEBUG."""
    library = logging.getLogger("discord")
    if library.getEffectiveLevel() < logging.INFO:
        library.setLevel(logging.INFO)
