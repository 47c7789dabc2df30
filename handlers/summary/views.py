"""How summaries, edit histories and original texts look as neutral replies."""

from __future__ import annotations

from bot.buttons import button
from bot.i18n import Locale, Localized
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
from domain.articles import Edition, LibraryArticle
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
_REDUCED = Localized(
    "Reduced by {percent}% (kept {kept} of {total} sentences).",
    "篇幅缩减 {percent}%（保留 {total} 句中的 {kept} 句）。",
)
_KEY_FIGURES = Localized("Key figures", "关键数字")
_TRANSLATION = Localized(
    "This edition is a translation by the Parley team.", "此版本为 Parley 团队的译文。"
)
_EDITED = Localized(
    "Edited summary by {author} ({date}, version {version}).",
    "由 {author} 编辑的摘要（{date}，第 {version} 版）。",
)
_SHOW_AUTOMATIC = Localized("Automatic summary", "自动摘要")
_SHOW_EDITED = Localized("Edited summary", "编辑后的摘要")
_ORIGINAL = Localized("Original text", "原文")
_SOURCE = Localized("Source", "来源")
_HISTORY_TITLE = Localized("Edited summaries: {title}", "摘要编辑历史：{title}")
_HISTORY_ITEM = Localized(
    "v{version} · {date} · {author}: {text}", "第 {version} 版 · {date} · {author}：{text}"
)
_NO_HISTORY = Localized(
    "Nobody has edited this summary yet. Moderators can use /summary edit.",
    "还没有人编辑过这篇摘要。管理员可以使用 /summary edit。",
)
_ORIGINAL_ATTACHED = Localized("The original text is attached.", "原文见附件。")
_PREVIEW_CHARS = 80


def summary_reply(
    article: LibraryArticle,
    edition: Edition,
    length: Length,
    shown: Summary | SummaryEdit,
    locale: Locale,
    *,
    has_edit: bool = False,
) -> Reply:
    """The automatic summary or a moderator's edited one, with buttons to switch.

    `has_edit` adds a button between the edited and the automatic summary.
    """
    blocks: list[Block] = []
    edit = shown if isinstance(shown, SummaryEdit) else None
    if edit is not None:
        date = edit.created_at.date().isoformat()
        blocks.append(
            Paragraph(
                _EDITED.render(locale, author=edit.author_name, date=date, version=edit.version)
            )
        )
        blocks.append(Paragraph(edit.text))
    elif isinstance(shown, Summary):
        blocks.extend(_summary_blocks(shown, length, locale))
    if edition.is_translation:
        blocks.append(Paragraph(_TRANSLATION.render(locale)))
    if article.source_url:
        blocks.append(Link(_SOURCE.render(locale), article.source_url))
    return Reply(
        title=edition.title,
        blocks=tuple(blocks),
        buttons=_buttons(
            article, edition, length, locale, edited=edit is not None, toggle=has_edit
        ),
    )


def _summary_blocks(summary: Summary, length: Length, locale: Locale) -> list[Block]:
    if length == "sections":
        items = tuple(
            f"{section.heading}: {' '.join(section.sentences)}"
            if section.heading
            else " ".join(section.sentences)
            for section in summary.sections
        )
    else:
        items = summary.sentences
    blocks: list[Block] = [
        BulletList(items),
        Paragraph(
            _REDUCED.render(
                locale,
                percent=summary.reduction_percent,
                kept=summary.kept_sentence_count,
                total=summary.source_sentence_count,
            )
        ),
    ]
    if summary.key_figures:
        blocks.append(Heading(_KEY_FIGURES.render(locale)))
        blocks.append(Fields(tuple((f.text, f.context) for f in summary.key_figures)))
    return blocks


def _buttons(
    article: LibraryArticle,
    edition: Edition,
    length: Length,
    locale: Locale,
    *,
    edited: bool,
    toggle: bool,
) -> tuple[tuple[Button, ...], ...]:
    language = edition.primary_language
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
    original = SummaryOriginal(ref=article.ref, language=language)
    others.append(button(_ORIGINAL.render(locale), original))
    return (lengths, tuple(others))


def history_reply(edition: Edition, history: list[SummaryEdit], locale: Locale) -> Reply:
    """Every version of the edited summary, newest first."""
    if not history:
        return Reply.text(_NO_HISTORY.render(locale))
    items = tuple(
        _HISTORY_ITEM.render(
            locale,
            version=edit.version,
            date=edit.created_at.strftime("%Y-%m-%d %H:%M"),
            author=edit.author_name,
            text=_preview(edit.text),
        )
        for edit in reversed(history)
    )
    return Reply(
        title=_HISTORY_TITLE.render(locale, title=edition.title),
        blocks=(BulletList(items, ordered=False),),
    )


def original_reply(article: LibraryArticle, edition: Edition, locale: Locale) -> Reply:
    """The edition's full text as a Markdown attachment (and the link for imported pages)."""
    blocks: list[Block] = [Paragraph(_ORIGINAL_ATTACHED.render(locale))]
    if article.source_url:
        blocks.append(Link(_SOURCE.render(locale), article.source_url))
    return Reply(
        title=edition.title,
        blocks=tuple(blocks),
        attachment=Attachment(
            filename=f"article-{article.ref}-{edition.primary_language}.md",
            data=edition.text.encode("utf-8"),
            media_type="text/markdown",
            description=edition.title,
        ),
    )


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _PREVIEW_CHARS else flat[: _PREVIEW_CHARS - 1] + "…"
