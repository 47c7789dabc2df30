"""Splitting long views into pages that fit every platform's message limits.

Telegram allows 4,096 characters per message and Discord 4,096 per embed description (6,000 per
embed); markup and escaping add to the visible text, so a page keeps its plain text at most
`MAX_PAGE_CHARS` long and at most `MAX_PAGE_BLOCKS` blocks. Pages of people's own text use the
lower `USER_TEXT_PAGE_CHARS`, since escaping their markdown can nearly double it. Discord also
allows at most five rows of five buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.reply import Block, Button, Reply

MAX_PAGE_CHARS = 3500
USER_TEXT_PAGE_CHARS = 2800
MAX_PAGE_BLOCKS = 20
MAX_BUTTON_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_PAGES = 99
_WIDEST_PAGE = (MAX_PAGES - 1, MAX_PAGES)  # largest numbers a page footer and its buttons show


@dataclass(frozen=True, slots=True)
class Section:
    """Blocks that belong together on one page, and buttons that act on them."""

    blocks: tuple[Block, ...]
    buttons: tuple[Button, ...] = ()


PageBuilder = Callable[[Sequence[Section], int, int], Reply]
"""Builds page `page` of `count` (1-based) from the sections on it."""


def fits(reply: Reply, max_chars: int = MAX_PAGE_CHARS) -> bool:
    """Whether `reply` is within the page limits of every platform."""
    return (
        len(reply.plain_text()) <= max_chars
        and len(reply.blocks) <= MAX_PAGE_BLOCKS
        and len(reply.buttons) <= MAX_BUTTON_ROWS
        and all(len(row) <= MAX_BUTTONS_PER_ROW for row in reply.buttons)
    )


def paginate(
    sections: Sequence[Section],
    build: PageBuilder,
    *,
    max_sections: int | None = None,
    max_chars: int = MAX_PAGE_CHARS,
) -> list[Reply]:
    """Pack `sections` greedily into as few pages as fit, each built by `build`.

    Raises ValueError when one section cannot fit on a page even alone (a content bug).
    """
    pages: list[list[Section]] = []
    current: list[Section] = []
    for section in sections:
        candidate = [*current, section]
        full = max_sections is not None and len(candidate) > max_sections
        if current and (full or not fits(build(candidate, *_WIDEST_PAGE), max_chars)):
            pages.append(current)
            candidate = [section]
        if not fits(build(candidate, *_WIDEST_PAGE), max_chars):
            raise ValueError(f"a section does not fit on one page: {section.blocks[:1]!r}")
        current = candidate
    if current or not pages:
        pages.append(current)
    if len(pages) > MAX_PAGES:
        raise ValueError(f"{len(pages)} pages is more than {MAX_PAGES}")
    return [build(page, number, len(pages)) for number, page in enumerate(pages, 1)]


def rows_of(buttons: Sequence[Button], size: int = MAX_BUTTONS_PER_ROW) -> list[tuple[Button, ...]]:
    """Split buttons into rows of at most `size`."""
    return [tuple(buttons[start : start + size]) for start in range(0, len(buttons), size)]
