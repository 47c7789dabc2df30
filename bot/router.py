"""The router: every invocation passes the middleware chain and reaches its handler."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from bot import messages
from bot.actions import Action
from bot.arguments import ExtraWordError, parse_option_args, parse_text_args
from bot.audit_feed import AuditEvent, AuditFeed
from bot.authority import Authority, Grant, RefusedError, Right, same_chat
from bot.buttons import decode_payload, seal_personal
from bot.clock import Clock
from bot.commands import ActionSpec, CommandSpec, Registry, Role
from bot.context import Context, Responder, chat_locale, moderator_check
from bot.errors import ExpiredButtonError, UsageError, UserError
from bot.i18n import Locale, Localized, listed, parse_locale
from bot.identity import ChatKind, ChatRef, MessageRef
from bot.invocation import Invocation
from bot.params import TextParam
from bot.ratelimit import RateLimiter
from bot.reply import Posted, Replace, Reply, confided
from bot.seals import ButtonSeal
from bot.suggesting import Suggestions
from storage.audit import AuditEntry
from storage.chat_settings import ChatSettings
from storage.errors import StorageUnavailableError
from storage.store import Storage

log = logging.getLogger("parley.router")


@dataclass(slots=True)
class Call:
    """One invocation on its way through the middleware chain."""

    invocation: Invocation
    responder: Responder
    locale: Locale
    context: Context | None = None
    settings: ChatSettings = field(default_factory=ChatSettings)
    target: CommandSpec | ActionSpec | None = None
    arg_text: str = ""
    args: dict[str, object] = field(default_factory=dict)
    press: Action | None = None
    """A button press's typed payload."""
    grants: list[Grant] = field(default_factory=list)

    @property
    def ctx(self) -> Context:
        """The handler context (built by the first middleware)."""
        if self.context is None:
            raise RuntimeError("context not built yet")
        return self.context


Next = Callable[[Call], Awaitable[None]]
Middleware = Callable[[Call, Next], Awaitable[None]]


