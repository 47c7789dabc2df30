"""Rendering neutral replies as Telegram HTML messages, captions and inline keyboards.

Pure functions: every piece of user text is escaped, `@name` mentions are defused, only
http(s) links become anchors, and long replies are split on block and line boundaries so that
every message fits Telegram's limits without breaking a tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import KeyboardButtonStyle, MessageLimit

from bot.reply import (
    Block,
    BulletList,
    ButtonStyle,
    Fields,
    Heading,
    Link,
    Paragraph,
    Preformatted,
    Quote,
    Reply,
    field_separator,
)
from bot.sanitize import clipped

TEXT_LIMIT: int = MessageLimit.MAX_TEXT_LENGTH  # 4,096
CAPTION_LIMIT: int = MessageLimit.CAPTION_LENGTH  # 1,024
SHORT_CAPTION_LIMIT = 200
MAX_KEY_LENGTH = 256
MAX_URL_LENGTH = 2048
EMPTY_TEXT = "…"

_MENTION = re.compile(r"@(?=\w)")
_WORD_JOINER = "\u2060"
_TAG = re.compile(r"<[^>]*>")
_BUTTON_STYLES = {
    ButtonStyle.PRIMARY: KeyboardButtonStyle.PRIMARY,
    ButtonStyle.SUCCESS: KeyboardButtonStyle.SUCCESS,
    ButtonStyle.DANGER: KeyboardButtonStyle.DANGER,
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A reply as Telegram sends it: the file's caption (if a file goes along) and text parts.

    The keyboard belongs on the last message sent: the last text part, or the file when
    there is no text part.
    """

    texts: tuple[str, ...]
    caption: str | None
    keyboard: InlineKeyboardMarkup | None


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def escape_text(text: str) -> str:
    """User text made safe for Telegram HTML: escaped, with `@name` mentions defused."""
    return html.escape(_MENTION.sub("@" + _WORD_JOINER, text), quote=False)


def render_reply(reply: Reply, *, with_file: bool | None = None) -> Rendered:
    """Plan the messages for `reply`.

    With a file, the text goes in its caption if it fits, else a short caption goes with the
    file and the text in separate messages. `with_file` says whether a file carries a caption
    (default: whether the reply has an attachment; an edited photo keeps its file).
    """
    keyboard = render_keyboard(reply)
    texts = split_html(reply, TEXT_LIMIT)
    if not (reply.attachment is not None if with_file is None else with_file):
        return Rendered(texts or (EMPTY_TEXT,), None, keyboard)
    if len(texts) <= 1 and all(telegram_length(text) <= CAPTION_LIMIT for text in texts):
        return Rendered((), texts[0] if texts else None, keyboard)
    return Rendered(texts, _short_caption(reply), keyboard)


def render_html(reply: Reply) -> str:
    """The whole reply as one HTML text, whatever its length (for tests and logs)."""
    return "\n\n".join(split_html(reply, limit=None))


