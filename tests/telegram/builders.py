"""Telegram update builders, shaped like real updates (see shared/payloads/telegram/).

They carry the fields python-telegram-bot 22 requires: `User.is_bot`, `Chat.type`,
`Message.date`, `CallbackQuery.chat_instance`, `file_unique_id`, and a `bot_command` entity
at offset 0 for commands.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.telegram.fake_api import BOT_ID, BOT_USERNAME

GROUP_ID = -1001234567890
ALICE = 1111111
BOB = 2222222
CHANNEL_ID = GROUP_ID - 1
DATE = 1_772_366_400  # 2026-03-01

_ids = itertools.count(1)


def make_user(
    user_id: int = ALICE,
    *,
    first_name: str = "Alice",
    last_name: str | None = "Liddell",
    username: str | None = "alice",
    language_code: str | None = "en",
    is_bot: bool = False,
) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def make_chat(chat_type: str = "private", *, user_id: int = ALICE) -> dict[str, Any]:
    if chat_type == "private":
        return {"id": user_id, "type": "private", "first_name": "Alice"}
    if chat_type == "channel":
        return {"id": CHANNEL_ID, "type": "channel", "title": "Parley News"}
    return {"id": GROUP_ID, "type": chat_type, "title": "Parley Test", "is_forum": False}


def make_message(
    text: str,
    *,
    chat_type: str = "private",
    user_id: int = ALICE,
    first_name: str = "Alice",
    language_code: str | None = "en",
    message_id: int | None = None,
    document: dict[str, Any] | None = None,
    sender_chat: dict[str, Any] | None = None,
    from_bot: bool = False,
    chat: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message (in `chat`, else a chat of `chat_type`); commands get their `bot_command` entity
    (in the caption with a document)."""
    message: dict[str, Any] = {
        "message_id": message_id or next(_ids),
        "from": make_user(
            user_id, first_name=first_name, language_code=language_code, is_bot=from_bot
        ),
        "chat": chat or make_chat(chat_type, user_id=user_id),
        "date": DATE,
    }
    key, entities_key = ("caption", "caption_entities") if document else ("text", "entities")
    message[key] = text
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        message[entities_key] = [
            {"offset": 0, "length": len(command.encode("utf-16-le")) // 2, "type": "bot_command"}
        ]
    if document is not None:
        message["document"] = document
    if sender_chat is not None:
        message["sender_chat"] = sender_chat
        message["from"] = make_user(
            1087968824, first_name="Group", username="GroupAnonymousBot", is_bot=True
        )
    return message


def make_message_update(text: str, **kwargs: Any) -> dict[str, Any]:
    """An update with a new message, e.g. `make_message_update("/poll Lunch? | Pizza")`."""
    return {"update_id": next(_ids), "message": make_message(text, **kwargs)}


def make_document(file_id: str, file_name: str, size: int, mime_type: str) -> dict[str, Any]:
    return {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": size,
    }


def make_callback_update(
    payload: str,
    *,
    message_id: int = 500,
    chat_type: str = "private",
    user_id: int = ALICE,
    language_code: str | None = "en",
    message_text: str | None = "Counter",
) -> dict[str, Any]:
    """A button press on a bot message (`message_text=None`: a photo with a caption)."""
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": make_user(BOT_ID, first_name="Parley", username=BOT_USERNAME, is_bot=True),
        "chat": make_chat(chat_type, user_id=user_id),
        "date": DATE,
    }
    if message_text is None:
        message["photo"] = [{"file_id": "p", "file_unique_id": "up", "width": 1, "height": 1}]
        message["caption"] = "chart"
    else:
        message["text"] = message_text
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": f"cb{next(_ids)}",
            "from": make_user(user_id, language_code=language_code),
            "chat_instance": "-8765432109876543210",
            "message": message,
            "data": payload,
        },
    }


def make_member_update(chat_type: str = "supergroup") -> dict[str, Any]:
    """A `chat_member` update: someone was promoted to administrator."""
    user = make_user(BOB, first_name="Bob")
    return {
        "update_id": next(_ids),
        "chat_member": {
            "chat": make_chat(chat_type),
            "from": make_user(ALICE),
            "date": DATE,
            "old_chat_member": {"status": "member", "user": user},
            "new_chat_member": {
                "status": "administrator",
                "user": user,
                "can_be_edited": True,
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
            },
        },
    }


BASIC_GROUP_ID = -4012345678
"""A basic group; Telegram gives it a supergroup id (-100…) when it upgrades it."""


def make_migration_updates(old_chat_id: int, new_chat_id: int) -> list[dict[str, Any]]:
    """The two service messages of an upgrade: one in the old group, one in the supergroup."""
    admin = make_user(ALICE)
    old_chat = {"id": old_chat_id, "type": "group", "title": "Parley Test"}
    new_chat = {"id": new_chat_id, "type": "supergroup", "title": "Parley Test"}
    to_new = {"migrate_to_chat_id": new_chat_id, "chat": old_chat, "from": admin}
    from_old = {"migrate_from_chat_id": old_chat_id, "chat": new_chat, "from": admin}
    return [
        {"update_id": next(_ids), "message": {"message_id": next(_ids), "date": DATE, **body}}
        for body in (to_new, from_old)
    ]


def make_channel_post(text: str, *, signature: str | None = None) -> dict[str, Any]:
    """A post in the channel: no `from`, the channel as `sender_chat` (signed, if asked)."""
    channel = make_chat("channel")
    post: dict[str, Any] = {
        "message_id": next(_ids),
        "chat": channel,
        "sender_chat": channel,
        "date": DATE,
        "text": text,
    }
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        post["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    if signature is not None:
        post["author_signature"] = signature
    return {"update_id": next(_ids), "channel_post": post}
