"""A fake Discord on 127.0.0.1: the REST v10 routes a bot uses and a gateway websocket.

The real discord.py client talks to it after `discord.http.Route.BASE` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` are pointed here. Every REST call is
recorded with its JSON payload (also from multipart uploads); tests dispatch gateway events
such as INTERACTION_CREATE with `dispatch`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import weakref
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import builders

EPHEMERAL = 64
CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}
"""The callback types Discord takes for each interaction type (command, component,
autocomplete, form submit): a command cannot be answered by editing a message (6, 7)."""
JSON = "application/json"  # exactly this: discord.py treats a charset suffix as text


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    payload: Any = None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    response: Any = None

    @property
    def message(self) -> dict[str, Any]:
        """The message body (interaction callbacks wrap it in `data`)."""
        if "/callback" in self.path:
            return (self.payload or {}).get("data") or {}
        return self.payload or {}

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.get("embeds") or []

    @property
    def text(self) -> str:
        """Every visible string of the message's embeds, joined."""
        parts: list[str] = []
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(part for part in parts if part)

    @property
    def ephemeral(self) -> bool:
        return bool(self.message.get("flags", 0) & EPHEMERAL)


class FakeDiscord:
    """REST + gateway; one guild with one text channel; answers 401 for any other token."""

    def __init__(self, token: str = builders.TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.unhandled: list[str] = []  # requests the fake does not serve, or Discord refuses
        self.disconnect_logins = 0  # drop this many GET /users/@me connections first
        self.refuse_identify: int | None = None  # close the gateway with this code instead
        self.refuse_gateway = 0  # answer this many websocket connections with 503 first
        self.post_delay = 0.0  # seconds to hold each new channel message (a slow Discord)
        self.identified = asyncio.Event()
        self.identifies = 0
        self.identify_payloads: list[dict[str, Any]] = []  # the `d` of each IDENTIFY
        self.resumes: list[dict[str, Any]] = []  # the `d` of each RESUME the client sent
        self.resumed = asyncio.Event()
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self._sequence = itertools.count(1)
        self.last_sequence = 0  # of the last DISPATCH sent, which a RESUME must name
        self._sockets: set[web.WebSocketResponse] = set()
        self._shards: dict[web.WebSocketResponse, tuple[int, int]] = {}  # from each IDENTIFY
        self._originals: dict[str, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        app = web.Application()
        self.files: dict[str, bytes] = {}
        self.members: dict[str, dict[str, Any]] = {}  # user id -> member, for GET guild member
        self.channels: dict[str, dict[str, Any]] = {}  # channel id -> channel, for GET
        self.refuse_posts_in: set[str] = set()  # channel ids answering posts 403 (no Send)
        self.deleted_messages: set[str] = set()  # message ids that answer 10008 Unknown Message
        self.unseen_messages: set[str] = set()  # ids whose edits answer 403 50001 Missing Access
        self.refuse_pins = False  # answer pins 403 Missing Permissions (no Pin Messages)
        self.hold_members: asyncio.Event | None = None  # GET member waits for it (slow Discord)
        self.hold_callbacks: asyncio.Event | None = None  # interaction callbacks wait for it
        self.held_callbacks = 0  # callbacks that waited for `hold_callbacks` so far
        self.connections_opened = 0  # HTTP connections (REST and gateway) that sent a request
        self._connections: weakref.WeakSet[asyncio.BaseTransport] = weakref.WeakSet()
        self._answered: dict[str, asyncio.Event] = {}  # interaction token -> its callback came
        self._kinds: dict[str, int] = {}  # interaction token -> its type, as dispatched
        self.closed_dms: set[str] = set()  # user ids whose DMs refuse the bot (403)
        self.dms: dict[str, str] = {}  # DM channel id -> the user id it reaches
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._app = app

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        self._runner = web.AppRunner(self._app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def drop_connections(self) -> None:
        """Close every gateway websocket from the server side, as a network blip or Discord does."""
        self.resumed.clear()
        for socket in list(self._sockets):
            await socket.close()

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send a gateway DISPATCH to every connected client, or only on gateway `shard`."""
        if event == "INTERACTION_CREATE":
            self._kinds[data["token"]] = data["type"]
        frame = self._frame(event, data)
        for socket in list(self._sockets):
            if shard is None or self._shards.get(socket, (0, 1))[0] == shard:
                await socket.send_str(frame)

    def shards_identified(self) -> list[list[int]]:
        """The `shard` field ([id, count]) of each IDENTIFY so far, in order."""
        return [payload["shard"] for payload in self.identify_payloads if "shard" in payload]

    async def answered(self, token: str) -> None:
        """Return once the interaction with `token` got its callback (e.g. autocomplete's)."""
        await self._answered.setdefault(token, asyncio.Event()).wait()

    def calls_for(self, token: str) -> list[Call]:
        """The interaction callback and webhook calls made with an interaction token."""
        return [call for call in self.calls if f"/{token}/" in call.path + "/"]

    def messages_sent(self) -> list[Call]:
        """Every call that created or edited a message."""
        return [
            call
            for call in self.calls
            if call.method in ("POST", "PATCH")
            and ("/messages" in call.path or "/webhooks/" in call.path or "/callback" in call.path)
        ]

    def host_file(self, name: str, data: bytes) -> str:
        """Serve `data` as an uploaded file (Discord's CDN); returns its URL."""
        self.files[name] = data
        return f"http://127.0.0.1:{self.port}/files/{name}"

    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        kind = "text/html" if name.endswith(".html") else "application/octet-stream"
        return web.Response(body=self.files[name], content_type=kind)

    # --- gateway -------------------------------------------------------------------------

    def _frame(self, event: str, data: dict[str, Any]) -> str:
        """A DISPATCH frame with the next sequence number."""
        self.last_sequence = next(self._sequence)
        return json.dumps({"op": 0, "t": event, "s": self.last_sequence, "d": data})

    def _count_connection(self, request: web.Request) -> None:
        """Count the connection `request` came on, the first time one of its requests arrives."""
        transport = request.transport
        if transport is not None and transport not in self._connections:
            self._connections.add(transport)
            self.connections_opened += 1

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        self._count_connection(request)
        if self.refuse_gateway > 0:
            self.refuse_gateway -= 1
            return web.Response(status=503)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.add(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        try:
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                if frame["op"] == 1:
                    await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
                elif frame["op"] == 2 and self.refuse_identify is not None:
                    await socket.close(code=self.refuse_identify)
                elif frame["op"] == 2:
                    await self._identify(socket, frame["d"])
                elif frame["op"] == 6:
                    await self._resume(socket, frame["d"])
        finally:
            self._sockets.discard(socket)
            self._shards.pop(socket, None)
        return socket

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        """READY, then the one guild on the shard that holds it (as Discord: id >> 22 % count)."""
        self.identify_payloads.append(data)
        shard_id, count = data.get("shard") or (0, 1)
        self._shards[socket] = (shard_id, count)
        has_guild = (int(builders.GUILD_ID) >> 22) % count == shard_id
        ready = {
            "v": 10,
            "user": builders.bot_user(),
            "guilds": [{"id": builders.GUILD_ID, "unavailable": True}] if has_guild else [],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": builders.APPLICATION_ID, "flags": 0},
        }
        if "shard" in data:
            ready["shard"] = [shard_id, count]
        events = [("READY", ready), ("GUILD_CREATE", builders.guild())][: 2 if has_guild else 1]
        for event, payload in events:
            await socket.send_str(self._frame(event, payload))
        self.identifies += 1
        self.identified.set()

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        """Accept the RESUME of the one session this fake hands out (no events were missed)."""
        self.resumes.append(data)
        if data.get("token") != self.token or data.get("session_id") != "fake-session":
            await socket.close(code=4009)  # session timed out: the client must identify anew
            return
        await socket.send_str(self._frame("RESUMED", {}))
        self.resumed.set()

    # --- REST ----------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        self._count_connection(request)
        call = Call(request.method, path, dict(request.query))
        await _read_body(request, call)
        self.calls.append(call)
        if self.hold_callbacks is not None and path.endswith("/callback"):
            self.held_callbacks += 1
            await self.hold_callbacks.wait()
        if self.hold_members is not None and "/members/" in path:
            await self.hold_members.wait()
        if self.post_delay and request.method == "POST" and path.endswith("/messages"):
            await asyncio.sleep(self.post_delay)
            if request.transport is None or request.transport.is_closing():
                return web.Response(status=499)  # the client is gone: nothing was delivered
        response = self._answer(request, call)
        if isinstance(response, web.Response) and response.body:
            call.response = json.loads(response.body)  # type: ignore[arg-type]
        return response

    def _answer(self, request: web.Request, call: Call) -> web.StreamResponse:
        path = call.path
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            if self.disconnect_logins > 0:
                self.disconnect_logins -= 1
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            if request.headers.get("Authorization") != f"Bot {self.token}":
                return _json({"message": "401: Unauthorized", "code": 0}, status=401)
            return _json(builders.bot_user())
        if path == "/users/@me/channels" and request.method == "POST":
            return self._open_dm(str(call.payload["recipient_id"]))
        if parts[0] == "users" and len(parts) == 2 and request.method == "GET":
            return _json(builders.user(parts[1], f"user{parts[1][-2:]}"))
        if parts[0] == "channels" and self.dms.get(parts[1]) in self.closed_dms:
            message = "Cannot send messages to this user"
            return _json({"message": message, "code": 50007}, status=403)
        if path == "/oauth2/applications/@me":
            return _json(builders.application())
        if parts[0] == "applications" and parts[-1] == "commands" and request.method == "PUT":
            return _json(self._registered(call.payload, parts))
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(parts[1], parts[2], call.payload)
        if parts[0] == "webhooks":
            return self._webhook(request.method, parts, call.payload)
        if parts[0] == "guilds" and len(parts) == 2 and request.method == "GET":
            return self._guild(parts[1])
        if parts[0] == "guilds" and len(parts) == 4 and parts[2] == "members":
            if parts[3] in self.members:
                return _json(self.members[parts[3]])
            return _json({"message": "Unknown Member", "code": 10007}, status=404)
        if parts[0] == "channels" and len(parts) == 2 and request.method == "GET":
            if parts[1] in self.channels:
                return _json(self.channels[parts[1]])
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if parts[0] == "channels" and parts[2:4] == ["messages", "pins"]:
            if self.refuse_pins:
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            return web.Response(status=204)
        if parts[0] == "channels" and len(parts) >= 3 and parts[2] == "messages":
            if request.method == "POST" and parts[1] in self.refuse_posts_in:
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            if request.method == "POST":
                return _json(self._message(parts[1], call.payload))
            if request.method == "PATCH" and parts[3] in self.deleted_messages:
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            if request.method == "PATCH" and parts[3] in self.unseen_messages:
                return _json({"message": "Missing Access", "code": 50001}, status=403)
            if request.method == "PATCH":
                return _json(self._message(parts[1], call.payload, message_id=parts[3]))
        self.unhandled.append(f"{request.method} {path}")
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _open_dm(self, user_id: str) -> web.Response:
        """POST /users/@me/channels: the bot's DM channel with a user (one per user)."""
        channel_id = next((c for c, u in self.dms.items() if u == user_id), None)
        if channel_id is None:
            channel_id = str(next(self._ids))
            self.dms[channel_id] = user_id
        return _json({"id": channel_id, "type": 1, "recipients": [builders.user(user_id)]})

    def _guild(self, guild_id: str) -> web.Response:
        """GET /guilds/{id}: the REST guild (its roles and owner, no channels or members)."""
        if guild_id != builders.GUILD_ID:
            return _json({"message": "Unknown Guild", "code": 10004}, status=404)
        gateway_only = ("channels", "threads", "members", "voice_states", "presences")
        guild = {k: v for k, v in builders.guild().items() if k not in gateway_only}
        return _json(guild)

    def _registered(self, commands: list[dict[str, Any]], parts: list[str]) -> list[dict[str, Any]]:
        guild = {"guild_id": parts[3]} if "guilds" in parts else {}
        return [
            {
                "description": "",  # Discord answers "" for context-menu commands
                **command,
                **guild,
                "id": str(next(self._ids)),
                "application_id": builders.APPLICATION_ID,
                "version": "1",
                "type": command.get("type", 1),
            }
            for command in commands
        ]

    def _callback(self, interaction_id: str, token: str, payload: dict[str, Any]) -> web.Response:
        """An interaction's one initial response, of a type its interaction takes (as Discord)."""
        answered = self._answered.setdefault(token, asyncio.Event())
        kind = payload["type"]
        if answered.is_set():
            self.unhandled.append(f"callback {kind} to {interaction_id}: already acknowledged")
            message = "Interaction has already been acknowledged."
            return _json({"message": message, "code": 40060}, status=400)
        if token in self._kinds and kind not in CALLBACKS.get(self._kinds[token], {kind}):
            self.unhandled.append(f"callback {kind} to a type {self._kinds[token]} interaction")
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        answered.set()
        data = payload.get("data") or {}
        ephemeral = bool(data.get("flags", 0) & EPHEMERAL)
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):
            message = self._message(builders.CHANNEL_ID, data)
            self._originals[token] = message
            resource["message"] = message
        elif kind == 7:
            resource["message"] = self._message(builders.CHANNEL_ID, data)
        interaction = {
            "id": interaction_id,
            "type": 2,
            "response_message_id": resource.get("message", {}).get("id"),
            "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral,
        }
        return _json({"interaction": interaction, "resource": resource})

    def _webhook(self, method: str, parts: list[str], payload: Any) -> web.Response:
        token = parts[2]
        if method == "POST":
            return _json(self._message(builders.CHANNEL_ID, payload))
        if method == "DELETE":
            self._originals.pop(token, None)
            return web.Response(status=204)
        message_id = parts[4]
        if message_id == "@original":
            message_id = self._originals.get(token, {}).get("id", str(next(self._ids)))
        return _json(self._message(builders.CHANNEL_ID, payload or {}, message_id=message_id))

    def _message(
        self, channel_id: str, payload: dict[str, Any], message_id: str | None = None
    ) -> dict[str, Any]:
        return builders.message(
            message_id or str(next(self._ids)),
            channel_id=channel_id,
            embeds=payload.get("embeds") or [],
            components=payload.get("components") or [],
            flags=payload.get("flags", 0),
        )


async def _read_body(request: web.Request, call: Call) -> None:
    if not request.can_read_body:
        return
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":  # type: ignore[union-attr]
                call.payload = json.loads(data)
            else:
                call.files.append((part.filename or "", bytes(data)))  # type: ignore[union-attr]
    else:
        text = await request.text()
        call.payload = json.loads(text) if text else None


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": JSON}
    )
