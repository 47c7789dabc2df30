"""Poll limits: parsing the text form, validating drafts and ballots.

Every violation raises `PollRuleError` with a code and the numbers the message needs, so the
caller can show it in the voter's language (see `messages.py`). Option positions in params are
1-based, as people count them.
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from domain.polls import PollKind
from handlers.polls.model import Ballot, PollDraft
from handlers.text.similarity import find_near_duplicate

MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_QUESTION_CHARS = 300
MAX_OPTION_CHARS = 80
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=30)
MAX_ADDED_PER_PERSON = 2
"""Options one person may add to an `--open` poll."""

_SEPARATORS = re.compile("[|｜]")
_WHITESPACE = re.compile(r"\s+")


class PollRuleCode(StrEnum):
    """What a draft or ballot got wrong; each code has an English and Chinese message."""

    MISSING_SEPARATOR = "missing_separator"
    QUESTION_EMPTY = "question_empty"
    QUESTION_TOO_LONG = "question_too_long"
    TOO_FEW_OPTIONS = "too_few_options"
    TOO_MANY_OPTIONS = "too_many_options"
    OPTION_EMPTY = "option_empty"
    OPTION_TOO_LONG = "option_too_long"
    DUPLICATE_OPTIONS = "duplicate_options"
    MAX_CHOICES_NOT_MULTI = "max_choices_not_multi"
    MAX_CHOICES_OUT_OF_RANGE = "max_choices_out_of_range"
    DURATION_AND_DEADLINE = "duration_and_deadline"
    DURATION_TOO_SHORT = "duration_too_short"
    DURATION_TOO_LONG = "duration_too_long"
    DEADLINE_TOO_SOON = "deadline_too_soon"
    DEADLINE_TOO_FAR = "deadline_too_far"
    REMIND_WITHOUT_DEADLINE = "remind_without_deadline"
    REMIND_TOO_SHORT = "remind_too_short"
    REMIND_NOT_BEFORE_CLOSE = "remind_not_before_close"
    OPTIONS_FULL = "options_full"
    ADDED_ENOUGH = "added_enough"
    OPTION_NEAR_DUPLICATE = "option_near_duplicate"
    BALLOT_EMPTY = "ballot_empty"
    BALLOT_NOT_SINGLE = "ballot_not_single"
    BALLOT_TOO_MANY = "ballot_too_many"
    BALLOT_DUPLICATE = "ballot_duplicate"
    BALLOT_UNKNOWN_OPTION = "ballot_unknown_option"


class PollRuleError(Exception):
    """A user-facing rule violation: a code plus the values its message is formatted with."""

    def __init__(self, code: PollRuleCode, **params: int | str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def option_key(text: str) -> str:
    """Return the form two options are compared in: NFKC, casefolded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def parse_poll_text(text: str) -> PollDraft:
    """Parse `QUESTION | OPTION | OPTION ...` (ASCII or full-width bars) into a validated draft.

    Parts are stripped and empty options (a trailing bar) are dropped. Settings take their
    defaults; the caller applies its own with `dataclasses.replace` and validates again.
    """
    if not _SEPARATORS.search(text):
        raise PollRuleError(PollRuleCode.MISSING_SEPARATOR)
    question, *rest = (part.strip() for part in _SEPARATORS.split(text))
    draft = PollDraft(question=question, options=tuple(option for option in rest if option))
    validate_draft(draft)
    return draft


def validate_draft(draft: PollDraft, now: datetime | None = None) -> None:
    """Raise `PollRuleError` for the first limit the draft breaks.

    A deadline is checked against `now` (timezone-aware), which is required when it is set.
    """
    _check_question(draft.question)
    _check_options(draft.options)
    _check_max_choices(draft)
    _check_timing(draft, now)


def check_added_option(label: str, offered: Sequence[str], used: int, mine: int) -> None:
    """Raise `PollRuleError` unless `label` may join a poll offering `offered`.

    `used` counts every position (removed options keep theirs), `mine` the options this
    person added already. Near-duplicates are found as for community arguments.
    """
    _check_option(used + 1, label)
    if used >= MAX_OPTIONS:
        raise PollRuleError(PollRuleCode.OPTIONS_FULL, max=MAX_OPTIONS)
    if mine >= MAX_ADDED_PER_PERSON:
        raise PollRuleError(PollRuleCode.ADDED_ENOUGH, max=MAX_ADDED_PER_PERSON)
    same = find_near_duplicate(label, list(enumerate(offered)))
    if same is None:
        same = next(
            (i for i, text in enumerate(offered) if option_key(text) == option_key(label)), None
        )
    if same is not None:
        raise PollRuleError(PollRuleCode.OPTION_NEAR_DUPLICATE, option=offered[same])


def closing_time(draft: PollDraft, now: datetime) -> datetime | None:
    """Return when a valid draft created at `now` closes, or None if it stays open."""
    if draft.deadline is not None:
        return draft.deadline
    if draft.duration is not None:
        return now + draft.duration
    return None


