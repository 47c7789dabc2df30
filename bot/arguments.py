"""Argument parsing: quoted tokens from a command line, converted by the command's parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.errors import UsageError
from bot.i18n import Localized
from bot.params import ChoiceParam, Param, TextParam

_QUOTES = {'"': '"', "'": "'", "“": "”", "「": "」", "‘": "’"}

_UNBALANCED = Localized(
    "A quote {quote} is never closed. Close it, or put a backslash before it.",
    "引号 {quote} 没有闭合。请补上闭合引号，或在它前面加反斜杠。",
)
_MISSING = Localized("`{name}` is missing: {description}", "缺少 `{name}`：{description}")
_TOO_MANY = Localized(
    "Too many arguments: “{extra}” is not expected.", "参数过多：多出了“{extra}”。"
)
_TOO_MANY_TEXT = Localized(
    "Too many arguments: “{extra}” is not expected. Put text with spaces in quotes.",
    "参数过多：多出了“{extra}”。含空格的文本请加引号。",
)
_TWICE = Localized(
    "`{name}` is given twice: “{first}” and “{second}”. Give it once.",
    "`{name}` 给了两次：“{first}”和“{second}”。请只给一次。",
)
_UNKNOWN_OPTION = Localized("Unknown option `{name}`.", "未知选项 `{name}`。")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the command line and where it starts in the raw text."""

    value: str
    start: int


def tokenize(text: str) -> list[Token]:
    """Split `text` on whitespace, keeping quoted runs together (ASCII and CJK quotes)."""
    tokens: list[Token] = []
    index = 0
    length = len(text)
    while index < length:
        if text[index].isspace():
            index += 1
            continue
        start = index
        pieces: list[str] = []
        while index < length and not text[index].isspace():
            char = text[index]
            if char == "\\" and index + 1 < length:
                pieces.append(text[index + 1])
                index += 2
            elif char in _QUOTES:
                closing = _QUOTES[char]
                end = text.find(closing, index + 1)
                if end == -1:
                    raise UsageError(_UNBALANCED, quote=char)
                pieces.append(text[index + 1 : end])
                index = end + 1
            else:
                pieces.append(char)
                index += 1
        tokens.append(Token("".join(pieces), start))
    return tokens


class ExtraWordError(UsageError):
    """A word no parameter takes; `first` when nothing before it was taken either."""

    def __init__(self, message: Localized, /, *, word: str, first: bool) -> None:
        super().__init__(message, extra=word[:40])
        self.word = word
        self.first = first


def parse_text_args(params: Sequence[Param], text: str) -> dict[str, object]:
    """Convert a raw argument line into named values for `params`.

    Optional choices next to each other take their words in any order (`/summary zh short`):
    each word goes to the one that accepts it.
    """
    values: dict[str, object] = {}
    rest = next((p for p in params if isinstance(p, TextParam) and p.rest), None)
    tokens = tokenize(text) if rest is None else _tokens_before_rest(params, text)
    position = index = 0
    while index < len(params):
        param = params[index]
        if param is rest:
            start = tokens[position].start if position < len(tokens) else len(text)
            remaining = text[start:] if position < len(tokens) else ""
            if not remaining.strip():
                _fill_default(param, values)
            else:
                values[param.name] = param.convert(_unquote(remaining.strip()))
            position = len(tokens)
            break
        if _is_optional_choice(param):
            end = index
            while end < len(params) and _is_optional_choice(params[end]):
                end += 1
            position = _fill_choices(params[index:end], params[end:], tokens, position, values)
            index = end
            continue
        if position >= len(tokens):
            _fill_default(param, values)
        else:
            values[param.name] = param.convert(tokens[position].value)
            position += 1
        index += 1
    if position < len(tokens):
        message = _TOO_MANY_TEXT if any(isinstance(p, TextParam) for p in params) else _TOO_MANY
        raise ExtraWordError(message, word=tokens[position].value, first=position == 0)
    return values


def parse_option_args(params: Sequence[Param], options: Mapping[str, object]) -> dict[str, object]:
    """Convert already-split named options (e.g. Discord slash options) into values."""
    known = {param.name for param in params}
    for name in options:
        if name not in known:
            raise UsageError(_UNKNOWN_OPTION, name=name[:40])
    values: dict[str, object] = {}
    for param in params:
        raw = options.get(param.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            _fill_default(param, values)
        else:
            values[param.name] = param.convert(str(raw))
    return values


def _tokens_before_rest(params: Sequence[Param], text: str) -> list[Token]:
    """Tokenize only as far as needed: quotes inside the trailing free text stay literal."""
    leading = sum(1 for p in params if not (isinstance(p, TextParam) and p.rest))
    tokens: list[Token] = []
    index = 0
    while len(tokens) < leading:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            break
        end = index
        while end < len(text) and not text[end].isspace():
            end += 1
        tokens.append(Token(text[index:end], index))
        index = end
    while index < len(text) and text[index].isspace():
        index += 1
    if index < len(text):
        tokens.append(Token(text[index:], index))
    return tokens


def _is_optional_choice(param: Param) -> bool:
    return isinstance(param, ChoiceParam) and not param.required


def _fill_choices(
    group: Sequence[Param],
    later: Sequence[Param],
    tokens: Sequence[Token],
    position: int,
    values: dict[str, object],
) -> int:
    """Give each word to the optional choice that accepts it, in any order; the next position.

    A word none of them accepts is left to a later parameter that may take it; otherwise the
    first choice still open explains what it wanted. Unfilled choices get their defaults.
    """
    given: dict[str, str] = {}
    while position < len(tokens):
        word = tokens[position].value
        taker = next((p for p in group if p.name not in given and p.accepts(word)), None)
        if taker is None:
            repeated = next((p for p in group if p.name in given and p.accepts(word)), None)
            if repeated is not None:
                first = given[repeated.name]
                raise UsageError(_TWICE, name=repeated.name, first=first[:40], second=word[:40])
            open_choice = next((p for p in group if p.name not in given), None)
            if open_choice is None or _later_takes(later, word):
                break
            open_choice.convert(word)  # raises: what the first open choice wanted
        else:
            values[taker.name] = taker.convert(word)
            given[taker.name] = word
            position += 1
    for param in group:
        if param.name not in given:
            values[param.name] = param.default
    return position


def _later_takes(later: Sequence[Param], word: str) -> bool:
    """Whether a parameter after the choices may take `word` (free text, or a choice)."""
    return any(
        (isinstance(p, TextParam) and p.rest) or (isinstance(p, ChoiceParam) and p.accepts(word))
        for p in later
    )


def _unquote(text: str) -> str:
    """Free text wrapped in one pair of quotes loses them: `"a b"` becomes `a b`."""
    closing = _QUOTES.get(text[:1])
    if closing and len(text) >= 2 and text.endswith(closing) and closing not in text[1:-1]:
        return text[1:-1]
    return text


def _fill_default(param: Param, values: dict[str, object]) -> None:
    if param.required:
        raise UsageError(_MISSING, name=param.name, description=param.description)
    values[param.name] = param.default
