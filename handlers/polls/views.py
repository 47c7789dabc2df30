"""The poll's replies: the poll message with its buttons, the private ballot, results, lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.buttons import button
from bot.i18n import Locale
from bot.reply import Attachment, BulletList, Button, ButtonStyle, Paragraph, Preformatted, Reply
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


def format_when(moment: datetime) -> str:
    """A moment as `2026-03-01 14:00 UTC`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def poll_view(poll: PollRecord, results: PollResults, lang: Locale, now: datetime) -> Reply:
    """The poll message: question, settings, the tally when visible, and one button per option."""
    is_open = poll.is_open(now)
    blocks: list[Paragraph | Preformatted] = [Paragraph(poll.question)]
    blocks.append(Paragraph(" · ".join(_settings_line(poll, lang, is_open))))
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


def ballot_view(
    poll: PollRecord, picks: tuple[int, ...], lang: Locale, order: Sequence[int] | None = None
) -> Reply:
    """The private ballot of a multi or ranked poll (or a shuffled one), with the picks so far.

    Its toggles follow `order` (the voter's own on a `--shuffle` poll, without the declared
    numbers), else the options on offer in declared order.
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
    for index in poll.live_options if order is None else order:
        mark = ""
        if index in picks:
            mark = f"#{picks.index(index) + 1} " if ranked else "✓ "
        number = "" if poll.shuffle else f"{index + 1}. "
        pick = PollPick(poll=poll.id, picks=word, option=index)
        toggles.append(button(_label(f"{mark}{number}{poll.options[index]}"), pick))
    submit = PollSubmit(poll=poll.id, picks=word)
    actions = (
        button(texts.SUBMIT.render(lang), submit, style=ButtonStyle.PRIMARY),
        button(texts.WITHDRAW.render(lang), PollRetract(poll=poll.id), style=ButtonStyle.DANGER),
    )
    return Reply(
        title=texts.BALLOT_TITLE.render(lang, id=poll.id),
        blocks=(Paragraph(poll.question), chosen, Paragraph(how)),
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
        private=not results_public(poll, now),
    )


def announcement_view(poll: PollRecord, results: PollResults, lang: Locale) -> Reply:
    """The message posted once when a poll closes."""
    return Reply(
        title=texts.ANNOUNCE_TITLE.render(lang, id=poll.id),
        blocks=(Paragraph(poll.question), Preformatted(results.text(poll.options, lang))),
    )


def reminder_view(poll: PollRecord, lang: Locale, now: datetime) -> Reply:
    """The reminder posted `--remind` before the deadline."""
    when = format_when(poll.closes_at or now)
    return Reply(
        title=manage_texts.REMINDER_TITLE.render(lang, id=poll.id),
        blocks=(Paragraph(poll.question), Paragraph(manage_texts.REMINDER.render(lang, when=when))),
    )


def list_view(polls: Sequence[PollSummary], lang: Locale, now: datetime) -> Reply:
    """`/poll list`: open and recent polls, newest first."""
    lines = []
    for poll in polls:
        is_open = poll.is_open(now)
        values = {"id": poll.id, "question": _short(poll.question), "voters": poll.voters}
        if is_open:
            line = texts.LIST_OPEN.render(lang, **values)
            if poll.closes_at is not None:
                line += texts.LIST_CLOSES.render(lang, when=format_when(poll.closes_at))
        else:
            line = texts.LIST_CLOSED.render(lang, **values)
        lines.append(line)
    return Reply(title=texts.LIST_TITLE.render(lang), blocks=(BulletList(tuple(lines)),))


def _title(poll: PollRecord, lang: Locale, *, closed: bool) -> str:
    if poll.stance is StancePhase.BEFORE:
        return texts.STANCE_BEFORE_TITLE.render(lang, id=poll.id)
    if poll.stance is StancePhase.AFTER:
        return texts.STANCE_AFTER_TITLE.render(lang, id=poll.stance_before)
    return (texts.POLL_CLOSED_TITLE if closed else texts.POLL_TITLE).render(lang, id=poll.id)


def _settings_line(poll: PollRecord, lang: Locale, is_open: bool) -> list[str]:
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
        parts.append(texts.CLOSED_AT.render(lang, when=format_when(poll.closed_at)))
    elif poll.closes_at is not None:
        moment = format_when(poll.closes_at)
        parts.append((texts.CLOSES_AT if is_open else texts.CLOSED_AT).render(lang, when=moment))
    return parts


def _label(text: str) -> str:
    return text if len(text) <= BUTTON_LABEL_LIMIT else text[: BUTTON_LABEL_LIMIT - 1] + "…"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rows(buttons: Sequence[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(buttons[start : start + BUTTONS_PER_ROW])
        for start in range(0, len(buttons), BUTTONS_PER_ROW)
    )
