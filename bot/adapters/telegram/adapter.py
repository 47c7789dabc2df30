"""The Telegram adapter: the `Application`'s lifecycle, and each update through the router."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.app import FatalAdapterError
from bot.commands import Registry
from bot.identity import ChatMoved
from bot.router import Router
from storage.database import handling
from storage.inbox import receipt

from .commands_menu import publish_menu
from .connection import TokenWatch
from .gateway import ChatMoveHook, TelegramGateway
from .inbox import Inbox
from .lease import CHECK_EVERY, ServingLease
from .moderators import DEFAULT_TTL_SECONDS, ModeratorCache
from .panels import PanelOrigins
from .responder import TelegramResponder
from .retry import RetryPolicy, Sleep, retry_after_seconds
from .translate import PLATFORM, chat_move_in, translate_update

log = logging.getLogger("parley.telegram")

ALLOWED_UPDATES = ("message", "channel_post", "callback_query", "my_chat_member", "chat_member")
_TOKEN_REJECTED = (
    "Telegram rejected TELEGRAM_TOKEN (Unauthorized). Check the token @BotFather gave you;"
    " it may have been revoked."
)


@dataclass(frozen=True, slots=True)
class Webhook:
    """Webhook mode: Telegram posts updates to `url`; the library's server listens locally."""

    url: str
    secret_token: str
    listen: str
    port: int
    url_path: str


@dataclass(frozen=True, slots=True)
class TelegramOptions:
    """Timing knobs; tests shorten them."""

    poll_timeout: float = 30.0
    start_attempts: int = 8
    start_delay: float = 1.0
    max_start_delay: float = 30.0
    bootstrap_retries: int = 5
    moderator_ttl: float = DEFAULT_TTL_SECONDS
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Sleep = field(default=asyncio.sleep)
    lease_check_every: float = CHECK_EVERY
    """Seconds between renewals of the Telegram lease (or tries to take it over)."""


