"""Which button `/press WANTED` means: a button number, a label, or a poll option's text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.reply import Button

_NUMBER = re.compile(r"[0-9]{1,4}")
# A poll button's rank or pick mark and option number: "1. Yes", "② Yes", "✓ Yes", "#2 1. Yes".
_PREFIX = re.compile(r"^(?:(?:#[0-9]+|✓|[①-⑩])\s+)?(?:[0-9]+\.\s+)?")


def pick_button(buttons: Sequence[Button], wanted: str) -> Button | None:
    """The one button `wanted` names, None when none or several match.

    ASCII digits (up to four) are the console's button number; any other text matches a label
    (case-insensitive) as a whole or without its leading "N. " / "#N " prefix, first exactly,
    then as a unique prefix.
    """
    wanted = wanted.strip()
    if _NUMBER.fullmatch(wanted):
        index = int(wanted) - 1
        return buttons[index] if 0 <= index < len(buttons) else None
    folded = wanted.casefold()
    if not folded:
        return None
    forms = [_label_forms(button.label) for button in buttons]
    exact = [b for b, names in zip(buttons, forms, strict=True) if folded in names]
    if exact:
        return exact[0] if len(exact) == 1 else None
    prefixed = [
        b
        for b, names in zip(buttons, forms, strict=True)
        if any(name.startswith(folded) for name in names)
    ]
    return prefixed[0] if len(prefixed) == 1 else None


def _label_forms(label: str) -> tuple[str, ...]:
    """The label as typed and without its rank/number prefix, case-folded."""
    full = label.strip().casefold()
    bare = _PREFIX.sub("", full, count=1).strip()
    return (full, bare) if bare and bare != full else (full,)
