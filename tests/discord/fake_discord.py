"""A small fake Discord (REST API + gateway) on loopback, for the real discord.py to talk to.

It speaks just enough of the wire protocol: HELLO, heartbeat ACKs, IDENTIFY -> READY,
RESUME -> replay + RESUMED, RECONNECT (op 7) on demand, and the REST routes the adapter
uses. Every REST request is recorded; tests wait on recordings, never on the clock.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

API = "/api/v10"
TIMESTAMP = "2026-11-25T15:00:00.000000+00:00"
EPHEMERAL = 64


def user_payload(user_id: int, name: str, *, global_name: str | None = None,
                 bot: bool = False) -> dict[str, Any]:
    """A Discord user object."""
    return {"id": str(user_id), "username": name, "discriminator": "0",
            "global_name": global_name, "avatar": None, "bot": bot, "public_flags": 0}


def message_payload(message_id: int, channel_id: int, author: dict[str, Any], content: str,
                    *, components: list[dict[str, Any]] | None = None, flags: int = 0,
                    guild_id: int | None = None) -> dict[str, Any]:
    """A Discord message object."""
    payload: dict[str, Any] = {
        "id": str(message_id), "channel_id": str(channel_id), "author": author,
        "content": content, "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "pinned": False, "type": 0, "flags": flags,
        "components": components or [],
    }
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
    return payload


@dataclass
class Recorded:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.perf_counter)  # when it arrived


@dataclass
class BotMessage:
    """A message the bot posted or edited, wherever it went."""

    id: int
    channel_id: int
    content: str
    components: list[dict[str, Any]]
    flags: int
    via: str  # "channel", "callback", "followup", "edit", "original"
    allowed_mentions: Any
    files: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.perf_counter)  # when the bot's request arrived

    @property
    def ephemeral(self) -> bool:
        """True when only the user can see it."""
        return bool(self.flags & EPHEMERAL)

    @property
    def custom_ids(self) -> list[str]:
        """The custom_ids of its buttons, in order."""
        return [c["custom_id"] for row in self.components for c in row.get("components", [])
                if "custom_id" in c]

    def button(self, label: str) -> str:
        """The custom_id of the button with this label."""
        for row in self.components:
            for component in row.get("components", []):
                if component.get("label") == label:
                    return str(component["custom_id"])
        raise KeyError(f"no button {label!r} in {[c.get('label') for r in self.components for c in r.get('components', [])]}")


@dataclass
class Interaction:
    """An interaction the fake dispatched, and what the bot answered."""

    id: int
    token: str
    channel_id: int
    guild_id: int | None
    callback: dict[str, Any] | None = None
    # The message whose button was pressed (component interactions).
    message_id: int | None = None
    # The interaction's own response message, once there is one.
    original_id: int | None = None


class FakeDiscord:
    """Fake REST + gateway; start() binds port 0 on 127.0.0.1."""

    def __init__(self, *, app_id: int = 900000000000000001,
                 bot_id: int = 900000000000000002) -> None:
        self.app_id = app_id
        self.bot = user_payload(bot_id, "Rebound", bot=True)
        self.users: dict[int, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.messages: list[BotMessage] = []  # new messages, in order
        self._by_channel: dict[int, list[BotMessage]] = {}  # the same, per channel
        self.edits: list[BotMessage] = []  # edits of earlier messages
        self._guild_of: dict[int, int] = {}  # server channel -> server
        self.message_index: dict[int, dict[str, Any]] = {}
        self.interactions: dict[str, Interaction] = {}
        self.commands: list[dict[str, Any]] = []
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.identifies = 0
        self.identify_payloads: list[dict[str, Any]] = []
        self.resumes = 0
        self.heartbeats = 0
        # (method, path regex) -> (status, body): answered instead of the normal route.
        self.failures: list[tuple[str, re.Pattern[str], int, dict[str, Any], int | None]] = []
        # (method, path regex) -> seconds: answered that much later (a slow or throttled API).
        self.delays: list[tuple[str, re.Pattern[str], float]] = []
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self._changed = asyncio.Condition()
        self._socket: web.WebSocketResponse | None = None
        self._session_id = ""
        self._log: list[dict[str, Any]] = []  # dispatches of the current session, by seq
        self._runner: web.AppRunner | None = None
        self._watched: list[asyncio.Task[Any]] = []
        self.port = 0

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Serve on an ephemeral loopback port."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        """Stop serving."""
        if self._socket is not None and not self._socket.closed:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        """What discord.http.Route.BASE should be."""
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        """What DiscordWebSocket.DEFAULT_GATEWAY should be."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    def next_id(self) -> int:
        """A fresh snowflake."""
        return next(self._ids)

    # ---- waiting --------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def watch(self, task: asyncio.Task[Any]) -> None:
        """Fail waits at once if this (client) task dies with an exception."""
        self._watched.append(task)
        task.add_done_callback(lambda _: asyncio.ensure_future(self._notify()))

    def _check_watched(self) -> None:
        for task in self._watched:
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise AssertionError(f"client task crashed: {task.exception()!r}")

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0,
                       what: str = "condition") -> Any:
        """Wait until predicate() is truthy (re-checked on every recorded change)."""
        async def waiter() -> Any:
            async with self._changed:
                while True:
                    self._check_watched()
                    result = predicate()
                    if result:
                        return result
                    await self._changed.wait()
        try:
            return await asyncio.wait_for(waiter(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"timed out waiting for {what}; requests: "
                                 f"{[(r.method, r.path) for r in self.requests]}") from None

    async def wait_messages(self, count: int, *, channel_id: int | None = None,
                            timeout: float = 5.0) -> list[BotMessage]:
        """Wait until the bot has posted `count` messages (in a channel), and return them."""
        def ready() -> list[BotMessage] | None:
            found = [m for m in self.messages
                     if channel_id is None or m.channel_id == channel_id]
            return found if len(found) >= count else None
        return await self.wait_for(ready, timeout, f"{count} bot messages")  # type: ignore[no-any-return]

    def messages_in(self, channel_id: int) -> list[BotMessage]:
        """Messages the bot posted in a channel so far."""
        return list(self._by_channel.get(channel_id, ()))

    # ---- failures -------------------------------------------------------------------------

    def fail(self, method: str, path: str, status: int, code: int, message: str,
             times: int | None = None) -> None:
        """Answer matching requests with a Discord error body (`times` None = always)."""
        self.failures.append((method, re.compile(path), status,
                              {"code": code, "message": message}, times))

    def slow(self, method: str, path: str, seconds: float) -> None:
        """Answer matching requests only after `seconds` (as a throttled Discord would)."""
        self.delays.append((method, re.compile(path), seconds))

    # ---- gateway --------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            op = data.get("op")
            if op == 1:
                self.heartbeats += 1
                await ws.send_json({"op": 11})
            elif op == 2:
                self.identify_payloads.append(data["d"])
                await self._identify(ws)
            elif op == 6:
                await self._resume(ws, data["d"])
        if self._socket is ws:
            self._socket = None
        await self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse) -> None:
        self.identifies += 1
        self._session_id = f"session-{self.identifies}"
        self._log = []
        ready = {
            "v": 10, "user": self.bot, "guilds": [], "private_channels": [],
            "session_id": self._session_id,
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/resume",
            "application": {"id": str(self.app_id), "flags": 0},
        }
        await self._send_dispatch(ws, "READY", ready)
        await self._notify()

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("session_id") != self._session_id:
            await ws.send_json({"op": 9, "d": False})
            return
        self.resumes += 1
        seq = data.get("seq") or 0
        for frame in self._log:
            if frame["s"] > seq:
                await ws.send_json(frame)
        await ws.send_json({"op": 0, "t": "RESUMED", "s": len(self._log) + 1, "d": {}})
        self._log.append({"op": 0, "t": "RESUMED", "s": len(self._log) + 1, "d": {}})
        await self._notify()

    async def _send_dispatch(self, ws: web.WebSocketResponse | None, event: str,
                             data: dict[str, Any]) -> None:
        frame = {"op": 0, "t": event, "s": len(self._log) + 1, "d": data}
        self._log.append(frame)
        if ws is not None and not ws.closed:
            await ws.send_json(frame)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event now, or keep it for the RESUME if the bot is disconnected."""
        await self._send_dispatch(self._socket, event, data)

    async def replay(self, frames_back: int) -> None:
        """Send the last `frames_back` dispatches again, as Discord may after a resume."""
        for frame in self._log[-frames_back:]:
            if self._socket is not None:
                await self._socket.send_json(frame)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT; the bot closes and resumes on resume_gateway_url."""
        ws = self._socket
        assert ws is not None, "the bot is not connected"
        self._socket = None
        await ws.send_json({"op": 7, "d": None})

    @property
    def connected(self) -> bool:
        """True while the bot holds a gateway connection."""
        return self._socket is not None and not self._socket.closed

    # ---- what users do --------------------------------------------------------------------

    def add_user(self, user_id: int, name: str, global_name: str | None = None) -> dict[str, Any]:
        """Make a user known to the fake."""
        self.users[user_id] = user_payload(user_id, name, global_name=global_name)
        return self.users[user_id]

    def dm_channel_of(self, user_id: int) -> int:
        """The DM channel between the bot and this user (created on first use)."""
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = self.next_id()
        return self.dm_channels[user_id]

    async def user_dms(self, user_id: int, content: str, *, author_is_bot: bool = False) -> int:
        """The user sends the bot a DM; returns the message id."""
        author = dict(self.users[user_id])
        author["bot"] = author_is_bot
        message_id = self.next_id()
        data = message_payload(message_id, self.dm_channel_of(user_id), author, content)
        await self.dispatch("MESSAGE_CREATE", data)
        return message_id

    def _interaction_base(self, kind: int, user_id: int, guild_id: int | None,
                          channel_id: int | None) -> tuple[dict[str, Any], Interaction]:
        interaction_id = self.next_id()
        token = f"token-{interaction_id}"
        user = self.users[user_id]
        if guild_id is None:
            channel_id = self.dm_channel_of(user_id)
            channel = {"id": str(channel_id), "type": 1, "recipients": [user],
                       "last_message_id": None}
        else:
            assert channel_id is not None
            channel = {"id": str(channel_id), "type": 0, "guild_id": str(guild_id),
                       "name": "general", "position": 0, "permission_overwrites": [],
                       "nsfw": False, "parent_id": None, "topic": None}
        payload: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(self.app_id), "type": kind,
            "token": token, "version": 1, "channel_id": str(channel_id), "channel": channel,
            "locale": "en-US", "app_permissions": "2248473465835073", "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)} if guild_id else {"0": "0"},
            "context": 0 if guild_id else 1, "attachment_size_limit": 10485760,
        }
        if guild_id is None:
            payload["user"] = user
        else:
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(guild_id), "locale": "en-US", "features": []}
            payload["member"] = {"user": user, "roles": [], "joined_at": TIMESTAMP,
                                 "deaf": False, "mute": False, "permissions": "2248473465835073",
                                 "flags": 0, "nick": None, "avatar": None}
        record = Interaction(interaction_id, token, channel_id, guild_id)
        self.interactions[token] = record
        return payload, record

    async def slash(self, user_id: int, args: str | None = None, *, guild_id: int | None = None,
                    channel_id: int | None = None) -> Interaction:
        """The user runs `/rebound [args]` in their DM with the bot or in a server channel."""
        payload, record = self._interaction_base(2, user_id, guild_id, channel_id)
        command = next((c for c in self.commands if c["name"] == "rebound"), None)
        data: dict[str, Any] = {"id": command["id"] if command else str(self.next_id()),
                                "name": "rebound", "type": 1}
        if args is not None:
            data["options"] = [{"name": "args", "type": 3, "value": args}]
        payload["data"] = data
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def autocomplete(self, user_id: int, typed: str) -> Interaction:
        """The user is typing the `args` option of /rebound in their DM."""
        payload, record = self._interaction_base(4, user_id, None, None)
        payload["data"] = {"id": str(self.next_id()), "name": "rebound", "type": 1,
                           "options": [{"name": "args", "type": 3, "value": typed,
                                        "focused": True}]}
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def press(self, user_id: int, message: BotMessage, custom_id: str) -> Interaction:
        """The user presses a button on a message the bot sent."""
        guild_id = None if message.channel_id in self.dm_channels.values() else \
            self._guild_of.get(message.channel_id)
        payload, record = self._interaction_base(
            3, user_id, guild_id, None if guild_id is None else message.channel_id)
        record.message_id = message.id
        payload["data"] = {"custom_id": custom_id, "component_type": 2}
        payload["message"] = message_payload(
            message.id, message.channel_id, self.bot, message.content,
            components=message.components, flags=message.flags, guild_id=guild_id)
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def submit_modal(self, user_id: int, custom_id: str, values: dict[str, str], *,
                           guild_id: int | None = None,
                           channel_id: int | None = None) -> Interaction:
        """The user submits a modal (labels wrapping text inputs, as Discord sends now)."""
        payload, record = self._interaction_base(5, user_id, guild_id, channel_id)
        payload["data"] = {"custom_id": custom_id, "components": [
            {"type": 18, "id": n + 1, "component": {"type": 4, "id": n + 100,
                                                    "custom_id": name, "value": value}}
            for n, (name, value) in enumerate(values.items())]}
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    def guild_channel(self, guild_id: int) -> int:
        """A text channel in a server (for slash commands used there)."""
        channel_id = self.next_id()
        self._guild_of[channel_id] = guild_id
        return channel_id

    # ---- REST -----------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[str] = []
        if request.content_type == "application/json":
            body = await request.json()
        elif request.content_type.startswith("multipart/"):
            form = await request.post()
            for key, value in form.items():
                if key == "payload_json":
                    body = json.loads(str(value))
                elif isinstance(value, web.FileField):
                    files.append(value.filename)
        self.requests.append(Recorded(request.method, path, dict(request.query), body, files))
        for method, pattern, seconds in self.delays:
            if method == request.method and pattern.fullmatch(path):
                await asyncio.sleep(seconds)
        try:
            for index, (method, pattern, status, error, times) in enumerate(self.failures):
                if method == request.method and pattern.fullmatch(path):
                    if times is not None:
                        if times <= 1:
                            self.failures.pop(index)
                        else:
                            self.failures[index] = (method, pattern, status, error, times - 1)
                    return self._json(error, status)
            return self._json(*self._route(request.method, path, body, files))
        finally:
            await self._notify()

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # discord.py parses JSON only when the content type is exactly application/json.
        if status == 204:
            return web.Response(status=204)
        return web.Response(status=status, body=json.dumps(data).encode("utf-8"),
                            headers={"Content-Type": "application/json"})

    def _record_message(self, channel_id: int, body: dict[str, Any], via: str,
                        files: list[str], edit_of: int | None = None) -> dict[str, Any]:
        message_id = edit_of or self.next_id()
        guild_id = self._guild_of.get(channel_id)
        if edit_of is not None and edit_of in self.message_index:
            # An edit keeps whatever it does not mention.
            old = self.message_index[edit_of]
            body = {"content": old["content"], "components": old["components"],
                    "flags": old["flags"], **body}
        payload = message_payload(message_id, channel_id, self.bot, body.get("content") or "",
                                  components=body.get("components") or [],
                                  flags=int(body.get("flags") or 0), guild_id=guild_id)
        self.message_index[message_id] = payload
        recorded = BotMessage(message_id, channel_id, payload["content"], payload["components"],
                              payload["flags"], via, body.get("allowed_mentions"), files)
        if edit_of is not None:
            self.edits.append(recorded)
        else:
            self.messages.append(recorded)
            self._by_channel.setdefault(channel_id, []).append(recorded)
        return payload

    def _route(self, method: str, path: str, body: Any, files: list[str]) -> tuple[Any, int]:
        if method == "GET" and path == "/users/@me":
            return self.bot, 200
        if method == "GET" and path == "/oauth2/applications/@me":
            return {"id": str(self.app_id), "name": "Rebound", "description": "", "icon": None,
                    "bot_public": False, "bot_require_code_grant": False,
                    "owner": user_payload(1, "owner"), "verify_key": "0" * 64, "flags": 0,
                    "summary": "", "team": None, "rpc_origins": []}, 200
        match = re.fullmatch(r"/applications/(\d+)/commands", path)
        if match and method == "PUT":
            self.commands = [{**c, "id": str(self.next_id()), "application_id": str(self.app_id),
                              "version": str(self.next_id()), "default_member_permissions": None,
                              "dm_permission": True, "nsfw": False} for c in body]
            return self.commands, 200
        if match and method == "GET":
            return self.commands, 200
        if method == "POST" and path == "/users/@me/channels":
            user_id = int(body["recipient_id"])
            if user_id not in self.users:
                return {"code": 10013, "message": "Unknown User"}, 404
            return {"id": str(self.dm_channel_of(user_id)), "type": 1, "last_message_id": None,
                    "recipients": [self.users[user_id]], "flags": 0}, 200
        match = re.fullmatch(r"/users/(\d+)", path)
        if match and method == "GET":
            user = self.users.get(int(match[1]))
            return (user, 200) if user else ({"code": 10013, "message": "Unknown User"}, 404)
        match = re.fullmatch(r"/channels/(\d+)/messages", path)
        if match and method == "POST":
            return self._record_message(int(match[1]), body or {}, "channel", files), 200
        match = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if match and method == "POST":
            return self._callback(match[2], body, files), 200
        match = re.fullmatch(r"/webhooks/(\d+)/([^/]+)", path)
        if match and method == "POST":
            record = self.interactions[match[2]]
            return self._record_message(record.channel_id, body or {}, "followup", files), 200
        match = re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", path)
        if match and method == "PATCH":
            record = self.interactions[match[2]]
            kind = (record.callback or {}).get("type")
            if match[3] == "@original" and kind == 5 and record.original_id is None:
                # Filling in a deferred ("thinking") response: its first visible message,
                # ephemeral if the deferral was.
                flags = int(((record.callback or {}).get("data") or {}).get("flags") or 0)
                message = self._record_message(record.channel_id, {"flags": flags, **(body or {})},
                                               "original", files)
                record.original_id = int(message["id"])
                return message, 200
            if match[3] != "@original":
                target = int(match[3])
            else:
                target = record.original_id if kind in (4, 5) else record.message_id
            return self._record_message(record.channel_id, body or {}, "edit", files,
                                        edit_of=target), 200
        return {"code": 0, "message": f"fake has no route {method} {path}"}, 404

    def _callback(self, token: str, body: dict[str, Any], files: list[str]) -> dict[str, Any]:
        record = self.interactions[token]
        if record.callback is not None:
            # Discord refuses a second initial response.
            raise web.HTTPBadRequest(body=json.dumps({"code": 40060, "message":
                                     "Interaction has already been acknowledged."}).encode(),
                                     headers={"Content-Type": "application/json"})
        record.callback = body
        kind = body["type"]
        data = body.get("data") or {}
        result: dict[str, Any] = {"interaction": {
            "id": str(record.id), "type": 2,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL)}}
        if kind in (4, 7):
            message = self._record_message(record.channel_id, data,
                                           "callback" if kind == 4 else "edit", files,
                                           edit_of=record.message_id if kind == 7 else None)
            result["interaction"]["response_message_id"] = message["id"]
            if kind == 4:
                record.original_id = int(message["id"])
            result["resource"] = {"type": kind, "message": message}
        return result
