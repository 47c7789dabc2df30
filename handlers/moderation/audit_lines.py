"""How an audit entry reads (`/audit`, the mod-log): a command as typed, a press by its effect."""

from __future__ import annotations

from bot.commands import Registry
from bot.errors import ExpiredButtonError
from bot.i18n import Locale
from storage.audit import AuditEntry

from . import texts

_BUTTON = "button "


def audited_action(registry: Registry, entry: AuditEntry, locale: Locale) -> tuple[str, str]:
    """The entry's action and its detail, as people read them (the detail may be empty).

    A press is named by its action's `audit` text filled with the press's fields ("rejected
    argument #4"), never by its raw payload; a press whose action no longer exists, or whose
    payload no longer reads, by the action's name alone.
    """
    if not entry.action.startswith(_BUTTON):
        return entry.action, entry.detail
    name = entry.action.removeprefix(_BUTTON)
    spec = registry.action(name)
    if spec is not None and spec.audit is not None:
        try:
            press = spec.payload.decode(entry.detail)
        except ExpiredButtonError:
            pass
        else:
            fields = {field: getattr(press, field) for field, _, _ in spec.payload.payload_fields}
            return spec.audit.render(locale, **fields), ""
    return texts.AUDIT_BUTTON.render(locale, label=name), ""
