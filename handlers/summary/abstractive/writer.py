"""Written summaries: planned at once, asked for beside the chat, shown when they arrive.

A view of the automatic summary asks `plan` what to show: a cached written summary (never asked
for twice: the cache key is the text's hash, the model, the length, the language, the kind and
`VERSION`), or the automatic summary with a note that one is being written. `then` (a `Posted`
answer's follow-up) or `follow` (a pressed button's) runs the request in the app's background
work, so a slow provider holds up no command, press or vote; when it is done the message is
edited, unless a later view replaced it meanwhile. Each chat may cause `budget` requests a UTC
day (stored, so a restart does not reset it).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from enum import StrEnum

from bot.background import BackgroundWork, Lane
from bot.clock import Clock
from bot.config import Settings
from bot.context import MessageGoneError, Outbox
from bot.i18n import Locale, Localized, listed
from bot.identity import ChatRef, MessageRef
from bot.reply import Reply
from domain.articles import Edition, content_hash, language_name
from handlers.summary.abstractive import texts
from handlers.summary.abstractive.grounding import (
    Bullet,
    Source,
    enough,
    grounded_bullets,
    grounded_translation,
    summary_prompt,
    translation_prompt,
)
from handlers.summary.abstractive.numbering import article_positions
from handlers.summary.abstractive.provider import ChatProvider, ProviderError, display_name
from handlers.summary.service import SummaryService
from handlers.summary.summarizer import Length, Summary
from handlers.summary.views import Rewrite
from storage.written_summaries import WrittenKey, WrittenSummaryRepository

log = logging.getLogger("parley.summary.llm")

SWITCH = "llm"
"""The name `/settings feature` switches written summaries off by, per chat."""
VERSION = "2"
"""Changes with the prompts or the checks: part of the cache key."""
BULLETS: dict[str, int] = {"short": 3, "medium": 5, "long": 8}
"""Bullets asked for per length (`sections` stays extractive)."""
SOURCE_LENGTH: Length = "long"
"""The extractive length whose sentences the model writes from."""
TITLE = 0
"""The position the title is offered at, as line 0 of a translation (sentences count from 1)."""
MAX_WATCHED = 2000
WRITING_AT_ONCE = 2
"""Requests to the model under way at once; more wait their turn (the shared turns stay free)."""


class Kind(StrEnum):
    """A summary in the edition's own language, or a translation for a missing edition."""

    SUMMARY = "summary"
    TRANSLATION = "translation"


class Unwritten(StrEnum):
    """Why no written summary came back."""

    NO_ANSWER = "no_answer"
    BUDGET_USED = "budget_used"


@dataclass(frozen=True, slots=True)
class Ask:
    """What to write: `edition`'s summary at `length`, read in `language` (`zh`, `en`)."""

    chat: ChatRef
    edition: Edition
    length: Length
    language: str
    extract: Summary
    """The automatic summary at `length` (what a translation translates)."""

    @property
    def kind(self) -> Kind:
        """A translation when the edition is not in the language asked for."""
        same = self.edition.primary_language == self.language
        return Kind.SUMMARY if same else Kind.TRANSLATION


