"""A small fake of Slack's Web API, response URLs, file uploads and Socket Mode, on loopback port 0.

Give `fake.api_url` to slack_sdk as `base_url`. Every call is recorded with its arguments
(query string, form body and JSON body merged); tests wait on recorded calls with a timeout.
Failures (an `ok: false` error, HTTP 429 with Retry-After, a 5xx) can be queued per method.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

AUTH_TEST = {
    "ok": True, "url": "https://rebound-test.slack.com/", "team": "Rebound Test",
    "user": "rebound", "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT",
    "is_enterprise_install": False,
}
DEFAULT_PROFILE = {"tz": "Europe/Lisbon", "real_name": "Test Person",
                   "profile": {"display_name": "", "real_name": "Test Person"}}
# Arguments slack_sdk sends as JSON-in-a-form-field; decoded so tests can read them.
JSON_FIELDS = {"blocks", "view", "attachments", "files", "errors"}


@dataclass
class Call:
    """One request the fake received."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    # What the fake answered (the message ts of a chat.postMessage, say).
    response: dict[str, Any] | None = None
    at: float = field(default_factory=time.monotonic)

    def text(self) -> str:
        """All visible text of a message call: fallback plus every block, for searching."""
        return json.dumps({"text": self.args.get("text"), "blocks": self.args.get("blocks"),
                           "view": self.args.get("view")}, ensure_ascii=False)


@dataclass
class Canned:
    """A queued non-default answer for one call to a method."""

    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # A placeholder that answers as usual (to fail the second call, not the first).
    normal: bool = False


class FakeSlack:
    """Slack's side of the wire, recording everything it is sent."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.socket_received: list[dict[str, Any]] = []
        self.socket_connections = 0
        # Called with every recorded call, for callers that keep their own tallies (bench).
        self.listeners: list[Callable[[Call], None]] = []
        self._queued: dict[str, deque[Canned]] = defaultdict(deque)
        self._changed: asyncio.Condition | None = None
        self._ws: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self._ts = itertools.count(1)
        self.port = 0

    # ---- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        """Listen on a free loopback port."""
        self._changed = asyncio.Condition()
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        """Close the socket (if any) and stop listening."""
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL to give slack_sdk (with its trailing slash)."""
        return f"{self.url}/api/"

    def response_url(self, key: str = "r1") -> str:
        """A response_url for a slash command or interaction, answered by this fake."""
        return f"{self.url}/respond/{key}"

    # ---- failure injection -------------------------------------------------------------------

    def fail_next(self, method: str, error: str, times: int = 1, after: int = 0) -> None:
        """After `after` normal answers, `times` calls to `method` get `ok: false, error`."""
        for _ in range(after):
            self._queued[method].append(Canned(normal=True))
        for _ in range(times):
            self._queued[method].append(Canned(body={"ok": False, "error": error}))

    def rate_limit_next(self, method: str, retry_after: int = 0, times: int = 1) -> None:
        """The next `times` calls to `method` answer HTTP 429 with Retry-After."""
        for _ in range(times):
            self._queued[method].append(Canned(
                status=429, body={"ok": False, "error": "ratelimited"},
                headers={"Retry-After": str(retry_after)}))

    def server_error_next(self, method: str, status: int = 503, times: int = 1) -> None:
        """The next `times` calls to `method` answer a bare 5xx."""
        for _ in range(times):
            self._queued[method].append(Canned(status=status))

    # ---- reading what was recorded -----------------------------------------------------------

    def calls_to(self, method: str, where: Callable[[Call], bool] | None = None) -> list[Call]:
        """Recorded calls to one method (optionally filtered), oldest first."""
        return [c for c in self.calls if c.method == method and (where is None or where(c))]

    async def wait_for(self, method: str, where: Callable[[Call], bool] | None = None,
                       count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until at least `count` matching calls were recorded; return them."""
        assert self._changed is not None, "start() the fake first"

        def ready() -> bool:
            return len(self.calls_to(method, where)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(ready), timeout)
            except TimeoutError:
                seen = sorted({c.method for c in self.calls})
                raise AssertionError(
                    f"expected {count} call(s) to {method}; got "
                    f"{len(self.calls_to(method, where))} (methods seen: {seen})") from None
        return self.calls_to(method, where)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `condition()` holds over the recorded calls."""
        assert self._changed is not None, "start() the fake first"
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(condition), timeout)
            except TimeoutError:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"condition not met; calls seen: {seen}") from None

    async def wait_for_text(self, needle: str, method: str = "chat.postMessage",
                            timeout: float = 5.0, after: int = 0) -> Call:
        """The first call (from index `after` on) whose text contains `needle`."""
        calls = await self.wait_for(
            method, lambda c: needle in c.text() and self.calls.index(c) >= after,
            timeout=timeout)
        return calls[0]

    async def _record(self, call: Call) -> None:
        """Store a call and wake every waiter."""
        self.calls.append(call)
        for listener in self.listeners:
            listener(call)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    # ---- the Web API -------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        """Any Web API method: record it, then answer as queued or as Slack would."""
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        for name in JSON_FIELDS & args.keys():
            if isinstance(args[name], str):
                try:
                    args[name] = json.loads(args[name])
                except ValueError:
                    pass
        call = Call(method, args, dict(request.headers))
        canned = self._queued[method].popleft() if self._queued[method] else None
        if canned is not None and not canned.normal:
            call.response = canned.body
            await self._record(call)
            if canned.body is None:
                return web.Response(status=canned.status, headers=canned.headers)
            return web.json_response(canned.body, status=canned.status, headers=canned.headers)
        call.response = self._answer(method, args)
        await self._record(call)
        return web.json_response(call.response)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """What real Slack answers on success, as far as the adapter reads it."""
        if method == "auth.test":
            return AUTH_TEST
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link?ticket=1"}
        if method == "users.info":
            user = args.get("user", "")
            found = self.users.get(user, DEFAULT_PROFILE)
            return {"ok": True, "user": {"id": user, **found}}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"{1700000000 + next(self._ts)}.000100"
            return {"ok": True, "channel": args.get("channel"), "ts": ts,
                    "message": {"text": args.get("text"), "blocks": args.get("blocks"),
                                "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}
        if method in ("views.open", "views.publish", "views.update"):
            return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(args.get("view") or {})}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files") or []
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")}
                                          for f in files]}
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        """A response_url: Slack answers a bare "ok"."""
        body = await request.json()
        await self._record(Call("response_url", {**body, "key": request.match_info["key"]},
                                dict(request.headers)))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal handed out."""
        data = await request.read()
        await self._record(Call("file.upload", {"file_id": request.match_info["file_id"],
                                                "content": data.decode("utf-8", "replace")},
                                dict(request.headers)))
        return web.Response(text="OK - 200")

    # ---- Socket Mode -------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """The Socket Mode websocket: say hello, then record what the app sends back."""
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        self.socket_connections += 1
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "fake-slack"},
                            "connection_info": {"app_id": "A1"}})
        await self._record(Call("socket.hello", {}, {}))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                self.socket_received.append(data)
                await self._record(Call("socket.ack", data, {}))
        return ws

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push one envelope (events_api, slash_commands, interactive) to the connected app."""
        await self.wait_for("socket.hello")
        assert self._ws is not None
        await self._ws.send_json(envelope)