class Router:
    """Runs each invocation through the middleware chain to its handler."""

    def __init__(
        self,
        registry: Registry,
        storage: Storage,
        clock: Clock,
        *,
        default_locale: Locale,
        rate_limiter: RateLimiter,
        authority: Authority,
        seal: ButtonSeal,
        feature_label: Callable[[str], Localized],
        audit_feed: AuditFeed | None = None,
    ) -> None:
        """`feature_label` names a switchable feature as people call it (`FeatureSet.label`)."""
        self.registry = registry
        self._feature_label = feature_label
        self._audit_feed = audit_feed or AuditFeed()
        self.suggestions = Suggestions(
            registry, authority, rate_limiter, storage.chat_settings, default_locale
        )
        self._storage = storage
        self._clock = clock
        self._default_locale = default_locale
        self._rate_limiter = rate_limiter
        self._authority = authority
        self._seal = seal
        chain: Sequence[Middleware] = (
            self._error_boundary,
            self._build_context,
            self._resolve_target,
            self._rate_limit,
            self._check_permission,
            self._parse_arguments,
            self._authorize,
            self._audit,
        )
        self._gates: Sequence[Middleware] = (
            self._error_boundary,
            self._build_context,
            self._resolve_target,
            self._check_permission,
        )
        self._run_chain = _composed(chain, self._run_handler)
        self._accepting = True
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def dispatch(self, invocation: Invocation, responder: Responder) -> None:
        """Handle one invocation; never raises (errors become friendly replies)."""
        await self._pass(invocation, responder, self._run_chain)

    async def admit(self, invocation: Invocation, responder: Responder) -> Locale | None:
        """The locale to ask for a command's arguments in (Discord's form), if it may run here.

        None when its person may not run it here, the refusal answered. The command's role and
        feature switch are checked as `dispatch` checks them; no rate bucket is drawn on (the
        command that follows draws on it).
        """
        admitted: list[Locale] = []

        async def let_through(call: Call) -> None:
            admitted.append(call.locale)

        await self._pass(invocation, responder, _composed(self._gates, let_through))
        return admitted[0] if admitted else None

    async def _pass(self, invocation: Invocation, responder: Responder, chain: Next) -> None:
        """Run `invocation` through `chain` (middlewares composed with their end); never raises."""
        call = Call(invocation, responder, self._default_locale)
        if not self._accepting:
            call.locale = parse_locale(invocation.actor.locale_tag) or self._default_locale
            text = messages.RESTARTING.render(call.locale)
            await self._answer(call, Reply.text(text, private=True))
            return
        self._in_flight += 1
        self._idle.clear()
        try:
            async with self.pinned():
                await chain(call)
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    def pinned(self) -> AbstractAsyncContextManager[None]:
        """One view of other processes' commits for what this task does within the block.

        `dispatch` pins its own unless the task holds one: an adapter that awaits something
        before dispatching (Telegram's inbox take) pins first, so the read runs beside it.
        """
        return self._storage.database.generations.pinned()

    def stop_accepting(self) -> None:
        """From now on, answer new invocations with a polite "restarting" reply."""
        self._accepting = False

    async def wait_idle(self) -> None:
        """Return when no invocation is in progress."""
        await self._idle.wait()

    async def _error_boundary(self, call: Call, call_next: Next) -> None:
        try:
            await call_next(call)
        except UsageError as error:
            await self._answer(call, self._usage_reply(call, error))
        except UserError as error:
            await self._answer(call, Reply.text(error.render(call.locale), private=True))
        except StorageUnavailableError as error:  # locked, full, read-only, damaged
            log.error(
                "event=storage_unavailable invocation=%r chat=%s reason=%r",
                call.invocation.label,
                call.invocation.chat.key,
                str(error),
            )
            text = messages.STORAGE_UNAVAILABLE.render(call.locale)
            await self._answer(call, Reply.text(text, private=True))
        except ExpiredButtonError as error:
            log.info("event=button_expired reason=%r", str(error))
            text = messages.BUTTON_EXPIRED.render(call.locale)
            await self._answer(call, Reply.text(text, private=True))
        except Exception:
            await self._answer(call, self._crash_reply(call))

    def _crash_reply(self, call: Call) -> Reply:
        """Log the exception being handled under a new incident id; the reply names the id."""
        incident = secrets.token_hex(4)
        log.exception(
            "event=handler_crashed incident=%s invocation=%r chat=%s",
            incident,
            call.invocation.label,
            call.invocation.chat.key,
        )
        text = messages.INTERNAL_ERROR.render(call.locale, incident=incident)
        return Reply.text(text, private=True)

    async def _build_context(self, call: Call, call_next: Next) -> None:
        invocation = call.invocation
        settings = call.settings = await self._storage.chat_settings.get(invocation.chat)
        actor = invocation.actor
        call.locale = chat_locale(settings, actor, self._default_locale)
        call.context = Context(
            invocation=invocation,
            locale=call.locale,
            settings=settings,
            responder=_SealingResponder(call.responder, self.registry, self._seal, actor.key),
            clock=self._clock,
            moderator=moderator_check(settings, actor),
        )
        await call_next(call)

    async def _resolve_target(self, call: Call, call_next: Next) -> None:
        invocation = call.invocation
        if invocation.payload is not None:
            call.target, call.press = decode_payload(
                invocation.payload, self.registry, seal=self._seal, presser=invocation.actor.key
            )
        else:
            call.target, call.arg_text = self._find_command(invocation)
        await call_next(call)

    async def _rate_limit(self, call: Call, call_next: Next) -> None:
        """Every person is limited, in every chat; moderators of a group have larger buckets.

        In a private chat its user moderates it, but is limited like a member there. When
        the platform must be asked whether the invoker moderates (Telegram), it is asked only
        once a member's buckets would refuse; a moderator then draws on the reserve.
        """
        target = call.target
        if target is None:
            raise RuntimeError("no target resolved")
        limiter, person = self._rate_limiter, call.invocation.actor.key
        moderator = call.ctx.moderator.settled
        if call.invocation.chat_kind is ChatKind.PRIVATE:
            moderator = False
        allowances = limiter.allowances(
            target.budget,
            is_moderator=bool(moderator),
            chat_per_minute=call.settings.rate_limit_per_minute,
        )
        wait = limiter.acquire(person, allowances)
        if wait > 0 and moderator is None and await call.ctx.moderates():
            wait = limiter.acquire(person, limiter.reserve(target.budget))
        if wait > 0:
            log.info(
                "event=rate_limited actor=%s budget=%s", call.invocation.actor.key, target.budget
            )
            seconds = max(1, round(wait))
            text = messages.RATE_LIMITED.render(call.locale, seconds=seconds)
            await self._answer(call, Reply.text(text, private=True))
            return
        await call_next(call)

    def _find_command(self, invocation: Invocation) -> tuple[CommandSpec, str]:
        name = (invocation.command or "").lower()
        if invocation.options is not None:
            spec = self.registry.command(invocation.split_path)
            resolved = (spec, "") if spec else None
        else:
            resolved = self.registry.resolve(name, invocation.text)
            root = self.registry.command(name)
            misfit = resolved and root and resolved[0] is not root and not _fits(*resolved)
            if misfit and root and _takes_over(root, invocation.text):
                resolved = (root, invocation.text)  # `/poll Close | A | B` is a question
        if resolved is None:
            raise UserError(messages.UNKNOWN_COMMAND, name=name[:40])
        return resolved

    async def _check_permission(self, call: Call, call_next: Next) -> None:
        target = call.target
        if target is not None and target.role is Role.MODERATOR and not await call.ctx.moderates():
            log.info(
                "event=permission_refused actor=%s target=%s",
                call.invocation.actor.key,
                call.invocation.label,
            )
            if isinstance(target, CommandSpec):
                raise UserError(messages.MODERATORS_ONLY, what=f"/{target.path}")
            raise UserError(messages.MODERATORS_ONLY_BUTTON)
        if target is not None and target.feature in call.settings.disabled_features:
            label = self._feature_label(target.feature)
            raise UserError(messages.FEATURE_OFF, label=label, feature=target.feature)
        await call_next(call)

    async def _parse_arguments(self, call: Call, call_next: Next) -> None:
        invocation, target = call.invocation, call.target
        if isinstance(target, CommandSpec):
            if invocation.options is not None:
                call.args = parse_option_args(target.params, invocation.options)
            else:
                try:
                    call.args = parse_text_args(target.params, call.arg_text)
                except ExtraWordError as error:
                    if error.first and self._subcommands(call):
                        word = error.word[:40]
                        raise UsageError(
                            messages.UNKNOWN_SUBCOMMAND, name=target.name, word=word
                        ) from None
                    raise
        await call_next(call)

    def _subcommands(self, call: Call) -> list[CommandSpec]:
        """The subcommands of a root command the invoker may run (none for a subcommand)."""
        target = call.target
        if not isinstance(target, CommandSpec) or target.subcommand is not None:
            return []
        moderator = bool(call.context and call.context.moderator.settled)
        return self.registry.subcommands(target.name, moderator)

    async def _authorize(self, call: Call, call_next: Next) -> None:
        """Check every object the invocation names against that object's own chat."""
        target, invocation = call.target, call.invocation
        for guard in target.guards if target is not None else ():
            value = (
                getattr(call.press, guard.param)
                if call.press is not None
                else call.args.get(guard.param)
            )
            if value is None:
                continue
            if not isinstance(value, int | str):
                raise TypeError(f"{guard.param} does not name an object: {value!r}")
            grant = await self._authority.authorize(
                guard,
                value,
                actor=invocation.actor,
                chat=invocation.chat,
                moderator=call.ctx.moderator,
                pressed=invocation.source,
            )
            call.grants.append(grant)
        await call_next(call)

    async def _audit(self, call: Call, call_next: Next) -> None:
        target = call.target
        chats = _audit_chats(call)
        if target is None or not chats:
            await call_next(call)
            return
        outcome: str | None = "error"
        try:
            await call_next(call)
            outcome = "ok"
        except RefusedError:
            outcome = None  # an object the actor may not touch: nothing to record, nothing changes
            raise
        finally:
            if outcome is not None:
                for chat in chats:
                    await self._record_audit(call, target, outcome, chat)

    async def _record_audit(
        self, call: Call, target: CommandSpec | ActionSpec, outcome: str, chat: ChatRef
    ) -> None:
        """Store the audit entry; a failure is logged, never turned into the action's answer.

        The action has already run (and answered): a locked database at this point must
        neither tell the moderator that nothing was saved nor hide the action's own error.
        """
        invocation = call.invocation
        if isinstance(target, CommandSpec):
            action = f"/{target.path}"
            detail = call.arg_text.strip() or _format_options(invocation)
        else:
            action, detail = f"button {target.name}", invocation.payload or ""
        entry = AuditEntry(
            at=self._clock.now(),
            chat=chat,
            actor_id=invocation.actor.user_id,
            actor_name=invocation.actor.display_name,
            action=action,
            detail=detail[:500],
            outcome=outcome,
        )
        try:
            await self._storage.audit.record(entry)
        except Exception:
            log.exception(
                "event=audit_write_failed action=%r chat=%s outcome=%s",
                invocation.label,
                invocation.chat.key,
                outcome,
            )
            return
        here = same_chat(chat, invocation.chat)
        event = AuditEvent(entry, invocation.community or chat.chat_id if here else None)
        notices = await self._audit_feed.publish(event)
        if notices and call.ctx.moderator.settled:
            text = "\n".join(notice.render(call.locale) for notice in notices)
            await self._answer(call, Reply.text(text, private=True))

    async def _run_handler(self, call: Call) -> None:
        target = call.target
        if target is None:
            raise RuntimeError("no target resolved")
        if target.slow:
            await call.responder.signal_progress()
        if call.press is not None:
            answer = await target.handler(call.ctx, call.press)
        else:
            answer = await target.handler(call.ctx, **call.args)
        if answer is not None and target.panel:
            answer = confided(answer)  # a moderator panel: for the invoker's eyes only
        if isinstance(answer, Replace):
            await call.ctx.update_source(answer.reply)
            if answer.notice is not None:
                await call.ctx.reply(answer.notice)
        elif isinstance(answer, Posted):
            await answer.then(await call.ctx.reply(answer.reply))
        elif answer is not None:
            await call.ctx.reply(answer)

    def _usage_reply(self, call: Call, error: UsageError) -> Reply:
        spec, locale = call.target, call.locale
        lines = [error.render(locale)]
        if isinstance(spec, CommandSpec):
            lines.append(messages.USAGE.render(locale, usage=spec.usage()))
            if subcommands := self._subcommands(call):
                forms = listed(locale, (sub.usage() for sub in subcommands))
                lines.append(messages.SUBCOMMANDS.render(locale, forms=forms))
            lines.append(messages.USAGE_HINT.render(locale, path=spec.path))
        return Reply.text("\n".join(lines), private=True)

    async def _answer(self, call: Call, reply: Reply) -> None:
        try:
            await call.responder.reply(reply)
        except Exception:
            log.exception("event=reply_failed invocation=%r", call.invocation.label)


