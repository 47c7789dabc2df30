"""What `/article add` receives: text in the message, an attached text file, or a web address."""

from __future__ import annotations

import asyncio
import re
from pathlib import PurePosixPath

from bot.errors import UserError
from bot.i18n import Localized
from bot.invocation import Attachment, InboundFile
from handlers.articles.extract import decode_text

MAX_FILE_BYTES = 1024 * 1024
"""Room for an article of the most characters any article may have (`MAX_ARTICLE_CHARS`, the
same for typed text, files and pages), even in Chinese (three bytes a character in UTF-8)."""
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown", "application/octet-stream", "")
_URL = re.compile(r"^\S+://\S*$|^www\.\S+$")

NOT_A_TEXT_FILE = Localized(
    "“{name}” is not a text file: attach a .txt or .md file.",
    "“{name}”不是文本文件：请附上 .txt 或 .md 文件。",
)
FILE_TOO_LARGE = Localized(
    "“{name}” is {size} KB; the limit is {limit} KB.",
    "“{name}”大小为 {size} KB，上限为 {limit} KB。",
)
EMPTY_FILE = Localized(
    "The article is empty: “{name}” has no text. Attach a .txt or .md file with the article in it.",
    "文章内容为空：“{name}”里没有文字。请附上写有文章的 .txt 或 .md 文件。",
)
ONE_FILE = Localized("Attach one file at a time.", "每次只能附上一个文件。")


def looks_like_url(text: str) -> bool:
    """Whether the whole argument is one web address (checked properly when fetched)."""
    return bool(_URL.match(text.strip()))


async def read_text_file(attachment: Attachment) -> str:
    """The text of an attached file, fetched only once its name, type and declared size fit."""
    _check_metadata(attachment.filename, attachment.media_type, attachment.size)
    file = await attachment.read()
    return await asyncio.to_thread(text_of_file, file)


def text_of_file(file: InboundFile) -> str:
    """The UTF-8 text of an attached .txt or .md file, or a `UserError` saying what is wrong."""
    name = _check_metadata(file.filename, file.media_type, len(file.data))
    if b"\x00" in file.data:
        raise UserError(NOT_A_TEXT_FILE, name=name)
    text = decode_text(file.data)
    if not text.strip():
        raise UserError(EMPTY_FILE, name=name)
    return text


def _check_metadata(filename: str, media_type: str, size: int | None) -> str:
    """The file's shown name, or a `UserError` when it is not a text file or is too large."""
    name = PurePosixPath(filename).name[:80] or "?"
    bare_type = media_type.split(";", 1)[0].strip().lower()
    if not name.lower().endswith(TEXT_SUFFIXES) or bare_type not in _TEXT_TYPES:
        raise UserError(NOT_A_TEXT_FILE, name=name)
    if size is not None and size > MAX_FILE_BYTES:
        raise UserError(FILE_TOO_LARGE, name=name, size=size // 1024, limit=MAX_FILE_BYTES // 1024)
    return name


def single_file(files: tuple[Attachment, ...]) -> Attachment | None:
    """The one attached file, None when there is none; more than one is refused."""
    if len(files) > 1:
        raise UserError(ONE_FILE)
    return files[0] if files else None
