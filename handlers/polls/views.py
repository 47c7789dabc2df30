"""The poll's replies: the poll message with its buttons, the private ballot, results, lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from bot.buttons import button
from bot.i18n import Locale
from bot.reply import Attachment, BulletList, Button, ButtonStyle, Paragraph, Preformatted, Reply
from bot.sanitize import clipped
from domain.polls import PollKind, ResultsVisibility, StancePhase
from handlers.polls import manage_texts, texts
from handlers.polls.actions import (
    PollBallot,
    PollByChat,
    PollPick,
    PollRetract,
    PollSubmit,
    PollVote,
)
from handlers.polls.ballots import encode_picks
from handlers.polls.results import PollResults, results_public
from storage.polls import PollRecord, PollSummary

BUTTONS_PER_ROW = 5
BUTTON_LABEL_LIMIT = 80  # Discord's limit; Telegram allows more
_RANKS = "①②③④⑤⑥⑦⑧⑨⑩"  # a ranked ballot's marks; a poll has at most 10 options


def format_when(moment: datetime, zone: tzinfo = UTC) -> str:
    """A moment in the chat's zone, labelled: `2026-03-01 22:00 Asia/Shanghai`, `… 14:00 UTC`."""
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {getattr(zone, 'key', None) or local.tzname()}"


def poll_view(
    poll: PollRecord, results: PollResults, lang: Locale, now: datetime, zone: tzinfo = UTC
) -> Reply:
    """The poll message: question, settings, the tally when visible, and one button per option.

    Times are shown in `zone`, the time zone of the chat the message is in.
    """
    is_open = poll.is_open(now)
    blocks: list[Paragraph | Preformatted] = [Paragraph(poll.question)]
    blocks.append(Paragraph(" · ".join(_settings_line(poll, lang, is_open, zone))))
    if results_public(poll, now):
        blocks.extend(tally_blocks(poll, results, lang))
    else:
        hidden = (
            texts.HIDDEN_AFTER_VOTE
            if poll.visibility is ResultsVisibility.AFTER_VOTE
            else texts.HIDDEN_AFTER_CLOSE
        )
        blocks.append(Paragraph(hidden.render(lang, voters=results.tally.voters)))
    if not is_open:
        return Reply(title=_title(poll, lang, closed=True), blocks=tuple(blocks))
    if poll.open_options:
        blocks.append(Paragraph(manage_texts.HOW_ADD.render(lang, id=poll.id)))
    if poll.shuffle:
        how = manage_texts.HOW_SHUFFLED
        buttons = [button(manage_texts.VOTE.render(lang), PollBallot(poll=poll.id))]
    else:
        how = texts.HOW_SINGLE if poll.kind is PollKind.SINGLE else texts.HOW_BALLOT
        buttons = [
            button(
                _label(f"{index + 1}. {poll.options[index]}"), PollVote(poll=poll.id, option=index)
            )
            for index in poll.live_options
        ]
    return Reply(
        title=_title(poll, lang, closed=False),
        blocks=tuple(blocks),
        buttons=_rows(buttons),
        footer=how.render(lang),
    )


def tally_blocks(
    poll: PollRecord, results: PollResults, lang: Locale
) -> list[Paragraph | Preformatted]:
    """The count as text; a ranked poll's first preferences say so until the rounds are counted."""
    count = Preformatted(results.text(poll.options, lang))
    if poll.kind is PollKind.RANKED and results.runoff is None:
        return [Paragraph(texts.RANKED_FIRST.render(lang)), count]
    return [count]


def choice_list(poll: PollRecord, choices: Sequence[int], lang: Locale) -> str:
    """Chosen options as a confirmation names them: `A > B` when ranked, else `A, B` (`甲、乙`)."""
    joiner = " > " if poll.kind is PollKind.RANKED else texts.LIST_JOINER.render(lang)
    return joiner.join(poll.options[index] for index in choices)


def ballot_view(
    poll: PollRecord,
    picks: tuple[int, ...],
    lang: Locale,
    order: Sequence[int],
    *,
    notice: str | None = None,
) -> Reply:
    """The private ballot of a multi or ranked poll (or a shuffled one), with the picks so far.

    Its toggles follow `order` (`PollService.ballot_order`: the voter's own on a `--shuffle`
    poll, else the options on offer in declared order). A toggle reads as its option; a
    picked one is marked `✓` (multi) or with its rank `①`, `②` … (ranked). `notice` is said
    above the ballot (why a press changed nothing).
    """
    ranked = poll.kind is PollKind.RANKED
    limit = poll.choice_limit
    if picks:
        chosen: Paragraph | BulletList = BulletList(
            tuple(poll.options[index] for index in picks), ordered=ranked
        )
    else:
        chosen = Paragraph(texts.BALLOT_EMPTY.render(lang))
    if ranked:
        how = texts.BALLOT_HOW_RANKED.render(lang)
    elif poll.kind is PollKind.SINGLE:
        how = manage_texts.BALLOT_HOW_SINGLE.render(lang)
    else:
        how = texts.BALLOT_HOW_MULTI.render(lang, max=limit)
    word = encode_picks(picks)
    toggles = []
    for index in order:
        mark = ""
        if index in picks:
            mark = f"{_rank_mark(picks.index(index) + 1)} " if ranked else "✓ "
        pick = PollPick(poll=poll.id, picks=word, option=index)
        toggles.append(button(_label(f"{mark}{poll.options[index]}"), pick))
    submit = PollSubmit(poll=poll.id, picks=word)
    actions = (
        button(texts.SUBMIT.render(lang), submit, style=ButtonStyle.PRIMARY),
        button(texts.WITHDRAW.render(lang), PollRetract(poll=poll.id), style=ButtonStyle.DANGER),
    )
    return Reply(
        title=texts.BALLOT_TITLE.render(lang, id=poll.id),
        blocks=(
            *((Paragraph(notice),) if notice else ()),
            Paragraph(poll.question),
            chosen,
            Paragraph(how),
        ),
        buttons=(*_rows(toggles), actions),
        private=True,
    )


