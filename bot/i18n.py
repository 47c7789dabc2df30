"""Localized text: every user-facing string exists in English and Simplified Chinese."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

Locale = Literal["en", "zh"]
LOCALES: tuple[Locale, ...] = get_args(Locale)


@dataclass(frozen=True, slots=True)
class Localized:
    """One user-facing string in both languages, with `str.format` placeholders."""

    en: str
    zh: str

    def __post_init__(self) -> None:
        if not self.en.strip() or not self.zh.strip():
            raise ValueError(f"localized text needs both languages: {self.en!r} / {self.zh!r}")

    def render(self, locale: Locale, **values: object) -> str:
        """Return the text in `locale` with `values` substituted (Localized ones in `locale`)."""
        template = self.zh if locale == "zh" else self.en
        if not values:
            return template
        shown = {k: v.render(locale) if isinstance(v, Localized) else v for k, v in values.items()}
        return template.format(**shown)


@dataclass(frozen=True, slots=True)
class Plural:
    """A `Localized` text about `{count}` things: English has a form for one, Chinese needs none.

    `Plural("1 record", "{count} records", "{count} 条记录").render("en", count=1)` is "1 record".
    """

    one: str
    other: str
    zh: str

    def __post_init__(self) -> None:
        if not all(form.strip() for form in (self.one, self.other, self.zh)):
            raise ValueError(f"plural text needs every form: {self.one!r} / {self.zh!r}")

    def render(self, locale: Locale, *, count: int, **values: object) -> str:
        """The text for `count` in `locale`, with `count` and `values` substituted."""
        english = self.one if count == 1 else self.other
        return Localized(english, self.zh).render(locale, count=count, **values)


def listed(locale: Locale, items: Iterable[str]) -> str:
    """`items` as a list reads in `locale`: `a, b` in English, `a、b` in Chinese."""
    return ("、" if locale == "zh" else ", ").join(items)


def parse_locale(tag: str | None) -> Locale | None:
    """Map a platform language tag (`zh-CN`, `zh-hans`, `en-US`, `zh`) to a supported locale."""
    if not tag:
        return None
    primary = tag.strip().lower().replace("_", "-").split("-", 1)[0]
    if primary == "zh":
        return "zh"
    if primary == "en":
        return "en"
    return None
