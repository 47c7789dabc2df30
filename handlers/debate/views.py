"""Pure reply builders for the debate map: overview, sides, claims, fact-checks, timeline, glossary.

Every view of one side carries a button to the other side. Long views are paged (see
`handlers.debate.paging`); navigation buttons press `DebateView(view, key, page)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.buttons import button
from bot.i18n import Locale, Localized
from bot.reply import (
    Block,
    BulletList,
    Button,
    ButtonStyle,
    Fields,
    Heading,
    Link,
    Paragraph,
    Quote,
    Reply,
)
from handlers.debate import texts
from handlers.debate.actions import NO_KEY, DebateView, View
from handlers.debate.model import Claim, DebateMap, Side, Source
from handlers.debate.paging import (
    MAX_BUTTONS_PER_ROW,
    MAX_PAGE_CHARS,
    Section,
    paginate,
    rows_of,
)

PageButton = Callable[[str, int], Button]
"""Makes the button with `label` that opens page `page` of the current view."""

CLAIMS_PER_SIDE_PAGE = 6
READING_PAGE_CHARS = 2000
"""Timeline and fact-check pages stay near one phone screen (the platforms would take more)."""


def view_button(
    label: str,
    view: View,
    key: str = NO_KEY,
    page: int = 1,
    *,
    style: ButtonStyle = ButtonStyle.SECONDARY,
) -> Button:
    """A button that opens page `page` of `view` (for `key`: a side or claim id)."""
    return button(label, DebateView(view=view, key=key, page=page), style=style)


def paged_view(
    *,
    title: str,
    intro: tuple[Block, ...],
    sections: Sequence[Section],
    fixed: Sequence[Button],
    locale: Locale,
    page_button: PageButton,
    max_sections: int | None = None,
    max_chars: int = MAX_PAGE_CHARS,
    row_size: int = MAX_BUTTONS_PER_ROW,
) -> list[Reply]:
    """Pages of `sections` under `title` and `intro`, with page buttons and `fixed` buttons.

    Section buttons are laid out in rows of `row_size`; `page_button(label, page)` makes the
    buttons to the previous and next pages.
    """

    def build(chosen: Sequence[Section], page: int, count: int) -> Reply:
        nav: list[Button] = []
        if page > 1:
            nav.append(page_button(texts.PREVIOUS_PAGE.render(locale, page=page - 1), page - 1))
        if page < count:
            nav.append(page_button(texts.NEXT_PAGE.render(locale, page=page + 1), page + 1))
        rows = [
            *rows_of([b for section in chosen for b in section.buttons], row_size),
            *([tuple(nav)] if nav else []),
            *rows_of(fixed),
        ]
        return Reply(
            title=title,
            blocks=intro + tuple(block for section in chosen for block in section.blocks),
            buttons=tuple(rows),
            footer=texts.PAGE_FOOTER.render(locale, page=page, count=count) if count > 1 else None,
        )

    return paginate(sections, build, max_sections=max_sections, max_chars=max_chars)


def view_pager(view: View, key: str = NO_KEY) -> PageButton:
    """Page buttons for a map view."""

    def page_button(label: str, page: int) -> Button:
        return view_button(label, view, key, page)

    return page_button


def overview(debate: DebateMap, sides: tuple[Side, Side], locale: Locale) -> Reply:
    """The question, background and both sides' strongest claims, in the order given."""
    columns = tuple(
        (
            side.label.render(locale),
            "\n".join(f"{c.id} · {c.statement.render(locale)}" for c in side.strongest_claims),
        )
        for side in sides
    )
    t = _translator(locale)
    return Reply(
        title=t(texts.DEBATE_TITLE),
        blocks=(
            Heading(t(texts.QUESTION)),
            Paragraph(debate.question.render(locale)),
            Heading(t(texts.BACKGROUND)),
            Paragraph(debate.background.render(locale)),
            Heading(t(texts.STRONGEST)),
            Paragraph(t(texts.ORDER_NOTE)),
            Fields(columns),
        ),
        buttons=(
            tuple(
                view_button(
                    t(texts.OPEN_SIDE, label=side.label.render(locale)),
                    View.SIDE,
                    side.id,
                    style=ButtonStyle.PRIMARY,
                )
                for side in sides
            ),
            *(tuple(_claim_button(c, locale) for c in side.strongest_claims) for side in sides),
            (
                view_button(t(texts.FACTCHECK_BUTTON), View.FACTS),
                view_button(t(texts.TIMELINE_BUTTON), View.TIMELINE),
                view_button(t(texts.GLOSSARY_BUTTON), View.GLOSSARY),
                view_button(t(texts.COMMUNITY_BUTTON), View.COMMUNITY),
            ),
        ),
    )


def side_pages(debate: DebateMap, side: Side, locale: Locale) -> list[Reply]:
    """One side's claims, each with its status and a button to open it."""
    t = _translator(locale)
    other = debate.other_side(side.id)
    sections = [
        Section(
            blocks=(
                Paragraph(
                    f"{claim.id} · {claim.statement.render(locale)}"
                    + t(texts.STATUS_SUFFIX, status=t(texts.STATUS_NAMES[claim.status]))
                ),
            ),
            buttons=(_claim_button(claim, locale),),
        )
        for claim in side.claims
    ]
    return paged_view(
        title=t(texts.SIDE_TITLE, label=side.label.render(locale)),
        intro=(Paragraph(side.summary.render(locale)), Heading(t(texts.SIDE_CLAIMS))),
        sections=sections,
        fixed=(_other_side_button(other, locale), home_button(locale)),
        locale=locale,
        page_button=view_pager(View.SIDE, side.id),
        max_sections=CLAIMS_PER_SIDE_PAGE,
    )


