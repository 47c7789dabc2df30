"""How `/audit` words an entry: a command as typed, a button press by what it did."""

from __future__ import annotations

from bot.commands import Registry
from bot.errors import ExpiredButtonError
from bot.i18n import Locale
from storage.audit import AuditEntry

from . import texts

_BUTTON = "button "
_DETAIL_SHOWN = 80


def audited_action(registry: Registry, entry: AuditEntry, locale: Locale) -> dict[str, str]:
    """The entry's `action` and `detail` as `texts.AUDIT_LINE` shows them.

    A press is named by its action's `audit` text filled with the press's fields ("rejected
    argument #4"), never by its raw payload; a press whose action no longer exists, or whose
    payload no longer reads, by the action's name alone.
    """
    if not entry.action.startswith(_BUTTON):
        detail = entry.detail[:_DETAIL_SHOWN]
        return {"action": entry.action, "detail": f" {detail}" if detail else ""}
    name = entry.action.removeprefix(_BUTTON)
    spec = registry.action(name)
    if spec is not None and spec.audit is not None:
        try:
            press = spec.payload.decode(entry.detail)
        except ExpiredButtonError:
            pass
        else:
            fields = {field: getattr(press, field) for field, _, _ in spec.payload.payload_fields}
            return {"action": spec.audit.render(locale, **fields), "detail": ""}
    return {"action": texts.AUDIT_BUTTON.render(locale, label=name), "detail": ""}