class TelegramAdapter:
    """Serves Parley on Telegram through long polling (default) or a webhook.

    With a `lease`, updates are received only while this process holds it (see `lease.py`);
    without one, always. Sending works either way.
    """

    platform = PLATFORM

    def __init__(
        self,
        application: Application,
        router: Router,
        registry: Registry,
        *,
        watch: TokenWatch,
        inbox: Inbox,
        options: TelegramOptions | None = None,
        webhook: Webhook | None = None,
        lease: ServingLease | None = None,
        move_chat: ChatMoveHook | None = None,
    ) -> None:
        self.application = application
        self.options = options or TelegramOptions()
        self.gateway = TelegramGateway(application.bot, self.options.retry, self._chat_moved)
        self._move_chat = move_chat
        self._router = router
        self._registry = registry
        self._watch = watch
        self._inbox = inbox
        self._webhook = webhook
        self._lease = lease
        self._holding = False  # this process holds the lease (and so receives updates)
        self._keeper: asyncio.Task[None] | None = None
        self._stopping: asyncio.Task[None] | None = None
        """Stopping the updater, once: a lost lease and `stop` may ask for it together."""
        self._standby_logged = False
        self._moderators = ModeratorCache(application.bot, ttl=self.options.moderator_ttl)
        self._panels = PanelOrigins()
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)

    async def start(self) -> None:
        """Log in, publish the command menu, and start receiving updates if this process may.

        Without the lease (another process serves Telegram) updates are not received until
        this process takes the lease over. Raises `FatalAdapterError` for a wrong token or when
        Telegram stays unreachable; whatever was started is stopped again first.
        """
        try:
            await self._initialize()
            await publish_menu(self.application.bot, self._registry)
            await self.application.start()
            if self._lease is None or await self._lease.acquire():
                self._holding = self._lease is not None
                await self._serve()
            else:
                await self._log_standby()
        except BaseException:
            await self.stop()
            raise
        if self._lease is not None:
            self._keeper = asyncio.create_task(self._keep_lease(), name="parley-telegram-lease")
        log.info(
            "event=telegram_started bot=@%s mode=%s receiving=%s",
            self.application.bot.username,
            "webhook" if self._webhook else "polling",
            "yes" if self._lease is None or self._holding else "standby",
        )

    async def wait(self) -> None:
        """Return only if Telegram stops accepting the token (raises `FatalAdapterError`).

        A takeover that fails for good (e.g. Telegram refuses the webhook) raises too.
        """
        rejected = asyncio.create_task(self._watch.rejected.wait())
        waiters: list[asyncio.Future[Any]] = [rejected]
        if self._keeper is not None:
            waiters.append(self._keeper)
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            rejected.cancel()
        if self._watch.rejected.is_set():
            raise FatalAdapterError(_TOKEN_REJECTED)
        if self._keeper is not None and self._keeper.done() and not self._keeper.cancelled():
            self._keeper.result()

    async def stop(self) -> None:
        """Stop receiving updates, finish the ones in progress, release the lease, disconnect."""
        if self._keeper is not None:
            keeper, self._keeper = self._keeper, None
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await keeper
        await self._stop_updates()
        if self.application.running:
            await self.application.stop()  # updates still queued stay in the inbox
        await self._inbox.close()
        await self._release()  # after the inbox is written: the next holder replays the rest
        await self.application.shutdown()
        await self.application.bot.shutdown()  # also after a half-finished initialize()

    async def _serve(self) -> None:
        """Handle what the inbox holds, then receive updates."""
        await self._replay_inbox()
        await self._start_updates()

    async def _stop_updates(self) -> None:
        """Stop receiving updates; a caller cancelled meanwhile leaves the stop to finish."""
        if self._stopping is None or self._stopping.done():
            self._stopping = asyncio.ensure_future(self._stop_updater())
        await asyncio.shield(self._stopping)

    async def _stop_updater(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            try:
                await updater.stop()
            except TelegramError as error:  # the polling loop ended on a rejected token
                log.warning("event=polling_ended error=%s", type(error).__name__)

    async def _keep_lease(self) -> None:
        """Renew the lease while serving; while waiting, take it over once it is free."""
        while True:
            await asyncio.sleep(self.options.lease_check_every)
            if self._holding:
                await self._renew()
            else:
                await self._take_over()

    async def _renew(self) -> None:
        """Renew the lease; stop receiving updates when it is lost."""
        assert self._lease is not None
        try:
            kept = await self._lease.renew()
        except Exception as error:  # storage unreachable: serve on until the lease runs out
            log.warning("event=telegram_lease_renew_failed error=%s", type(error).__name__)
            kept = not self._lease.lapsed()
        if kept:
            return
        log.warning("event=telegram_lease_lost owner=%s", self._lease.owner)
        self._holding = False
        self._standby_logged = False
        await self._stop_updates()

    async def _take_over(self) -> None:
        """Take the lease if its holder stopped renewing it, then receive updates."""
        assert self._lease is not None
        try:
            taken = await self._lease.acquire()
        except Exception as error:
            log.warning("event=telegram_lease_check_failed error=%s", type(error).__name__)
            return
        if not taken:
            await self._log_standby()
            return
        self._holding = True
        log.info("event=telegram_lease_taken owner=%s", self._lease.owner)
        await self._serve()

    async def _log_standby(self) -> None:
        """Say once per wait that another process serves Telegram."""
        if self._standby_logged or self._lease is None:
            return
        self._standby_logged = True
        log.info(
            "event=telegram_standby holder=%s: another process serves Telegram;"
            " this one takes over if it stops",
            await self._lease.holder(),
        )

    async def _release(self) -> None:
        if self._lease is None or not self._holding:
            return
        self._holding = False
        try:
            await self._lease.release()
        except Exception as error:  # it expires on its own
            log.warning("event=telegram_lease_release_failed error=%s", type(error).__name__)

    async def _initialize(self) -> None:
        """`getMe`, retried with back-off while Telegram is unreachable."""
        delay = self.options.start_delay
        for attempt in range(1, self.options.start_attempts + 1):
            try:
                await self.application.initialize()
                self._watch.rejected.clear()
                return
            except InvalidToken:
                raise FatalAdapterError(_TOKEN_REJECTED) from None
            except RetryAfter as error:
                wait = retry_after_seconds(error)
            except BadRequest as error:
                raise FatalAdapterError(self._refusal(error)) from None
            except NetworkError as error:
                if attempt == self.options.start_attempts:
                    raise FatalAdapterError(
                        f"Cannot reach the Telegram Bot API after {attempt} attempts"
                        f" ({type(error).__name__}). Check the network or TELEGRAM_API_BASE_URL."
                    ) from None
                wait, delay = delay, min(delay * 2, self.options.max_start_delay)
            log.warning("event=telegram_unreachable attempt=%d retry_in=%.1fs", attempt, wait)
            await self.options.sleep(wait)
        raise FatalAdapterError("Telegram kept asking to wait; giving up.")

    async def _replay_inbox(self) -> None:
        """Queue the updates stored but not handled before the last stop, ahead of new ones."""
        bot = self.application.bot
        for update_id, payload in await self._inbox.open():
            try:
                update = Update.de_json(payload, bot)
            except Exception:  # a stored update the library can no longer read
                log.exception("event=inbox_unreadable update_id=%d", update_id)
                if await self._inbox.take(update_id):
                    self._inbox.finish(update_id)  # its JSON is cleared; never read again
                continue
            self.application.update_queue.put_nowait(update)

    async def _start_updates(self) -> None:
        updater = self.application.updater
        if updater is None:
            raise RuntimeError("the application was built without an updater")
        try:
            if self._webhook is None:
                await updater.start_polling(
                    timeout=int(self.options.poll_timeout),
                    allowed_updates=list(ALLOWED_UPDATES),
                    bootstrap_retries=self.options.bootstrap_retries,
                    error_callback=_log_polling_error,
                )
            else:
                await updater.start_webhook(
                    listen=self._webhook.listen,
                    port=self._webhook.port,
                    url_path=self._webhook.url_path,
                    webhook_url=self._webhook.url,
                    secret_token=self._webhook.secret_token,
                    allowed_updates=list(ALLOWED_UPDATES),
                    bootstrap_retries=self.options.bootstrap_retries,
                )
        except InvalidToken:
            raise FatalAdapterError(_TOKEN_REJECTED) from None
        except TelegramError as error:
            raise FatalAdapterError(self._refusal(error)) from None

    def _refusal(self, error: TelegramError) -> str:
        """An operator-facing message for a start-up refusal, with the token redacted."""
        message = error.message.replace(self.application.bot.token, "[redacted]")
        return f"Telegram refused to start the bot: {message}"

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Take the update from the inbox, then handle it (unless it was taken before)."""
        async with self._router.pinned():  # the caches' read of other commits runs beside the take
            if not await self._inbox.take(update.update_id):
                log.info("event=update_skipped reason=taken update_id=%d", update.update_id)
                return
            try:
                with handling(receipt(update.update_id)):  # finished with its first effect
                    await self._handle(update)
            finally:
                self._inbox.finish(update.update_id)

    async def _handle(self, update: Update) -> None:
        """Translate one update and dispatch it; every button press is answered once."""
        member_change = update.chat_member or update.my_chat_member
        if member_change is not None:
            self._moderators.forget(member_change.chat.id)
            return
        moved = chat_move_in(update)
        if moved is not None:
            await self._chat_moved(moved)
            return
        responder: TelegramResponder | None = None
        try:
            inbound = translate_update(
                update,
                bot_username=self.application.bot.username,
                registry=self._registry,
                moderators=self._moderators,
                panels=self._panels,
            )
            if inbound is None:
                return
            responder = TelegramResponder(self.gateway, inbound, self._panels)
            await self._router.dispatch(inbound.invocation, responder)
        finally:
            if responder is not None:
                await responder.finish()
            elif update.callback_query is not None:
                await self._dismiss(update.callback_query.id)

    async def _chat_moved(self, moved: ChatMoved) -> None:
        """A group became a supergroup: what Parley keeps of it moves to the new id."""
        self._moderators.forget(int(moved.old_chat_id))
        if self._move_chat is not None:
            await self._move_chat(moved)

    async def _dismiss(self, query_id: str) -> None:
        """Stop the spinner of a button press Parley does not handle."""
        try:
            await self.gateway.answer_callback(query_id)
        except TelegramError as error:
            log.info("event=callback_answer_failed error=%s", type(error).__name__)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log an update that failed outside the router's error boundary."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("event=update_failed update_id=%s", update_id, exc_info=context.error)


def _log_polling_error(error: TelegramError) -> None:
    log.warning("event=polling_error error=%s", type(error).__name__)
