from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.polls import PollKind
from handlers.polls.model import Ballot, PollDraft
from handlers.polls.rules import (
    PollRuleCode,
    PollRuleError,
    closing_time,
    option_key,
    parse_poll_text,
    validate_ballot,
    validate_draft,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DRAFT = PollDraft(question="Lunch?", options=("Pizza", "Sushi"))


def rule_error(draft: PollDraft, now: datetime | None = NOW) -> PollRuleError:
    with pytest.raises(PollRuleError) as caught:
        validate_draft(draft, now)
    return caught.value


def test_a_plain_draft_is_valid():
    validate_draft(DRAFT)


@pytest.mark.parametrize(
    ("options", "code", "params"),
    [
        (("Only",), PollRuleCode.TOO_FEW_OPTIONS, {"min": 2, "count": 1}),
        (
            tuple(f"o{i}" for i in range(11)),
            PollRuleCode.TOO_MANY_OPTIONS,
            {"max": 10, "count": 11},
        ),
        (("A", "  "), PollRuleCode.OPTION_EMPTY, {"number": 2}),
        (("A", "x" * 81), PollRuleCode.OPTION_TOO_LONG, {"number": 2, "max": 80, "length": 81}),
        (("Pizza", "Sushi", " PIZZA "), PollRuleCode.DUPLICATE_OPTIONS, {"first": 1, "second": 3}),
    ],
)
def test_option_limits(options, code, params):
    error = rule_error(replace(DRAFT, options=options))
    assert (error.code, error.params) == (code, params)


def test_option_boundaries_are_inclusive():
    validate_draft(replace(DRAFT, options=tuple(f"o{i}" for i in range(10))))
    validate_draft(replace(DRAFT, options=("x" * 80, "y")))
    validate_draft(replace(DRAFT, question="q" * 300))


def test_question_limits():
    assert rule_error(replace(DRAFT, question=" ")).code is PollRuleCode.QUESTION_EMPTY
    error = rule_error(replace(DRAFT, question="q" * 301))
    assert (error.code, error.params) == (
        PollRuleCode.QUESTION_TOO_LONG,
        {"max": 300, "length": 301},
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("New  York", "new york"),  # case and inner spaces
        ("Ｐｉｚｚａ", "pizza"),  # full-width letters (NFKC)
        ("Straße", "STRASSE"),  # casefold, not lower
        ("A\u00a0B", "a b"),  # no-break space
        ("蒸馏", " 蒸馏 "),
    ],
)
def test_duplicates_ignore_case_width_and_spaces(first, second):
    assert option_key(first) == option_key(second)
    assert (
        rule_error(replace(DRAFT, options=(first, second))).code is PollRuleCode.DUPLICATE_OPTIONS
    )


def test_similar_but_different_options_are_allowed():
    validate_draft(replace(DRAFT, options=("Newyork", "New York", "蒸馏", "萃取")))


def test_max_choices_only_for_multi_and_in_range():
    multi = replace(DRAFT, kind=PollKind.MULTI, options=("A", "B", "C"))
    validate_draft(replace(multi, max_choices=1))
    validate_draft(replace(multi, max_choices=3))
    for value in (0, 4):
        error = rule_error(replace(multi, max_choices=value))
        assert (error.code, error.params) == (
            PollRuleCode.MAX_CHOICES_OUT_OF_RANGE,
            {"value": value, "max": 3},
        )
    error = rule_error(replace(DRAFT, kind=PollKind.RANKED, max_choices=2))
    assert (error.code, error.params) == (PollRuleCode.MAX_CHOICES_NOT_MULTI, {"kind": "ranked"})


@pytest.mark.parametrize(
    ("duration", "code"),
    [
        (timedelta(seconds=59), PollRuleCode.DURATION_TOO_SHORT),
        (timedelta(days=30, seconds=1), PollRuleCode.DURATION_TOO_LONG),
    ],
)
def test_duration_limits(duration, code):
    assert rule_error(replace(DRAFT, duration=duration)).code is code


def test_duration_boundaries_are_inclusive():
    validate_draft(replace(DRAFT, duration=timedelta(minutes=1)))
    validate_draft(replace(DRAFT, duration=timedelta(days=30)))


@pytest.mark.parametrize(
    ("offset", "code", "params"),
    [
        (timedelta(seconds=30), PollRuleCode.DEADLINE_TOO_SOON, {"min_minutes": 1}),
        (timedelta(hours=-1), PollRuleCode.DEADLINE_TOO_SOON, {"min_minutes": 1}),
        (timedelta(days=31), PollRuleCode.DEADLINE_TOO_FAR, {"max_days": 30}),
    ],
)
def test_deadline_limits(offset, code, params):
    error = rule_error(replace(DRAFT, deadline=NOW + offset))
    assert (error.code, error.params) == (code, params)


