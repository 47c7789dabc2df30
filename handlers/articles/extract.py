"""Readable text from a fetched page: title and main text as Markdown (trafilatura for HTML).

trafilatura is imported on first use, not at start-up, and needs no downloads. It is CPU-bound
and its cost depends on the page: `PageReader` runs `readable_text` in a worker with a time budget.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.errors import UserError
from bot.i18n import Localized
from handlers.articles.fetch import FetchedPage

NO_ARTICLE_TEXT = Localized(
    "No article text found on that page: give the address of the article itself, or its text.",
    "在该网页上没有找到文章正文：请给出文章本身的网址，或直接粘贴正文。",
)
NOT_UTF8 = Localized(
    "The text is not valid UTF-8; save it as UTF-8 and try again.",
    "文本不是有效的 UTF-8 编码，请另存为 UTF-8 后重试。",
)
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})
_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)
MIN_ARTICLE_WORDS = 12
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[。！？…]|[.!?][\"'”’)\]]*(?:\s|$)")
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+")


@dataclass(frozen=True, slots=True)
class ReadableText:
    """A page's title (None if it has none) and its main text as Markdown."""

    title: str | None
    markdown: str


def readable_text(page: FetchedPage) -> ReadableText:
    """Extract the title and main text of a fetched page."""
    if page.media_type in ("text/plain", "text/markdown"):
        text = decode_text(page.body, page.charset)
        heading = _HEADING.search(text)
        return ReadableText(heading.group(1) if heading else None, text)
    return _from_html(page)


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode text as its declared charset if that fits, else as UTF-8 (a BOM is dropped)."""
    declared = known_charset(charset)
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(NOT_UTF8) from None


def known_charset(charset: str | None) -> str | None:
    """The codec for `charset` when it is a character set Python knows; else None.

    A site's typo gives None, and so do the bytes-to-bytes codecs that `codecs.lookup` also
    finds (`zlib_codec`, `base64`, `rot13`, `uu`, `hex`), which `bytes.decode` refuses, and the
    text codecs that are not character sets of documents (`idna`, `punycode`, `undefined`, …).
    """
    if not charset:
        return None
    try:
        codec = codecs.lookup(charset)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    if not codec._is_text_encoding or codec.name in _NOT_CHARSETS:
        return None
    return codec.name


def _from_html(page: FetchedPage) -> ReadableText:
    import trafilatura

    html = page.body.decode(known_charset(page.charset) or "utf-8", errors="replace")
    document = trafilatura.bare_extraction(
        html, url=page.url, with_metadata=True, include_comments=False, favor_recall=True
    )
    markdown = trafilatura.extract(
        html,
        url=page.url,
        output_format="markdown",
        include_comments=False,
        include_tables=False,
        favor_recall=True,
    )
    if not markdown or not has_article_text(markdown):
        raise UserError(NO_ARTICLE_TEXT)
    title = getattr(document, "title", None) if document is not None else None
    return ReadableText(title or urlsplit(page.url).hostname, markdown)


def has_article_text(markdown: str) -> bool:
    """Whether extracted text holds prose, not just a page's navigation.

    Prose is paragraphs (not headings or table rows) that end a sentence; together they need
    `MIN_ARTICLE_WORDS` words, each Chinese character counting as one. Menus, link lists and
    bylines end no sentence, so a navigation-only page has none.
    """
    words = 0
    for paragraph in _PARAGRAPH_BREAK.split(markdown):
        if paragraph.lstrip().startswith(("#", "|")) or not _SENTENCE_END.search(paragraph):
            continue
        words += len(_WORD.findall(paragraph))
    return words >= MIN_ARTICLE_WORDS
