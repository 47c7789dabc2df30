"""The common-ground results: the analysis of a chat's votes, as text and a nameless picture."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import Locale
from bot.reply import Attachment, BulletList, Heading, Paragraph, Reply
from domain.opinion_groups import (
    MIN_GROUP_SIZE,
    OpinionMap,
    Stance,
    StatementVote,
    find_opinion_groups,
)
from handlers.ground import texts
from storage.ground import ChatVotes

LETTERS = "ABCDE"
SHOWN_CONSENSUS = 5
_COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3")


@dataclass(frozen=True, slots=True)
class Analysis:
    """A chat's opinion map with the statement ids its dense indexes stand for."""

    opinions: OpinionMap
    statement_ids: tuple[int, ...]
    overall: dict[int, tuple[float, float]]
    """Per statement id: the share of all its voters agreeing, and disagreeing."""


def analyse(votes: ChatVotes) -> Analysis:
    """Run the opinion-group analysis on a chat's votes (CPU work: call it off the event loop)."""
    voters: dict[str, int] = {}
    index = {statement: position for position, statement in enumerate(votes.statements)}
    dense = [
        StatementVote(voters.setdefault(voter, len(voters)), index[statement], Stance(stance))
        for voter, statement, stance in votes.votes
        if statement in index
    ]
    opinions = find_opinion_groups(dense, len(voters), len(index))
    tallies: dict[int, list[int]] = {}
    for _, statement, stance in votes.votes:
        counts = tallies.setdefault(statement, [0, 0, 0])
        counts[0] += stance == 1
        counts[1] += stance == -1
        counts[2] += 1
    overall = {s: (a / seen, d / seen) for s, (a, d, seen) in tallies.items()}
    return Analysis(opinions, votes.statements, overall)


def results_reply(analysis: Analysis, say: Callable[[int], str], locale: Locale) -> Reply:
    """Groups with what sets them apart, what all groups agree and disagree on, and a picture.

    `say` gives a statement's text by its id, in the reader's language.
    """
    opinions = analysis.opinions
    title = texts.RESULTS_TITLE.render(locale)
    if opinions.participants < MIN_GROUP_SIZE:
        minimum = texts.TOO_FEW.render(locale, minimum=MIN_GROUP_SIZE)
        return Reply(title=title, blocks=(Paragraph(minimum),))
    ids = analysis.statement_ids
    counts = texts.RESULTS_COUNTS.render(
        locale,
        people=opinions.participants,
        statements=len(ids),
        placed=opinions.placed,
    )
    blocks: list[Heading | Paragraph | BulletList] = [Paragraph(counts)]
    blocks += _common(analysis, say, locale)
    for letter, group in zip(LETTERS, opinions.groups, strict=False):
        blocks.append(Heading(texts.GROUP_HEADING.render(locale, letter=letter, size=group.size)))
        lines = [
            (texts.GROUP_AGREES if rep.stance is Stance.AGREE else texts.GROUP_DISAGREES).render(
                locale,
                share=round(rep.share * 100),
                others=round(rep.others_share * 100),
                text=say(ids[rep.statement]),
            )
            for rep in group.representatives
        ]
        nothing = texts.GROUP_NOTHING_APART.render(locale)
        blocks.append(BulletList(tuple(lines)) if lines else Paragraph(nothing))
    blocks.append(Paragraph(texts.METHOD.render(locale, minimum=MIN_GROUP_SIZE)))
    attachment = None
    if opinions.groups:
        attachment = Attachment(
            filename="common-ground.png",
            data=_picture(opinions),
            media_type="image/png",
            is_image=True,
            description=texts.PICTURE.render(locale),
        )
    return Reply(title=title, blocks=tuple(blocks), attachment=attachment)


def _common(
    analysis: Analysis, say: Callable[[int], str], locale: Locale
) -> Sequence[Heading | Paragraph | BulletList]:
    ids = analysis.statement_ids
    consensus = analysis.opinions.consensus
    agreed = [c for c in consensus if c.every_group_agrees][:SHOWN_CONSENSUS]
    rejected = sorted((c for c in consensus if c.every_group_disagrees), key=lambda c: -c.disagree)[
        :SHOWN_CONSENSUS
    ]
    blocks: list[Heading | Paragraph | BulletList] = [
        Heading(texts.CONSENSUS_HEADING.render(locale))
    ]
    if agreed:
        lines = tuple(
            texts.CONSENSUS_LINE.render(
                locale,
                text=say(ids[c.statement]),
                share=round(analysis.overall[ids[c.statement]][0] * 100),
            )
            for c in agreed
        )
        blocks.append(BulletList(lines))
    else:
        blocks.append(Paragraph(texts.NO_CONSENSUS.render(locale)))
    if rejected:
        blocks.append(Heading(texts.DISSENSUS_HEADING.render(locale)))
        lines = tuple(
            texts.DISSENSUS_LINE.render(
                locale,
                text=say(ids[c.statement]),
                share=round(analysis.overall[ids[c.statement]][1] * 100),
            )
            for c in rejected
        )
        blocks.append(BulletList(lines))
    return blocks


def _picture(opinions: OpinionMap) -> bytes:
    """The placed people of shown groups as dots coloured by group: letters only, no names."""
    figure = Figure(figsize=(6, 6), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for number, letter in enumerate(LETTERS[: len(opinions.groups)]):
        points = opinions.points[opinions.point_groups == number]
        size = opinions.groups[number].size
        axes.scatter(
            points[:, 0],
            points[:, 1],
            s=14,
            alpha=0.6,
            color=_COLOURS[number],
            label=f"{letter} ({size})",
        )
    axes.set_xticks([])
    axes.set_yticks([])
    axes.legend(loc="best")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
