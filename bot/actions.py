"""Typed button payloads: one small frozen class per action, used to make and to read a press.

```python
class PollVote(Action, name="poll.vote"):
    poll: Annotated[int, Range(1)]
    option: int
```

`PollVote(poll=1, option=0).encode()` is `v1:poll.vote:1:0`. Fields are integers, short ASCII
words, or a `StrEnum`; `Range`, `Words` and `MaxLength` narrow them. Each field is read with
the matching `bot.params` parameter, so a press is checked exactly like a typed argument.
Telegram allows 64 bytes of callback data and Discord 100 characters of custom_id: a payload
that cannot fit fails when it is made, and a forged or stale one is an expired button.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar, Self, dataclass_transform

from bot.errors import ExpiredButtonError, UsageError
from bot.i18n import Localized
from bot.params import ChoiceParam, IntParam, TextParam

VERSION = "v1"
MAX_PAYLOAD_BYTES = 64
MAX_WORD_CHARS = 40
_WORD = re.compile(r"^[A-Za-z0-9_\-.]{1,40}$")
_ACTION_NAME = re.compile(r"^[a-z][a-z0-9_.]{0,23}$")
_RESERVED = frozenset({"action_name", "payload_fields"})

FieldParam = IntParam | ChoiceParam | TextParam


@dataclass(frozen=True, slots=True)
class Range:
    """An integer field's bounds, both included (`Annotated[int, Range(1, 9)]`)."""

    low: int = 0
    high: int = 2**31 - 1


@dataclass(frozen=True, slots=True, init=False)
class Words:
    """A word field that must be one of `choices` (`Annotated[str, Words("zh", "en")]`)."""

    choices: tuple[str, ...]

    def __init__(self, *choices: str) -> None:
        object.__setattr__(self, "choices", choices)


@dataclass(frozen=True, slots=True)
class MaxLength:
    """A free word field's longest length (`Annotated[str, MaxLength(8)]`); 40 by default."""

    limit: int


@dataclass_transform(frozen_default=True, kw_only_default=True)
class Action:
    """A button press of the action `name`, given when subclassing; subclasses are dataclasses."""

    action_name: ClassVar[str]
    payload_fields: ClassVar[tuple[tuple[str, FieldParam, type[StrEnum] | None], ...]]
    """Each field's name, the parameter that reads it, and its enum when it has one."""

    def __init_subclass__(cls, *, name: str, **kwargs: object) -> None:
        """Make the subclass a frozen dataclass and derive a parameter for each field."""
        super().__init_subclass__(**kwargs)
        if not _ACTION_NAME.match(name):
            raise TypeError(f"{cls.__qualname__}: bad action name {name!r}")
        cls.action_name = name
        dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        cls.payload_fields = tuple(
            (field.name, *_field_param(cls, field.name, hints[field.name]))
            for field in dataclasses.fields(cls)  # type: ignore[arg-type]
        )

    def __post_init__(self) -> None:
        """Refuse values the payload could not carry or a press could not read back."""
        self.encode()

    def encode(self) -> str:
        """`v1:name:field:…`; raises ValueError for a value out of its limits or too long."""
        parts = [VERSION, self.action_name]
        for name, param, enum in self.payload_fields:
            value = getattr(self, name)
            parts.append(_field_text(type(self), name, param, enum, value))
        payload = ":".join(parts)
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload {payload!r} is over {MAX_PAYLOAD_BYTES} bytes")
        return payload

    @classmethod
    def decode(cls, payload: str) -> Self:
        """The press `payload` spells, or `ExpiredButtonError` when it is not one of this class."""
        if len(payload.encode(errors="replace")) > MAX_PAYLOAD_BYTES:
            raise ExpiredButtonError("payload too long")
        version, _, rest = payload.partition(":")
        name, *raw = rest.split(":")
        if version != VERSION or name != cls.action_name:
            raise ExpiredButtonError(f"not a {cls.action_name} payload")
        if len(raw) != len(cls.payload_fields) or not all(_WORD.match(word) for word in raw):
            raise ExpiredButtonError(f"bad arguments for {cls.action_name}")
        try:
            values = {
                name: _read(param, enum, word)
                for (name, param, enum), word in zip(cls.payload_fields, raw, strict=True)
            }
            return cls(**values)
        except (UsageError, ValueError) as error:
            raise ExpiredButtonError(f"bad argument for {cls.action_name}") from error


def action_name(payload: str) -> str | None:
    """The action a payload names, None when it is not a payload of this version."""
    version, _, rest = payload.partition(":")
    return rest.partition(":")[0] if version == VERSION and rest else None


def _field_param(cls: type, name: str, hint: object) -> tuple[FieldParam, type[StrEnum] | None]:
    """The parameter that reads field `name` annotated `hint`, and its enum if it is one."""
    where = f"{cls.__qualname__}.{name}"
    if name in _RESERVED:
        raise TypeError(f"{where}: the field name {name!r} is reserved")
    base, *marks = typing.get_args(hint) if typing.get_origin(hint) is Annotated else (hint,)
    mark = marks[0] if len(marks) == 1 else None
    if len(marks) > 1:
        raise TypeError(f"{where}: at most one constraint per field")
    text = Localized(name, name)
    if (base is int and mark is None) or isinstance(mark, Range):
        if base is not int:
            raise TypeError(f"{where}: Range needs an int field")
        low, high = (mark.low, mark.high) if isinstance(mark, Range) else (0, 2**31 - 1)
        return IntParam(name=name, description=text, min_value=low, max_value=high), None
    if isinstance(base, type) and issubclass(base, StrEnum) and mark is None:
        choices = tuple(member.value for member in base)
        return ChoiceParam(name=name, description=text, choices=choices), base
    if base is str and isinstance(mark, Words):
        return ChoiceParam(name=name, description=text, choices=mark.choices), None
    if base is str and (mark is None or isinstance(mark, MaxLength)):
        limit = mark.limit if isinstance(mark, MaxLength) else MAX_WORD_CHARS
        return TextParam(name=name, description=text, max_length=min(limit, MAX_WORD_CHARS)), None
    raise TypeError(f"{where}: a payload field is an int, a str word or a StrEnum, not {hint}")


def _read(param: FieldParam, enum: type[StrEnum] | None, word: str) -> object:
    """The value `word` carries (raises `UsageError` or ValueError when it carries none)."""
    value = param.convert(word)
    return enum(str(value)) if enum else value


def _field_text(
    cls: type, name: str, param: FieldParam, enum: type[StrEnum] | None, value: object
) -> str:
    """The word that carries `value`, checked as a press will read it."""
    where = f"{cls.__qualname__}.{name}"
    expected: type = enum or (int if isinstance(param, IntParam) else str)
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ValueError(f"{where} must be {expected.__name__}, not {value!r}")
    text = str(value)
    if not _WORD.match(text):
        raise ValueError(f"{where}: {text!r} is not a short ASCII word")
    try:
        read = param.convert(text)
    except UsageError as error:
        raise ValueError(f"{where}: {text!r} is outside its limits") from error
    if read != value:
        raise ValueError(f"{where}: {text!r} would be read back as {read!r}")
    return text
