"""The results chart: a horizontal bar chart as PNG bytes, with Chinese labels.

Built on `matplotlib.figure.Figure` with the Agg canvas and no pyplot, so it keeps no global
state and can run in `asyncio.to_thread`. Text is set in the shipped CJK font; a character the
font lacks is drawn as `□` rather than left to matplotlib's missing-glyph fallback, and text is
never parsed as mathtext (a `$` is just a dollar sign).
"""

import io
import unicodedata
from functools import cache

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from bot.i18n import Locale
from handlers.polls import texts
from handlers.polls.fonts import CJK_FONT_PATH
from handlers.polls.tally import Tally

MISSING_GLYPH = "□"
_LABEL_WIDTH = 28
_TITLE_WIDTH = 60
_BAR_COLOR = "#4C72B0"


def render_chart(title: str, tally: Tally, lang: Locale) -> bytes:
    """Draw the tally's votes per option under the title and return the PNG bytes."""
    font = FontProperties(fname=CJK_FONT_PATH, size=11)
    count = len(tally.options)
    figure = Figure(figsize=(8, 1.6 + 0.55 * count), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(count))
    votes = [option.votes for option in tally.options]
    axes.barh(positions, votes, color=_BAR_COLOR)
    axes.set_yticks(
        positions,
        [wrap(drawable(option.label), _LABEL_WIDTH) for option in tally.options],
        fontproperties=font,
        parse_math=False,
    )
    axes.invert_yaxis()
    axes.set_xlim(0, max([*votes, 1]) * 1.25)
    locator = axes.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    for position, option in zip(positions, tally.options, strict=True):
        axes.annotate(
            f"{option.percent}% ({option.votes})",
            (option.votes, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontproperties=font,
        )
    axes.set_xlabel(texts.VOTES_AXIS.render(lang), fontproperties=font)
    axes.set_title(
        wrap(drawable(title), _TITLE_WIDTH),
        fontproperties=FontProperties(fname=CJK_FONT_PATH, size=13),
        parse_math=False,
    )
    figure.text(
        0.99,
        0.005,
        texts.TOTAL_VOTERS.render(lang, voters=tally.voters),
        ha="right",
        va="bottom",
        fontproperties=font,
    )
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def drawable(text: str) -> str:
    """Return the text with characters the shipped font cannot draw replaced by `□`."""
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


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


@cache
def _covered_codepoints() -> frozenset[int]:
    return frozenset(FT2Font(str(CJK_FONT_PATH)).get_charmap())
