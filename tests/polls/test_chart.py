import asyncio
import io
import warnings

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from handlers.polls.chart import MISSING_GLYPH, drawable, render_chart, wrap
from handlers.polls.fonts import CJK_FONT_PATH
from handlers.polls.model import Ballot
from handlers.polls.tally import count_ballots
from handlers.polls.templates import poll_draft
from handlers.topics.loader import DEFAULT_TOPIC, load_topic

LABELS = [
    "算，这是盗窃",
    "违反使用条款，但不算盗窃 — but not theft",
    "不算：$5 与 $10 之争",
    "不确定",
]
QUESTION = "通过 API 蒸馏竞争对手的模型，算不算盗窃？Is distilling a competitor's model theft?"


def render(labels=LABELS, title=QUESTION, lang="zh") -> bytes:
    tally = count_ballots(labels, [Ballot((i % len(labels),)) for i in range(13)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(title, tally, lang)
    assert [str(w.message) for w in caught] == []
    return png


def test_chinese_chart_renders_without_missing_glyphs_and_is_a_valid_png():
    png = render()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width == 800 and image.height > 300


def test_english_chart_and_ten_options():
    labels = [f"Option number {i} with a fairly long label that must wrap" for i in range(10)]
    render(labels, "Lunch?", "en")


def test_missing_glyph_warning_is_what_we_guard_against():
    # Control: matplotlib does warn when our font lacks a glyph (here hangul), so the
    # assertion in `render` would catch a font that could not draw the labels.
    figure = Figure()
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, "한국어", fontproperties=FontProperties(fname=CJK_FONT_PATH))
    with pytest.warns(UserWarning, match="missing from font"):
        figure.savefig(io.BytesIO(), format="png")


def test_characters_outside_the_font_are_replaced_not_warned_about():
    assert drawable("🍕 Pizza 한") == f"{MISSING_GLYPH} Pizza {MISSING_GLYPH}"
    render(["🍕 Pizza", "한국어", "Ünïcödé — “quotes” …"], "Emoji 🎉?", "en")


def test_font_covers_common_chinese_and_every_template():
    common = "".join(
        bytes([hi, lo]).decode("gb2312")
        for hi in range(0xB0, 0xD8)
        for lo in range(0xA1, 0xFF)
        if (hi, lo) not in {(0xD7, 0xFA), (0xD7, 0xFB), (0xD7, 0xFC), (0xD7, 0xFD), (0xD7, 0xFE)}
    )
    assert len(common) == 3755  # GB2312 level 1
    assert drawable(common) == common
    for template in load_topic(DEFAULT_TOPIC).polls:
        for lang in ("en", "zh"):
            draft = poll_draft(template, lang)
            for text in (draft.question, *draft.options):
                assert drawable(text) == text


def test_font_is_small_and_licensed():
    assert CJK_FONT_PATH.stat().st_size < 5_000_000
    assert "SIL Open Font License" in CJK_FONT_PATH.with_name("OFL.txt").read_text()


def test_wrap_counts_wide_characters_double():
    assert wrap("蒸馏蒸馏蒸馏", 4) == "蒸馏\n蒸馏\n蒸馏"
    assert wrap("one two three", 7) == "one two\nthree"
    assert wrap("abcdefghij", 4) == "abcd\nefgh\nij"


async def test_charts_render_concurrently_in_threads():
    tally = count_ballots(LABELS, [Ballot((0,)), Ballot((1,))])
    pngs = await asyncio.gather(
        *(asyncio.to_thread(render_chart, QUESTION, tally, "zh") for _ in range(4))
    )
    assert len(set(pngs)) == 1


def test_wrap_keeps_existing_line_breaks():
    assert wrap("ab\ncd ef", 4) == "ab\ncd\nef"
