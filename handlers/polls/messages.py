"""English and Simplified Chinese text for poll errors and result labels.

Each entry is an `(en, zh)` pair of `str.format` templates; placeholders are the params of the
matching `PollRuleError`.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from handlers.polls.rules import PollRuleCode, PollRuleError

Language = Literal["en", "zh"]

RULE_MESSAGES: Mapping[PollRuleCode, tuple[str, str]] = {
    PollRuleCode.MISSING_SEPARATOR: (
        "Write the poll as: question | option | option (up to 10 options).",
        "投票格式：问题 | 选项 | 选项（最多 10 个选项）。",
    ),
    PollRuleCode.QUESTION_EMPTY: (
        "The question is empty.",
        "问题不能为空。",
    ),
    PollRuleCode.QUESTION_TOO_LONG: (
        "The question is {length} characters long; the limit is {max}.",
        "问题有 {length} 个字符，上限是 {max} 个。",
    ),
    PollRuleCode.TOO_FEW_OPTIONS: (
        "A poll needs at least {min} options; this one has {count}.",
        "投票至少需要 {min} 个选项，当前只有 {count} 个。",
    ),
    PollRuleCode.TOO_MANY_OPTIONS: (
        "A poll can have at most {max} options; this one has {count}.",
        "投票最多只能有 {max} 个选项，当前有 {count} 个。",
    ),
    PollRuleCode.OPTION_EMPTY: (
        "Option {number} is empty.",
        "第 {number} 个选项为空。",
    ),
    PollRuleCode.OPTION_TOO_LONG: (
        "Option {number} is {length} characters long; the limit is {max}.",
        "第 {number} 个选项有 {length} 个字符，上限是 {max} 个。",
    ),
    PollRuleCode.DUPLICATE_OPTIONS: (
        "Options {first} and {second} are the same (ignoring case and spaces).",
        "第 {first} 个和第 {second} 个选项相同（不区分大小写和空格）。",
    ),
    PollRuleCode.MAX_CHOICES_NOT_MULTI: (
        'Only multiple-choice polls take "up to N"; this poll is {kind}.',
        "只有多选投票可以设置“最多选 N 项”，当前投票类型是 {kind}。",
    ),
    PollRuleCode.MAX_CHOICES_OUT_OF_RANGE: (
        '"Up to {value}" must be between 1 and the number of options ({max}).',
        "“最多选 {value} 项”必须在 1 到选项数（{max}）之间。",
    ),
    PollRuleCode.DURATION_AND_DEADLINE: (
        "Give either a duration or a deadline, not both.",
        "请只设置时长或截止时间中的一个。",
    ),
    PollRuleCode.DURATION_TOO_SHORT: (
        "A poll must run at least {min_minutes} minute(s).",
        "投票时长至少为 {min_minutes} 分钟。",
    ),
    PollRuleCode.DURATION_TOO_LONG: (
        "A poll can run at most {max_days} days.",
        "投票时长最多为 {max_days} 天。",
    ),
    PollRuleCode.DEADLINE_TOO_SOON: (
        "The deadline must be at least {min_minutes} minute(s) from now.",
        "截止时间必须至少在 {min_minutes} 分钟之后。",
    ),
    PollRuleCode.DEADLINE_TOO_FAR: (
        "The deadline can be at most {max_days} days from now.",
        "截止时间最多只能在 {max_days} 天之后。",
    ),
    PollRuleCode.BALLOT_EMPTY: (
        "Pick at least one option.",
        "请至少选择一个选项。",
    ),
    PollRuleCode.BALLOT_NOT_SINGLE: (
        "This poll takes exactly one choice; you picked {count}.",
        "此投票只能选择一项，你选择了 {count} 项。",
    ),
    PollRuleCode.BALLOT_TOO_MANY: (
        "You can pick up to {max} options; you picked {count}.",
        "最多可以选择 {max} 项，你选择了 {count} 项。",
    ),
    PollRuleCode.BALLOT_DUPLICATE: (
        "Option {number} is picked more than once.",
        "第 {number} 个选项被重复选择。",
    ),
    PollRuleCode.BALLOT_UNKNOWN_OPTION: (
        "There is no option {number}; this poll has options 1 to {count}.",
        "没有第 {number} 个选项，此投票的选项为 1 到 {count}。",
    ),
}


class ResultLabel(StrEnum):
    """Labels used when showing results."""

    TOTAL_VOTERS = "total_voters"
    VOTES_AXIS = "votes_axis"
    IRV_ROUND = "irv_round"
    IRV_ELIMINATED = "irv_eliminated"
    IRV_EXHAUSTED = "irv_exhausted"
    IRV_WINNER = "irv_winner"
    IRV_TIE = "irv_tie"
    IRV_NO_WINNER = "irv_no_winner"


RESULT_LABELS: Mapping[ResultLabel, tuple[str, str]] = {
    ResultLabel.TOTAL_VOTERS: ("Total voters: {voters}", "投票人数：{voters}"),
    ResultLabel.VOTES_AXIS: ("Votes", "票数"),
    ResultLabel.IRV_ROUND: ("Round {number}", "第 {number} 轮"),
    ResultLabel.IRV_ELIMINATED: ("eliminated: {options}", "淘汰：{options}"),
    ResultLabel.IRV_EXHAUSTED: ("exhausted ballots: {count}", "已用尽的选票：{count}"),
    ResultLabel.IRV_WINNER: ("Winner: {option}", "胜出：{option}"),
    ResultLabel.IRV_TIE: ("Tie: {options}", "平局：{options}"),
    ResultLabel.IRV_NO_WINNER: ("No winner: no ballot was counted.", "无胜出者：没有可计的选票。"),
}


def pick(pair: tuple[str, str], lang: Language) -> str:
    """Return the template of a pair for the language."""
    return pair[1] if lang == "zh" else pair[0]


def rule_message(error: PollRuleError, lang: Language) -> str:
    """Render a rule violation for the voter in their language."""
    return pick(RULE_MESSAGES[error.code], lang).format(**error.params)


def result_label(label: ResultLabel, lang: Language, **values: int | str) -> str:
    """Render a result label in the language."""
    return pick(RESULT_LABELS[label], lang).format(**values)
