"""`/summary history` as a neutral reply: every language's versions, in the chat's time zone.

Each language's newest versions are listed, newest first, marked when shown now, withdrawn or
restored from an older one; a moderator's button restores a version that is not shown now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.buttons import button
from bot.i18n import Locale, Localized, Plural
from bot.reply import Block, BulletList, Button, Heading, Paragraph, Reply
from bot.sanitize import clipped
from domain.articles import LibraryArticle, language_name
from handlers.summary.actions import SummaryRestore
from storage.articles import SummaryEdit

RESTORE_BUTTONS = 5
_PREVIEW_CHARS = 80
_TIME = "%Y-%m-%d %H:%M"

_TITLE = Localized("Edited summaries: {title}", "摘要编辑历史：{title}")
_LANGUAGE = Localized("{language} summary", "{language}摘要")
_ZONE = Localized("Times are in {zone}, this chat's time zone.", "时间按本群时区 {zone} 显示。")
_ITEM = Localized(
    "v{version} · {time} · {author}: {text}", "第 {version} 版 · {time} · {author}：{text}"
)
_SHOWN = Localized(" (shown now)", "（当前显示）")
_WITHDRAWN = Localized(" (withdrawn {time})", "（已于 {time} 撤回）")
_RESTORES = Localized(" (restores v{version})", "（恢复自第 {version} 版）")
_OLDER = Plural(
    "…and {count} older version.", "…and {count} older versions.", "……另有 {count} 个更早的版本。"
)
_HOW = Localized(
    "Moderators: a button restores that version; /summary edit --reset goes back to the"
    " automatic summary.",
    "管理员：点按钮可恢复对应版本；/summary edit --reset 可恢复自动摘要。",
)
_RESTORE = Localized("Restore v{version}", "恢复第 {version} 版")
_RESTORE_IN = Localized("Restore v{version} ({language})", "恢复{language}第 {version} 版")
_NONE = Localized(
    "Nobody has edited this summary yet. Moderators can use /summary edit.",
    "还没有人编辑过这篇摘要。管理员可以使用 /summary edit。",
)


@dataclass(frozen=True, slots=True)
class EditionHistory:
    """One language's newest versions (oldest first) and how many it has in all."""

    language: str
    versions: list[SummaryEdit]
    total: int


def history_reply(
    article: LibraryArticle, histories: list[EditionHistory], locale: Locale, zone: ZoneInfo
) -> Reply:
    """Every language's newest versions of the chat's edited summary of `article`."""
    histories = [history for history in histories if history.versions]
    if not histories:
        return Reply.text(_NONE.render(locale))
    blocks: list[Block] = [Paragraph(_ZONE.render(locale, zone=zone.key))]
    restorable: list[tuple[str, SummaryEdit]] = []
    for history in histories:
        name = language_name(history.language, locale)
        blocks.append(Heading(_LANGUAGE.render(locale, language=name)))
        blocks.extend(_versions(history, locale, zone))
        live = _live(history.versions)
        restorable.extend((name, edit) for edit in history.versions if edit is not live)
    blocks.append(Paragraph(_HOW.render(locale)))
    buttons = _restore_buttons(article, restorable, locale, several=len(histories) > 1)
    return Reply(
        title=_TITLE.render(locale, title=article.title(locale)),
        blocks=tuple(blocks),
        buttons=(buttons,) if buttons else (),
    )


def _versions(history: EditionHistory, locale: Locale, zone: ZoneInfo) -> list[Block]:
    """One language's versions, newest first, and how many older ones are left out."""
    live = _live(history.versions)
    shown = history.versions[::-1]
    items = tuple(_item(edit, edit is live, locale, zone) for edit in shown)
    blocks: list[Block] = [BulletList(items)]
    if history.total > len(shown):
        blocks.append(Paragraph(_OLDER.render(locale, count=history.total - len(shown))))
    return blocks


def _live(versions: list[SummaryEdit]) -> SummaryEdit | None:
    """The version shown now: the newest, unless it was withdrawn."""
    return versions[-1] if versions[-1].withdrawn_at is None else None


def _item(edit: SummaryEdit, live: bool, locale: Locale, zone: ZoneInfo) -> str:
    text = _ITEM.render(
        locale,
        version=edit.version,
        time=_local(edit.created_at, zone),
        author=edit.author_name,
        text=_preview(edit.text),
    )
    if edit.restores is not None:
        text += _RESTORES.render(locale, version=edit.restores)
    if edit.withdrawn_at is not None:
        text += _WITHDRAWN.render(locale, time=_local(edit.withdrawn_at, zone))
    elif live:
        text += _SHOWN.render(locale)
    return text


def _restore_buttons(
    article: LibraryArticle,
    restorable: Iterable[tuple[str, SummaryEdit]],
    locale: Locale,
    *,
    several: bool,
) -> tuple[Button, ...]:
    """Buttons for the newest versions not shown now (one row: at most `RESTORE_BUTTONS`)."""
    newest = sorted(restorable, key=lambda pair: pair[1].id, reverse=True)[:RESTORE_BUTTONS]
    return tuple(
        button(
            (_RESTORE_IN if several else _RESTORE).render(
                locale, version=edit.version, language=name
            ),
            SummaryRestore(ref=article.ref, edit=edit.id),
        )
        for name, edit in newest
    )


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(_TIME)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return clipped(flat, _PREVIEW_CHARS)
