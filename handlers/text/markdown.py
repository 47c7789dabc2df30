"""Turn Markdown into plain sections and paragraphs, keeping headings as structure.

Markup (emphasis, links, code, quote and list markers, tables, HTML) is removed so that none of it
leaks into sentences; the text of strong-emphasis spans is kept aside as a salience hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE_MARKER = re.compile(r"^ {0,3}>[ ]?")
_LIST_MARKER = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_TABLE_ROW = re.compile(r"^ {0,3}\|")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_CODE = re.compile(r"`+([^`]+)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"\*(?=\S)([^*]+?)(?<=\S)\*")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w])_(?=\S)([^_]+?)(?<=\S)_(?![\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_WHOLE_ITALIC = re.compile(r"^(\*|_)(?!\1)[^*_]+(?<!\1)\1$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_CJK_END = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]$")
_CJK_START = re.compile(r"^[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text; `strong` holds the text of its strongly emphasized spans.

    A note is a paragraph set wholly in italics: a caption, a disclaimer or an editor's note.
    """

    text: str
    is_quote: bool = False
    is_note: bool = False
    strong: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """The paragraphs under one heading; the heading is `None` before the first heading."""

    heading: str | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A Markdown document as a title and its sections."""

    title: str | None
    sections: tuple[Section, ...]

    @property
    def plain_text(self) -> str:
        """The document without markup: title, headings and paragraphs, a blank line apart."""
        blocks = [self.title] if self.title else []
        for section in self.sections:
            if section.heading:
                blocks.append(section.heading)
            blocks.extend(paragraph.text for paragraph in section.paragraphs)
        return "\n\n".join(blocks)


@dataclass(slots=True)
class _Block:
    kind: str  # "heading", "paragraph" or "quote"
    lines: list[str]
    level: int = 0


def parse_markdown(text: str) -> Document:
    """Parse Markdown (or plain text) into a title and sections of plain paragraphs.

    A level-1 heading that opens the document is its title. Sections start at the shallowest
    heading level used below the title; deeper headings are dropped as markup.
    """
    blocks = _blocks(_HTML_COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    title: str | None = None
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        title = _plain(blocks.pop(0).lines[0])[0] or None
    levels = [block.level for block in blocks if block.kind == "heading"]
    section_level = min(levels, default=0)
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    for block in blocks:
        if block.kind == "heading":
            if block.level != section_level:
                continue
            if heading is not None or paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = _plain(block.lines[0])[0] or None, []
            continue
        raw = _join_lines(block.lines)
        plain, strong = _plain(raw)
        if plain:
            is_note = bool(_WHOLE_ITALIC.match(raw))
            paragraphs.append(Paragraph(plain, block.kind == "quote", is_note, strong))
    if heading is not None or paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return Document(title, tuple(sections))


def _blocks(text: str) -> list[_Block]:
    """Split the text into heading, paragraph and quote blocks, dropping code, tables and rules."""
    blocks: list[_Block] = []
    current: _Block | None = None
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if match := _FENCE.match(line):
            fence, current = match.group(1)[0] * 3, None
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and current is not None and current.kind == "paragraph":
            current.kind, current.level = "heading", 1 if underline.group(1)[0] == "=" else 2
            current.lines = [" ".join(current.lines)]
            current = None
            continue
        if not line.strip() or _THEMATIC_BREAK.match(line):
            current = None
            continue
        if heading := _ATX_HEADING.match(line):
            blocks.append(_Block("heading", [heading.group(2)], len(heading.group(1))))
            current = None
            continue
        if _TABLE_ROW.match(line) or _LINK_DEFINITION.match(line):
            current = None
            continue
        if _QUOTE_MARKER.match(line):
            while quoted := _QUOTE_MARKER.match(line):
                line = line[quoted.end() :]
            if not line.strip():
                current = None
                continue
            if current is None or current.kind != "quote":
                current = _Block("quote", [])
                blocks.append(current)
            current.lines.append(line)
            continue
        if item := _LIST_MARKER.match(line):
            current = _Block("paragraph", [line[item.end() :]])
            blocks.append(current)
            continue
        if current is None or current.kind != "paragraph":
            current = _Block("paragraph", [])
            blocks.append(current)
        current.lines.append(line)
    return blocks


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between two CJK characters, one space otherwise."""
    joined = ""
    for raw in lines:
        line = raw.strip()
        if not joined:
            joined = line
        elif _CJK_END.search(joined) and _CJK_START.match(line):
            joined += line
        else:
            joined += " " + line
    return joined


def _plain(text: str) -> tuple[str, tuple[str, ...]]:
    """Strip inline markup; return the plain text and the plain text of its strong spans."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    strong = tuple(
        cleaned for match in _STRONG.finditer(text) if (cleaned := _unemphasize(match.group(2)))
    )
    return " ".join(_unemphasize(text).split()), strong


def _unemphasize(text: str) -> str:
    text = _STRONG.sub(r"\2", text)
    text = _STRIKE.sub(r"\1", text)
    text = _EMPHASIS_STAR.sub(r"\1", text)
    text = _EMPHASIS_UNDERSCORE.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text).strip()
