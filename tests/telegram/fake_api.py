"""A fake Telegram Bot API: answers methods with real result shapes and records every call.

`FakeBotApi` holds the state and the answers; `FakeRequest` plugs it into python-telegram-bot
as its transport (no network), and `tests/telegram/fake_server.py` serves it over HTTP on
127.0.0.1 for the end-to-end tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

log = logging.getLogger("tests.telegram.fake_api")

TOKEN = "123:abc-fake"
BOT_ID = 123
BOT_USERNAME = "parley_bot"

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}


@dataclass
class Call:
    """One Bot API call as the fake received it (values decoded from JSON where possible)."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    """What the fake answered (a sent message carries its `message_id`)."""


@dataclass
class Failure:
    """An error to answer instead of a result, `times` times."""

    status: int
    description: str
    times: int = 1
    retry_after: int | None = None


class FakeBotApi:
    """The Bot API's state: sent messages, queued updates, administrators, scripted failures."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.unknown: list[str] = []
        self.admins: dict[int, set[int]] = {}
        self.public_chats: dict[str, dict[str, Any]] = {}
        self.statuses: dict[tuple[int, int], str] = {}
        self.files: dict[str, bytes] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.reject_token = False
        self.migrated: dict[int, int] = {}
        """Groups upgraded to supergroups: every call naming the old id is refused."""
        self.flooded: dict[int, int] = {}
        """Chats over their flood limit: every edit there gets 429 with this `retry_after`."""
        self._updates: list[dict[str, Any]] = []
        self._new_updates = asyncio.Event()
        self._next_message_id = 1000
        self._next_update_id = 1

    # --- scripting -------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int = 400,
        description: str = "Bad Request: fake failure",
        *,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error."""
        self.failures.setdefault(method, []).append(
            Failure(status, description, times, retry_after)
        )

    def flood(self, chat_id: int, retry_after: int) -> None:
        """Put a chat over its edit limit (Telegram: about 20 messages a minute in a group)."""
        self.flooded[chat_id] = retry_after

    def flood_over(self, chat_id: int) -> None:
        """The wait Telegram asked for has passed: edits there succeed again."""
        self.flooded.pop(chat_id, None)

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """Upgrade a group to a supergroup, as Telegram does past 200 members."""
        self.migrated[old_chat_id] = new_chat_id

    def queue_update(self, update: dict[str, Any]) -> int:
        """Deliver `update` through getUpdates (its update_id is assigned here)."""
        update = {**update, "update_id": self._next_update_id}
        self._next_update_id += 1
        self._updates.append(update)
        self._new_updates.set()
        return update["update_id"]

    def deliver_again(self, update: dict[str, Any]) -> None:
        """Deliver an update once more with its own update_id (as after a lost confirmation)."""
        self._updates.append(update)
        self._new_updates.set()

    # --- inspection ------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        """The calls of `method`, in order."""
        return [call for call in self.calls if call.method == method]

    def sent_texts(self) -> list[str]:
        """Every text the bot sent or edited into a message, and every caption."""
        texts = []
        for call in self.calls:
            for key in ("text", "caption"):
                if call.method != "answerCallbackQuery" and key in call.params:
                    texts.append(str(call.params[key]))
        return texts

    # --- answering -------------------------------------------------------------------------

    async def answer(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], token: str
    ) -> tuple[int, dict[str, Any]]:
        """The HTTP status and JSON body for one call."""
        if token != self.token or self.reject_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        call = Call(method, params, files)
        if method != "getUpdates":
            self.calls.append(call)
        failure = self._take_failure(method)
        if failure is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, body
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        retry_after = self._flood_wait(method, params.get("chat_id"))
        if retry_after is not None:
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
        moved_to = self._migrated_to(params.get("chat_id"))
        if moved_to is not None:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": moved_to},
            }
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            log.warning("fake Bot API: unknown method %s", method)
            self.unknown.append(method)
            return 400, {"ok": False, "error_code": 400, "description": f"fake: no {method}"}
        call.result = handler(params)
        return 200, {"ok": True, "result": call.result}

    def download(self, path: str) -> bytes | None:
        """The content of a file `getFile` pointed at."""
        return self.files.get(path)

    def _migrated_to(self, chat_id: Any) -> int | None:
        numeric = _numeric(chat_id)
        return None if numeric is None else self.migrated.get(numeric)

    def _flood_wait(self, method: str, chat_id: Any) -> int | None:
        numeric = _numeric(chat_id)
        if not method.startswith("editMessage") or numeric is None:
            return None
        return self.flooded.get(numeric)

    def _take_failure(self, method: str) -> Failure | None:
        queue = self.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.calls.append(Call("getUpdates", params))
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_updates.clear()
            timeout = float(params.get("timeout") or 0)
            if timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_updates.wait(), timeout)
        return list(self._updates)

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Parley", "username": BOT_USERNAME}

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        self._next_message_id += 1
        chat_id = params.get("chat_id")
        if isinstance(chat_id, str) and chat_id in self.public_chats:
            chat_id = self.public_chats[chat_id]["id"]
        chat_id = int(chat_id) if str(chat_id).lstrip("-").isdigit() else chat_id
        chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "supergroup":
            chat["title"] = "Test group"
        message = {
            "message_id": params.get("message_id") or self._next_message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**self._bot_user(), "can_join_groups": True, "supports_inline_queries": False}

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params["text"])

    def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, text=params["text"])

    def _m_editMessageCaption(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, caption=params.get("caption", ""))

    def _m_editMessageMedia(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, document=self._file_object("edited.bin"))

    def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        photo = [{"file_id": "p1", "file_unique_id": "up1", "width": 10, "height": 10}]
        caption = {"caption": params["caption"]} if params.get("caption") else {}
        return self._message(params, photo=photo, **caption)

    def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        caption = {"caption": params["caption"]} if params.get("caption") else {}
        return self._message(params, document=self._file_object("doc.bin"), **caption)

    def _m_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = int(params["chat_id"])
        members = []
        for index, user_id in enumerate(sorted(self.admins.get(chat_id, set()))):
            user = {"id": user_id, "is_bot": False, "first_name": f"Admin{user_id}"}
            if index == 0:
                members.append({"status": "creator", "user": user, "is_anonymous": False})
            else:
                members.append({"status": "administrator", "user": user, **_ADMIN_RIGHTS})
        return members

    def _m_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params["chat_id"]
        full_info = {"accent_color_id": 0, "max_reaction_count": 11}
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return {**self.public_chats[chat_id], **full_info}
        chat_type = "private" if int(chat_id) > 0 else "supergroup"
        return {"id": int(chat_id), "type": chat_type, "title": "Chat", **full_info}

    def _m_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.statuses.get((chat_id, user_id), "member")
        if user_id in self.admins.get(chat_id, set()):
            status = "administrator"
        user = {"id": user_id, "is_bot": user_id == BOT_ID, "first_name": f"User{user_id}"}
        if status == "administrator":
            return {"status": status, "user": user, **_ADMIN_RIGHTS, "can_post_messages": True}
        if status == "creator":
            return {"status": status, "user": user, "is_anonymous": False}
        if status == "kicked":
            return {"status": status, "user": user, "until_date": 0}
        return {"status": status, "user": user}

    def _m_pinChatMessage(self, params: dict[str, Any]) -> bool:
        return True

    def _m_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        path = f"documents/{file_id}"
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files.get(path, b"")),
            "file_path": path,
        }

    @staticmethod
    def _file_object(name: str) -> dict[str, Any]:
        return {"file_id": name, "file_unique_id": f"u{name}", "file_name": name}


def _numeric(chat_id: Any) -> int | None:
    """A chat id as a number (None for `@username`s and missing ids)."""
    if isinstance(chat_id, int) or (isinstance(chat_id, str) and chat_id.lstrip("-").isdigit()):
        return int(chat_id)
    return None


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """Form values as the Bot API reads them: JSON where it parses, else the string."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def split_url(url: str) -> tuple[str, str, str]:
    """`(kind, token, rest)` from `…/bot<token>/<method>` or `…/file/bot<token>/<path>`."""
    kind = "file" if "/file/bot" in url else "api"
    marker = "/file/bot" if kind == "file" else "/bot"
    tail = url.split(marker, 1)[1]
    token, _, rest = tail.partition("/")
    return kind, token, rest


class FakeRequest(BaseRequest):
    """python-telegram-bot's transport, answered by a `FakeBotApi` in the same process."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        kind, token, rest = split_url(url)
        if kind == "file":
            data = self.api.download(rest)
            return (200, data) if data is not None else (404, b"")
        params = decode_params(request_data.json_parameters) if request_data else {}
        files: dict[str, bytes] = {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                content = part[1]
                files[name] = content if isinstance(content, bytes) else content.read()
        status, body = await self.api.answer(rest, params, files, token)
        return status, json.dumps(body).encode()
