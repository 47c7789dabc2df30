"""`/settings`: a chat's language, time zone, moderator role, rate limit and feature switches."""

from __future__ import annotations

import re
from typing import cast

from bot.commands import Registry
from bot.config import Settings
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Locale, Localized, listed
from bot.params import ascii_int
from bot.reply import Fields, Paragraph, Reply
from bot.services import FeatureSet
from storage.chat_settings import ChatSettingsRepository

from . import texts
from .when import zone_named

_ROLE = re.compile(r"^(?:<@&(\d{1,20})>|(\d{1,20}))$")
_CLEAR_ROLE = frozenset({"none", "无", "清除"})
_DEFAULT_RATE = frozenset({"default", "默认"})
_MOST_PER_MINUTE = 120
_POLL_CREATORS = {
    "moderators": texts.POLL_CREATORS_MODERATORS,
    "everyone": texts.POLL_CREATORS_EVERYONE,
    None: texts.POLL_CREATORS_EVERYONE,
}
NO_ROLES = frozenset({"telegram", "console"})
"""Platforms whose people carry no roles: their chats' administrators are the moderators."""


class ChatSettingsCommands:
    """Handlers for the `/settings` commands."""

    def __init__(
        self,
        repository: ChatSettingsRepository,
        defaults: Settings,
        registry: Registry,
        features: FeatureSet,
    ) -> None:
        self._repository = repository
        self._defaults = defaults
        self._registry = registry
        self._features = features

    @property
    def features(self) -> tuple[str, ...]:
        """The switchable features: the commands' declarations and the features' own switches."""
        named = {s.feature for s in self._registry.commands() if s.feature}
        return tuple(sorted(named | set(self._features.switches())))

    async def show(self, ctx: Context) -> Reply:
        """Every setting of this chat with its effective value, in words, not codes."""
        current = ctx.settings
        language = (
            texts.LANGUAGE_NAMES[current.language] if current.language else texts.AUTO_LANGUAGE
        )
        if current.rate_limit_per_minute:
            rate = ctx.t(texts.RATE_VALUE, n=_number(current.rate_limit_per_minute))
        else:
            rate = ctx.t(texts.RATE_DEFAULT, n=self._default_rate)
        if ctx.chat.platform in NO_ROLES:
            role = ctx.t(texts.MODROLE_ELSEWHERE)
        else:
            role = current.moderator_role_id or ctx.t(texts.NOT_SET)
        off = current.disabled_features
        states = (
            ctx.t(texts.FEATURE_STATE, feature=self._label(name), state=_state(name not in off))
            for name in self.features
        )
        switches = listed(ctx.locale, states)
        pairs = (
            (ctx.t(texts.SETTING_LANGUAGE), ctx.t(language)),
            (ctx.t(texts.SETTING_TIMEZONE), current.timezone or ctx.t(texts.ZONE_NOT_SET)),
            (ctx.t(texts.SETTING_MODROLE), role),
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
        """Set the IANA time zone used to read and show times."""
        tz = zone_named(zone)
        await self._repository.set_timezone(ctx.chat, tz.key, ctx.clock.now())
        local = ctx.clock.now().astimezone(tz).strftime("%Y-%m-%d %H:%M")
        return Reply.text(ctx.t(texts.TIMEZONE_SET, zone=tz.key, local=local))

    async def moderator_role(self, ctx: Context, role: str) -> Reply:
        """Set (Discord) the role whose members count as moderators here; `none` clears it."""
        if ctx.chat.platform in NO_ROLES:
            raise UserError(texts.MODROLE_UNSUPPORTED)
        if role.strip().lower() in _CLEAR_ROLE:
            await self._repository.set_moderator_role(ctx.chat, None, ctx.clock.now())
            return Reply.text(ctx.t(texts.MODROLE_CLEARED))
        match = _ROLE.match(role.strip())
        if match is None:
            raise UserError(texts.MODROLE_BAD, role=role[:40])
        role_id = match.group(1) or match.group(2)
        await self._repository.set_moderator_role(ctx.chat, role_id, ctx.clock.now())
        return Reply.text(ctx.t(texts.MODROLE_SET))

    async def rate_limit(self, ctx: Context, per_minute: str) -> Reply:
        """Set commands per minute per member (1–120), or `default`; the limit is never off.

        `0` is refused rather than read as "off" or "default": a limit that cannot be switched
        off is what keeps one person's work bounded, and a number that silently meant the
        default surprised moderators.
        """
        word = per_minute.strip().lower()
        if word in _DEFAULT_RATE:
            await self._repository.set_rate_limit(ctx.chat, None, ctx.clock.now())
            return Reply.text(ctx.t(texts.RATE_CLEARED, n=self._default_rate))
        value = ascii_int(word)
        if value == 0:
            raise UserError(texts.RATE_NOT_OFF, n=self._default_rate)
        if value is None or value > _MOST_PER_MINUTE:
            raise UserError(texts.RATE_BAD, value=per_minute[:20])
        await self._repository.set_rate_limit(ctx.chat, float(value), ctx.clock.now())
        return Reply.text(ctx.t(texts.RATE_SET, n=value))

    async def poll_creators(self, ctx: Context, who: str) -> Reply:
        """Let only moderators, or everyone (the default), start polls here."""
        await self._repository.set_poll_creators(ctx.chat, who, ctx.clock.now())
        return Reply.text(ctx.t(texts.POLL_CREATORS_SET, who=ctx.t(_POLL_CREATORS[who])))

    async def feature(self, ctx: Context, feature: str, state: str) -> Reply:
        """Switch a feature on or off in this chat (named in English or Chinese)."""
        name = self._named(feature)
        if name is None:
            listing = Localized(
                listed("en", self.features),
                listed("zh", (f"{self._label(f).zh}（{f}）" for f in self.features)),
            )
            raise UserError(texts.UNKNOWN_FEATURE, feature=feature[:40], features=listing)
        enabled = state == "on"
        await self._repository.set_feature_enabled(ctx.chat, name, enabled, ctx.clock.now())
        template = texts.FEATURE_SWITCHED_ON if enabled else texts.FEATURE_SWITCHED_OFF
        return Reply.text(ctx.t(template, feature=self._label(name)))

    @property
    def _default_rate(self) -> str:
        return _number(self._defaults.rate_limit_per_minute)

    def _label(self, name: str) -> Localized:
        """What people call the feature `name` (`FeatureSet.label`)."""
        return self._features.label(name)

    def _named(self, typed: str) -> str | None:
        """The feature `typed` names, by its name or what it is called in either language."""
        word = typed.strip().lower()
        for name in self.features:
            label = self._label(name)
            if word in (name, label.en.lower(), label.zh):
                return name
        return None


def _state(on: bool) -> Localized:
    """A feature's state as `/settings` shows it."""
    return texts.FEATURE_ON if on else texts.FEATURE_OFF


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"
