"""How summaries and original texts look as neutral replies."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.buttons import button
from bot.i18n import Locale, Localized, Plural, parse_locale
from bot.reply import (
    Attachment,
    Block,
    BulletList,
    Button,
    ButtonStyle,
    Fields,
    Heading,
    Link,
    Paragraph,
    Reply,
)
from domain.articles import Edition, LibraryArticle, language_name
from handlers.summary.actions import AUTOMATIC, EDITED, SummaryOriginal, SummaryView
from handlers.summary.summarizer import LENGTHS, Length, Summary
from storage.articles import SummaryEdit

LENGTH_LABELS: dict[str, Localized] = {
    "short": Localized("Short", "简短"),
    "medium": Localized("Medium", "中等"),
    "long": Localized("Long", "详细"),
    "sections": Localized("By section", "分节"),
}
LANGUAGE_LABELS = {"zh": "中文", "en": "English"}
_REDUCED = Plural(
    "Reduced by {percent}% in length (kept {kept} of {count} sentence).",
    "Reduced by {percent}% in length (kept {kept} of {count} sentences).",
    "篇幅缩减 {percent}%（保留 {count} 句中的 {kept} 句）。",
)
_ENDS_A_SENTENCE = frozenset("?!.:？！。：")
_KEY_FIGURES = Localized("Key figures", "关键数字")
_TRANSLATION = Localized(
    "This edition is a translation by the Parley team.", "此版本为 Parley 团队的译文。"
)
_EDITED = Localized(
    "Edited summary by {author} ({date}, version {version}).",
    "由 {author} 编辑的摘要（{date}，第 {version} 版）。",
)
_NO_EDITION = Localized(
    "This article has no {language} edition, so this is the summary of its {original} text."
    " A moderator can add a {language} summary: /summary edit followed by the summary"
    " written in {language}.",
    "这篇文章没有{language}版，以下是{original}原文的摘要。"
    "管理员可以添加{language}摘要：在 /summary edit 后面写上{language}摘要。",
)
_SHOW_AUTOMATIC = Localized("Automatic summary", "自动摘要")
_SHOW_EDITED = Localized("Edited summary", "编辑后的摘要")
_FULL_TEXT = Localized("Full text", "全文")
_SOURCE = Localized("Source", "来源")
_FULL_TEXT_ATTACHED = Localized("The full text is attached.", "全文见附件。")
_TRANSLATION_ATTACHED = Localized(
    "Translation by the Parley team, attached (the translator's note opens the file).",
    "Parley 团队的译文见附件（文件开头附有译者说明）。",
)
_TRANSLATORS_NOTE = Localized("*Translator's note: {note}*", "*译者说明：{note}*")


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What a language model made of the automatic summary, shown in its place.

    `label` names the model, the provider and the article's sentences; a `translated` one stands
    in for a missing edition, so its label replaces the note saying the edition is missing.
    """

    bullets: tuple[str, ...]
    label: str
    translated: bool = False
    title: str | None = None
    """A translation's translated title (the edition's own title shows without one)."""


def summary_reply(
    article: LibraryArticle,
    edition: Edition,
    length: Length,
    shown: Summary | SummaryEdit,
    locale: Locale,
    *,
    language: str,
    zone: ZoneInfo,
    has_edit: bool = False,
    rewrite: Rewrite | None = None,
    note: str | None = None,
) -> Reply:
    """The automatic summary or a moderator's edited one, with buttons to switch.

    `language` is the one asked for (`zh`, `en`): when the article has no edition in it, the
    automatic summary of the original says so. `has_edit` adds a button between the edited and
    the automatic summary; `zone` is the chat's, for the edit's date. `rewrite` shows a language
    model's bullets instead of the automatic summary's sentences; `note` follows the summary
    (what the model is doing, or why its summary is not shown).
    """
    blocks: list[Block] = []
    edit = shown if isinstance(shown, SummaryEdit) else None
    if edit is not None:
        date = edit.created_at.astimezone(zone).date().isoformat()
        blocks.append(
            Paragraph(
                _EDITED.render(locale, author=edit.author_name, date=date, version=edit.version)
            )
        )
        blocks.append(Paragraph(edit.text))
    elif rewrite is not None and rewrite.translated:
        blocks.extend((BulletList(rewrite.bullets), Paragraph(rewrite.label)))
    elif isinstance(shown, Summary):
        if rewrite is None:
            blocks.extend(_summary_blocks(shown, length, locale))
        else:
            blocks.extend((BulletList(rewrite.bullets), Paragraph(rewrite.label)))
            blocks.extend(_key_figures(shown, locale) if shown.key_figures else ())
        if not article.has_edition(language):
            blocks.append(Paragraph(_no_edition(edition, language, locale)))
        elif edition.is_translation:
            blocks.append(Paragraph(_TRANSLATION.render(locale)))
    if note:
        blocks.append(Paragraph(note))
    if article.source_url:
        blocks.append(Link(_SOURCE.render(locale), article.source_url))
    return Reply(
        title=rewrite.title if rewrite is not None and rewrite.title else edition.title,
        blocks=tuple(blocks),
        buttons=_buttons(
            article, edition, language, length, locale, edited=edit is not None, toggle=has_edit
        ),
    )


