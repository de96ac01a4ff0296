"""The Slack adapter: slack-bolt's AsyncApp in Socket Mode or HTTP mode, wired to the engine."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import traceback
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler, AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import inbound
from adapters.slack.credentials import slack_mode
from adapters.slack.inbound import Body, Profile
from adapters.slack.render import (
    FORM_ACTION_ID, BUTTON_ACTION_PREFIX, Payload, decode_form, encode_form, form_button,
    render_answered, render_form_errors, render_home, render_message, render_modal, split_text,
)
from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.models import (
    Button, Delivery, FileAttachment, FormRequest, InboundEvent, OutboundMessage, UserRef,
)

log = logging.getLogger("rebound.slack")
# Bolt and slack_sdk log request bodies (the user's words) at INFO and DEBUG; keep them quiet
# whatever REBOUND_LOG_LEVEL says (named under the libraries so bot.logs treats them as such).
_BOLT_LOG = logging.getLogger("slack_bolt.rebound")
_BOLT_LOG.setLevel(logging.WARNING)
_SDK_LOG = logging.getLogger("slack_sdk.rebound")
_SDK_LOG.setLevel(logging.WARNING)
_FIELDS = {"component": "slack", "platform": "slack"}

EVENTS_PATH = "/slack/events"
# Pieces of work (turn plus delivery) in progress at once; see `_work`. Fewer keeps acks
# fast when the loop is saturated (on loopback, 2-4 measured best); more overlaps more
# Web API round trips (real Slack answers in ~100 ms, so 4 still allows ~20-40 turns/s).
WORKERS = 4
# Slack errors meaning this user cannot be messaged at all; retrying will not help.
UNDELIVERABLE = {"user_not_found", "cannot_dm_bot", "channel_not_found", "not_in_channel",
                 "user_disabled", "account_inactive", "is_archived", "messages_tab_disabled",
                 "user_is_bot", "restricted_action"}
# Errors at start-up that mean the token itself is wrong.
BAD_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked",
             "token_expired", "not_allowed_token_type"}

MOVED_TO_DM = "I've answered in our direct messages, so this stays between us."
OOPS = ("Something went wrong on my side, sorry. Nothing you've told me is lost. "
        "Could you try that again?")
FORM_EXPIRED = "That form has expired. Say `letter` to start a fresh one."
HOME_BUTTONS = [Button(id="go:debrief", label="Start a debrief", style="primary"),
                Button(id="go:letter", label="Draft a letter")]


@dataclass
class Target:
    """Where an interaction happened, so replies go to the right, private place."""

    user: str
    # The channel the user acted in (None for modals and App Home).
    origin: str | None = None
    public: bool = False
    trigger_id: str | None = None
    response_url: str | None = None


class SlackAdapter:
    """Translation plus delivery between Slack and the engine."""

    platform = "slack"

    def __init__(self, engine: Engine, settings: Settings, *, base_url: str | None = None,
                 http_port: int | None = None) -> None:
        self.mode = slack_mode(settings)
        self.engine = engine
        self.settings = settings
        self.http_port = settings.slack_port if http_port is None else http_port
        self.client = AsyncWebClient(
            token=(settings.slack_bot_token or "").strip(),
            base_url=_with_slash(base_url or AsyncWebClient.BASE_URL),
            logger=_SDK_LOG,
            retry_handlers=[AsyncConnectionErrorRetryHandler(),
                            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
                            AsyncServerErrorRetryHandler(max_retry_count=2)],
        )
        self.app = AsyncApp(client=self.client, logger=_BOLT_LOG,
                            signing_secret=(settings.slack_signing_secret or "").strip(),
                            process_before_response=False)
        self._profiles: dict[tuple[str, str], Profile] = {}
        self._dms: dict[str, str] = {}
        # Forms too big to ride in a button value wait here (lost on restart: then "expired").
        self._forms: dict[str, FormRequest] = {}
        self._turns = asyncio.Semaphore(1)
        self._slots = asyncio.Semaphore(WORKERS)
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None
        self._register()

    # ---- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the token, then listen: the websocket (Socket Mode) or the HTTP port."""
        self._session = aiohttp.ClientSession()
        self.client.session = self._session
        try:
            await self._check_token()
            if self.mode == "socket":
                await self._connect_socket()
            else:
                await self._listen()
        except BaseException:
            await self.stop()  # leave no half-open session or socket behind
            raise

    async def _listen(self) -> None:
        """HTTP mode: serve signed requests on the configured port."""
        web_app = web.Application()
        web_app.router.add_post(EVENTS_PATH, self._on_http)
        web_app.router.add_get("/healthz", self._on_health)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "0.0.0.0", self.http_port)
        try:
            await site.start()
        except OSError as error:
            raise ConfigError(f"SLACK_PORT {self.http_port} cannot be used "
                              f"({error.strerror or error}). Pick a free port.") from None
        self.http_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("slack listening in http mode on port %d", self.http_port, extra=_FIELDS)

    async def stop(self) -> None:
        """Finish the turns in flight, then disconnect."""
        await self.drain(timeout=10)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None
            self.client.session = None

    async def drain(self, timeout: float = 5.0) -> bool:
        """Wait until no event is being handled; False if that took longer than `timeout`."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def _connect_socket(self) -> None:
        """Open the Socket Mode websocket, failing fast when the app-level token is refused."""
        app_token = (self.settings.slack_app_token or "").strip()
        self._socket = AsyncSocketModeHandler(self.app, app_token, logger=_BOLT_LOG,
                                              web_client=self.client)
        try:
            # slack_sdk retries a refused token forever; ask once ourselves to name the problem,
            # and hand the URL we got to the client so it is not wasted.
            opened = await self.client.apps_connections_open(app_token=app_token)
            self._socket.client.wss_uri = opened["url"]
        except SlackApiError as error:
            code = error.response.get("error")
            if code in BAD_TOKEN or code == "invalid_auth":
                raise ConfigError(f"SLACK_APP_TOKEN was refused by Slack ({code}). It must be "
                                  "an app-level token with the connections:write scope, and "
                                  "Socket Mode must be on.") from None
            log.warning("slack apps.connections.open failed", extra={**_FIELDS, "reason": code})
        except aiohttp.ClientError as error:
            log.warning("slack unreachable at start",
                        extra={**_FIELDS, "error_type": type(error).__name__})
        await self._socket.connect_async()
        log.info("slack connected in socket mode", extra=_FIELDS)

    async def _check_token(self) -> None:
        """Fail fast, naming the variable, when Slack rejects the bot token."""
        try:
            await self.client.auth_test()
        except SlackApiError as error:
            code = error.response.get("error")
            if code in BAD_TOKEN:
                raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({code}).") from None
            log.warning("slack auth.test failed", extra={**_FIELDS, "reason": code})
        except aiohttp.ClientError as error:
            # A network blip at start-up is not a configuration problem; Bolt retries later.
            log.warning("slack unreachable at start",
                        extra={**_FIELDS, "error_type": type(error).__name__})

    async def _on_http(self, request: web.Request) -> web.Response:
        """Events, slash commands and interactivity all arrive here, signed."""
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _on_health(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok")

    def _register(self) -> None:
        """Bolt listeners: each acks first (Bolt acks events itself), then does the work."""
        self.app.event("message")(self._on_message)
        self.app.event("app_home_opened")(self._on_home)
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile("^" + re.escape(BUTTON_ACTION_PREFIX)))(self._on_button)
        self.app.action(FORM_ACTION_ID)(self._on_form_button)
        self.app.view(re.compile(r".*"))(self._on_view)

    # ---- the outer error handler -------------------------------------------------------------

    @asynccontextmanager
    async def _work(self, kind: str, user: str | None,
                    urgent: bool = False) -> AsyncIterator[None]:
        """Count the work in flight; log failures without message text and tell the user.

        At most WORKERS pieces of work run at once (the rest wait their turn, in order), so
        that under load each loop iteration holds a bounded amount of work and acks, which
        run outside this gate, stay fast. Urgent work (answering a modal, opening one before
        its trigger_id expires) skips the queue.
        """
        self._inflight += 1
        self._idle.clear()
        try:
            async with (contextlib.nullcontext() if urgent else self._slots):
                yield
        except Exception as error:  # the one place every failure ends up
            # The exception's message may quote user text, so log only its type and frames.
            frames = [f"{Path(f.filename).name}:{f.lineno} {f.name}"
                      for f in traceback.extract_tb(error.__traceback__)[-8:]]
            code = error.response.get("error") if isinstance(error, SlackApiError) else None
            log.error("slack %s failed at %s", kind, " < ".join(reversed(frames)),
                      extra={**_FIELDS, "event_kind": kind, "error_type": type(error).__name__,
                             "reason": code})
            if user:
                await self._apologise(user)
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()

    async def _apologise(self, user: str) -> None:
        """Best effort: say something went wrong, in the DM."""
        try:
            await self._post(await self._dm_channel(user), OutboundMessage(text=OOPS))
        except Exception as error:
            log.error("slack apology failed",
                      extra={**_FIELDS, "error_type": type(error).__name__})

    async def _turn(self, event: InboundEvent) -> list[OutboundMessage]:
        """One engine turn, one at a time. A turn is synchronous SQLite work that holds the
        loop for a few milliseconds; let fifty of them queue up in one loop iteration and
        every pending ack waits behind all of them. Taking turns in sequence lets the loop
        read sockets (and ack) between any two turns; SQLite has one writer anyway."""
        async with self._turns:
            return await self.engine.handle(event)

    # ---- listeners ---------------------------------------------------------------------------

    async def _on_message(self, body: Body) -> None:
        """A DM to the bot (already acked by Bolt)."""
        if inbound.message_event_to_inbound(body) is None:
            return
        event = body["event"]
        async with self._work("message", event.get("user")):
            team = inbound.team_of(body)
            self._dms[event["user"]] = event["channel"]
            profile = await self._profile(team, event["user"])
            message = inbound.message_event_to_inbound(body, profile)
            if message is None:
                return
            replies = await self._turn(message)
            await self._deliver(replies, Target(user=event["user"], origin=event["channel"]))

    async def _on_command(self, ack: Any, body: Body) -> None:
        """`/rebound ...`: ack at once (nothing shown in the channel), then answer privately."""
        await ack()
        user = body.get("user_id")
        async with self._work("command", user):
            profile = await self._profile(body.get("team_id"), body["user_id"])
            command = inbound.command_to_inbound(body, profile)
            replies = await self._turn(command)
            await self._deliver(replies, Target(
                user=body["user_id"], origin=body.get("channel_id"),
                public=command.in_public_channel, trigger_id=body.get("trigger_id"),
                response_url=body.get("response_url")))

    async def _on_button(self, ack: Any, body: Body, action: Body) -> None:
        """A pressed engine button: show the choice on the message, then ask the engine."""
        await ack()
        user = (body.get("user") or {}).get("id")
        async with self._work("button", user):
            await self._mark_answered(body, action)
            profile = await self._profile(inbound.team_of(body), body["user"]["id"])
            press = inbound.action_to_inbound(body, action, profile)
            replies = await self._turn(press)
            container = body.get("container") or {}
            origin = (body.get("channel") or {}).get("id") or container.get("channel_id")
            await self._deliver(replies, Target(
                user=body["user"]["id"], origin=origin, public=press.in_public_channel,
                trigger_id=body.get("trigger_id"), response_url=body.get("response_url")))

    async def _on_form_button(self, ack: Any, body: Body, action: Body) -> None:
        """"Open the form": a form the engine asked for when no trigger_id was at hand."""
        await ack()
        user = body["user"]["id"]
        async with self._work("form button", user, urgent=True):
            value = action.get("value") or ""
            form = decode_form(value) or self._forms.get(value)
            if form is None:
                await self._post(await self._dm_channel(user), OutboundMessage(text=FORM_EXPIRED))
                return
            await self.client.views_open(trigger_id=body["trigger_id"], view=render_modal(form))

    async def _on_view(self, ack: Any, body: Body) -> None:
        """A submitted modal. The engine answers before the ack, because only its answer
        says whether the modal closes or shows errors inline; a turn takes milliseconds."""
        user = body["user"]["id"]
        acked = False
        async with self._work("form", user, urgent=True):
            try:
                profile = await self._profile(inbound.team_of(body), user)
                submitted = inbound.view_to_inbound(body, profile)
                replies = await self._turn(submitted)
                errors: dict[str, str] = {}
                for reply in replies:
                    errors.update(reply.form_errors)
                if errors:
                    shown = render_form_errors(errors, list(submitted.values))
                    await ack(response_action="errors", errors=shown)
                    acked = True
                    return
                follow = next((r for r in replies if r.form is not None), None)
                if follow is not None and follow.form is not None:
                    await ack(response_action="update", view=render_modal(follow.form, follow.text))
                    replies = [r for r in replies if r is not follow]
                else:
                    await ack()
                acked = True
                await self._deliver(replies, Target(user=user))
            finally:
                if not acked:
                    await ack()

    async def _on_home(self, body: Body, event: Body) -> None:
        """The App Home tab opened: publish the user's overview."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        user = event["user"]
        async with self._work("home", None):
            profile = await self._profile(inbound.team_of(body), user)
            replies = await self._turn(inbound.home_to_inbound(body, profile))
            overview = replies[0].text if replies else "Say hi in the Messages tab to begin."
            extra = [b for b in (replies[0].buttons if replies else [])
                     if b.id not in {h.id for h in HOME_BUTTONS}]
            await self.client.views_publish(user_id=user,
                                            view=render_home(overview, HOME_BUTTONS + extra))

    # ---- delivery ----------------------------------------------------------------------------

    async def _deliver(self, replies: list[OutboundMessage], target: Target) -> None:
        """Send replies: forms as modals, personal content to the DM, the rest where asked."""
        trigger = target.trigger_id
        moved = False
        for message in replies:
            if message.form is not None and trigger:
                opened = await self._open_modal(trigger, message)
                trigger = None  # a trigger_id opens one modal, once
                if opened:
                    continue
            if target.public and not message.private and target.response_url \
                    and not message.files:
                for payload in self._payloads(message):
                    await self._respond(target.response_url, payload)
                continue
            channel = await self._dm_channel(target.user)
            moved = moved or (target.origin is not None and target.origin != channel)
            await self._post(channel, message)
        if moved:
            await self._note_moved(target)

    async def _open_modal(self, trigger_id: str, message: OutboundMessage) -> bool:
        """views.open for a form; False when the trigger expired (the caller posts a button)."""
        assert message.form is not None
        try:
            await self.client.views_open(trigger_id=trigger_id,
                                         view=render_modal(message.form, message.text))
        except SlackApiError as error:
            if error.response.get("error") in ("expired_trigger_id", "invalid_trigger_id",
                                               "exchanged_trigger_id"):
                return False
            raise
        return True

    def _payloads(self, message: OutboundMessage) -> list[Payload]:
        """chat.postMessage payloads, with an "Open the form" button for an unopened form."""
        if message.form is None:
            return render_message(message)
        value = encode_form(message.form)
        if value is None:
            value = f"ref:{uuid.uuid4().hex}"
            self._forms[value] = message.form
        return render_message(message, extra_elements=[form_button(value)])

    async def _post(self, channel: str, message: OutboundMessage) -> None:
        """Post one engine message (and its files) to a channel."""
        for payload in self._payloads(message):
            await self.client.chat_postMessage(channel=channel, unfurl_links=False,
                                               unfurl_media=False, **payload)
        for attachment in message.files:
            await self._upload(channel, attachment)

    async def _upload(self, channel: str, attachment: FileAttachment) -> None:
        """Attach a file; without the files:write scope, send its content as messages."""
        try:
            await self.client.files_upload_v2(channel=channel, filename=attachment.filename,
                                              title=attachment.filename,
                                              content=attachment.content)
        except SlackApiError as error:
            log.warning("slack upload failed, sending the file as text",
                        extra={**_FIELDS, "reason": error.response.get("error")})
            pieces = split_text(attachment.content, 2900)
            for number, piece in enumerate(pieces, start=1):
                head = f"{attachment.filename} ({number}/{len(pieces)}):\n" if len(pieces) > 1 \
                    else f"{attachment.filename}:\n"
                await self.client.chat_postMessage(
                    channel=channel, text=head + piece, mrkdwn=False)

    async def _respond(self, response_url: str, payload: Payload,
                       replace_original: bool = False) -> None:
        """An ephemeral answer through the interaction's response_url."""
        webhook = AsyncWebhookClient(response_url, session=self._session, logger=_SDK_LOG,
                                     retry_handlers=self.client.retry_handlers)
        result = await webhook.send(text=payload.get("text"), blocks=payload.get("blocks"),
                                    response_type="ephemeral", replace_original=replace_original)
        if result.status_code >= 400:
            log.warning("slack response_url failed",
                        extra={**_FIELDS, "status": result.status_code})

    async def _note_moved(self, target: Target) -> None:
        """Tell the user, privately where they asked, that the answer is in the DM."""
        payload = render_message(OutboundMessage(text=MOVED_TO_DM))[0]
        if target.response_url:
            await self._respond(target.response_url, payload)
        elif target.origin:
            await self.client.chat_postEphemeral(channel=target.origin, user=target.user,
                                                 **payload)

    async def _mark_answered(self, body: Body, action: Body) -> None:
        """Replace the clicked message's buttons with the chosen label."""
        container = body.get("container") or {}
        message = body.get("message")
        if container.get("type") != "message" or not message:
            return
        label = ((action.get("text") or {}).get("text")) or "Chosen"
        blocks = render_answered(message.get("blocks") or [], label)
        text = message.get("text") or label
        try:
            if container.get("is_ephemeral"):
                if body.get("response_url"):
                    await self._respond(body["response_url"], {"text": text, "blocks": blocks},
                                        replace_original=True)
                return
            await self.client.chat_update(channel=str(container.get("channel_id") or ""),
                                          ts=str(container.get("message_ts") or ""), text=text,
                                          blocks=blocks)
        except SlackApiError as error:
            # The choice still counts; only the cosmetic update failed.
            log.warning("slack chat.update failed",
                        extra={**_FIELDS, "reason": error.response.get("error")})

    async def _dm_channel(self, user: str) -> str:
        """The user's DM with the bot (conversations.open once, then remembered)."""
        channel = self._dms.get(user)
        if channel is None:
            opened = await self.client.conversations_open(users=user)
            channel = opened["channel"]["id"]
            self._dms[user] = channel
        return channel

    async def _profile(self, team: str | None, user: str) -> Profile:
        """Time zone and name from users.info, asked once per user per process."""
        key = (team or "", user)
        cached = self._profiles.get(key)
        if cached is not None:
            return cached
        try:
            answer = await self.client.users_info(user=user)
        except SlackApiError as error:
            log.warning("slack users.info failed",
                        extra={**_FIELDS, "reason": error.response.get("error")})
            profile = Profile()
        except aiohttp.ClientError:
            return Profile()  # not cached: try again on the next event
        else:
            profile = inbound.profile_from_users_info(answer.get("user") or {})
        self._profiles[key] = profile
        return profile

    # ---- check-ins ---------------------------------------------------------------------------

    async def send_proactive(self, user: UserRef, messages: list[OutboundMessage]) -> Delivery:
        """Open the user's DM and post; report sent, failed (retry later) or undeliverable."""
        sent = 0
        try:
            channel = await self._dm_channel(user.user)
            for message in messages:
                await self._post(channel, message)
                sent += 1
        except SlackApiError as error:
            code = str(error.response.get("error") or f"http_{error.response.status_code}")
            if sent:
                # Part of it arrived; resending would repeat those messages.
                return Delivery(status="sent", reason=f"partial:{code}", at=self.engine.clock.now())
            status = "undeliverable" if code in UNDELIVERABLE else "failed"
            return Delivery(status=status, reason=code)  # type: ignore[arg-type]
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            if sent:
                return Delivery(status="sent", reason=f"partial:{type(error).__name__}",
                                at=self.engine.clock.now())
            return Delivery(status="failed", reason=type(error).__name__)
        return Delivery(status="sent", at=self.engine.clock.now())


def _with_slash(url: str) -> str:
    """slack_sdk joins method names onto the base URL, which must end with a slash."""
    return url if url.endswith("/") else url + "/"
