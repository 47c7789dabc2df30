"""The few SQL fragments that cannot be one string on both engines.

Repositories write portable SQL with `?` placeholders; where SQLite and PostgreSQL disagree
(JSON access, random bytes, a typed row-value list), they ask `database.dialect` for the
fragment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dialect:
    """One engine's spelling of the non-portable fragments."""

    name: str
    blob: str
    """The type of bytes (`BLOB`, `BYTEA`)."""
    random_hex: str
    """An expression: 32 random hexadecimal digits (128 or 122 random bits)."""
    json_text_form: str
    """`{column}`/`{key}` template reading a top-level key of JSON text as text."""

    def json_text(self, column: str, key: str) -> str:
        """The value of `key` in the JSON object stored as text in `column`, as text."""
        return self.json_text_form.format(column=column, key=key)

    def key_pairs(self, count: int, first: str, second: str) -> str:
        """`value_pairs`, where a type may also be `BLOB` (bytes: BYTEA on PostgreSQL)."""
        return value_pairs(count, self._type(first), self._type(second))

    def _type(self, name: str) -> str:
        return self.blob if name == "BLOB" else name


def value_pairs(count: int, first: str, second: str) -> str:
    """`VALUES (…), …` of `count` pairs of `?`, typed `first`, `second` (e.g. BIGINT, TEXT).

    The first row's casts type the columns (PostgreSQL would type them text); valid on both.
    Join it as a table (`WITH wanted (a, b) AS (VALUES …) … JOIN t ON …`) to look keys up:
    for `(a, b) IN (VALUES …)` SQLite scans the whole table.
    """
    if count < 1:
        raise ValueError("a VALUES list needs at least one pair")
    head = f"(CAST(? AS {first}), CAST(? AS {second}))"
    return "VALUES " + ", ".join([head, *["(?, ?)"] * (count - 1)])


SQLITE = Dialect(
    name="sqlite",
    blob="BLOB",
    random_hex="lower(hex(randomblob(16)))",
    json_text_form="CAST(json_extract({column}, '$.{key}') AS TEXT)",
)
POSTGRESQL = Dialect(
    name="postgresql",
    blob="BYTEA",
    random_hex="replace(gen_random_uuid()::text, '-', '')",
    json_text_form="({column}::jsonb ->> '{key}')",
)
