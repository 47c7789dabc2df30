"""Placeholders: repositories write `?`; PostgreSQL's protocol numbers them `$1`, `$2`, ….

`numbered` rewrites one statement, once per distinct string (memoized, as repositories reuse a
few hundred fixed strings). A `?` inside a quoted literal ('…', E'…', "…", $tag$…$tag$) or a
comment (-- …, /* … */) is text, not a placeholder, and stays as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

# One token at a time: a quoted or commented span (kept whole) or a lone `?` (numbered).
_TOKEN = re.compile(
    r"""
      (?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*'?             # E'…' with backslash escapes
    | '(?:[^']|'')*'?                                 # '…' with '' for a quote
    | "(?:[^"]|"")*"?                                 # "…", an identifier
    | (?<!\w)\$\$.*?(?:\$\$|\Z)                       # $$…$$
    | (?<!\w)\$(?P<tag>[A-Za-z_]\w*)\$.*?(?:\$(?P=tag)\$|\Z)  # $tag$…$tag$
    | --[^\n]*                                        # -- comment
    | /\*.*?(?:\*/|\Z)                                # /* comment */
    | (?P<mark>\?)
    """,
    re.VERBOSE | re.DOTALL,
)
CACHED_STATEMENTS = 4096
"""Distinct statements remembered (storage has a few hundred, plus generated `IN (?, …)` lists)."""


@lru_cache(maxsize=CACHED_STATEMENTS)
def numbered(sql: str) -> str:
    """`sql` with each `?` placeholder outside literals and comments replaced by `$1`, `$2`, …."""
    if "?" not in sql:
        return sql
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if match.group("mark") is None:
            return match.group(0)
        count += 1
        return f"${count}"

    return _TOKEN.sub(replace, sql)
