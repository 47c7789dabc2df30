"""The discord.py client: every slash command and button press goes to the router.

Slash commands arrive through the command tree, button presses through `on_interaction`;
each gets a responder for its interaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.commands import CommandSpec
from bot.invocation import Invocation
from bot.reply import Reply
from bot.router import Router

from .forms import build_form, is_form_submit
from .menus import NO_TEXT, build_menus, message_text
from .outgoing import NO_MENTIONS
from .responder import InteractionResponder
from .shards import ShardPlan
from .slash import (
    ATTACHMENT_OPTION,
    SPEC_EXTRA,
    Autocomplete,
    ChineseTranslator,
    build_commands,
)
from .translate import attachment_of, chat_of, form_invocation, is_button_press, to_invocation

log = logging.getLogger("parley.discord")

REST_CONNECTIONS = 64
"""HTTP connections open at once to one host (Discord's REST API): discord.py's own connector
has no limit, so a burst of answers (a vote batch releases up to 2,000) opened thousands."""


def intents() -> discord.Intents:
    """The default intents without any privileged one: slash commands need no message content."""
    chosen = discord.Intents.default()
    chosen.message_content = False
    chosen.members = False
    chosen.presences = False
    return chosen


class ParleyClient(discord.Client):
    """A `discord.Client` whose every interaction goes through Parley's router."""

    def __init__(
        self,
        router: Router,
        *,
        guild_ids: Sequence[int] = (),
        guild_ready_timeout: float = 2.0,
        sync_commands: bool = True,
        seen: Callable[[discord.Interaction], None] | None = None,
        **options: Any,
    ) -> None:
        """`seen` hears each interaction first (the gateway keeps what it says of its channel).

        Made inside the running event loop (its HTTP connector belongs to that loop).
        """
        super().__init__(
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            connector=aiohttp.TCPConnector(limit=0, limit_per_host=REST_CONNECTIONS),
            **options,
        )
        self._router = router
        self._guild_ids = tuple(guild_ids)
        self._sync_commands = sync_commands
        self._seen = seen
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._on_tree_error)
        autocomplete = Autocomplete(router.suggestions.offered, self._suggest)
        for entry in build_commands(router.registry, self._run_command, autocomplete):
            self.tree.add_command(entry)
        for menu in build_menus(router.registry, self._run_on_message):
            self.tree.add_command(menu)

    async def setup_hook(self) -> None:
        """Register the slash commands with Discord (globally, or per configured guild).

        With several processes only the one running shard 0 does (the others skip it).
        """
        await self.tree.set_translator(ChineseTranslator())
        if not self._sync_commands:
            log.info("event=commands_sync_skipped reason=shard_0_runs_elsewhere")
            return
        try:
            if not self._guild_ids:
                synced = await self.tree.sync()
                log.info("event=commands_synced scope=global count=%d", len(synced))
            for guild_id in self._guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("event=commands_synced scope=guild:%d count=%d", guild_id, len(synced))
        except discord.HTTPException:
            log.exception("event=commands_sync_failed (the previous commands stay registered)")

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button presses and form submits (slash commands reach the tree on their own)."""
        if is_button_press(interaction):
            await self._handle(interaction, to_invocation(interaction))
        elif is_form_submit(interaction):
            await self._handle(interaction, form_invocation(interaction))

    async def _run_on_message(
        self, interaction: discord.Interaction, spec: CommandSpec, message: discord.Message
    ) -> None:
        """A message command: the message's text fills the action's parameter (or its form)."""
        action = spec.on_message
        text = message_text(message)
        if action is None or not text:
            responder = InteractionResponder(interaction, chat_of(interaction)[0])
            locale = await self._router.admit(to_invocation(interaction, spec, {}), responder)
            if locale is not None:
                await responder.reply(Reply.text(NO_TEXT.render(locale), private=True))
        elif action.form:
            await self._open_form(interaction, spec, {action.param: text})
        else:
            await self._handle(interaction, to_invocation(interaction, spec, {action.param: text}))

    async def _run_command(
        self, interaction: discord.Interaction, spec: CommandSpec, options: Mapping[str, object]
    ) -> None:
        values = dict(options)
        if spec.form_param is not None and values.get(spec.form_param) is None:
            await self._open_form(interaction, spec, values)
            return
        upload = values.pop(ATTACHMENT_OPTION, None) if spec.accepts_attachment else None
        if not isinstance(upload, discord.Attachment):
            await self._handle(interaction, to_invocation(interaction, spec, values))
            return
        responder = InteractionResponder(interaction, chat_of(interaction)[0])
        await responder.signal_progress()  # downloading may take longer than Discord waits
        files = attachment_of(upload)
        await self._handle(interaction, to_invocation(interaction, spec, values, files), responder)

    async def _open_form(
        self, interaction: discord.Interaction, spec: CommandSpec, known: Mapping[str, object]
    ) -> None:
        """`spec`'s form, in the chat's language, once the core lets its person run it here."""
        responder = InteractionResponder(interaction, chat_of(interaction)[0])
        locale = await self._router.admit(to_invocation(interaction, spec, {}), responder)
        if locale is not None:
            await interaction.response.send_modal(build_form(spec, locale, known))

    async def _suggest(
        self, interaction: discord.Interaction, spec: CommandSpec, param: str, typed: str
    ) -> list[app_commands.Choice[Any]]:
        """Autocomplete: what the core suggests for `param`, as Discord choices."""
        invocation = to_invocation(interaction, spec, {})
        found = await self._router.suggestions.suggest(invocation, param, typed)
        return [app_commands.Choice(name=s.label, value=s.value) for s in found]

    async def _handle(
        self,
        interaction: discord.Interaction,
        invocation: Invocation,
        responder: InteractionResponder | None = None,
    ) -> None:
        responder = responder or InteractionResponder(interaction, invocation.chat)
        if self._seen is not None:
            self._seen(interaction)
        await self._router.dispatch(invocation, responder)
        try:
            await responder.finish()
        except discord.HTTPException:
            log.exception("event=interaction_finish_failed invocation=%r", invocation.label)

    async def _on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CommandNotFound) and not interaction.response.is_done():
            log.info("event=stale_slash_command name=%r", error.name)
            await self._handle(interaction, to_invocation(interaction))
            return
        spec = interaction.command.extras.get(SPEC_EXTRA) if interaction.command else None
        if (
            isinstance(error, app_commands.CommandSignatureMismatch)
            and isinstance(spec, CommandSpec)
            and not interaction.response.is_done()
        ):
            # Options from an older registration (e.g. a required one missing): the router
            # checks them against the declaration and answers with the command's usage.
            log.info("event=stale_slash_options command=%s", spec.path)
            await self._run_command(interaction, spec, dict(vars(interaction.namespace)))
            return
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("event=slash_command_failed command=%s", command, exc_info=error)


class ShardedParleyClient(ParleyClient, discord.AutoShardedClient):
    """A `ParleyClient` running some of the bot's gateway shards (`PARLEY_DISCORD_SHARDS`)."""

    def __init__(
        self,
        router: Router,
        shards: ShardPlan,
        *,
        guild_ids: Sequence[int] = (),
        guild_ready_timeout: float = 2.0,
        seen: Callable[[discord.Interaction], None] | None = None,
    ) -> None:
        super().__init__(
            router,
            guild_ids=guild_ids,
            guild_ready_timeout=guild_ready_timeout,
            sync_commands=shards.syncs_commands,
            seen=seen,
            shard_ids=list(shards.ids),
            shard_count=shards.count,
        )
