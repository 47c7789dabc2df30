"""Rendering neutral replies as terminal text, with ANSI colour when the terminal supports it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reply import (
    Block,
    BulletList,
    Fields,
    Heading,
    Link,
    Paragraph,
    Preformatted,
    Quote,
    Reply,
    field_separator,
)
from bot.sanitize import visible

_BOLD, _DIM, _CYAN, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[0m"


@dataclass(frozen=True, slots=True)
class Style:
    """ANSI styling, or none."""

    colour: bool

    def bold(self, text: str) -> str:
        """Bold text."""
        return f"{_BOLD}{text}{_RESET}" if self.colour else text

    def dim(self, text: str) -> str:
        """Faint text."""
        return f"{_DIM}{text}{_RESET}" if self.colour else text

    def accent(self, text: str) -> str:
        """Highlighted text (buttons)."""
        return f"{_CYAN}{text}{_RESET}" if self.colour else text


def render_reply(reply: Reply, header: str, style: Style, saved_file: str | None = None) -> str:
    """The reply as terminal lines under `header`; control characters from users are neutralized."""
    lines = [style.dim(header)]
    if reply.title:
        lines.append(style.bold(safe_text(reply.title)))
    for block in reply.blocks:
        lines.extend(_render_block(block, style))
    number = 0
    for row in reply.buttons:
        cells = []
        for button in row:
            number += 1
            cells.append(style.accent(f"[{number}] {safe_text(button.label)}"))
        lines.append("   ".join(cells))
    if reply.attachment is not None:
        where = f" → {saved_file}" if saved_file else ""
        lines.append(style.dim(f"📎 {safe_text(reply.attachment.filename)}{where}"))
    if reply.footer:
        lines.append(style.dim(safe_text(reply.footer)))
    return "\n".join(lines)


def _render_block(block: Block, style: Style) -> list[str]:
    match block:
        case Heading(text):
            return [style.bold(safe_text(text))]
        case Paragraph(text):
            return [safe_text(text)]
        case BulletList(items, ordered):
            return [
                f"{f'{index}.' if ordered else '•'} {safe_text(item)}"
                for index, item in enumerate(items, 1)
            ]
        case Quote(text, source):
            quoted = [f"│ {line}" for line in safe_text(text).splitlines()]
            return quoted + ([style.dim(f"  — {safe_text(source)}")] if source else [])
        case Fields(pairs):
            return [
                f"{style.bold(safe_text(key))}{field_separator(key)}{safe_text(value)}"
                for key, value in pairs
            ]
        case Preformatted(text):
            return [safe_text(line) for line in text.splitlines()]
        case Link(label, url):
            return [f"{safe_text(label)} <{safe_text(url)}>"]
    raise TypeError(f"unknown block {block!r}")


def safe_text(text: str) -> str:
    """Drop terminal control characters (escape sequences, bidi overrides) from user text."""
    return visible(text)
