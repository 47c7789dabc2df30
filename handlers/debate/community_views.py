"""Pure reply builders for community arguments: the balanced community view and the queue."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from bot.buttons import button
from bot.i18n import Locale
from bot.reply import Button, ButtonStyle, Paragraph, Quote, Reply
from handlers.debate import texts
from handlers.debate.actions import ArgApprove, ArgQueue, ArgReject, ArgUpvote
from handlers.debate.model import Side
from handlers.debate.paging import USER_TEXT_PAGE_CHARS, Section
from handlers.debate.views import View, home_button, paged_view, view_pager
from storage.arguments import Argument

MAX_PER_SIDE = 5
QUEUE_PER_PAGE = 4


def community_pages(
    sides: tuple[Side, Side],
    arguments: tuple[Sequence[Argument], Sequence[Argument]],
    locale: Locale,
) -> list[Reply]:
    """The top approved arguments of both sides side by side, best first.

    `arguments` holds each side's best first, in the order of `sides`. Each side shows up to
    `MAX_PER_SIDE`; when one side has fewer, the other's are still shown and the intro says so.
    Until both sides have one, there is no view (a one-sided page would not be balanced).
    """
    shown = tuple(side_arguments[:MAX_PER_SIDE] for side_arguments in arguments)
    title = texts.COMMUNITY_TITLE.render(locale)
    if not all(shown):
        return [
            Reply(
                title=title,
                blocks=(Paragraph(texts.COMMUNITY_EMPTY.render(locale)),),
                buttons=((home_button(locale),),),
            )
        ]
    labels = {side.id: side.label.render(locale) for side in sides}
    sections = [
        Section(
            blocks=tuple(_argument_quote(a, labels, locale) for a in ranked),
            buttons=tuple(
                button(texts.UPVOTE_BUTTON.render(locale, id=a.id), ArgUpvote(argument_id=a.id))
                for a in ranked
            ),
        )
        for ranked in (
            [a for a in pair if a is not None] for pair in zip_longest(*shown, fillvalue=None)
        )
    ]
    first, second = (labels[side.id] for side in sides)
    intro = [
        Paragraph(
            texts.COMMUNITY_INTRO.render(
                locale,
                first=first,
                first_count=len(shown[0]),
                second=second,
                second_count=len(shown[1]),
            )
        )
    ]
    if len(shown[0]) != len(shown[1]):
        fewer = first if len(shown[0]) < len(shown[1]) else second
        intro.append(Paragraph(texts.COMMUNITY_UNEVEN.render(locale, side=fewer)))
    return paged_view(
        title=title,
        intro=tuple(intro),
        sections=sections,
        fixed=(home_button(locale),),
        locale=locale,
        page_button=view_pager(View.COMMUNITY),
        max_chars=USER_TEXT_PAGE_CHARS,
    )


def queue_pages(
    pending: Sequence[Argument], total: int, sides: tuple[Side, Side], locale: Locale
) -> list[Reply]:
    """Pending arguments, oldest first, each with Approve and Reject buttons."""
    title = texts.QUEUE_TITLE.render(locale, count=total)
    if not pending:
        return [Reply(title=title, blocks=(Paragraph(texts.QUEUE_EMPTY.render(locale)),))]
    labels = {side.id: side.label.render(locale) for side in sides}
    sections = [
        Section(
            blocks=(
                Quote(
                    argument.text,
                    texts.QUEUE_BYLINE.render(
                        locale,
                        id=argument.id,
                        side=labels.get(argument.side, argument.side),
                        author=argument.author_name,
                        when=argument.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                    ),
                ),
            ),
            buttons=(
                button(
                    texts.APPROVE_BUTTON.render(locale, id=argument.id),
                    ArgApprove(argument_id=argument.id),
                    style=ButtonStyle.SUCCESS,
                ),
                button(
                    texts.REJECT_BUTTON.render(locale, id=argument.id),
                    ArgReject(argument_id=argument.id),
                    style=ButtonStyle.DANGER,
                ),
            ),
        )
        for argument in pending
    ]

    def page_button(label: str, page: int) -> Button:
        return button(label, ArgQueue(page=page))

    return paged_view(
        title=title,
        intro=(),
        sections=sections,
        fixed=(),
        locale=locale,
        page_button=page_button,
        max_sections=QUEUE_PER_PAGE,
        max_chars=USER_TEXT_PAGE_CHARS,
        row_size=2,
    )


def _argument_quote(argument: Argument, labels: dict[str, str], locale: Locale) -> Quote:
    byline = texts.ARGUMENT_BYLINE.render(
        locale,
        id=argument.id,
        side=labels.get(argument.side, argument.side),
        votes=argument.votes,
        author=argument.author_name,
    )
    return Quote(argument.text, byline)