def _composed(chain: Sequence[Middleware], last: Next) -> Next:
    """`chain` in order, then `last`: each middleware gets the rest as its `call_next`.

    Composed once, not per invocation: a press runs one coroutine per middleware and nothing
    in between.
    """
    composed = last
    for middleware in reversed(chain):
        composed = _step(middleware, composed)
    return composed


def _step(middleware: Middleware, rest: Next) -> Next:
    """`middleware` with `rest` as what it calls next (a plain call: no coroutine of its own)."""

    def step(call: Call) -> Awaitable[None]:
        return middleware(call, rest)

    return step


def _audit_chats(call: Call) -> list[ChatRef]:
    """Where the invocation is audited: none, or its chat and the home of each object it ruled.

    Moderator commands and buttons are audited where they run. So is a moderator using their
    power over someone else's object, and every use of a command that asks for it
    (`audit_every_use`); any action on an object from outside its home chat is written to that
    home chat's log too.
    """
    target, here = call.target, call.invocation.chat
    if target is None:
        return []
    audited = isinstance(target, ActionSpec) or target.audited
    ruled = [grant for grant in call.grants if grant.right is not Right.VIEWER]
    elsewhere = [grant.home for grant in ruled if not same_chat(grant.home, here)]
    by_power = any(grant.right is Right.HOME_MODERATOR for grant in ruled)
    always = isinstance(target, CommandSpec) and target.audit_every_use
    if not ((audited and (target.role is Role.MODERATOR or by_power or always)) or elsewhere):
        return []
    chats = [here]
    for home in elsewhere:
        if not any(same_chat(home, chat) for chat in chats):
            chats.append(home)
    return chats


