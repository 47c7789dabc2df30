"""Discord payloads for tests, shaped like the documented examples in shared/payloads/discord.

Beyond the documented examples, discord.py 2.7 needs `version`, `application_id`, `token`,
`attachment_size_limit`, `member.flags` and a `channel` object on interactions.
"""

from __future__ import annotations

import itertools
from typing import Any

TOKEN = "fake-bot-token-0123456789"
APPLICATION_ID = "1100000000000000001"
BOT_ID = "1100000000000000002"
GUILD_ID = "1100000000000000003"
CHANNEL_ID = "1100000000000000004"
USER_ID = "53908232506183680"
MOD_ROLE_ID = "1100000000000000005"
THREAD_ID = "1100000000000000006"
MANAGE_MESSAGES = 1 << 13
MANAGE_GUILD = 1 << 5
TIMESTAMP = "2026-01-05T10:00:00.000000+00:00"

_ids = itertools.count(1_200_000_000_000_000_000)


def snowflake() -> str:
    """A fresh id."""
    return str(next(_ids))


def user(user_id: str = USER_ID, name: str = "Mason") -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name,
        "avatar": None,
        "discriminator": "0",
        "public_flags": 0,
    }


def bot_user() -> dict[str, Any]:
    return {
        **user(BOT_ID, "Parley"),
        "bot": True,
        "verified": True,
        "flags": 0,
        "mfa_enabled": True,
    }


def application() -> dict[str, Any]:
    return {
        "id": APPLICATION_ID,
        "name": "Parley",
        "icon": None,
        "description": "Test",
        "bot_public": True,
        "bot_require_code_grant": False,
        "flags": 0,
        "verify_key": "0" * 64,
        "owner": user("172150183260323840", "owner"),
        "team": None,
        "interactions_endpoint_url": None,
        "summary": "",
    }


def role(role_id: str, name: str, permissions: int = 0, position: int = 0) -> dict[str, Any]:
    return {
        "id": role_id,
        "name": name,
        "color": 0,
        "hoist": False,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def text_channel() -> dict[str, Any]:
    return {
        "id": CHANNEL_ID,
        "guild_id": GUILD_ID,
        "name": "general",
        "type": 0,
        "position": 0,
        "permission_overwrites": [],
        "rate_limit_per_user": 0,
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "parent_id": None,
    }


def thread() -> dict[str, Any]:
    return {
        "id": THREAD_ID,
        "guild_id": GUILD_ID,
        "parent_id": CHANNEL_ID,
        "owner_id": USER_ID,
        "name": "side talk",
        "type": 11,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": False,
        },
    }


def guild() -> dict[str, Any]:
    """GUILD_CREATE data: the documented guild object plus channels and roles."""
    return {
        "id": GUILD_ID,
        "name": "Parley Testers",
        "icon": None,
        "description": None,
        "splash": None,
        "discovery_splash": None,
        "features": [],
        "emojis": [],
        "stickers": [],
        "banner": None,
        "owner_id": "73193882359173120",
        "application_id": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "system_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 1,
        "mfa_level": 0,
        "explicit_content_filter": 0,
        "premium_tier": 0,
        "system_channel_flags": 0,
        "preferred_locale": "en-US",
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "roles": [role(GUILD_ID, "@everyone"), role(MOD_ROLE_ID, "Mods", position=1)],
        "channels": [text_channel()],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "member_count": 2,
        "large": False,
        "unavailable": False,
        "joined_at": TIMESTAMP,
    }


def member(
    permissions: int = 0, roles: tuple[str, ...] = (), name: str = "Mason"
) -> dict[str, Any]:
    return {
        "user": user(name=name),
        "roles": list(roles),
        "premium_since": None,
        "permissions": str(permissions),
        "pending": False,
        "nick": None,
        "mute": False,
        "deaf": False,
        "joined_at": "2017-03-13T19:19:14.040000+00:00",
        "flags": 0,
        "avatar": None,
    }


def message(
    message_id: str,
    *,
    channel_id: str = CHANNEL_ID,
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    flags: int = 0,
) -> dict[str, Any]:
    return {
        "id": message_id,
        "channel_id": channel_id,
        "type": 0,
        "content": "",
        "tts": False,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "pinned": False,
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "embeds": embeds or [],
        "components": components or [],
        "attachments": [],
        "flags": flags,
        "author": bot_user(),
    }


