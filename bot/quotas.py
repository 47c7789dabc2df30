"""How much one person or one chat may keep open at once, and the replies when a cap is reached.

The caps come from the settings (`PARLEY_MAX_…`); storage enforces them in the transaction
that would add the row (`storage.quota`), and features answer with `refusal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Settings
from bot.errors import UserError
from bot.i18n import Localized
from storage.quota import Quota, QuotaReachedError, Scope


@dataclass(frozen=True, slots=True)
class Quotas:
    """Every cap, one `Quota` per kind of row."""

    open_polls: Quota
    scheduled_posts: Quota
    pending_arguments: Quota
    added_articles: Quota

    @classmethod
    def from_settings(cls, settings: Settings) -> Quotas:
        """The caps the settings ask for."""
        return cls(
            open_polls=Quota(
                per_person=settings.max_open_polls_per_person,
                per_chat=settings.max_open_polls_per_chat,
            ),
            scheduled_posts=Quota(
                per_person=settings.max_scheduled_posts_per_person,
                per_chat=settings.max_scheduled_posts_per_chat,
            ),
            pending_arguments=Quota(per_person=settings.max_pending_arguments_per_person),
            added_articles=Quota(per_chat=settings.max_articles_per_chat),
        )


QuotaTexts = Mapping[Scope, Localized]
"""What to say when the person's or the chat's cap of one kind is reached."""

OPEN_POLLS: QuotaTexts = {
    Scope.PERSON: Localized(
        "You already have {limit} open polls, the most one person may have. Close one with"
        " /poll close ID first (/poll list shows a chat's polls).",
        "你已有 {limit} 个进行中的投票，这是每人的上限。请先用 /poll close 编号 关闭一个"
        "（/poll list 可以查看聊天里的投票）。",
    ),
    Scope.CHAT: Localized(
        "This chat already has {limit} open polls, the most one chat may have. Close some with"
        " /poll close ID first (/poll list shows them).",
        "这个聊天里已有 {limit} 个进行中的投票，这是每个聊天的上限。请先用 /poll close 编号"
        " 关闭一些（/poll list 可以查看）。",
    ),
}
SCHEDULED_POSTS: QuotaTexts = {
    Scope.PERSON: Localized(
        "You already have {limit} scheduled posts waiting, the most one person may have."
        " Cancel one with /schedule cancel ID first (/schedule list shows a chat's posts).",
        "你已有 {limit} 条等待发布的定时内容，这是每人的上限。请先用 /schedule cancel 编号"
        " 取消一条（/schedule list 可以查看聊天里的定时内容）。",
    ),
    Scope.CHAT: Localized(
        "This chat already has {limit} scheduled posts waiting, the most one chat may have."
        " Cancel some with /schedule cancel ID first (/schedule list shows them).",
        "这个聊天里已有 {limit} 条等待发布的定时内容，这是每个聊天的上限。请先用"
        " /schedule cancel 编号 取消一些（/schedule list 可以查看）。",
    ),
}
PENDING_ARGUMENTS: QuotaTexts = {
    Scope.PERSON: Localized(
        "You already have {limit} arguments waiting for a moderator here, the most one person"
        " may have. Wait until they are reviewed, or take one back with /argue withdraw ID.",
        "你在这里已有 {limit} 条论点等待管理员审核，这是每人的上限。请等审核后再提交，"
        "或用 /argue withdraw 编号 撤回一条。",
    ),
}
ADDED_ARTICLES: QuotaTexts = {
    Scope.CHAT: Localized(
        "This chat already has {limit} added articles, the most one chat may keep. Choose one of"
        " them with /article list and /article use ID, or ask the bot's operator to raise"
        " PARLEY_MAX_ARTICLES_PER_CHAT.",
        "这个聊天里已添加了 {limit} 篇文章，这是每个聊天的上限。请用 /article list 和"
        " /article use 编号 选用已有的文章，或请机器人的运营者调高 PARLEY_MAX_ARTICLES_PER_CHAT。",
    ),
}


def refusal(error: QuotaReachedError, texts: QuotaTexts) -> UserError:
    """The reply for a reached cap: which one, and what to do about it."""
    return UserError(texts[error.scope], limit=error.limit)
