"""Command and button-action declarations, and the registry they are collected in.

A feature declares each command once; parsing, `/help`, usage errors and the Discord and
Telegram registrations are all derived from these declarations.
"""

from __future__ import annotations

import builtins
import inspect
import re
import types
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.actions import Action
from bot.authority import Guard
from bot.i18n import Localized
from bot.params import ChoiceParam, DurationParam, IntParam, Param, TextParam
from bot.ratelimit import Budget
from bot.suggestions import SuggestionSource

if TYPE_CHECKING:
    from bot.reply import Answer

Handler = Callable[..., Awaitable["Answer | None"]]

_COMMAND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
DESCRIPTION_LIMIT = 100  # Discord's limit for command and option descriptions
_VALUE_TYPES: dict[type[Param], type] = {
    IntParam: int,
    TextParam: str,
    ChoiceParam: str,
    DurationParam: timedelta,
}
_BUILTIN_NAMES = frozenset(dir(builtins))
_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


MENU_NAME_LIMIT = 32  # Discord's limit for a context-menu command's name


@dataclass(frozen=True, slots=True)
class MessageAction:
    """A command offered on a message (Discord's message context menu).

    The message's text fills the text parameter `param`; with `form`, a form (Discord's modal)
    opens first, holding that text to edit and the command's other parameters to choose.
    """

    name: Localized
    param: str
    form: bool = False


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
    aliases: tuple[str, ...] = ()
    """Other words for the subcommand (Chinese forms): `/poll 列表` runs `/poll list`."""
    role: Role = Role.MEMBER
    slow: bool = False
    accepts_attachment: bool = False
    feature: str | None = None
    """The switchable feature this command belongs to (moderators can turn it off per chat)."""
    audited: bool = True
    """Whether a moderator's use is written to the audit log (off for commands that only read)."""
    audit_every_use: bool = False
    """Whether every successful use is audited, not only moderators' (a change others rely on,
    such as a poll's deadline, made by its creator or, on an open poll, by any member)."""
    group_default: str = "show"
    """Where platforms with strict command groups (Discord) put this root command when the
    name also has subcommands: `/poll` becomes `/poll create` if this is `create`."""
    guards: tuple[Guard, ...] = ()
    """The parameters that name stored objects, checked by the core before the handler runs."""
    budget: Budget = Budget.COMMAND
    """The rate-limit bucket a use takes its token from."""
    on_message: MessageAction | None = None
    """Offer the command on messages, their text filling one parameter."""
    form_param: str | None = None
    """The text parameter better written in a form: where the platform has forms (Discord),
    leaving it out opens one."""
    panel: bool = False
    """A moderator panel: every answer is for the invoker alone (`Reply.confidential`)."""
    suggestions: tuple[tuple[str, SuggestionSource], ...] = ()
    """What to suggest while a parameter is typed, when it names no stored object (whose
    custodian suggests); see `bot.suggestions`."""

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
    """A button action; its press travels in the button payload (see `bot.actions`)."""

    payload: type[Action]
    """The press's class: its fields travel in the payload, its `name` names the action."""
    handler: Handler
    """Takes the context and one press: `async (ctx, press: ThatClass)`."""
    role: Role = Role.MEMBER
    slow: bool = False
    feature: str | None = None
    guards: tuple[Guard, ...] = ()
    """The parameters that name stored objects, checked by the core before the handler runs."""
    personal: bool = False
    """Only the person the button was made for may press it (the core seals its payload)."""
    budget: Budget = Budget.COMMAND
    """The rate-limit bucket a press takes its token from."""
    audit: Localized | None = None
    """How `/audit` names a press ("rejected argument #{argument_id}"; the press's fields fill
    the placeholders); without it, the action's name."""
    panel: bool = False
    """Part of a moderator panel (its pages and buttons): every answer is for the presser alone."""

    @property
    def name(self) -> str:
        """The action's name, given by its payload class."""
        return self.payload.action_name


class RegistryError(ValueError):
    """A declaration that breaks the rules (a bug in a feature, found at start-up)."""


