"""Neutral replies as Discord messages: escaped embeds within every limit, buttons laid out.

Pure: no network and no event loop. A reply too long for one message becomes several
messages; the buttons and the attachment go on the last message that carries text. More than
25 buttons (5 rows of 5) do not fit one message: the extra rows follow in messages of their own,
so every button keeps working. Duplicate payloads in one reply are dropped (Discord refuses a
message whose components share a `custom_id`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import discord

from bot.reply import (
    Attachment,
    Block,
    BulletList,
    Button,
    Fields,
    Heading,
    Link,
    Paragraph,
    Preformatted,
    Quote,
    Reply,
)

log = logging.getLogger("parley.discord.render")

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
BUTTONS_PER_ROW = 5
ROWS_PER_MESSAGE = 5
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100

# Description and fields of one embed stay within this, so that with the longest title and
# footer an embed never passes Discord's 6,000-character total.
CONTENT_BUDGET = EMBED_TOTAL_LIMIT - TITLE_LIMIT - FOOTER_LIMIT
TEXT_BUDGET = min(DESCRIPTION_LIMIT, CONTENT_BUDGET)
COLOUR = discord.Colour(0x5865F2)
BLANK = "\u200b"  # zero-width space: Discord needs a non-empty field name and value
ELLIPSIS = "…"

_MENTION_START = re.compile(r"<(?=[@#/:]|[at]:)")
_BROADCAST = re.compile(r"@(?=everyone|here)", re.IGNORECASE)
_INLINE_MARKER = re.compile(r"[\\*_~`|\[\]]")
_LINE_MARKER = re.compile(r"(?m)^(\s*)([>#+-]|\d+(?=\.))")
_URL = re.compile(r"https?://[^\s<>|`*~\[\]]+")
_SAFE_FILENAME = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """One Discord message: embeds, rows of buttons and an optional file."""

    embeds: tuple[discord.Embed, ...] = ()
    rows: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None


def escape_text(text: str) -> str:
    """Plain user text made inert: no markdown, no mentions, no line markers; links stay links."""
    parts: list[str] = []
    position = 0
    for url in _URL.finditer(text):
        parts += [_escape_plain(text[position : url.start()]), url.group()]
        position = url.end()
    parts.append(_escape_plain(text[position:]))
    escaped = _LINE_MARKER.sub(_escape_marker, "".join(parts))
    escaped = _BROADCAST.sub("@" + BLANK, escaped)
    return _MENTION_START.sub("<" + BLANK, escaped)


def _escape_plain(text: str) -> str:
    return _INLINE_MARKER.sub(r"\\\g<0>", text)


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    return f"{indent}{marker}\\" if marker[0].isdigit() else f"{indent}\\{marker}"


def split_text(text: str, limit: int) -> list[str]:
    """Cut `text` into pieces of at most `limit` characters, at line or word breaks if possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        backslashes = len(text[:cut]) - len(text[:cut].rstrip("\\"))
        if backslashes % 2 and cut > 1:
            cut -= 1  # never separate a backslash from the character it escapes
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip(" \n")
    if text or not pieces:
        pieces.append(text)
    return pieces


def render_reply(reply: Reply) -> list[RenderedMessage]:
    """The reply as one or more messages, each within Discord's limits."""
    embeds = _build_embeds(reply)
    groups = _pack_embeds(embeds)
    button_groups = _button_groups(reply.buttons)
    messages: list[RenderedMessage] = []
    for index, group in enumerate(groups):
        last = index == len(groups) - 1
        attachment = reply.attachment if last else None
        messages.append(
            RenderedMessage(
                embeds=_with_image(group, attachment),
                rows=button_groups[0] if last and button_groups else (),
                attachment=attachment,
            )
        )
    messages.extend(RenderedMessage(rows=rows) for rows in button_groups[1:])
    return messages


def render_single(reply: Reply) -> RenderedMessage:
    """The reply as exactly one message (for edits): content past the limits is cut off."""
    embeds = _build_embeds(reply)
    kept: list[discord.Embed] = []
    total = 0
    for embed in embeds:
        if len(kept) == EMBEDS_PER_MESSAGE or total + len(embed) > EMBED_TOTAL_LIMIT:
            log.info("event=edit_truncated dropped_embeds=%d", len(embeds) - len(kept))
            break
        kept.append(embed)
        total += len(embed)
    groups = _button_groups(reply.buttons)
    return RenderedMessage(
        embeds=_with_image(tuple(kept), reply.attachment),
        rows=groups[0] if groups else (),
        attachment=reply.attachment,
    )


def attachment_filename(attachment: Attachment) -> str:
    """A filename Discord accepts in `attachment://` references."""
    name = _SAFE_FILENAME.sub("_", attachment.filename).strip("._") or "file"
    return name[-100:]


@dataclass(slots=True)
class _EmbedDraft:
    """An embed being filled: description paragraphs, then fields."""

    lines: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    size: int = 0

    def add_text(self, text: str) -> bool:
        """Append a paragraph if it fits (never after fields, which show below it)."""
        size = self.size + (2 if self.lines else 0) + len(text)
        if self.fields or size > TEXT_BUDGET:
            return False
        self.lines.append(text)
        self.size = size
        return True

    def add_field(self, name: str, value: str) -> bool:
        """Append a field if it fits."""
        size = self.size + len(name) + len(value)
        if len(self.fields) == FIELD_COUNT_LIMIT or size > CONTENT_BUDGET:
            return False
        self.fields.append((name, value))
        self.size = size
        return True

    def embed(self) -> discord.Embed:
        """The finished embed."""
        embed = discord.Embed(colour=COLOUR, description="\n\n".join(self.lines) or None)
        for name, value in self.fields:
            embed.add_field(name=name, value=value, inline=False)
        return embed