def validate_ballot(
    ballot: Ballot, kind: PollKind, option_count: int, max_choices: int | None = None
) -> None:
    """Raise `PollRuleError` unless the ballot fits a poll of this kind and size."""
    choices = ballot.choices
    if not choices:
        raise PollRuleError(PollRuleCode.BALLOT_EMPTY)
    for index in choices:
        if not 0 <= index < option_count:
            raise PollRuleError(
                PollRuleCode.BALLOT_UNKNOWN_OPTION, number=index + 1, count=option_count
            )
    if kind is PollKind.SINGLE and len(choices) != 1:
        raise PollRuleError(PollRuleCode.BALLOT_NOT_SINGLE, count=len(choices))
    seen: set[int] = set()
    for index in choices:
        if index in seen:
            raise PollRuleError(PollRuleCode.BALLOT_DUPLICATE, number=index + 1)
        seen.add(index)
    limit = max_choices if max_choices is not None else option_count
    if kind is PollKind.MULTI and len(choices) > limit:
        raise PollRuleError(PollRuleCode.BALLOT_TOO_MANY, max=limit, count=len(choices))


def _check_question(question: str) -> None:
    if not question.strip():
        raise PollRuleError(PollRuleCode.QUESTION_EMPTY)
    if len(question) > MAX_QUESTION_CHARS:
        raise PollRuleError(
            PollRuleCode.QUESTION_TOO_LONG, max=MAX_QUESTION_CHARS, length=len(question)
        )


def _check_options(options: tuple[str, ...]) -> None:
    if len(options) < MIN_OPTIONS:
        raise PollRuleError(PollRuleCode.TOO_FEW_OPTIONS, min=MIN_OPTIONS, count=len(options))
    if len(options) > MAX_OPTIONS:
        raise PollRuleError(PollRuleCode.TOO_MANY_OPTIONS, max=MAX_OPTIONS, count=len(options))
    first_seen: dict[str, int] = {}
    for number, option in enumerate(options, start=1):
        _check_option(number, option)
        key = option_key(option)
        if key in first_seen:
            raise PollRuleError(
                PollRuleCode.DUPLICATE_OPTIONS, first=first_seen[key], second=number
            )
        first_seen[key] = number


def _check_option(number: int, option: str) -> None:
    """Raise `PollRuleError` when option `number`'s text is empty or too long."""
    if not option.strip():
        raise PollRuleError(PollRuleCode.OPTION_EMPTY, number=number)
    if len(option) > MAX_OPTION_CHARS:
        raise PollRuleError(
            PollRuleCode.OPTION_TOO_LONG, number=number, max=MAX_OPTION_CHARS, length=len(option)
        )


def _check_max_choices(draft: PollDraft) -> None:
    if draft.max_choices is None:
        return
    if draft.kind is not PollKind.MULTI:
        raise PollRuleError(PollRuleCode.MAX_CHOICES_NOT_MULTI, kind=draft.kind.value)
    if not 1 <= draft.max_choices <= len(draft.options):
        raise PollRuleError(
            PollRuleCode.MAX_CHOICES_OUT_OF_RANGE,
            value=draft.max_choices,
            max=len(draft.options),
        )


def _check_timing(draft: PollDraft, now: datetime | None) -> None:
    min_minutes = int(MIN_DURATION.total_seconds() // 60)
    max_days = MAX_DURATION.days
    if draft.duration is not None and draft.deadline is not None:
        raise PollRuleError(PollRuleCode.DURATION_AND_DEADLINE)
    if draft.duration is not None:
        if draft.duration < MIN_DURATION:
            raise PollRuleError(PollRuleCode.DURATION_TOO_SHORT, min_minutes=min_minutes)
        if draft.duration > MAX_DURATION:
            raise PollRuleError(PollRuleCode.DURATION_TOO_LONG, max_days=max_days)
    length = draft.duration
    if draft.deadline is not None:
        if now is None or draft.deadline.tzinfo is None or now.tzinfo is None:
            raise ValueError("a deadline needs timezone-aware `deadline` and `now`")
        check_deadline(draft.deadline, now)
        length = draft.deadline - now
    if draft.remind_before is not None:
        _check_reminder(draft.remind_before, length)


def check_deadline(deadline: datetime, now: datetime) -> None:
    """Raise `PollRuleError` unless a poll seen at `now` may close at `deadline` (both aware)."""
    if deadline - now < MIN_DURATION:
        minutes = int(MIN_DURATION.total_seconds() // 60)
        raise PollRuleError(PollRuleCode.DEADLINE_TOO_SOON, min_minutes=minutes)
    if deadline - now > MAX_DURATION:
        raise PollRuleError(PollRuleCode.DEADLINE_TOO_FAR, max_days=MAX_DURATION.days)


def _check_reminder(remind_before: timedelta, length: timedelta | None) -> None:
    if length is None:
        raise PollRuleError(PollRuleCode.REMIND_WITHOUT_DEADLINE)
    if remind_before < MIN_DURATION:
        minutes = int(MIN_DURATION.total_seconds() // 60)
        raise PollRuleError(PollRuleCode.REMIND_TOO_SHORT, min_minutes=minutes)
    if remind_before >= length:
        raise PollRuleError(PollRuleCode.REMIND_NOT_BEFORE_CLOSE)