def claim_pages(debate: DebateMap, claim: Claim, locale: Locale) -> list[Reply]:
    """A claim: statement, explanation, status, sources with markers, the other side's answers."""
    t = _translator(locale)
    side = debate.claim_and_side(claim.id)[1]
    other = debate.other_side(side.id)
    rebuttals = debate.rebuttals(claim.id)
    sections = [
        Section(
            (Heading(claim.statement.render(locale)), Paragraph(claim.explanation.render(locale)))
        ),
        Section(
            (
                Paragraph(t(texts.STATUS_LINE, status=t(texts.STATUS_NAMES[claim.status]))),
                Paragraph(t(texts.STATUS_NOTE_LINE, note=claim.status_note.render(locale))),
            )
        ),
        *(
            Section(
                ((Heading(t(texts.EVIDENCE)),) if index == 0 else ()) + (source_link(s, locale),)
            )
            for index, s in enumerate(claim.sources)
        ),
        Section(
            (
                Heading(t(texts.REBUTTALS)),
                BulletList(tuple(f"{r.id} · {r.statement.render(locale)}" for r in rebuttals)),
            ),
            buttons=tuple(_claim_button(r, locale) for r in rebuttals),
        ),
    ]
    return paged_view(
        title=t(texts.CLAIM_TITLE, id=claim.id, side=side.label.render(locale)),
        intro=(),
        sections=sections,
        fixed=(
            _other_side_button(other, locale),
            view_button(t(texts.THIS_SIDE, label=side.label.render(locale)), View.SIDE, side.id),
            home_button(locale),
        ),
        locale=locale,
        page_button=view_pager(View.CLAIM, claim.id),
    )


def factcheck_pages(debate: DebateMap, article_title: Localized, locale: Locale) -> list[Reply]:
    """Each fact-checked passage of the topic's article, the verdict, the finding, its sources.

    The title names the article, since a chat may be discussing another one. English readers
    see the original passage and the English edition's words for it (once, when they are equal).
    """
    t = _translator(locale)
    sections = [
        Section(
            (
                Heading(
                    t(texts.FACTCHECK_HEADING, id=check.id, verdict=check.verdict.render(locale))
                ),
                Quote(_quoted(check.passage, check.passage_en, locale)),
                Paragraph(check.finding.render(locale)),
                *(source_link(s, locale) for s in check.sources),
            )
        )
        for check in debate.fact_checks
    ]
    return paged_view(
        title=t(texts.FACTCHECK_TITLE, title=article_title.render(locale)),
        intro=(Paragraph(t(texts.FACTCHECK_INTRO)),),
        sections=sections,
        fixed=(home_button(locale),),
        locale=locale,
        page_button=view_pager(View.FACTS),
        max_chars=READING_PAGE_CHARS,
    )


def _quoted(passage: str, passage_en: str, locale: Locale) -> str:
    if locale == "zh" or passage == passage_en:
        return passage
    return f"{passage}\n{passage_en}"


def timeline_pages(debate: DebateMap, locale: Locale) -> list[Reply]:
    """The events in date order, each with its sources."""
    sections = [
        Section(
            (
                Paragraph(
                    texts.TIMELINE_ITEM.render(
                        locale, date=event.date, text=event.text.render(locale)
                    )
                ),
                *(source_link(s, locale) for s in event.sources),
            )
        )
        for event in debate.timeline
    ]
    return paged_view(
        title=texts.TIMELINE_TITLE.render(locale),
        intro=(),
        sections=sections,
        fixed=(home_button(locale),),
        locale=locale,
        page_button=view_pager(View.TIMELINE),
        max_chars=READING_PAGE_CHARS,
    )


def glossary_pages(debate: DebateMap, locale: Locale) -> list[Reply]:
    """Each term and its plain-language definition."""
    sections = [
        Section(
            (
                Paragraph(
                    texts.GLOSSARY_ITEM.render(
                        locale,
                        term=entry.term.render(locale),
                        definition=entry.definition.render(locale),
                    )
                ),
            )
        )
        for entry in debate.glossary
    ]
    return paged_view(
        title=texts.GLOSSARY_TITLE.render(locale),
        intro=(),
        sections=sections,
        fixed=(home_button(locale),),
        locale=locale,
        page_button=view_pager(View.GLOSSARY),
    )


def source_link(source: Source, locale: Locale) -> Link:
    """A source as a link labelled with its reliability marker, title, publisher and date."""
    label = texts.SOURCE_LINK.render(
        locale,
        marker=texts.RELIABILITY_MARKERS[source.reliability].render(locale),
        title=source.title,
        publisher=source.publisher,
        date=source.date,
    )
    return Link(label, source.url)


def home_button(locale: Locale) -> Button:
    """The button back to the overview card."""
    return view_button(texts.HOME_BUTTON.render(locale), View.HOME)


def _claim_button(claim: Claim, locale: Locale) -> Button:
    return view_button(texts.OPEN_CLAIM.render(locale, id=claim.id), View.CLAIM, claim.id)


def _other_side_button(other: Side, locale: Locale) -> Button:
    label = texts.OTHER_SIDE.render(locale, label=other.label.render(locale))
    return view_button(label, View.SIDE, other.id, style=ButtonStyle.PRIMARY)


def _translator(locale: Locale) -> Callable[..., str]:
    def render(text: Localized, **values: object) -> str:
        return text.render(locale, **values)

    return render