class _SealingResponder:
    """Seals the personal buttons of every answer for the person who invoked."""

    def __init__(self, inner: Responder, registry: Registry, seal: ButtonSeal, person: str) -> None:
        self._inner = inner
        self._registry = registry
        self._seal = seal
        self._person = person

    async def reply(self, reply: Reply) -> MessageRef | None:
        """Answer the invocation."""
        return await self._inner.reply(self._sealed(reply))

    async def update_source(self, reply: Reply) -> None:
        """Replace the pressed message."""
        await self._inner.update_source(self._sealed(reply))

    async def signal_progress(self) -> None:
        """Tell the user a slow answer is coming."""
        await self._inner.signal_progress()

    def _sealed(self, reply: Reply) -> Reply:
        return seal_personal(reply, self._registry, self._seal, self._person)


def _takes_over(root: CommandSpec, text: str) -> bool:
    """Whether `text`, which its subcommand cannot read, is `root`'s own: it has their marks.

    Only a required mark (a poll's `|`) tells a root's text from a mistyped subcommand: a root
    whose text takes any words would otherwise swallow `/schedule cancel abc` and answer about
    a time it cannot find, instead of the subcommand's usage.
    """
    marked = any(isinstance(param, TextParam) and param.must_contain for param in root.params)
    return marked and _fits(root, text)


def _fits(spec: CommandSpec, text: str) -> bool:
    """Whether `text` parses as the arguments of `spec`."""
    try:
        parse_text_args(spec.params, text)
    except UsageError:
        return False
    return True


def _format_options(invocation: Invocation) -> str:
    if not invocation.options:
        return ""
    return " ".join(f"{key}={value}" for key, value in invocation.options.items())
