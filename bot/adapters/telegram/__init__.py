"""Telegram: python-telegram-bot's `Application` serving Parley's commands and buttons.

`create_adapter` builds it from the settings: long polling by default, a webhook when
`TELEGRAM_WEBHOOK_URL` is set, and a self-hosted Bot API server via `TELEGRAM_API_BASE_URL`.
Every update passes the durable inbox (`inbox.py`) on its way in; only the process holding the
database lease (`lease.py`) receives updates, so several processes may share one database.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from telegram.request import BaseRequest

from bot.app import FatalAdapterError, Parley
from bot.config import Settings
from storage.leases import Leases

from .adapter import TelegramAdapter, TelegramOptions, Webhook
from .connection import TokenWatch, build_application
from .inbox import Inbox
from .lease import ServingLease

__all__ = ["TelegramAdapter", "TelegramOptions", "Webhook", "create_adapter"]


def create_adapter(
    settings: Settings,
    app: Parley,
    *,
    options: TelegramOptions | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> TelegramAdapter:
    """The Telegram adapter for `app`.

    `request` and `get_updates_request` replace the HTTP transports (tests pass fakes).
    """
    if settings.telegram_token is None:
        raise FatalAdapterError("TELEGRAM_TOKEN is not set.")
    watch = TokenWatch()
    inbox = Inbox(app.services.storage.inbox)
    webhook = webhook_from(settings)
    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_base_url,
        watch,
        inbox,
        webhook=webhook is not None,
        request=request,
        get_updates_request=get_updates_request,
    )
    return TelegramAdapter(
        application,
        app.router,
        app.services.registry,
        watch=watch,
        inbox=inbox,
        options=options,
        webhook=webhook,
        lease=ServingLease(Leases(app.services.storage.database), app.services.clock),
        move_chat=app.move_chat,
    )


def webhook_from(settings: Settings) -> Webhook | None:
    """Webhook mode's settings, or None for long polling."""
    if not settings.telegram_webhook_url:
        return None
    secret = settings.telegram_webhook_secret
    return Webhook(
        url=settings.telegram_webhook_url,
        secret_token=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=urlsplit(settings.telegram_webhook_url).path or "/",
    )