class Registry:
    """All commands and actions, checked when they are added."""

    def __init__(self) -> None:
        self._commands: dict[str, CommandSpec] = {}
        self._aliases: dict[str, str] = {}
        self._actions: dict[str, ActionSpec] = {}

    def add_command(self, spec: CommandSpec) -> None:
        """Register a command; duplicates and malformed declarations fail loudly."""
        for part in filter(None, (spec.name, spec.subcommand)):
            if not _COMMAND_NAME.match(part):
                raise RegistryError(f"bad command name {part!r}")
        if spec.path in self._commands or spec.path in self._aliases:
            raise RegistryError(f"duplicate command /{spec.path}")
        _check_description(f"/{spec.path}", spec.description)
        for index, param in enumerate(spec.params):
            _check_description(f"/{spec.path} {param.name}", param.description)
            if isinstance(param, TextParam) and param.rest and index != len(spec.params) - 1:
                raise RegistryError(f"/{spec.path}: only the last parameter may take the rest")
        _check_guards(f"/{spec.path}", spec.guards, spec.params)
        _check_suggested(f"/{spec.path}", spec)
        _check_text_params(f"/{spec.path}", spec)
        _check_signature(f"/{spec.path}", spec.handler, spec.params)
        aliases = {f"{spec.name} {alias}": spec.path for alias in spec.aliases}
        for alias in aliases:
            taken = alias in self._commands or alias in self._aliases
            if not spec.subcommand or taken or alias != " ".join(alias.lower().split()):
                raise RegistryError(
                    f"/{spec.path}: alias /{alias} is taken, has no subcommand or cannot be typed"
                )
        self._commands[spec.path] = spec
        self._aliases.update(aliases)

    def add_action(self, spec: ActionSpec) -> None:
        """Register a button action (its payload class has checked its name)."""
        if spec.name in self._actions:
            raise RegistryError(f"duplicate action {spec.name}")
        _check_fields(spec.name, spec.guards, spec.payload)
        _check_press_signature(spec.name, spec.handler, spec.payload)
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
            spec = self.command(f"{name} {first.lower()}")
            if spec is not None:
                return spec, remainder
        spec = self._commands.get(name)
        return (spec, text) if spec is not None else None

    def command(self, path: str) -> CommandSpec | None:
        """The command at `name` or `name subcommand` (or one of the subcommand's aliases)."""
        return self._commands.get(self._aliases.get(path, path))

    def action(self, name: str) -> ActionSpec | None:
        """The action called `name`."""
        return self._actions.get(name)

    def commands(self) -> list[CommandSpec]:
        """Every command, in a stable order."""
        return sorted(self._commands.values(), key=lambda spec: spec.path)

    def actions(self) -> list[ActionSpec]:
        """Every button action, in a stable order."""
        return sorted(self._actions.values(), key=lambda spec: spec.name)

    def visible_to(self, is_moderator: bool) -> list[CommandSpec]:
        """The commands a member (or a moderator) may run."""
        return [s for s in self.commands() if is_moderator or s.role is Role.MEMBER]

    def subcommands(self, name: str, is_moderator: bool) -> list[CommandSpec]:
        """The subcommands of `name` a member (or a moderator) may run."""
        return [s for s in self.visible_to(is_moderator) if s.name == name and s.subcommand]

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


def _check_suggested(where: str, spec: CommandSpec) -> None:
    """What a command suggests, it suggests for one of its own parameters (else never)."""
    names = {param.name for param in spec.params}
    for name, _ in spec.suggestions:
        if name not in names:
            raise RegistryError(f"{where}: suggestions for {name!r}, which is not a parameter")


def _check_text_params(where: str, spec: CommandSpec) -> None:
    """A message action's and a form's parameter are text parameters of the command."""
    texts = {param.name for param in spec.params if isinstance(param, TextParam)}
    named = [spec.form_param] if spec.form_param else []
    if spec.on_message is not None:
        named.append(spec.on_message.param)
        for name in (spec.on_message.name.en, spec.on_message.name.zh):
            if not 0 < len(name) <= MENU_NAME_LIMIT:
                raise RegistryError(f"{where}: message action name over {MENU_NAME_LIMIT}")
    for name in named:
        if name not in texts:
            raise RegistryError(f"{where}: {name!r} is not a text parameter")


def _check_fields(where: str, guards: tuple[Guard, ...], payload: type[Action]) -> None:
    names = {name for name, _, _ in payload.payload_fields}
    for guard in guards:
        if guard.param not in names:
            raise RegistryError(
                f"{where}: guard on {guard.param!r}, which is not a field of {payload.__qualname__}"
            )


