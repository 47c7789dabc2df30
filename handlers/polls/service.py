"""Poll operations shared by the commands, buttons, jobs and postables.

Creating, voting (through the group-commit writer), showing a poll in a chat, refreshing every
message that shows it (coalesced), and closing it once: by hand, or by the durable job at the
deadline, also when the deadline passed while the bot was down.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, tzinfo

from bot.background import BackgroundWork
from bot.clock import Clock
from bot.context import MessageGoneError, Outbox
from bot.errors import UserError
from bot.i18n import Locale
from bot.identity import Actor, ChatKind, ChatRef, MessageRef
from bot.quotas import OPEN_POLLS, refusal
from bot.reply import Reply
from bot.scheduler import Scheduler
from domain.polls import PollKind, StancePhase, VoteOp, VoteResult
from handlers.polls import texts
from handlers.polls.anonymity import new_poll_salt, voter_key
from handlers.polls.by_chat import ChatBreakdown, break_down
from handlers.polls.coalescer import RefreshCoalescer
from handlers.polls.deadlines import CLOSE_JOB, PollDeadlines, still_due
from handlers.polls.model import PollDraft
from handlers.polls.results import PollResults, load_results
from handlers.polls.rules import closing_time
from handlers.polls.shuffle import voter_order
from handlers.polls.views import announcement_view, poll_view, reminder_view
from handlers.polls.voting import VoteWriter
from storage.database import current_receipt
from storage.generations import FreshCache, Topic
from storage.jobs import Job
from storage.poll_ballots import VoteCommand
from storage.poll_chats import PollMessage
from storage.polls import NewPoll, PollRecord, PollRepository
from storage.quota import Quota, QuotaReachedError

log = logging.getLogger("parley.polls")

ERASE_SALT_JOB = "polls.erase_salt"
CLEAR_WAL_JOB = "polls.clear_wal"
ANNOUNCE_JOB = "polls.announce"
CLEAR_WAL_RETRY = timedelta(seconds=30)
STANCE_AFTER_WINDOW = timedelta(days=7)
"""How long a closed before-poll keeps its salt for an after-poll to pair with."""
BALLOT_ORIGINS_KEPT = 10_000
"""How many open private ballots remember the chat they were opened from (in memory only)."""
POLLS_CACHED = 1_000
"""Polls kept in memory (the newest used), checked against the database before each use."""
PLACES_CACHED = 1_000
"""Polls whose chats and messages are kept in memory (the newest used), checked likewise."""


class PollService:
    """Everything the poll feature does to polls, independent of how it was asked."""

    def __init__(
        self,
        polls: PollRepository,
        outbox: Outbox,
        scheduler: Scheduler,
        clock: Clock,
        master_key: bytes,
        *,
        edit_interval: float,
        open_polls: Quota,
        zones: Callable[[ChatRef], Awaitable[tzinfo]],
        background: BackgroundWork,
    ) -> None:
        """`zones` gives a chat's time zone: the poll message shows its times in it."""
        self.polls = polls
        self.zone_of = zones
        self._open_polls = open_polls
        self._outbox = outbox
        self._scheduler = scheduler
        self.deadlines = PollDeadlines(scheduler)
        self._clock = clock
        self._master_key = master_key
        self.writer = VoteWriter(polls.ballots, clock)
        self.live = RefreshCoalescer(self.refresh, edit_interval, background, polls.refresh_slots)
        generations = polls.generations
        self._cache: FreshCache[int, PollRecord] = FreshCache(
            generations, Topic.POLLS, POLLS_CACHED
        )
        self._chat_numbers: FreshCache[int, dict[ChatRef, int]] = FreshCache(
            generations, Topic.POLLS, PLACES_CACHED
        )
        self._messages: FreshCache[int, frozenset[tuple[str, str, str]]] = FreshCache(
            generations, Topic.POLLS, PLACES_CACHED
        )
        """Each poll's messages as (platform, chat id, message id): presses are checked on them."""
        self._ballot_origins: OrderedDict[tuple[int, str], int] = OrderedDict()
        self._share_lock = asyncio.Lock()

    def now(self) -> datetime:
        """The current time."""
        return self._clock.now()

    async def create(
        self,
        draft: PollDraft,
        chat: ChatRef,
        creator: Actor,
        locale: Locale,
        *,
        stance: StancePhase | None = None,
        stance_before: PollRecord | None = None,
    ) -> PollRecord:
        """Store a validated draft and schedule its closing; returns the stored poll.

        Refused, with nothing stored, when the creator or the chat already has as many open
        polls as the quota allows.
        """
        now = self.now()
        closes_at = closing_time(draft, now)
        salt = None
        if draft.anonymous:
            salt = stance_before.salt if stance_before is not None else new_poll_salt()
        new = NewPoll(
            chat=chat,
            creator=creator.key,
            question=draft.question,
            options=draft.options,
            kind=draft.kind,
            max_choices=draft.max_choices,
            anonymous=draft.anonymous,
            visibility=draft.visibility,
            allowed_role=draft.allowed_role,
            locale=locale,
            salt=salt,
            created_at=now,
            closes_at=closes_at,
            stance=stance,
            stance_before=stance_before.id if stance_before else None,
            open_options=draft.open_options,
            shuffle=draft.shuffle,
            remind_before=draft.remind_before,
        )
        try:
            poll_id = await self.polls.create(new, quota=self._open_polls)
        except QuotaReachedError as error:
            raise refusal(error, OPEN_POLLS) from None
        record = await self.existing(poll_id)
        await self.deadlines.schedule(record, now)
        return record

    async def discard(self, poll: PollRecord) -> None:
        """Delete a poll whose post failed (never shown, no votes) with its closing job."""
        if await self.polls.delete_unshown(poll.id):
            await self._scheduler.cancel_matching(CLOSE_JOB, poll.chat, poll_id=poll.id)

    async def get(self, poll_id: int) -> PollRecord | None:
        """The poll (the newest used are kept, as long as no poll changed since)."""
        seen = await self._cache.check()
        poll = self._cache.get(poll_id)
        if poll is None:
            poll = await self.polls.get(poll_id)
            if poll is not None:
                self._cache.put(seen, poll_id, poll)
        return poll

    async def existing(self, poll_id: int) -> PollRecord:
        """The poll, else a `UserError` (the core has checked that the asking chat shows it)."""
        poll = await self.get(poll_id)
        if poll is None:
            raise UserError(texts.NO_SUCH_POLL, id=poll_id)
        return poll

    def check_can_vote(self, poll: PollRecord, actor: Actor) -> None:
        """Refuse votes on closed polls and from people without the poll's role."""
        if not poll.is_open(self.now()):
            raise UserError(texts.POLL_CLOSED, id=poll.id)
        if poll.allowed_role is not None and poll.allowed_role not in actor.role_ids:
            raise UserError(texts.NOT_ALLOWED, role=poll.allowed_role, id=poll.id)

    def ballot_order(self, poll: PollRecord, actor: Actor) -> tuple[int, ...]:
        """The options the actor's ballot lists, in order (their own on `--shuffle` polls)."""
        if not poll.shuffle:
            return poll.live_options
        return voter_order(self._master_key, poll.id, actor.key, poll.live_options)

    def voter_key(self, poll: PollRecord, actor: Actor) -> str:
        """The key the actor's ballot is stored under in this poll."""
        if not poll.anonymous:
            return actor.key
        if poll.salt is None:
            raise UserError(texts.POLL_CLOSED, id=poll.id)
        return self.keyed_voter(poll.salt, actor.platform, actor.user_id)

    def keyed_voter(self, salt: bytes, platform: str, user_id: str) -> str:
        """The anonymous key of a person under `salt` (one poll's, or another feature's)."""
        return voter_key(self._master_key, salt, platform, user_id)

    async def vote(
        self,
        poll: PollRecord,
        actor: Actor,
        op: VoteOp,
        choices: tuple[int, ...] = (),
        *,
        chat_no: int | None = None,
    ) -> VoteResult:
        """Apply a vote cast in chat number `chat_no` (None: unknown); returns once committed."""
        name = None if poll.anonymous else actor.display_name
        key = self.voter_key(poll, actor)
        command = VoteCommand(poll.id, key, op, choices, name, chat_no, current_receipt())
        return await self.writer.submit(command)

    async def chat_number(self, poll: PollRecord, chat: ChatRef, kind: ChatKind) -> int | None:
        """The number of `chat` among the chats showing the poll; None if it is not one of them.

        Anonymous polls never record a private chat: a one-person chat would name the voter.
        """
        if poll.anonymous and kind is ChatKind.PRIVATE:
            return None
        return await self._number_of(poll.id, chat)

    async def shown_in(self, poll_id: int, chat: ChatRef) -> bool:
        """Whether the poll was started in or shared into `chat`."""
        return await self._number_of(poll_id, chat) is not None

    async def shows_on(self, poll_id: int, message: MessageRef) -> bool:
        """Whether `message` is one the bot posted to show the poll."""
        key = (message.chat.platform, message.chat.chat_id, message.message_id)
        seen = await self._messages.check()
        known = self._messages.get(poll_id)
        if known is None:
            known = frozenset(
                (shown.message.chat.platform, shown.message.chat.chat_id, shown.message.message_id)
                for shown in await self.polls.chats.messages(poll_id)
            )
            self._messages.put(seen, poll_id, known)
        return key in known

    async def _number_of(self, poll_id: int, chat: ChatRef) -> int | None:
        seen = await self._chat_numbers.check()
        numbers = self._chat_numbers.get(poll_id)
        if numbers is None:
            numbers = await self.polls.chats.numbers(poll_id)
            self._chat_numbers.put(seen, poll_id, numbers)
        return numbers.get(ChatRef(chat.platform, chat.chat_id))

    def remember_ballot_origin(self, poll: PollRecord, actor: Actor, chat_no: int | None) -> None:
        """Note the chat a private ballot was opened from, for when it is submitted elsewhere.

        On Telegram a multi or ranked ballot may be filled in a private chat; its Submit press
        then comes from there. The note is kept in memory only, for the newest ballots.
        """
        key = (poll.id, actor.key)
        self._ballot_origins.pop(key, None)
        if chat_no is None:
            return
        self._ballot_origins[key] = chat_no
        while len(self._ballot_origins) > BALLOT_ORIGINS_KEPT:
            self._ballot_origins.popitem(last=False)

    def ballot_origin(self, poll: PollRecord, actor: Actor) -> int | None:
        """The chat a private ballot was opened from, forgotten once asked for."""
        return self._ballot_origins.pop((poll.id, actor.key), None)

    async def forget_person(self, platform: str, user_id: str) -> int:
        """Take a person off every poll; returns the rows changed.

        Named ballots go from open polls and lose their name in closed ones; anonymous ballots
        in polls that still hold a salt move to a random key (a has-voted marker keeps an open
        poll's ballot single); the person is no longer any poll's creator, and the ballot
        origins noted for them go.
        """
        changed = 0
        if await self.polls.holds_salts():
            changed += await self.polls.forget_anonymous_voter(
                lambda salt: voter_key(self._master_key, salt, platform, user_id)
            )
        changed += await self.polls.forget_voter(platform, user_id)
        person = f"{platform}:{user_id}"
        for origin in [key for key in self._ballot_origins if key[1] == person]:
            del self._ballot_origins[origin]
        return changed

    async def ballot_of(self, poll: PollRecord, actor: Actor) -> tuple[int, ...]:
        """The actor's current choices in the poll."""
        return await self.polls.ballots.choices_of(poll.id, self.voter_key(poll, actor))

    async def results(self, poll: PollRecord, *, runoff: bool = False) -> PollResults:
        """The poll's results now; a ranked poll's rounds when `runoff` or once it is closed.

        An open ranked poll's live views show first preferences, counted by the database.
        """
        closed = not poll.is_open(self.now())
        return await load_results(self.polls.ballots, poll, runoff=runoff or closed)

    async def breakdown(self, poll: PollRecord) -> ChatBreakdown:
        """The poll's ballots per chat, with small anonymous groups pooled."""
        tallies = await self.polls.ballots.chat_tallies(
            poll.id, first_choice_only=poll.kind is PollKind.RANKED
        )
        return break_down(tallies, anonymous=poll.anonymous)

    async def share(self, poll: PollRecord, chat: ChatRef, locale: Locale) -> bool:
        """Show the poll in one more chat; False when it is already shown there.

        Shares are serialized, so two at once cannot both post into the same chat. A poll that
        closed while its new message was being posted is redrawn closed everywhere.
        """
        async with self._share_lock:
            if await self.polls.chats.shown_in(poll.id, chat):
                return False
            await self.show(poll, chat, locale)
        current = await self.polls.get(poll.id)
        if poll.is_open(self.now()) and current is not None and current.closed_at is not None:
            await self.live.changed(poll.id)
        return True

    async def show(self, poll: PollRecord, chat: ChatRef, locale: Locale) -> MessageRef:
        """Post the poll into `chat` (on any connected platform) and track the message."""
        message = await self._outbox.send(chat, await self.view(poll, chat, locale))
        await self.track(poll.id, message, locale)
        return message

    async def view(
        self, poll: PollRecord, chat: ChatRef, locale: Locale, results: PollResults | None = None
    ) -> Reply:
        """The poll message as `chat` sees it now (in its language and time zone)."""
        counted = results if results is not None else await self.results(poll)
        return poll_view(poll, counted, locale, self.now(), await self.zone_of(chat))

    async def track(self, poll_id: int, message: MessageRef, locale: Locale) -> None:
        """Remember a message that shows the poll, for live updates."""
        await self.polls.chats.add_message(poll_id, PollMessage(message, locale), self.now())

    async def refresh(self, poll_id: int) -> None:
        """Edit every message showing the poll to its current state."""
        poll = await self.get(poll_id)
        if poll is None:
            return
        results = await self.results(poll)
        for shown in await self.polls.chats.messages(poll_id):
            try:
                view = await self.view(poll, shown.message.chat, shown.locale, results)
                await self._outbox.edit(shown.message, view)
            except MessageGoneError:
                log.info("event=poll_message_gone poll=%d chat=%s", poll_id, shown.message.chat.key)
                await self.polls.chats.forget_message(poll_id, shown.message)
            except Exception:
                log.warning(
                    "event=poll_edit_failed poll=%d chat=%s",
                    poll_id,
                    shown.message.chat.key,
                    exc_info=True,
                )

    async def close(self, poll_id: int) -> bool:
        """Close the poll, show the final tally everywhere and announce it once.

        An anonymous poll's salt is erased, except for the first poll of a stance pair whose
        second poll has not closed yet (both polls share it): with no second poll yet, its salt
        is erased `STANCE_AFTER_WINDOW` later unless one was made. Returns False if already
        closed.
        """
        poll = await self.polls.get(poll_id)
        if poll is None:
            return False
        now = self.now()
        after_id = await self.polls.after_poll(poll_id)
        after = await self.polls.get(after_id) if after_id is not None else None
        keep_salt = poll.stance is StancePhase.BEFORE and (after is None or after.closed_at is None)
        closed = await self.polls.close(poll_id, now, keep_salt=keep_salt)
        if closed and keep_salt and after is None:
            payload = {"poll_id": poll_id}
            due = now + STANCE_AFTER_WINDOW
            await self._scheduler.schedule(ERASE_SALT_JOB, due, payload, chat=poll.chat)
        if closed and poll.stance is StancePhase.AFTER and poll.stance_before is not None:
            await self.polls.erase_salt(poll.stance_before)
        if closed and poll.closes_at is not None and poll.closes_at > now:  # closed early
            await self.deadlines.cancel(poll_id, poll.chat)
        if closed and poll.anonymous:
            await self._scheduler.schedule(CLEAR_WAL_JOB, now)
        if closed:
            await self.live.flush(poll_id)
            await self._scheduler.run_now(ANNOUNCE_JOB, {"poll_id": poll_id}, chat=poll.chat)
        return closed

    async def move_deadline(self, poll: PollRecord, closes_at: datetime | None) -> bool:
        """Give an open poll a new deadline (None: none) and redraw it; False if it had closed."""
        if not await self.polls.changes.set_deadline(poll.id, closes_at, self.now()):
            return False
        await self._rescheduled(poll.id)
        return True

    async def reopen(self, poll: PollRecord, closes_at: datetime | None) -> bool:
        """Open a closed poll again (see `PollChanges.reopen` for which may) and redraw it.

        Refused like a new poll when its creator or its chat already has the open polls the
        quota allows.
        """
        try:
            reopened = await self.polls.changes.reopen(
                poll.id, closes_at, self.now(), quota=self._open_polls
            )
        except QuotaReachedError as error:
            raise refusal(error, OPEN_POLLS) from None
        if not reopened:
            return False
        await self._rescheduled(poll.id)
        return True

    async def _rescheduled(self, poll_id: int) -> None:
        poll = await self.existing(poll_id)
        await self.deadlines.cancel(poll_id, poll.chat)
        await self.deadlines.schedule(poll, self.now())
        await self.live.changed(poll_id)

    async def run_close_job(self, job: Job) -> datetime | None:
        """The scheduler's runner for `polls.close` jobs (a deadline since moved: nothing)."""
        poll = await self.polls.get(int(job.payload["poll_id"]))
        if poll is not None and still_due(poll, job.payload):
            await self.close(poll.id)
        return None

    async def run_remind_job(self, job: Job) -> datetime | None:
        """Tell every chat showing the poll that it closes soon (unless it closed or moved)."""
        poll = await self.polls.get(int(job.payload["poll_id"]))
        if poll is None or not poll.is_open(self.now()) or not still_due(poll, job.payload):
            return None
        for chat, locale in (await self._chats_of(poll)).items():
            try:
                zone = await self.zone_of(chat)
                await self._outbox.send(chat, reminder_view(poll, locale, self.now(), zone))
            except Exception:
                log.warning("event=poll_remind_failed poll=%d chat=%s", poll.id, chat.key)
        return None

    async def _chats_of(self, poll: PollRecord) -> dict[ChatRef, Locale]:
        """Each chat showing the poll with the language of its message (else its home chat)."""
        chats: dict[ChatRef, Locale] = {}
        for shown in await self.polls.chats.messages(poll.id):
            chats.setdefault(shown.message.chat, shown.locale)
        return chats or {poll.chat: poll.locale}

    async def run_erase_salt_job(self, job: Job) -> datetime | None:
        """Erase a closed before-poll's salt once its window for an after-poll has passed."""
        poll_id = int(job.payload["poll_id"])
        if await self.polls.after_poll(poll_id) is None:
            await self.polls.erase_salt(poll_id)
            await self._scheduler.schedule(CLEAR_WAL_JOB, self.now())
        return None

    async def run_clear_wal_job(self, job: Job) -> datetime | None:
        """Empty the write-ahead log of erased salts; again later while a reader holds it."""
        if await self.polls.clear_wal():
            return None
        log.info("event=wal_busy job=%d retry_in=%s", job.id, CLEAR_WAL_RETRY)
        return self.now() + CLEAR_WAL_RETRY

    async def run_announce_job(self, job: Job) -> datetime | None:
        """Post the final results into every chat showing the poll, then mark them announced.

        A job, so that results are never lost: if the process dies while posting, another
        runs it again after its lease (a chat it had already reached then sees them twice).
        Nothing for a poll reopened meanwhile: its next close announces it.
        """
        poll_id = int(job.payload["poll_id"])
        poll = await self.polls.get(poll_id)
        if poll is None or poll.closed_at is None or poll.announced_at is not None:
            return None
        results = await self.results(poll)
        for chat, locale in (await self._chats_of(poll)).items():
            try:
                await self._outbox.send(chat, announcement_view(poll, results, locale))
            except Exception:
                log.warning("event=poll_announce_failed poll=%d chat=%s", poll_id, chat.key)
        await self.polls.mark_announced(poll_id, self.now())
        return None
