"""Reading `/poll QUESTION | OPTION | OPTION … [--settings]` into a validated draft.

Settings come after the last option: `--multi [N]`, `--ranked`, `--anonymous`,
`--results live|after-vote|after-close`, `--for 2h` or `--until 2026-12-01 09:00` (in the
chat's time zone, UTC when none is set), `--role ROLE` (a role mention or id), `--open`
(members add options), `--shuffle` (each voter's own option order), `--remind 30m` (before
the deadline).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.durations import parse_duration
from bot.errors import UserError
from bot.params import ascii_int
from domain.polls import PollKind, ResultsVisibility
from handlers.polls import texts
from handlers.polls.model import PollDraft
from handlers.polls.rules import PollRuleError, parse_poll_text, validate_draft

_FLAGS_START = re.compile(r"(?:^|\s)--[A-Za-z]")
_ROLE = re.compile(r"^(?:<@&(\d{1,25})>|([A-Za-z0-9_\-]{1,40}))$")
_DEADLINE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$")
_VISIBILITY = {
    "live": ResultsVisibility.LIVE,
    "after-vote": ResultsVisibility.AFTER_VOTE,
    "after-close": ResultsVisibility.AFTER_CLOSE,
}


def rule_error(error: PollRuleError) -> UserError:
    """A poll rule violation as a user-facing error in both languages."""
    return UserError(texts.RULE_MESSAGES[error.code], **error.params)


def parse_create(text: str, now: datetime, zone: ZoneInfo) -> PollDraft:
    """Parse the whole argument line of `/poll` and validate the draft against `now`."""
    body, settings = _split_settings(text)
    try:
        draft = parse_poll_text(body)
        draft = _apply_settings(draft, settings, now, zone)
        validate_draft(draft, now)
    except PollRuleError as error:
        raise rule_error(error) from None
    return draft


def with_settings(draft: PollDraft, settings: str, now: datetime, zone: ZoneInfo) -> PollDraft:
    """A ready-made draft (a template) with the `--settings` typed after its name, validated."""
    try:
        draft = _apply_settings(draft, settings.split(), now, zone)
        validate_draft(draft, now)
    except PollRuleError as error:
        raise rule_error(error) from None
    return draft


def _split_settings(text: str) -> tuple[str, list[str]]:
    last_bar = max(text.rfind("|"), text.rfind("｜"))
    match = _FLAGS_START.search(text, max(last_bar, 0))
    if match is None:
        return text, []
    return text[: match.start()], text[match.start() :].split()


def _apply_settings(draft: PollDraft, words: list[str], now: datetime, zone: ZoneInfo) -> PollDraft:
    index = 0
    changes: dict[str, object] = {}
    while index < len(words):
        flag = words[index].lower()
        index += 1
        value = words[index] if index < len(words) and not words[index].startswith("--") else None
        match flag:
            case "--multi":
                if value is not None and (count := ascii_int(value)) is not None:
                    changes["max_choices"] = count
                    index += 1
                elif value is not None:
                    raise UserError(texts.BAD_MULTI, value=value[:20])
                _set_kind(changes, PollKind.MULTI)
            case "--ranked":
                _set_kind(changes, PollKind.RANKED)
            case "--anonymous":
                changes["anonymous"] = True
            case "--results":
                visibility = _VISIBILITY.get(_need(flag, value, "after-vote").replace("_", "-"))
                if visibility is None:
                    raise UserError(texts.BAD_RESULTS, value=str(value)[:20])
                changes["visibility"] = visibility
                index += 1
            case "--for":
                duration = parse_duration(_need(flag, value, "2h"))
                if duration is None:
                    raise UserError(texts.BAD_DURATION, value=str(value)[:20])
                changes["duration"] = duration
                index += 1
            case "--until":
                raw = " ".join(words[index : index + 2])
                changes["deadline"] = _deadline(_need(flag, value, "2026-12-01 09:00"), raw, zone)
                index += 2 if "T" not in str(value) else 1
            case "--open":
                changes["open_options"] = True
            case "--shuffle":
                changes["shuffle"] = True
            case "--remind":
                remind = parse_duration(_need(flag, value, "30m"))
                if remind is None:
                    raise UserError(texts.BAD_REMIND, value=str(value)[:20])
                changes["remind_before"] = remind
                index += 1
            case "--role":
                match_role = _ROLE.match(_need(flag, value, "<@&123>"))
                if match_role is None:
                    raise UserError(texts.BAD_ROLE, value=str(value)[:40])
                changes["allowed_role"] = match_role.group(1) or match_role.group(2)
                index += 1
            case _:
                raise UserError(texts.UNKNOWN_FLAG, flag=flag[:30])
    return replace(draft, **changes)  # type: ignore[arg-type]


def _set_kind(changes: dict[str, object], kind: PollKind) -> None:
    if changes.get("kind", kind) is not kind:
        raise UserError(texts.MULTI_AND_RANKED)
    changes["kind"] = kind


def _need(flag: str, value: str | None, example: str) -> str:
    if value is None:
        raise UserError(texts.FLAG_NEEDS_VALUE, flag=flag, example=f"{flag} {example}")
    return value


def _deadline(first: str, raw: str, zone: ZoneInfo) -> datetime:
    text = first if "T" in first else raw
    moment = read_moment(text, zone)
    if moment is None:
        raise UserError(texts.BAD_DEADLINE, zone=zone.key, value=text[:30])
    return moment


def read_moment(text: str, zone: ZoneInfo) -> datetime | None:
    """`2026-12-01 09:00` (or with a `T`) in `zone`; None when it is not such a moment."""
    match = _DEADLINE.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None