def _check_press_signature(where: str, handler: Handler, payload: type[Action]) -> None:
    """The handler takes the context, then the press: one parameter of exactly `payload`."""
    name = getattr(handler, "__qualname__", repr(handler))
    wanted = f"{where}: handler {name} must take (ctx, press: {payload.__qualname__})"
    try:
        listed = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError) as error:
        raise RegistryError(f"{where}: handler {name} has no readable signature") from error
    required = [p for p in listed[2:] if p.default is inspect.Parameter.empty]
    if len(listed) < 2 or any(p.kind not in _POSITIONAL for p in listed[:2]) or required:
        raise RegistryError(wanted)
    press = listed[1]
    hint = _type_hints(handler).get(press.name, press.annotation)
    if hint is not payload:
        raise RegistryError(f"{wanted}, not {press.name}: {getattr(hint, '__qualname__', hint)}")


def _check_description(where: str, text: Localized) -> None:
    for value in (text.en, text.zh):
        if len(value) > DESCRIPTION_LIMIT:
            raise RegistryError(f"{where}: description over {DESCRIPTION_LIMIT} characters")


def _check_signature(where: str, handler: Handler, params: tuple[Param, ...]) -> None:
    """The handler takes the context first, then exactly the declared parameters by name."""
    name = getattr(handler, "__qualname__", repr(handler))
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError) as error:
        raise RegistryError(f"{where}: handler {name} has no readable signature") from error
    listed = list(signature.parameters.values())
    if not listed or listed[0].kind not in _POSITIONAL:
        raise RegistryError(f"{where}: handler {name} must take the context as its first parameter")
    parameters = {parameter.name: parameter for parameter in listed[1:]}
    hints = _type_hints(handler)
    for param in params:
        if param.name in _BUILTIN_NAMES:
            raise RegistryError(f"{where}: parameter {param.name!r} is named after a builtin")
        parameter = parameters.pop(param.name, None)
        if parameter is None or parameter.kind not in _NAMED:
            raise RegistryError(f"{where}: handler {name} has no parameter {param.name!r}")
        hint = hints.get(param.name, parameter.annotation)
        _check_parameter(
            f"{where}: parameter {param.name!r} of handler {name}",
            param,
            hint,
            has_default=parameter.default is not inspect.Parameter.empty,
        )
    for parameter in parameters.values():
        if parameter.default is inspect.Parameter.empty and parameter.kind in _NAMED:
            raise RegistryError(
                f"{where}: handler {name} requires {parameter.name!r}, which is not declared"
            )


def _check_parameter(where: str, param: Param, hint: object, *, has_default: bool) -> None:
    """Required matches required, and the annotation is the declared value type."""
    options = _union_members(hint)
    admits_none = type(None) in options
    if param.required and (has_default or admits_none):
        raise RegistryError(f"{where}: declared required but the handler makes it optional")
    if not param.required and param.default is None and not (has_default or admits_none):
        raise RegistryError(f"{where}: declared optional but the handler requires it")
    expected = _VALUE_TYPES.get(type(param))
    if expected is None:
        return
    if param.default is not None and not isinstance(param.default, expected):
        raise RegistryError(f"{where}: declared {expected.__name__} with a default of another type")
    if hint is inspect.Parameter.empty:
        return
    values = [option for option in options if option is not type(None)]
    if not values or not all(_is_value_type(option, expected) for option in values):
        raise RegistryError(f"{where}: declared {expected.__name__} but annotated {hint}")


def _union_members(hint: object) -> tuple[object, ...]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return typing.get_args(hint)
    return (hint,)


def _is_value_type(option: object, expected: type) -> bool:
    if typing.get_origin(option) is typing.Literal:
        return all(isinstance(value, expected) for value in typing.get_args(option))
    return option is expected


def _type_hints(handler: Handler) -> dict[str, object]:
    """The handler's resolved annotations (modules use `from __future__ import annotations`)."""
    try:
        return typing.get_type_hints(handler)
    except (NameError, TypeError) as error:
        name = getattr(handler, "__qualname__", repr(handler))
        raise RegistryError(f"handler {name}: its annotations do not resolve ({error})") from error
