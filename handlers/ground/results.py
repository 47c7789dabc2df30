"""The common-ground results: the analysis of a chat's votes, as text and a nameless picture."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.i18n import Locale
from bot.reply import Attachment, BulletList, Heading, Paragraph, Reply
from domain.opinion_groups import MIN_GROUP_SIZE, OpinionMap, Stance, map_opinions
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
    """Run the opinion-group analysis on a chat's votes (CPU work: call it off the event loop).

    The matrix is filled from index arrays in one numpy step; no object per vote is made.
    """
    position = {statement: index for index, statement in enumerate(votes.statements)}
    kept = [vote for vote in votes.votes if vote[1] in position]
    voters: dict[str, int] = {}
    rows = np.fromiter((voters.setdefault(v, len(voters)) for v, _, _ in kept), np.int64, len(kept))
    columns = np.fromiter((position[s] for _, s, _ in kept), np.int64, len(kept))
    stances = np.fromiter((stance for _, _, stance in kept), np.float64, len(kept))
    matrix = np.full((len(voters), len(position)), np.nan)
    matrix[rows, columns] = stances
    seen = np.bincount(columns, minlength=len(position))
    agree = np.bincount(columns, weights=stances == 1, minlength=len(position))
    disagree = np.bincount(columns, weights=stances == -1, minlength=len(position))
    overall = {
        statement: (agree[index] / seen[index], disagree[index] / seen[index])
        for statement, index in position.items()
        if seen[index]
    }
    return Analysis(map_opinions(matrix), votes.statements, overall)


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