def _no_edition(edition: Edition, language: str, locale: Locale) -> str:
    return _NO_EDITION.render(
        locale,
        language=language_name(language, locale),
        original=language_name(edition.language, locale),
    )


def _summary_blocks(summary: Summary, length: Length, locale: Locale) -> list[Block]:
    if length == "sections":
        space = "" if summary.language.startswith("zh") else " "
        items = tuple(
            _labelled(section.heading, space.join(section.sentences), summary.language)
            for section in summary.sections
        )
    else:
        items = summary.sentences
    blocks: list[Block] = [
        BulletList(items),
        Paragraph(
            _REDUCED.render(
                locale,
                percent=min(summary.reduction_percent, 99),  # something is always kept
                kept=summary.kept_sentence_count,
                count=summary.source_sentence_count,
            )
        ),
    ]
    if summary.key_figures:
        blocks.extend(_key_figures(summary, locale))
    return blocks


def _key_figures(summary: Summary, locale: Locale) -> list[Block]:
    return [
        Heading(_KEY_FIGURES.render(locale)),
        Fields(tuple((f.text, f.context) for f in summary.key_figures)),
    ]


def _labelled(heading: str | None, text: str, language: str) -> str:
    """A section's sentences after its heading, joined with the text's own punctuation.

    A heading that ends a sentence ("Is it a lot?") takes no colon after it.
    """
    if not heading:
        return text
    chinese = language.startswith("zh")
    if heading[-1] in _ENDS_A_SENTENCE:
        return f"{heading}{'' if chinese else ' '}{text}"
    return f"{heading}{'：' if chinese else ': '}{text}"


def _buttons(
    article: LibraryArticle,
    edition: Edition,
    language: str,
    length: Length,
    locale: Locale,
    *,
    edited: bool,
    toggle: bool,
) -> tuple[tuple[Button, ...], ...]:
    mode = EDITED if edited else AUTOMATIC
    lengths = tuple(
        button(
            LENGTH_LABELS[option].render(locale),
            SummaryView(ref=article.ref, length=option, language=language, mode=AUTOMATIC),
            style=ButtonStyle.PRIMARY if option == length and not edited else ButtonStyle.SECONDARY,
        )
        for option in LENGTHS
    )
    others: list[Button] = [
        button(
            LANGUAGE_LABELS.get(other, other),
            SummaryView(ref=article.ref, length=length, language=other, mode=mode),
        )
        for other in article.languages
        if other != language and other in LANGUAGE_LABELS
    ]
    if toggle:
        label, target = (_SHOW_AUTOMATIC, AUTOMATIC) if edited else (_SHOW_EDITED, EDITED)
        view = SummaryView(ref=article.ref, length=length, language=language, mode=target)
        others.append(button(label.render(locale), view))
    original = SummaryOriginal(ref=article.ref, language=edition.primary_language)
    others.append(button(_FULL_TEXT.render(locale), original))
    return (lengths, tuple(others))


def original_reply(article: LibraryArticle, edition: Edition, locale: Locale) -> Reply:
    """The edition's full text as a Markdown attachment (and the link for imported pages).

    A translation says so in the caption, and its file opens with the translator's note.
    """
    caption = _TRANSLATION_ATTACHED if edition.is_translation else _FULL_TEXT_ATTACHED
    blocks: list[Block] = [Paragraph(caption.render(locale))]
    text = edition.text
    if edition.is_translation:
        own = parse_locale(edition.language) or "en"  # the file speaks the edition's language
        note = edition.note or _TRANSLATION.render(own)
        text = f"{_TRANSLATORS_NOTE.render(own, note=note)}\n\n{text}"
    if article.source_url:
        blocks.append(Link(_SOURCE.render(locale), article.source_url))
    return Reply(
        title=edition.title,
        blocks=tuple(blocks),
        attachment=Attachment(
            filename=f"article-{article.ref}-{edition.primary_language}.md",
            data=text.encode("utf-8"),
            media_type="text/markdown",
            description=edition.title,
        ),
    )
