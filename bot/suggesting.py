"""Answering what to suggest for a parameter, with the router's own rules (see `bot.suggestions`).

The feature switch, the command's role and the authority over each suggested object apply
exactly as for the command; typing draws on a rate bucket of its own.
"""

from __future__ import annotations

import logging

from bot.authority import Authority, RefusedError
from bot.commands import CommandSpec, Registry, Role
from bot.context import chat_locale, moderator_check
from bot.i18n import Locale
from bot.invocation import Invocation
from bot.ratelimit import Allowance, RateLimiter
from bot.suggestions import SUGGESTION_LIMIT, TYPED_LIMIT, Suggester, Suggestion
from storage.chat_settings import ChatSettingsRepository

log = logging.getLogger("parley.suggestions")


TYPING = (Allowance("suggest", per_minute=120.0, burst=40.0),)
"""Suggestions have a bucket of their own: typing never uses up a person's commands."""


class Suggestions:
    """Answers what to suggest for a command's parameter, as the router would allow it."""

    def __init__(
        self,
        registry: Registry,
        authority: Authority,
        limiter: RateLimiter,
        chat_settings: ChatSettingsRepository,
        default_locale: Locale,
    ) -> None:
        self._registry = registry
        self._authority = authority
        self._limiter = limiter
        self._chat_settings = chat_settings
        self._default_locale = default_locale

    def offered(self, spec: CommandSpec, param: str) -> bool:
        """Whether `param` of `spec` has suggestions (for the platform's command schema)."""
        if any(name == param for name, _ in spec.suggestions):
            return True
        return any(
            guard.param == param and isinstance(self._authority.custodian(guard.kind), Suggester)
            for guard in spec.guards
        )

    async def suggest(self, invocation: Invocation, param: str, typed: str) -> list[Suggestion]:
        """What to offer `invocation`'s person for `param` so far; none when refused or broken."""
        spec = self._registry.command(invocation.split_path)
        if spec is None or not self.offered(spec, param):
            return []
        try:
            return await self._suggest(invocation, spec, param, typed[:TYPED_LIMIT])
        except Exception:
            log.exception("event=suggest_failed command=%s param=%s", spec.path, param)
            return []

    async def _suggest(
        self, invocation: Invocation, spec: CommandSpec, param: str, typed: str
    ) -> list[Suggestion]:
        chat, actor = invocation.chat, invocation.actor
        settings = await self._chat_settings.get(chat)
        if spec.feature in settings.disabled_features:
            return []
        moderator = moderator_check(settings, actor)
        if spec.role is Role.MODERATOR and not await moderator():
            return []
        if self._limiter.acquire(actor.key, TYPING) > 0:
            return []
        locale = chat_locale(settings, actor, self._default_locale)
        guard = next((guard for guard in spec.guards if guard.param == param), None)
        source = dict(spec.suggestions).get(param)
        if source is None and guard is not None:
            custodian = self._authority.custodian(guard.kind)
            source = custodian.suggest if isinstance(custodian, Suggester) else None
        if source is None:
            return []
        offered: list[Suggestion] = []
        for suggestion in (await source(chat, typed, locale, SUGGESTION_LIMIT))[:SUGGESTION_LIMIT]:
            if guard is not None:
                try:
                    await self._authority.authorize(
                        guard, suggestion.value, actor=actor, chat=chat, moderator=moderator
                    )
                except RefusedError:
                    continue
            offered.append(suggestion.shortened())
        return offered