def attachment(url: str, filename: str, size: int, content_type: str) -> dict[str, Any]:
    """A resolved attachment, as in `data.resolved.attachments`."""
    return {
        "id": snowflake(),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def _interaction(
    kind: int,
    data: dict[str, Any],
    *,
    locale: str,
    permissions: int,
    roles: tuple[str, ...],
    dm: bool,
    in_thread: bool = False,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "version": 1,
        "type": kind,
        "id": snowflake(),
        "application_id": APPLICATION_ID,
        "token": f"itoken{snowflake()}",
        "locale": locale,
        "data": data,
        "app_permissions": "442368",
        "attachment_size_limit": 10_485_760,
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID} if not dm else {"1": USER_ID},
        "context": 1 if dm else 0,
    }
    if dm:
        channel = {"id": "1100000000000000099", "type": 1, "recipients": [user()]}
        payload |= {"user": user(), "channel": channel, "channel_id": channel["id"]}
    else:
        payload |= {
            "guild_id": GUILD_ID,
            "guild_locale": "en-US",
            "guild": {"id": GUILD_ID, "locale": "en-US", "features": []},
            "member": member(permissions, roles),
            "channel": thread() if in_thread else text_channel(),
            "channel_id": THREAD_ID if in_thread else CHANNEL_ID,
        }
    return payload


def slash(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    subcommand: str | None = None,
    locale: str = "en-US",
    permissions: int = 0,
    roles: tuple[str, ...] = (),
    dm: bool = False,
    in_thread: bool = False,
    upload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A CHAT_INPUT interaction for `/name [subcommand] option:value…` (+ an uploaded file)."""
    typed: list[dict[str, Any]] = [
        {"type": 4 if isinstance(value, int) else 3, "name": key, "value": value}
        for key, value in (options or {}).items()
    ]
    data: dict[str, Any] = {"id": snowflake(), "type": 1, "name": name}
    if upload is not None:
        typed.append({"type": 11, "name": "file", "value": upload["id"]})
        data["resolved"] = {"attachments": {upload["id"]: upload}}
    if subcommand is not None:
        typed = [{"type": 1, "name": subcommand, "options": typed}]
    data["options"] = typed
    return _interaction(
        2, data, locale=locale, permissions=permissions, roles=roles, dm=dm, in_thread=in_thread
    )


def press(
    custom_id: str,
    message_id: str,
    *,
    flags: int = 0,
    locale: str = "en-US",
    permissions: int = 0,
) -> dict[str, Any]:
    """A button press on message `message_id` holding a button with `custom_id`."""
    row = {"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": custom_id}]}
    data = {"custom_id": custom_id, "component_type": 2}
    payload = _interaction(3, data, locale=locale, permissions=permissions, roles=(), dm=False)
    payload["message"] = message(message_id, components=[row], flags=flags)
    return payload


def autocomplete(
    name: str,
    focused: str,
    typed: str,
    options: dict[str, Any] | None = None,
    *,
    subcommand: str | None = None,
    integer: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND_AUTOCOMPLETE interaction: `focused` is being typed (`typed` so far,
    always text, also in an integer option) with the other `options` already filled in."""
    payload = slash(name, {**(options or {}), focused: typed}, subcommand=subcommand, **extra)
    payload["type"] = 4
    listed = payload["data"]["options"]
    if subcommand is not None:
        listed = listed[0]["options"]
    for option in listed:
        if option["name"] == focused:
            option["focused"] = True
            option["type"] = 4 if integer else 3
    return payload


def message_command(name: str, target: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A MESSAGE context-menu command `name` on the message `target` (resolved, as Discord
    sends it: no message-content intent needed)."""
    data = {
        "id": snowflake(),
        "type": 3,
        "name": name,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    return _interaction(2, data, dm=False, **_person(**extra))


def member_message(content: str, embeds: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A message a member wrote in the channel."""
    return {**message(snowflake(), embeds=embeds), "content": content, "author": user()}


def form_submit(custom_id: str, fields: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A MODAL_SUBMIT of a form: each field in a label, as Discord sends text inputs and
    (for a field written `select:VALUE`) string selects."""
    components = []
    for number, (name, value) in enumerate(fields.items(), start=1):
        if value.startswith("select:"):
            inner = {"type": 3, "id": number * 2, "custom_id": name, "values": [value[7:]]}
        else:
            inner = {"type": 4, "id": number * 2, "custom_id": name, "value": value}
        components.append({"type": 18, "id": number * 2 - 1, "component": inner})
    data = {"custom_id": custom_id, "components": components}
    return _interaction(5, data, dm=False, **_person(**extra))


def _person(
    *, locale: str = "en-US", permissions: int = 0, roles: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {"locale": locale, "permissions": permissions, "roles": roles}
