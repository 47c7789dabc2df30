"""The results chart: a horizontal bar chart as PNG bytes, in any script members type.

Built on `matplotlib.figure.Figure` with the Agg canvas and no pyplot, so it keeps no global
state beyond registering the shipped fonts once, and can run in `asyncio.to_thread`. Text is set
in a fallback list (the shipped CJK font, matplotlib's DejaVu Sans, the shipped emoji font; see
`fonts/README.md`); a character none of them has is drawn as `□` rather than left to
matplotlib's missing-glyph fallback, and text is never parsed as mathtext.

A ranked poll's chart shows the instant-runoff count: each option's votes in the last round it
took part in, the winner marked, and a table of every round beneath.
"""

import io
import unicodedata
from collections.abc import Sequence
from functools import cache

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from bot.i18n import Locale
from handlers.polls import texts
from handlers.polls.fonts import CJK_FONT_PATH, EMOJI_FONT_PATH
from handlers.polls.irv import IrvResult
from handlers.polls.results import PollResults
from handlers.polls.tally import Tally

MISSING_GLYPH = "□"
FONT_FAMILIES = ("Parley Sans CJK", "DejaVu Sans", "Parley Emoji")
_LABEL_WIDTH = 28
_TITLE_WIDTH = 60
_BAR_COLOR = "#4C72B0"
_WINNER_COLOR = "#2A9D55"
_OUT_COLOR = "#B8B8B8"


def render_chart(title: str, labels: Sequence[str], results: PollResults, lang: Locale) -> bytes:
    """Draw the results under the title and return the PNG bytes.

    Single and multi-choice polls: votes per option. Ranked polls whose rounds were counted:
    the instant-runoff result (see the module docstring).
    """
    if results.runoff is not None and results.runoff.rounds:
        return _ranked_chart(title, labels, results.runoff, results.tally.voters, lang)
    return _tally_chart(title, results.tally, lang)


def font(size: float = 11) -> FontProperties:
    """The chart's fonts, in fallback order, at `size` points."""
    return FontProperties(family=list(FONT_FAMILIES), size=size)


def drawable(text: str) -> str:
    """Return the text with characters no chart font can draw replaced by `□`."""
    covered = _covered_codepoints()
    return "".join(
        char if ord(char) in covered or char == "\n" else MISSING_GLYPH
        for char in unicodedata.normalize("NFC", text)
    )


def wrap(text: str, width: int) -> str:
    """Break text into lines of at most `width` columns (wide CJK characters count two).

    Lines break at the last space when there is one, else between any two characters.
    """
    return "\n".join(_wrap_line(line, width) for line in text.split("\n"))


def _tally_chart(title: str, tally: Tally, lang: Locale) -> bytes:
    figure, axes, _ = _figure(len(tally.options), rows_below=0)
    values = [option.votes for option in tally.options]
    notes = [f"{option.percent}% ({option.votes})" for option in tally.options]
    _bars(axes, [option.label for option in tally.options], values, [_BAR_COLOR] * len(values))
    _annotate(axes, values, notes)
    axes.set_xlabel(texts.VOTES_AXIS.render(lang), fontproperties=font())
    _finish(figure, axes, title, texts.TOTAL_VOTERS.render(lang, voters=tally.voters))
    return _png(figure)


def _ranked_chart(
    title: str, labels: Sequence[str], runoff: IrvResult, voters: int, lang: Locale
) -> bytes:
    rounds = runoff.rounds
    racing = sorted(rounds[0].counts)  # the options in the race (not removed from the poll)
    figure, axes, below = _figure(len(racing), rows_below=len(racing) + 1)
    last_counts = dict.fromkeys(racing, 0)
    notes = dict.fromkeys(racing, "")
    colors = dict.fromkeys(racing, _BAR_COLOR)
    for irv_round in rounds:
        for index, count in irv_round.counts.items():
            last_counts[index] = count
            notes[index] = str(count)
        for index in irv_round.eliminated:
            colors[index] = _OUT_COLOR
            out = texts.CHART_OUT_IN_ROUND.render(lang, number=irv_round.number)
            notes[index] = f"{last_counts[index]} — {out}"
    for index in runoff.winners:
        colors[index] = _WINNER_COLOR
        mark = texts.CHART_WINNER if len(runoff.winners) == 1 else texts.CHART_TIED
        notes[index] = f"{last_counts[index]} — {mark.render(lang)}"
    shown = [labels[index] for index in racing]
    _bars(axes, shown, list(last_counts.values()), list(colors.values()))
    _annotate(axes, list(last_counts.values()), list(notes.values()))
    axes.set_xlabel(texts.CHART_RANKED_AXIS.render(lang, rounds=len(rounds)), fontproperties=font())
    _rounds_table(below, labels, racing, runoff, lang)
    footer = texts.TOTAL_VOTERS.render(lang, voters=voters)
    if rounds[-1].exhausted:
        exhausted = texts.IRV_EXHAUSTED.render(lang, count=rounds[-1].exhausted)
        footer = f"{footer} · {exhausted}"
    _finish(figure, axes, title, footer)
    return _png(figure)


