"""Reading `/command@bot args` lines, as typed in the console and in Telegram."""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z0-9_]{0,31})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)")


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A command name, the bot it was addressed to (if any), and the raw argument text."""

    name: str
    addressed_to: str | None
    text: str


def parse_command_line(line: str) -> CommandLine | None:
    """Split `/name[@bot] args`; None when the line is not a command."""
    stripped = line.strip()
    match = _COMMAND.match(stripped)
    if match is None:
        return None
    return CommandLine(match.group(1).lower(), match.group(2), stripped[match.end() :].strip())