@dataclass(frozen=True, slots=True)
class Written:
    """The bullets that held up (none: nothing did, and the automatic summary shows).

    A translation's `title` is the translated title, when it held up too.
    """

    bullets: tuple[Bullet, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """How a view of the automatic summary changes: a rewrite, a note, a request to come."""

    rewrite: Rewrite | None = None
    note: str | None = None
    pending: bool = False


@dataclass(frozen=True, slots=True)
class Writing:
    """A request to run after the view is shown, and how to draw the view with its outcome."""

    ask: Ask
    locale: Locale
    draw: Callable[[Plan], Reply]


class SummaryWriter:
    """Plans, runs, caches and budgets written summaries for one configured provider."""

    def __init__(
        self,
        provider: ChatProvider,
        repository: WrittenSummaryRepository,
        summaries: SummaryService,
        background: BackgroundWork,
        outbox: Outbox,
        clock: Clock,
        budget: int,
    ) -> None:
        """`budget` is each chat's requests per UTC day."""
        self._provider = provider
        self._repository = repository
        self._summaries = summaries
        self._background = background
        self._outbox = outbox
        self._clock = clock
        self._budget = budget
        self._waiting: dict[WrittenKey, list[tuple[MessageRef | None, object, Writing]]] = {}
        """The views each queued or running request will edit, by its key (one task a key)."""
        self._latest: OrderedDict[MessageRef, object] = OrderedDict()
        self._lane = Lane(WRITING_AT_ONCE)

    @classmethod
    def configured(
        cls,
        settings: Settings,
        repository: WrittenSummaryRepository,
        summaries: SummaryService,
        background: BackgroundWork,
        outbox: Outbox,
        clock: Clock,
    ) -> SummaryWriter | None:
        """The writer `settings` configure, or None when no model is configured."""
        if not settings.llm_base_url or not settings.llm_model:
            return None
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        provider = ChatProvider(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            name=settings.llm_provider or display_name(settings.llm_base_url),
            api_key=key,
            timeout=settings.llm_timeout_seconds,
        )
        return cls(
            provider, repository, summaries, background, outbox, clock, settings.llm_daily_budget
        )

    async def plan(self, ask: Ask, locale: Locale, *, interactive: bool = True) -> Plan:
        """What a view shows now: the cached outcome, else (`interactive`) a request to come."""
        cached = await self._cached(self._key(ask))
        if not interactive:  # a post shows a written summary when there is one, and no notes
            if cached is None or not cached.bullets:
                return Plan()
            return self._outcome(ask, cached, locale)
        if cached is not None:
            return self._outcome(ask, cached, locale)
        if await self._repository.used(ask.chat, self._today()) >= self._budget:
            return self._outcome(ask, Unwritten.BUDGET_USED, locale)
        if ask.kind is Kind.TRANSLATION:
            note = self._say(texts.BEING_TRANSLATED, locale, language=_name(ask.language, locale))
        else:
            note = self._say(texts.BEING_WRITTEN, locale)
        return Plan(note=note, pending=True)

    def then(self, writing: Writing) -> Callable[[MessageRef | None], Awaitable[None]]:
        """A `Posted` follow-up: run `writing` for the posted message."""

        async def posted(message: MessageRef | None) -> None:
            self.follow(message, writing)

        return posted

    def follow(self, message: MessageRef | None, writing: Writing | None) -> None:
        """`message` now shows a view: run its `writing` (if any), and stop older ones' edits.

        A request with the same key already queued or under way edits `message` too when it is
        done: it is never sent twice, and a second view takes no second turn of the lane. One
        refused for the asking chat's budget leaves another chat's view to ask on its own.
        """
        token = object()
        if message is not None:
            self._latest[message] = token
            self._latest.move_to_end(message)
            while len(self._latest) > MAX_WATCHED:
                self._latest.popitem(last=False)
        if writing is not None:
            self._watch(message, token, writing)

    def _watch(self, message: MessageRef | None, token: object, writing: Writing) -> None:
        """Have `message` edited with `writing`'s outcome (by the task for its key)."""
        key = self._key(writing.ask)
        waiting = self._waiting.get(key)
        if waiting is not None:
            waiting.append((message, token, writing))
            return
        self._waiting[key] = [(message, token, writing)]
        self._background.start(
            "summary.write", lambda: self._finish(key, writing.ask), lane=self._lane
        )

    async def _finish(self, key: WrittenKey, ask: Ask) -> None:
        try:
            outcome = await self._ask(ask, key)
        finally:
            waiting = self._waiting.pop(key)
        for message, token, writing in waiting:
            if outcome is Unwritten.BUDGET_USED and writing.ask.chat != ask.chat:
                self._watch(message, token, writing)  # its own chat's budget may allow it
                continue
            if message is None or self._latest.get(message) is not token:
                continue  # shown privately, or replaced by another view since
            try:
                await self._outbox.edit(
                    message, writing.draw(self._outcome(writing.ask, outcome, writing.locale))
                )
            except MessageGoneError:
                self._latest.pop(message, None)

    async def _ask(self, ask: Ask, key: WrittenKey) -> Written | Unwritten:
        cached = await self._cached(key)
        if cached is not None:
            return cached
        if not await self._repository.take(ask.chat, self._today(), self._budget):
            return Unwritten.BUDGET_USED
        sources = await self._sources(ask)
        translating = ask.kind is Kind.TRANSLATION
        if translating:
            sources = [Source(0, TITLE, ask.edition.title), *sources]
            asked = len(sources) - 1
            messages = translation_prompt(sources, ask.language)
        else:
            asked = min(BULLETS.get(ask.length, BULLETS["medium"]), len(sources))
            messages = summary_prompt(ask.edition.title, sources, asked, ask.language)
        try:
            answer = await self._provider.complete(messages)
        except ProviderError as error:
            log.warning("event=llm_failed reason=%s model=%s", error.reason, self._provider.model)
            return Unwritten.NO_ANSWER
        written = await asyncio.to_thread(_grounded, answer, sources, asked, translating)
        log.info(
            "event=llm_written kind=%s asked=%d shown=%d",
            ask.kind.value,
            asked,
            len(written.bullets),
        )
        await self._repository.store(key, _encode(written), self._clock.now())
        return written

    async def _sources(self, ask: Ask) -> list[Source]:
        """The numbered sentences the model sees, with their places in the article."""
        if ask.kind is Kind.TRANSLATION:
            chosen: Sequence[str] = ask.extract.sentences
        else:
            chosen = (await self._summaries.summary_of(ask.edition, SOURCE_LENGTH)).sentences
        positions = await asyncio.to_thread(article_positions, ask.edition.text, chosen)
        return [
            Source(number, position, text)
            for number, (position, text) in enumerate(zip(positions, chosen, strict=True), 1)
        ]

    async def _cached(self, key: WrittenKey) -> Written | None:
        encoded = await self._repository.cached(key)
        if encoded is None:
            return None
        try:
            return _decode(encoded)
        except (ValueError, KeyError, TypeError):
            log.warning("event=llm_cache_unreadable hash=%s", key.content_hash[:12])
            return None

    def _outcome(self, ask: Ask, outcome: Written | Unwritten, locale: Locale) -> Plan:
        """How the view shows `outcome`."""
        if outcome is Unwritten.BUDGET_USED:
            return Plan(note=texts.BUDGET_USED.render(locale, budget=self._budget))
        if outcome is Unwritten.NO_ANSWER:
            return Plan(note=self._say(texts.NO_ANSWER, locale))
        assert isinstance(outcome, Written)
        if not outcome.bullets:
            return Plan(note=self._say(texts.DID_NOT_HOLD, locale))
        places = sorted({place for bullet in outcome.bullets for place in bullet.positions})
        positions = listed(locale, (str(place) for place in places))
        translated = ask.kind is Kind.TRANSLATION
        if translated:
            label = self._say(
                texts.TRANSLATED,
                locale,
                positions=positions,
                language=_name(ask.language, locale),
                original=_name(ask.edition.language, locale),
            )
        else:
            label = self._say(texts.WRITTEN, locale, positions=positions)
        bullets = tuple(bullet.text for bullet in outcome.bullets)
        return Plan(rewrite=Rewrite(bullets, label, translated=translated, title=outcome.title))

    def _say(self, template: Localized, locale: Locale, **values: str) -> str:
        return template.render(
            locale, model=self._provider.model, provider=self._provider.name, **values
        )

    def _key(self, ask: Ask) -> WrittenKey:
        return WrittenKey(
            content_hash(ask.edition.text),
            self._provider.model,
            ask.length,
            ask.language,
            ask.kind.value,
            VERSION,
        )

    def _today(self) -> date:
        return self._clock.now().astimezone(UTC).date()


def _grounded(answer: str, sources: list[Source], asked: int, translating: bool) -> Written:
    """What of `answer` holds up, if enough does (a translation's line 0 is the title)."""
    if not translating:
        kept = grounded_bullets(answer, sources, asked)
        return Written(tuple(kept)) if enough(kept, asked) else Written(())
    lines = grounded_translation(answer, sources)
    title = next((line.text for line in lines if line.positions == (TITLE,)), None)
    kept = [line for line in lines if line.positions != (TITLE,)]
    return Written(tuple(kept), title) if enough(kept, asked) else Written(())


def _name(tag: str, locale: Locale) -> str:
    return language_name(tag.split("-", 1)[0], locale)


def _encode(written: Written) -> str:
    bullets = [{"text": b.text, "positions": list(b.positions)} for b in written.bullets]
    return json.dumps({"bullets": bullets, "title": written.title}, ensure_ascii=False)


def _decode(encoded: str) -> Written:
    stored = json.loads(encoded)
    bullets = tuple(
        Bullet(str(row["text"]), tuple(int(p) for p in row["positions"]))
        for row in stored["bullets"]
    )
    title = stored["title"]
    return Written(bullets, str(title) if title is not None else None)
