"""The debate map's types: immutable, bilingual, and free of any I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import Localized


class Reliability(StrEnum):
    """How far a source can be trusted for the fact it is cited for."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"
    OPINION = "opinion"


class ClaimStatus(StrEnum):
    """Whether a claim's substance is established, only alleged, or a matter of judgement."""

    ESTABLISHED = "established"
    ALLEGED = "alleged"
    OPINION = "opinion"


@dataclass(frozen=True, slots=True)
class Source:
    """A cited source: title, outlet (publisher), date, URL and reliability."""

    id: str
    title: str
    publisher: str
    date: str
    url: str
    reliability: Reliability


@dataclass(frozen=True, slots=True)
class Claim:
    """One argument of a side, with its evidence and the other side's answers to it."""

    id: str
    statement: Localized
    explanation: Localized
    status: ClaimStatus
    status_note: Localized
    sources: tuple[Source, ...]
    rebutted_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the debate and its claims, in display order.

    `id` is the keyword people type (`/argue accusers …`) and what storage keeps; `aliases` are
    other words for it (former keywords, Chinese words); `strongest` names the claims the
    overview shows, chosen by strength when the map was reviewed.
    """

    id: str
    label: Localized
    summary: Localized
    claims: tuple[Claim, ...]
    strongest: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def strongest_claims(self) -> tuple[Claim, ...]:
        """The claims named in `strongest`, in that order."""
        by_id = {claim.id: claim for claim in self.claims}
        return tuple(by_id[claim_id] for claim_id in self.strongest)


@dataclass(frozen=True, slots=True)
class FactCheck:
    """A passage of the shipped article that errs or overstates, and what the sources show."""

    id: str
    passage: str
    passage_en: str
    verdict: Localized
    finding: Localized
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) with its sources."""

    date: str
    text: Localized
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A term used in the debate and its plain-language definition."""

    id: str
    term: Localized
    definition: Localized


@dataclass(frozen=True, slots=True)
class DebateMap:
    """The whole debate: question, background, two sides, fact-checks, timeline, glossary."""

    topic: str
    question: Localized
    background: Localized
    sides: tuple[Side, Side]
    fact_checks: tuple[FactCheck, ...]
    timeline: tuple[TimelineEvent, ...]
    glossary: tuple[GlossaryEntry, ...]

    def side(self, side_id: str) -> Side:
        """Return the side with this id; raise `KeyError` if there is none."""
        for side in self.sides:
            if side.id == side_id:
                return side
        raise KeyError(side_id)

    def keywords(self) -> dict[str, str]:
        """Every word that names a side (its id and aliases, lower-case) and the side's id."""
        return {word.lower(): side.id for side in self.sides for word in (side.id, *side.aliases)}

    def other_side(self, side_id: str) -> Side:
        """Return the side opposite the one with this id; raise `KeyError` if there is none."""
        first, second = self.sides
        if side_id == first.id:
            return second
        if side_id == second.id:
            return first
        raise KeyError(side_id)

    def claim(self, claim_id: str) -> Claim:
        """Return the claim with this id (case-insensitive); raise `KeyError` if there is none."""
        return self.claim_and_side(claim_id)[0]

    def claim_and_side(self, claim_id: str) -> tuple[Claim, Side]:
        """Return the claim with this id (case-insensitive) and the side making it."""
        wanted = claim_id.strip().upper()
        for side in self.sides:
            for claim in side.claims:
                if claim.id.upper() == wanted:
                    return claim, side
        raise KeyError(claim_id)

    def rebuttals(self, claim_id: str) -> tuple[Claim, ...]:
        """Return the other side's claims that answer this claim, in the order listed."""
        return tuple(self.claim(rid) for rid in self.claim(claim_id).rebutted_by)
