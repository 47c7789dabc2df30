"""`/settings`: a chat's language, time zone, moderator role, rate limit and feature switches."""

from __future__ import annotations

import re
from typing import cast

from bot.commands import Registry
from bot.config import Settings
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Locale
from bot.reply import Fields, Paragraph, Reply
from storage.chat_settings import ChatSettingsRepository

from . import texts
from .when import zone_named

_ROLE = re.compile(r"^(?:<@&(\d{1,20})>|(\d{1,20}))$")
_POLL_CREATORS = {
    "moderators": texts.POLL_CREATORS_MODERATORS,
    "everyone": texts.POLL_CREATORS_EVERYONE,
    None: texts.POLL_CREATORS_EVERYONE,
}


class ChatSettingsCommands:
    """Handlers for the `/settings` commands."""

    def __init__(
        self, repository: ChatSettingsRepository, defaults: Settings, registry: Registry
    ) -> None:
        self._repository = repository
        self._defaults = defaults
        self._registry = registry

    @property
    def features(self) -> tuple[str, ...]:
        """The switchable features, from the commands' declarations."""
        return tuple(sorted({s.feature for s in self._registry.commands() if s.feature}))

    async def show(self, ctx: Context) -> Reply:
        """Every setting of this chat with its effective value."""
        current = ctx.settings
        not_set = ctx.t(texts.NOT_SET)
        language = current.language or ctx.t(texts.AUTO_LANGUAGE)
        rate = (
            ctx.t(texts.RATE_VALUE, n=_number(current.rate_limit_per_minute))
            if current.rate_limit_per_minute
            else ctx.t(texts.RATE_DEFAULT, n=_number(self._defaults.rate_limit_per_minute))
        )
        off, on = ctx.t(texts.FEATURE_OFF), ctx.t(texts.FEATURE_ON)
        switches = ", ".join(
            f"{name} {off if name in current.disabled_features else on}" for name in self.features
        )
        pairs = (
            (ctx.t(texts.SETTING_LANGUAGE), language),
            (ctx.t(texts.SETTING_TIMEZONE), current.timezone or f"UTC ({not_set})"),
            (ctx.t(texts.SETTING_MODROLE), current.moderator_role_id or not_set),
            (ctx.t(texts.SETTING_RATE), rate),
            (ctx.t(texts.SETTING_POLL_CREATORS), ctx.t(_POLL_CREATORS[current.poll_creators])),
            (ctx.t(texts.SETTING_FEATURES), switches),
        )
        return Reply(
            title=ctx.t(texts.SETTINGS_TITLE),
            blocks=(Fields(pairs), Paragraph(ctx.t(texts.SETTINGS_HINT))),
        )

    async def language(self, ctx: Context, language: str) -> Reply:
        """Set the language, or `auto` to follow each person's app."""
        if language == "auto":
            await self._repository.set_language(ctx.chat, None, ctx.clock.now())
            return Reply.text(ctx.t(texts.LANGUAGE_CLEARED))
        chosen = cast(Locale, language)
        await self._repository.set_language(ctx.chat, chosen, ctx.clock.now())
        return Reply.text(texts.LANGUAGE_SET.render(chosen))

    async def timezone(self, ctx: Context, zone: str) -> Reply:
        """Set the IANA time zone used to read and show schedule times."""
        tz = zone_named(zone)
        await self._repository.set_timezone(ctx.chat, tz.key, ctx.clock.now())
        local = ctx.clock.now().astimezone(tz).strftime("%Y-%m-%d %H:%M")
        return Reply.text(ctx.t(texts.TIMEZONE_SET, zone=tz.key, local=local))

    async def moderator_role(self, ctx: Context, role: str) -> Reply:
        """Set (Discord) the role whose members count as moderators here; `none` clears it."""
        if ctx.chat.platform == "telegram":
            raise UserError(texts.MODROLE_UNSUPPORTED)
        if role.lower() == "none":
            await self._repository.set_moderator_role(ctx.chat, None, ctx.clock.now())
            return Reply.text(ctx.t(texts.MODROLE_CLEARED))
        match = _ROLE.match(role.strip())
        if match is None:
            raise UserError(texts.MODROLE_BAD, role=role[:40])
        role_id = match.group(1) or match.group(2)
        await self._repository.set_moderator_role(ctx.chat, role_id, ctx.clock.now())
        return Reply.text(ctx.t(texts.MODROLE_SET))

    async def rate_limit(self, ctx: Context, per_minute: int) -> Reply:
        """Set commands per minute per member; 0 restores the default."""
        value = float(per_minute) if per_minute else None
        await self._repository.set_rate_limit(ctx.chat, value, ctx.clock.now())
        if value is None:
            return Reply.text(ctx.t(texts.RATE_CLEARED))
        return Reply.text(ctx.t(texts.RATE_SET, n=per_minute))

    async def poll_creators(self, ctx: Context, who: str) -> Reply:
        """Let only moderators, or everyone (the default), start polls here."""
        await self._repository.set_poll_creators(ctx.chat, who, ctx.clock.now())
        return Reply.text(ctx.t(texts.POLL_CREATORS_SET, who=ctx.t(_POLL_CREATORS[who])))

    async def feature(self, ctx: Context, feature: str, state: str) -> Reply:
        """Switch a feature on or off in this chat."""
        if feature not in self.features:
            raise UserError(
                texts.UNKNOWN_FEATURE, feature=feature[:40], features=", ".join(self.features)
            )
        enabled = state == "on"
        await self._repository.set_feature_enabled(ctx.chat, feature, enabled, ctx.clock.now())
        label = ctx.t(texts.FEATURE_ON if enabled else texts.FEATURE_OFF)
        return Reply.text(ctx.t(texts.FEATURE_SET, feature=feature, state=label))


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"
