"""What `/summary edit` asks for: a new edited summary, or `--reset` to the automatic one.

Edits are kept per article edition: under the edition's own language tag when the article has an
edition in the text's language, else under that language (`zh`, `en`), so a moderator can give an
English-only article a Chinese summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UserError
from bot.i18n import Localized
from bot.params import ChoiceParam
from domain.articles import LibraryArticle
from handlers.text.language import detect_language

MIN_EDIT_CHARS = 20
MAX_EDIT_CHARS = 4000
RESET = "--reset"
SUMMARY_LANGUAGES = ("zh", "en")

TOO_SHORT = Localized(
    "An edited summary needs at least {limit} characters; this one has {length}."
    " To go back to the automatic summary: /summary edit --reset",
    "编辑后的摘要至少需要 {limit} 个字符，这段只有 {length} 个。"
    "如要恢复自动摘要，请使用 /summary edit --reset。",
)
UNKNOWN_OPTION = Localized(
    "“{option}” is not an option of /summary edit. Its only option is --reset (optionally"
    " with zh or en), which goes back to the automatic summary.",
    "/summary edit 没有“{option}”这个选项。它只有 --reset 一个选项（可再加“中文”或“英文”），"
    "用于恢复自动摘要。",
)
RESET_USAGE = Localized(
    "Use /summary edit --reset, or /summary edit --reset zh (or en) for one language only.",
    "请使用 /summary edit --reset；只恢复一种语言时，使用 /summary edit --reset 中文（或英文）。",
)


@dataclass(frozen=True, slots=True)
class Reset:
    """Withdraw the live edits in `language` (`zh`, `en`), or in every language when None."""

    language: str | None


def read_edit(text: str, language: ChoiceParam) -> str | Reset:
    """The edited summary's text, or a `Reset`; a `UserError` names what is wrong.

    `language` reads the language word after `--reset` (its Chinese forms too). The reset is
    never stored as text, and neither is anything else that starts like an option.
    """
    words = text.split()
    if words and words[0].startswith(("--", "—")):  # phones turn "--" into a dash
        if words[0].lower().replace("—", "--") != RESET:
            raise UserError(UNKNOWN_OPTION, option=words[0][:40])
        if len(words) > 2:
            raise UserError(RESET_USAGE)
        return Reset(language.convert(words[1]) if len(words) == 2 else None)
    if len(text) < MIN_EDIT_CHARS:
        raise UserError(TOO_SHORT, limit=MIN_EDIT_CHARS, length=len(text))
    return text


def edit_key(article: LibraryArticle, language: str) -> str:
    """The language an edit in `language` is kept under for `article` (see the module)."""
    primary = language.split("-", 1)[0]
    return article.edition(primary).language if article.has_edition(primary) else primary


def text_key(article: LibraryArticle, text: str) -> str:
    """The language an edit with this text is kept under: that of the text."""
    return edit_key(article, detect_language(text))


def every_key(article: LibraryArticle) -> tuple[str, ...]:
    """Every language an edit of `article` can be kept under."""
    return tuple(dict.fromkeys(edit_key(article, language) for language in SUMMARY_LANGUAGES))