def test_deadline_and_duration_exclude_each_other():
    draft = replace(DRAFT, duration=timedelta(hours=1), deadline=NOW + timedelta(hours=1))
    assert rule_error(draft).code is PollRuleCode.DURATION_AND_DEADLINE


def test_naive_deadline_is_a_programming_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        validate_draft(replace(DRAFT, deadline=datetime(2026, 3, 2)), NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        validate_draft(replace(DRAFT, deadline=NOW + timedelta(hours=1)))


def test_closing_time():
    assert closing_time(DRAFT, NOW) is None
    assert closing_time(replace(DRAFT, duration=timedelta(hours=2)), NOW) == NOW + timedelta(
        hours=2
    )
    deadline = NOW + timedelta(days=1)
    assert closing_time(replace(DRAFT, deadline=deadline), NOW) == deadline


def ballot_error(choices, kind, count=4, max_choices=None) -> PollRuleError:
    with pytest.raises(PollRuleError) as caught:
        validate_ballot(Ballot(choices), kind, count, max_choices)
    return caught.value


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        (PollKind.SINGLE, (3,)),
        (PollKind.MULTI, (0,)),
        (PollKind.MULTI, (2, 0, 1)),
        (PollKind.RANKED, (1,)),
        (PollKind.RANKED, (3, 2, 1, 0)),
    ],
)
def test_valid_ballots(kind, choices):
    validate_ballot(Ballot(choices), kind, 4)


@pytest.mark.parametrize(
    ("choices", "kind", "max_choices", "code", "params"),
    [
        ((), PollKind.SINGLE, None, PollRuleCode.BALLOT_EMPTY, {}),
        ((), PollKind.MULTI, None, PollRuleCode.BALLOT_EMPTY, {}),
        ((), PollKind.RANKED, None, PollRuleCode.BALLOT_EMPTY, {}),
        ((0, 1), PollKind.SINGLE, None, PollRuleCode.BALLOT_NOT_SINGLE, {"count": 2}),
        (
            (4,),
            PollKind.SINGLE,
            None,
            PollRuleCode.BALLOT_UNKNOWN_OPTION,
            {"number": 5, "count": 4},
        ),
        (
            (-1,),
            PollKind.RANKED,
            None,
            PollRuleCode.BALLOT_UNKNOWN_OPTION,
            {"number": 0, "count": 4},
        ),
        ((1, 1), PollKind.MULTI, None, PollRuleCode.BALLOT_DUPLICATE, {"number": 2}),
        ((0, 2, 0), PollKind.RANKED, None, PollRuleCode.BALLOT_DUPLICATE, {"number": 1}),
        ((0, 1, 2), PollKind.MULTI, 2, PollRuleCode.BALLOT_TOO_MANY, {"max": 2, "count": 3}),
    ],
)
def test_invalid_ballots(choices, kind, max_choices, code, params):
    error = ballot_error(choices, kind, max_choices=max_choices)
    assert (error.code, error.params) == (code, params)


def test_parse_text_form():
    draft = parse_poll_text("  Lunch? | Pizza |Sushi | Tacos ")
    assert draft == PollDraft(question="Lunch?", options=("Pizza", "Sushi", "Tacos"))


def test_parse_full_width_bars_and_trailing_bar():
    draft = parse_poll_text("午饭吃什么？｜披萨｜寿司 | ")
    assert (draft.question, draft.options) == ("午饭吃什么？", ("披萨", "寿司"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lunch? Pizza, Sushi", PollRuleCode.MISSING_SEPARATOR),
        ("", PollRuleCode.MISSING_SEPARATOR),
        (" | Pizza | Sushi", PollRuleCode.QUESTION_EMPTY),
        ("Lunch? | Pizza", PollRuleCode.TOO_FEW_OPTIONS),
        ("Lunch? | Pizza | | ", PollRuleCode.TOO_FEW_OPTIONS),
        ("Lunch? | Pizza | pizza", PollRuleCode.DUPLICATE_OPTIONS),
        ("Q" + "|o" * 11, PollRuleCode.TOO_MANY_OPTIONS),
    ],
)
def test_parse_errors(text, code):
    with pytest.raises(PollRuleError) as caught:
        parse_poll_text(text)
    assert caught.value.code is code
