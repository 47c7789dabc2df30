import string
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import Localized
from domain.polls import PollKind
from handlers.polls import texts
from handlers.polls.creation import rule_error
from handlers.polls.model import Ballot, PollDraft
from handlers.polls.rules import (
    PollRuleCode,
    PollRuleError,
    check_added_option,
    parse_poll_text,
    validate_ballot,
    validate_draft,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
DRAFT = PollDraft(question="Q", options=("A", "B", "C"))
RESULT_LABELS = (
    texts.TOTAL_VOTERS,
    texts.VOTES_AXIS,
    texts.IRV_ROUND,
    texts.IRV_ELIMINATED,
    texts.IRV_EXHAUSTED,
    texts.IRV_WINNER,
    texts.IRV_TIE,
    texts.IRV_NO_WINNER,
)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def one_error_per_code() -> dict[PollRuleCode, PollRuleError]:
    drafts = [
        replace(DRAFT, question=""),
        replace(DRAFT, question="q" * 301),
        replace(DRAFT, options=("A",)),
        replace(DRAFT, options=tuple("ABCDEFGHIJK")),
        replace(DRAFT, options=("A", "")),
        replace(DRAFT, options=("A", "b" * 81)),
        replace(DRAFT, options=("A", "a")),
        replace(DRAFT, max_choices=2),
        replace(DRAFT, kind=PollKind.MULTI, max_choices=4),
        replace(DRAFT, duration=timedelta(hours=1), deadline=NOW + timedelta(hours=1)),
        replace(DRAFT, duration=timedelta(0)),
        replace(DRAFT, duration=timedelta(days=31)),
        replace(DRAFT, deadline=NOW),
        replace(DRAFT, deadline=NOW + timedelta(days=31)),
        replace(DRAFT, remind_before=timedelta(minutes=5)),
        replace(DRAFT, duration=timedelta(hours=1), remind_before=timedelta(seconds=5)),
        replace(DRAFT, duration=timedelta(hours=1), remind_before=timedelta(hours=1)),
    ]
    additions = [("D", 10, 0), ("D", 4, 2), ("a!", 3, 0)]
    ballots = [
        ((), PollKind.SINGLE),
        ((0, 1), PollKind.SINGLE),
        ((0, 1, 2), PollKind.MULTI),
        ((0, 0), PollKind.RANKED),
        ((7,), PollKind.RANKED),
    ]
    errors: list[PollRuleError] = []
    for draft in drafts:
        with pytest.raises(PollRuleError) as caught:
            validate_draft(draft, NOW)
        errors.append(caught.value)
    for choices, kind in ballots:
        with pytest.raises(PollRuleError) as caught:
            validate_ballot(Ballot(choices), kind, 3, 2 if kind is PollKind.MULTI else None)
        errors.append(caught.value)
    for label, used, mine in additions:
        with pytest.raises(PollRuleError) as caught:
            check_added_option(label, ("A", "B", "C"), used, mine)
        errors.append(caught.value)
    with pytest.raises(PollRuleError) as caught:
        parse_poll_text("no bars")
    errors.append(caught.value)
    return {error.code: error for error in errors}


def test_every_code_has_a_message_pair_with_the_same_placeholders():
    assert set(texts.RULE_MESSAGES) == set(PollRuleCode)
    for text in (*texts.RULE_MESSAGES.values(), *RESULT_LABELS):
        assert fields(text.en) == fields(text.zh), text
        assert any("\u4e00" <= char <= "\u9fff" for char in text.zh), text.zh


def test_every_poll_text_has_the_same_placeholders_in_both_languages():
    every = [value for value in vars(texts).values() if isinstance(value, Localized)]
    assert set(RESULT_LABELS) <= set(every)
    for text in every:
        assert fields(text.en) == fields(text.zh), text


def test_every_code_is_raised_and_renders_in_both_languages():
    errors = one_error_per_code()
    assert set(errors) == set(PollRuleCode)
    for code, error in errors.items():
        en, zh = rule_error(error).render("en"), rule_error(error).render("zh")
        assert fields(texts.RULE_MESSAGES[code].en) == set(error.params), code
        assert "{" not in en and "{" not in zh


def test_limit_is_named_in_the_message():
    error = one_error_per_code()[PollRuleCode.OPTION_TOO_LONG]
    assert rule_error(error).render("en") == "Option 2 is 81 characters long; the limit is 80."
    assert rule_error(error).render("zh") == "第 2 个选项有 81 个字符，上限是 80 个。"


def test_result_label():
    assert texts.TOTAL_VOTERS.render("zh", voters=3) == "投票人数：3"