def render_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (callback data is the button payload)."""
    if not reply.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(
                text=button.label,
                callback_data=button.payload,
                style=_BUTTON_STYLES.get(button.style),
            )
            for button in row
        ]
        for row in reply.buttons
        if row
    ]
    return InlineKeyboardMarkup(rows)


def split_html(reply: Reply, limit: int | None) -> tuple[str, ...]:
    """The reply's text as HTML messages of at most `limit` characters each (None: one message).

    Messages break between blocks where possible, then between lines, then between words;
    every message has balanced tags.
    """
    messages: list[str] = []
    current = ""
    for separator, chunk in _chunks(reply, limit):
        candidate = f"{current}{separator}{chunk}" if current else chunk
        if limit is None or telegram_length(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = chunk
    if current:
        messages.append(current)
    return tuple(messages)


@dataclass(frozen=True, slots=True)
class _Lines:
    """A block as lines of HTML inside an opening and closing tag."""

    lines: list[tuple[str, str, str]]  # (html prefix, plain text, html suffix) per line
    opening: str = ""
    closing: str = ""


def _chunks(reply: Reply, limit: int | None) -> Iterator[tuple[str, str]]:
    """(separator, balanced HTML) pieces, each within `limit`, in reading order."""
    sections: list[tuple[_Lines, str]] = []
    if reply.title:
        sections.append((_Lines([("<b>", reply.title, "</b>")]), "\n\n"))
    previous: Block | None = None
    for block in reply.blocks:
        separator = "\n" if isinstance(previous, Heading) else "\n\n"
        sections.append((_block_lines(block), separator))
        previous = block
    if reply.footer:
        sections.append((_Lines([("<i>", reply.footer, "</i>")]), "\n\n"))
    for lines, separator in sections:
        if not _shows_anything(lines):
            continue  # Telegram refuses a message with no visible text
        for index, piece in enumerate(_pack_block(lines, limit)):
            yield (separator if index == 0 else "\n"), piece


def _shows_anything(block: _Lines) -> bool:
    """Whether the block has a visible character (not only blanks and tags)."""
    return any(
        text.strip() or _TAG.sub("", prefix + suffix).strip()
        for prefix, text, suffix in block.lines
    )


def _block_lines(block: Block) -> _Lines:
    match block:
        case Heading(text):
            return _Lines([("<b>", text, "</b>")])
        case Paragraph(text):
            return _Lines([("", line, "") for line in text.splitlines() or [""]])
        case BulletList(items, ordered):
            return _Lines(
                [
                    (f"{index}. " if ordered else "• ", item, "")
                    for index, item in enumerate(items, 1)
                ]
            )
        case Quote(text, source):
            lines = [("", line, "") for line in text.splitlines() or [""]]
            if source:
                lines.append(("— <i>", source, "</i>"))
            return _Lines(lines, "<blockquote>", "</blockquote>")
        case Fields(pairs):
            return _Lines(
                [(f"<b>{_clamp(key)}</b>{field_separator(key)}", value, "") for key, value in pairs]
            )
        case Preformatted(text):
            return _Lines([("", line, "") for line in text.splitlines() or [""]], "<pre>", "</pre>")
        case Link(label, url):
            label = label if label.strip() else url
            anchor = f'<a href="{html.escape(url, quote=True)}">'
            if url.lower().startswith(("http://", "https://")) and len(anchor) <= MAX_URL_LENGTH:
                return _Lines([(anchor, label, "</a>")])
            return _Lines([("", f"{label} ({url})", "")])
    raise TypeError(f"unknown block {block!r}")


def _pack_block(block: _Lines, limit: int | None) -> Iterator[str]:
    """Group a block's lines into wrapped pieces that each fit `limit`."""
    wrap_length = telegram_length(block.opening) + telegram_length(block.closing)
    budget = None if limit is None else limit - wrap_length
    group: list[str] = []
    size = 0
    for prefix, text, suffix in block.lines:
        for line in _fit_line(prefix, text, suffix, budget):
            length = telegram_length(line)
            if group and budget is not None and size + 1 + length > budget:
                yield block.opening + "\n".join(group) + block.closing
                group, size = [], 0
            size += length + (1 if group else 0)
            group.append(line)
    if group:
        yield block.opening + "\n".join(group) + block.closing


def _fit_line(prefix: str, text: str, suffix: str, budget: int | None) -> list[str]:
    """One line as HTML; split between words (or characters) when longer than `budget`."""
    whole = prefix + escape_text(text) + suffix
    if budget is None or telegram_length(whole) <= budget:
        return [whole]
    room = budget - telegram_length(prefix) - telegram_length(suffix)
    return [prefix + piece + suffix for piece in _split_escaped(text, room)]


def _split_escaped(text: str, room: int) -> list[str]:
    """Escape `text` into pieces of at most `room` characters, preferring word boundaries.

    Escaping works character by character, so piece lengths add up exactly.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for token in re.split(r"(\s+)", _MENTION.sub("@" + _WORD_JOINER, text)):
        escaped = html.escape(token, quote=False)
        length = telegram_length(escaped)
        if size + length <= room:
            current.append(escaped)
            size += length
            continue
        if current:
            pieces.append("".join(current))
            current, size = [], 0
        if length <= room:
            current, size = [escaped], length
            continue
        for char in token:
            escaped_char = html.escape(char, quote=False)
            char_length = telegram_length(escaped_char)
            if current and size + char_length > room:
                pieces.append("".join(current))
                current, size = [], 0
            current.append(escaped_char)
            size += char_length
    if current:
        pieces.append("".join(current))
    return pieces


def _clamp(text: str) -> str:
    """Escaped `text`, cut to `MAX_KEY_LENGTH` characters (field names stay short)."""
    return escape_text(clipped(text, MAX_KEY_LENGTH))


def _short_caption(reply: Reply) -> str | None:
    """A caption for a file whose reply text goes in separate messages."""
    label: str | None = reply.title or (reply.attachment.description if reply.attachment else None)
    if not label:
        return None
    pieces = _split_escaped(label, SHORT_CAPTION_LIMIT - len("<b></b>"))
    shortened = pieces[0] + ("…" if len(pieces) > 1 else "")
    return f"<b>{shortened}</b>"