def _figure(options: int, *, rows_below: int) -> tuple[Figure, Axes, Axes]:
    """A figure with the bars' axes on top and, for `rows_below` table rows, axes beneath."""
    height = 1.6 + 0.55 * options + 0.3 * rows_below
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    if not rows_below:
        axes = figure.add_subplot()
        return figure, axes, axes
    grid = figure.add_gridspec(2, 1, height_ratios=(0.55 * options + 0.8, 0.3 * rows_below))
    return figure, figure.add_subplot(grid[0]), figure.add_subplot(grid[1])


def _bars(axes: Axes, labels: Sequence[str], values: Sequence[int], colors: list[str]) -> None:
    positions = list(range(len(labels)))
    axes.barh(positions, values, color=colors)
    axes.set_yticks(
        positions,
        [wrap(drawable(label), _LABEL_WIDTH) for label in labels],
        fontproperties=font(),
        parse_math=False,
    )
    axes.invert_yaxis()
    axes.set_xlim(0, max([*values, 1]) * 1.45)
    locator = axes.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)


def _annotate(axes: Axes, values: Sequence[int], notes: Sequence[str]) -> None:
    for position, (value, note) in enumerate(zip(values, notes, strict=True)):
        axes.annotate(
            note,
            (value, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontproperties=font(),
            parse_math=False,
        )


def _rounds_table(
    axes: Axes, labels: Sequence[str], racing: Sequence[int], runoff: IrvResult, lang: Locale
) -> None:
    """Every round beneath the bars: one row per option in the race, one column per round."""
    axes.axis("off")
    headers = [texts.IRV_ROUND.render(lang, number=r.number) for r in runoff.rounds]
    cells = [
        [str(r.counts[index]) if index in r.counts else "—" for r in runoff.rounds]
        for index in racing
    ]
    table = axes.table(
        cellText=cells,
        rowLabels=[_short(drawable(labels[index]), _LABEL_WIDTH) for index in racing],
        colLabels=headers,
        loc="center",
        cellLoc="center",
    )
    table.auto_set_font_size(False)
    for cell in table.get_celld().values():
        cell.get_text().set_fontproperties(font(9))
        cell.get_text().set_parse_math(False)


def _finish(figure: Figure, axes: Axes, title: str, footer: str) -> None:
    axes.set_title(wrap(drawable(title), _TITLE_WIDTH), fontproperties=font(13), parse_math=False)
    figure.text(0.99, 0.005, footer, ha="right", va="bottom", fontproperties=font())
    axes.spines[["top", "right"]].set_visible(False)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _wrap_line(text: str, width: int) -> str:
    lines: list[str] = []
    line = ""
    for char in text:
        if _columns(line + char) <= width:
            line += char
        elif char == " ":
            lines.append(line)
            line = ""
        else:
            head, space, tail = line.rpartition(" ")
            if space and head:
                lines.append(head)
                line = tail + char
            else:
                lines.append(line)
                line = char
    lines.append(line)
    return "\n".join(part.strip() for part in lines)


def _short(text: str, width: int) -> str:
    """The text cut to `width` columns, with `…` when cut."""
    if _columns(text) <= width:
        return text
    while _columns(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _register_fonts() -> None:
    """Add the shipped fonts to matplotlib's font list (on import, once per process)."""
    for path in (CJK_FONT_PATH, EMOJI_FONT_PATH):
        fontManager.addfont(str(path))


_register_fonts()


@cache
def _covered_codepoints() -> frozenset[int]:
    paths = [fontManager.findfont(FontProperties(family=name)) for name in FONT_FAMILIES]
    return frozenset().union(*(FT2Font(path).get_charmap() for path in paths))
