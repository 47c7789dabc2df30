"""Which gateway shards this process runs: `PARLEY_DISCORD_SHARDS`, e.g. `0-3/8`.

Discord splits a bot's servers over `count` shards (server id >> 22, modulo `count`); big bots
run them in several processes, each with some of the ids. The process running shard 0 is the
one that syncs the slash commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHARDS = 4096
"""Far above what any bot needs (Discord asks for one shard per 1,000–2,500 servers)."""
_PLAN = re.compile(r"^\s*([0-9,\s-]+?)\s*/\s*([0-9]+)\s*$")
_ITEM = re.compile(r"^\s*([0-9]+)\s*(?:-\s*([0-9]+)\s*)?$")
_EXAMPLE = "write it as IDS/COUNT, e.g. 0-3/8 (shards 0 to 3 of 8) or 2/8 (shard 2 of 8)"


class ShardSpecError(ValueError):
    """`PARLEY_DISCORD_SHARDS` does not name shards; the message says what to write."""


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """Shards `ids` (ascending) of `count` in this process."""

    ids: tuple[int, ...]
    count: int

    @property
    def syncs_commands(self) -> bool:
        """Whether this process registers the slash commands (it runs shard 0)."""
        return 0 in self.ids

    def __str__(self) -> str:
        return f"{','.join(map(str, self.ids))}/{self.count}"


def parse_shards(text: str) -> ShardPlan:
    """`0-3/8`, `2/8` or `0-1,4/8` as a plan; `ShardSpecError` with a clear message otherwise."""
    plan = _PLAN.match(text[:200])
    if plan is None or len(text) > 200:
        raise ShardSpecError(
            f"PARLEY_DISCORD_SHARDS={text[:40]!r} is not a shard list: {_EXAMPLE}."
        )
    count = int(plan.group(2))
    if not 1 <= count <= MAX_SHARDS:
        raise ShardSpecError(
            f"PARLEY_DISCORD_SHARDS: the shard count must be 1 to {MAX_SHARDS}, not {count}."
        )
    ids: set[int] = set()
    for item in plan.group(1).split(","):
        found = _ITEM.match(item)
        if found is None:
            raise ShardSpecError(
                f"PARLEY_DISCORD_SHARDS: {item.strip()!r} is not a shard id or range: {_EXAMPLE}."
            )
        first = int(found.group(1))
        last = int(found.group(2)) if found.group(2) is not None else first
        if first > last:
            raise ShardSpecError(f"PARLEY_DISCORD_SHARDS: the range {first}-{last} runs backwards.")
        if last >= count:
            raise ShardSpecError(
                f"PARLEY_DISCORD_SHARDS: shard {last} does not exist in {count} shards"
                f" (they are numbered 0 to {count - 1})."
            )
        ids.update(range(first, last + 1))
    return ShardPlan(tuple(sorted(ids)), count)