def results_view(
    poll: PollRecord,
    results: PollResults,
    lang: Locale,
    now: datetime,
    chart: bytes | None,
    *,
    by_chat: bool = False,
) -> Reply:
    """The answer to `/poll results`: the tally or rounds as text, and the chart.

    A poll shown in several chats (`by_chat`) gets a button for the per-chat breakdown.
    """
    title = texts.RESULTS_TITLE if poll.is_open(now) else texts.RESULTS_CLOSED_TITLE
    attachment = None
    if chart is not None:
        attachment = Attachment(
            filename=f"poll-{poll.id}.png",
            data=chart,
            media_type="image/png",
            is_image=True,
            description=(
                texts.CHART_RANKED_DESCRIPTION
                if results.runoff is not None
                else texts.CHART_DESCRIPTION
            ).render(lang),
        )
    return Reply(
        title=title.render(lang, id=poll.id),
        blocks=(Paragraph(poll.question), Preformatted(results.text(poll.options, lang))),
        attachment=attachment,
        buttons=((button(texts.BY_CHAT.render(lang), PollByChat(poll=poll.id)),),)
        if by_chat
        else (),
        footer=texts.IRV_RULE.render(lang) if results.runoff is not None else None,
        private=not results_public(poll, now),
    )


def announcement_view(poll: PollRecord, results: PollResults, lang: Locale) -> Reply:
    """The message posted once when a poll closes."""
    return Reply(
        title=texts.ANNOUNCE_TITLE.render(lang, id=poll.id),
        blocks=(Paragraph(poll.question), Preformatted(results.text(poll.options, lang))),
    )


def reminder_view(poll: PollRecord, lang: Locale, now: datetime, zone: tzinfo = UTC) -> Reply:
    """The reminder posted `--remind` before the deadline (its time in the chat's `zone`)."""
    when = format_when(poll.closes_at or now, zone)
    return Reply(
        title=manage_texts.REMINDER_TITLE.render(lang, id=poll.id),
        blocks=(Paragraph(poll.question), Paragraph(manage_texts.REMINDER.render(lang, when=when))),
    )


def list_view(
    polls: Sequence[PollSummary],
    lang: Locale,
    now: datetime,
    zone: tzinfo = UTC,
    *,
    page: int = 1,
    more: bool = False,
) -> Reply:
    """`/poll list`: one page of the chat's polls, newest first, times in the chat's zone.

    When older polls follow (`more`), the footer says how to see them.
    """
    lines = []
    for poll in polls:
        values = {
            "id": poll.id,
            "question": clipped(poll.question, 80),
            "voters": texts.voters(poll.voters, lang),
        }
        closes = poll.closed_at or poll.closes_at
        when = format_when(closes, zone) if closes is not None else ""
        if poll.is_open(now):
            line = texts.LIST_OPEN.render(lang, **values)
            if closes is not None:
                line += texts.LIST_CLOSES.render(lang, when=when)
        else:
            line = texts.LIST_CLOSED.render(lang, when=when, **values)
        lines.append(line)
    title = texts.LIST_TITLE if page == 1 else texts.LIST_PAGE_TITLE
    return Reply(
        title=title.render(lang, page=page),
        blocks=(BulletList(tuple(lines)),),
        footer=texts.LIST_MORE.render(lang, page=page + 1) if more else None,
    )


def _title(poll: PollRecord, lang: Locale, *, closed: bool) -> str:
    if poll.stance is StancePhase.BEFORE:
        return texts.STANCE_BEFORE_TITLE.render(lang, id=poll.id, poll=poll.id)
    if poll.stance is StancePhase.AFTER:
        return texts.STANCE_AFTER_TITLE.render(lang, id=poll.stance_before, poll=poll.id)
    return (texts.POLL_CLOSED_TITLE if closed else texts.POLL_TITLE).render(lang, id=poll.id)


def _settings_line(poll: PollRecord, lang: Locale, is_open: bool, zone: tzinfo) -> list[str]:
    if poll.kind is PollKind.MULTI:
        parts = [texts.KIND_MULTI.render(lang, max=poll.choice_limit)]
    elif poll.kind is PollKind.RANKED:
        parts = [texts.KIND_RANKED.render(lang)]
    else:
        parts = [texts.KIND_SINGLE.render(lang)]
    parts.append((texts.ANONYMOUS if poll.anonymous else texts.NAMED).render(lang))
    if poll.allowed_role is not None:
        parts.append(texts.ROLE_ONLY.render(lang, role=poll.allowed_role))
    if poll.open_options:
        parts.append(manage_texts.OPEN_OPTIONS.render(lang))
    if poll.shuffle:
        parts.append(manage_texts.SHUFFLED.render(lang))
    if poll.closed_at is not None:
        parts.append(texts.CLOSED_AT.render(lang, when=format_when(poll.closed_at, zone)))
    elif poll.closes_at is not None:
        moment = format_when(poll.closes_at, zone)
        parts.append((texts.CLOSES_AT if is_open else texts.CLOSED_AT).render(lang, when=moment))
    return parts


def _rank_mark(rank: int) -> str:
    return _RANKS[rank - 1] if rank <= len(_RANKS) else f"({rank})"


def _label(text: str) -> str:
    return clipped(text, BUTTON_LABEL_LIMIT)


def _rows(buttons: Sequence[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(buttons[start : start + BUTTONS_PER_ROW])
        for start in range(0, len(buttons), BUTTONS_PER_ROW)
    )