def _build_embeds(reply: Reply) -> list[discord.Embed]:
    drafts = [_EmbedDraft()]
    for block in reply.blocks:
        for piece in [piece for piece in _block_pieces(block) if piece]:
            added = _add_piece(drafts[-1], piece)
            if not added:
                drafts.append(_EmbedDraft())
                _add_piece(drafts[-1], piece)
    drafts = [draft for draft in drafts if draft.lines or draft.fields]
    if not drafts and (reply.title or reply.footer or not (reply.buttons or reply.attachment)):
        drafts = [_EmbedDraft()]
        if not reply.title:
            drafts[0].add_text(ELLIPSIS)
    embeds = [draft.embed() for draft in drafts]
    if embeds and reply.title:
        embeds[0].title = _truncate(escape_text(reply.title), TITLE_LIMIT)
    if embeds and reply.footer:
        embeds[-1].set_footer(text=_truncate(reply.footer, FOOTER_LIMIT))
    return embeds


def _with_image(
    embeds: tuple[discord.Embed, ...], attachment: Attachment | None
) -> tuple[discord.Embed, ...]:
    """Show an image attachment inside the message's last embed."""
    if attachment is None or not attachment.is_image:
        return embeds
    embeds = embeds or (discord.Embed(colour=COLOUR),)
    embeds[-1].set_image(url=f"attachment://{attachment_filename(attachment)}")
    return embeds


def _add_piece(draft: _EmbedDraft, piece: str | tuple[str, str]) -> bool:
    return draft.add_text(piece) if isinstance(piece, str) else draft.add_field(*piece)


def _pack_embeds(embeds: list[discord.Embed]) -> list[tuple[discord.Embed, ...]]:
    groups: list[list[discord.Embed]] = [[]]
    total = 0
    for embed in embeds:
        size = len(embed)
        if groups[-1] and (
            len(groups[-1]) == EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL_LIMIT
        ):
            groups.append([])
            total = 0
        groups[-1].append(embed)
        total += size
    return [tuple(group) for group in groups]


def _block_pieces(block: Block) -> list[str | tuple[str, str]]:
    """Description paragraphs (str) or embed fields (name, value), each within its limit."""
    match block:
        case Heading(text):
            return [f"**{_truncate(escape_text(text), TITLE_LIMIT)}**"]
        case Paragraph(text):
            return list(split_text(escape_text(text), TEXT_BUDGET))
        case BulletList(items, ordered):
            lines = [
                f"{f'{n}.' if ordered else '•'} {escape_text(item)}"
                for n, item in enumerate(items, 1)
            ]
            return list(split_text("\n".join(lines), TEXT_BUDGET))
        case Quote(text, source):
            quoted = "\n".join(f"> {line}" for line in escape_text(text).splitlines() or [""])
            if source:
                quoted += f"\n> — {escape_text(source)}"
            return list(split_text(quoted, TEXT_BUDGET))
        case Preformatted(text):
            fenced = text.replace("```", "`" + BLANK + "``")
            return [f"```\n{part}\n```" for part in split_text(fenced, TEXT_BUDGET - 8)]
        case Link(label, url):
            return [_link(label, url)]
        case Fields(pairs):
            return list(_field_pieces(pairs))
    raise TypeError(f"unknown block {block!r}")


def _field_pieces(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for key, value in pairs:
        name = _visible(_truncate(escape_text(key), FIELD_NAME_LIMIT))
        for index, part in enumerate(split_text(escape_text(value), FIELD_VALUE_LIMIT)):
            pieces.append((name if index == 0 else BLANK, _visible(part)))
    return pieces


def _visible(text: str) -> str:
    """`text`, or `BLANK` when Discord would trim it to nothing (it refuses empty fields)."""
    return text if text.strip() else BLANK


def _link(label: str, url: str) -> str:
    if re.match(r"^https?://[^\s<>]+$", url):
        safe_url = url.replace("(", "%28").replace(")", "%29")
        return f"[{escape_text(label)}]({safe_url})"
    return f"{escape_text(label)}: {escape_text(url)}"


def _button_groups(rows: tuple[tuple[Button, ...], ...]) -> list[tuple[tuple[Button, ...], ...]]:
    """Rows of at most 5 unique buttons, in groups of at most 5 rows (one group per message)."""
    seen: set[str] = set()
    laid_out: list[tuple[Button, ...]] = []
    for row in rows:
        unique = []
        for button in row:
            if button.payload in seen or len(button.payload) > CUSTOM_ID_LIMIT:
                log.warning("event=button_dropped reason=duplicate_or_long")
                continue
            seen.add(button.payload)
            unique.append(button)
        for start in range(0, len(unique), BUTTONS_PER_ROW):
            laid_out.append(tuple(unique[start : start + BUTTONS_PER_ROW]))
    return [
        tuple(laid_out[start : start + ROWS_PER_MESSAGE])
        for start in range(0, len(laid_out), ROWS_PER_MESSAGE)
    ]


def button_label(button: Button) -> str:
    """The label cut to Discord's 80 characters (labels show no markdown)."""
    return _truncate(button.label.strip(), BUTTON_LABEL_LIMIT) or ELLIPSIS


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip("\\") + ELLIPSIS
