"""Command and button-action declarations, and the registry they are collected in.

A feature declares each command once; parsing, `/help`, usage errors and the Discord and
Telegram registrations are all derived from these declarations.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.authority import Guard
from bot.i18n import Localized
from bot.params import ChoiceParam, IntParam, Param, TextParam
from bot.ratelimit import Budget

if TYPE_CHECKING:
    from bot.reply import Reply

Handler = Callable[..., Awaitable["Reply | None"]]

_COMMAND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ACTION_NAME = re.compile(r"^[a-z][a-z0-9_.]{0,23}$")
DESCRIPTION_LIMIT = 100  # Discord's limit for command and option descriptions


class Role(StrEnum):
    """Who may run a command or press a button."""

    MEMBER = "member"
    MODERATOR = "moderator"


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandSpec:
    """A chat command: `/name [subcommand] args...`."""

    name: str
    description: Localized
    handler: Handler
    params: tuple[Param, ...] = ()
    subcommand: str | None = None
    role: Role = Role.MEMBER
    slow: bool = False
    accepts_attachment: bool = False
    feature: str | None = None
    """The switchable feature this command belongs to (moderators can turn it off per chat)."""
    audited: bool = True
    """Whether a moderator's use is written to the audit log (off for commands that only read)."""
    group_default: str = "show"
    """Where platforms with strict command groups (Discord) put this root command when the
    name also has subcommands: `/poll` becomes `/poll create` if this is `create`."""
    guards: tuple[Guard, ...] = ()
    """The parameters that name stored objects, checked by the core before the handler runs."""
    budget: Budget = Budget.COMMAND
    """The rate-limit bucket a use takes its token from."""

    @property
    def path(self) -> str:
        """`name` or `name subcommand`."""
        return f"{self.name} {self.subcommand}" if self.subcommand else self.name

    def usage(self) -> str:
        """The command line form, e.g. `/summary [length] [language]`."""
        parts = [f"/{self.path}"]
        for param in self.params:
            label = f"{param.name}…" if isinstance(param, TextParam) and param.rest else param.name
            parts.append(f"<{label}>" if param.required else f"[{label}]")
        return " ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionSpec:
    """A button action; its parameters travel in the button payload (see `bot.buttons`)."""

    name: str
    handler: Handler
    params: tuple[IntParam | ChoiceParam | TextParam, ...] = ()
    role: Role = Role.MEMBER
    slow: bool = False
    feature: str | None = None
    guards: tuple[Guard, ...] = ()
    """The parameters that name stored objects, checked by the core before the handler runs."""
    personal: bool = False
    """Only the person the button was made for may press it (the core seals its payload)."""
    budget: Budget = Budget.COMMAND
    """The rate-limit bucket a press takes its token from."""


class RegistryError(ValueError):
    """A declaration that breaks the rules (a bug in a feature, found at start-up)."""


class Registry:
    """All commands and actions, checked when they are added."""

    def __init__(self) -> None:
        self._commands: dict[str, CommandSpec] = {}
        self._actions: dict[str, ActionSpec] = {}

    def add_command(self, spec: CommandSpec) -> None:
        """Register a command; duplicates and malformed declarations fail loudly."""
        for part in filter(None, (spec.name, spec.subcommand)):
            if not _COMMAND_NAME.match(part):
                raise RegistryError(f"bad command name {part!r}")
        if spec.path in self._commands:
            raise RegistryError(f"duplicate command /{spec.path}")
        _check_description(f"/{spec.path}", spec.description)
        for index, param in enumerate(spec.params):
            _check_description(f"/{spec.path} {param.name}", param.description)
            if isinstance(param, TextParam) and param.rest and index != len(spec.params) - 1:
                raise RegistryError(f"/{spec.path}: only the last parameter may take the rest")
        _check_guards(f"/{spec.path}", spec.guards, spec.params)
        self._commands[spec.path] = spec

    def add_action(self, spec: ActionSpec) -> None:
        """Register a button action."""
        if not _ACTION_NAME.match(spec.name):
            raise RegistryError(f"bad action name {spec.name!r}")
        if spec.name in self._actions:
            raise RegistryError(f"duplicate action {spec.name}")
        _check_guards(spec.name, spec.guards, spec.params)
        self._actions[spec.name] = spec

    def guarded_kinds(self) -> set[str]:
        """Every kind of object some command or action names."""
        specs: list[CommandSpec | ActionSpec] = [*self._commands.values(), *self._actions.values()]
        return {guard.kind for spec in specs for guard in spec.guards}

    def resolve(self, name: str, text: str) -> tuple[CommandSpec, str] | None:
        """Find the command for `/name text`, preferring a matching subcommand."""
        name = name.lower()
        first, _, remainder = text.strip().partition(" ")
        if first:
            spec = self._commands.get(f"{name} {first.lower()}")
            if spec is not None:
                return spec, remainder
        spec = self._commands.get(name)
        return (spec, text) if spec is not None else None

    def command(self, path: str) -> CommandSpec | None:
        """The command at `name` or `name subcommand`."""
        return self._commands.get(path)

    def action(self, name: str) -> ActionSpec | None:
        """The action called `name`."""
        return self._actions.get(name)

    def commands(self) -> list[CommandSpec]:
        """Every command, in a stable order."""
        return sorted(self._commands.values(), key=lambda spec: spec.path)

    def visible_to(self, is_moderator: bool) -> list[CommandSpec]:
        """The commands a member (or a moderator) may run."""
        return [s for s in self.commands() if is_moderator or s.role is Role.MEMBER]

    def has_group(self, name: str) -> bool:
        """Whether `name` has subcommands."""
        return any(s.name == name and s.subcommand for s in self._commands.values())


def register_all(
    registry: Registry, commands: Iterable[CommandSpec], actions: Iterable[ActionSpec]
) -> None:
    """Add a feature's declarations to the registry."""
    for command in commands:
        registry.add_command(command)
    for action in actions:
        registry.add_action(action)


def _check_guards(where: str, guards: tuple[Guard, ...], params: tuple[Param, ...]) -> None:
    names = {param.name for param in params}
    for guard in guards:
        if guard.param not in names:
            raise RegistryError(f"{where}: guard on {guard.param!r}, which is not a parameter")


def _check_description(where: str, text: Localized) -> None:
    for value in (text.en, text.zh):
        if len(value) > DESCRIPTION_LIMIT:
            raise RegistryError(f"{where}: description over {DESCRIPTION_LIMIT} characters")
