import asyncio
import io
import warnings

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.ft2font import FT2Font
from matplotlib.table import Table
from matplotlib.text import Text
from PIL import Image

from handlers.polls.chart import FONT_FAMILIES, MISSING_GLYPH, drawable, font, render_chart, wrap
from handlers.polls.fonts import CJK_FONT_PATH, EMOJI_FONT_PATH
from handlers.polls.irv import instant_runoff
from handlers.polls.model import Ballot
from handlers.polls.results import PollResults
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


# What members type beyond Simplified Chinese (tour, top 10 #5), one label per script.
SCRIPTS = [
    "選項二：繁體中文測試（臺灣、香港）",
    "日本語の選択肢：カタカナとひらがな",
    "한국어 투표 선택지입니다",
    "Café naïve Ångström Łódź Şişli Nguyễn Dvořák",
    "Ελληνικά: άέήίόύώ ΐΰ",
    "名字：张喆、王堃",
    "Emoji 😀👍🎉❤️🔥🍕",
]


def render(labels=LABELS, title=QUESTION, lang="zh", results=None) -> bytes:
    tally = count_ballots(labels, [Ballot((i % len(labels),)) for i in range(13)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(title, labels, results or PollResults(tally), lang)
    assert [str(w.message) for w in caught] == []
    return png


def fonts_drawing(char: str) -> list[str]:
    """The chart fonts, in fallback order, that have a glyph for `char`."""
    found = []
    for family in FONT_FAMILIES:
        path = fontManager.findfont(family, fallback_to_default=False)
        if ord(char) in FT2Font(path).get_charmap():
            found.append(family)
    return found


@pytest.mark.parametrize("label", SCRIPTS)
def test_every_script_members_type_has_a_glyph_in_the_fallback_fonts(label):
    for char in label:
        if char not in " \u200d\ufe0f":
            assert fonts_drawing(char), f"{char!r} U+{ord(char):04X} has no font"
    assert drawable(label) == label
    render([label, "B"], label, "zh")  # no "Glyph … missing from font(s)" warning


def test_the_fallback_list_is_the_shipped_fonts_then_dejavu():
    paths = [fontManager.findfont(family, fallback_to_default=False) for family in FONT_FAMILIES]
    assert paths[0] == str(CJK_FONT_PATH) and paths[2] == str(EMOJI_FONT_PATH)
    assert paths[1].endswith("DejaVuSans.ttf")


# The tour's eight ballots: A leads on first preferences, C wins in round 3.
RANKED_LABELS = ["A: Sue", "B: Block access", "C: Publish evidence", "D: Do nothing"]
TOUR_BALLOTS = [(0, 1, 2), (0, 2, 1), (0, 3, 1), (1, 2, 0), (1,), (2, 1, 0), (2, 3, 1), (3, 2, 1)]


def ranked(labels, stored) -> PollResults:
    ballots = [Ballot(choices) for choices in stored]
    firsts = count_ballots(labels, [Ballot(choices[:1]) for choices in stored])
    return PollResults(firsts, instant_runoff(len(labels), ballots))


def chart_texts(monkeypatch, labels, results, lang) -> list[str]:
    """Every text drawn on the chart, read from the figure before it is saved."""
    drawn: list[str] = []
    original = Figure.savefig

    def spy(figure, *args, **kwargs):
        drawn.extend(text.get_text() for text in figure.findobj(Text))
        for table in figure.findobj(Table):
            drawn.extend(cell.get_text().get_text() for cell in table.get_celld().values())
        return original(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", spy)
    render_chart("Q", labels, results, lang)
    return [text for text in drawn if text]


def test_ranked_chart_shows_the_count_not_first_preferences(monkeypatch):
    results = ranked(RANKED_LABELS, TOUR_BALLOTS)
    drawn = chart_texts(monkeypatch, RANKED_LABELS, results, "en")
    assert "4 — winner" in drawn  # C, with its final-round count
    assert "3" in drawn  # A stays in to the last round with 3
    assert "1 — out in round 1" in drawn and "2 — out in round 2" in drawn
    assert "Votes in each option's last round (instant-runoff, 3 rounds)" in drawn
    assert {"Round 1", "Round 2", "Round 3"} <= set(drawn)
    assert "Total voters: 8 · exhausted ballots: 1" in drawn
    assert not any("%" in text for text in drawn)  # not the first-preference shares


def test_ranked_chart_in_chinese_and_a_tie(monkeypatch):
    results = ranked(RANKED_LABELS[:2], [(0, 1), (1, 0)])
    drawn = chart_texts(monkeypatch, RANKED_LABELS[:2], results, "zh")
    assert drawn.count("1 — 平局") == 2 and "第 1 轮" in drawn
    render(RANKED_LABELS, results=ranked(RANKED_LABELS, TOUR_BALLOTS))


def test_ranked_chart_leaves_out_an_option_removed_from_the_poll(monkeypatch):
    labels = [*RANKED_LABELS, "E: Removed"]
    ballots = [Ballot(choices) for choices in TOUR_BALLOTS]
    firsts = count_ballots(labels, [Ballot(choices[:1]) for choices in TOUR_BALLOTS])
    results = PollResults(firsts, instant_runoff(len(labels), ballots, excluded=frozenset({4})))
    drawn = chart_texts(monkeypatch, labels, results, "en")
    assert "4 — winner" in drawn and "A: Sue" in drawn
    assert not any("Removed" in text for text in drawn)


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
    # Control: matplotlib does warn when our fonts lack a glyph (here an Extension B
    # ideograph), so the assertion in `render` would catch a font that could not draw the labels.
    figure = Figure()
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, "\U00020bb7", fontproperties=font())
    with pytest.warns(UserWarning, match="missing from font"):
        figure.savefig(io.BytesIO(), format="png")


def test_characters_outside_the_fonts_are_replaced_not_warned_about():
    assert drawable("𠮷 Pizza \U000e0100") == f"{MISSING_GLYPH} Pizza {MISSING_GLYPH}"
    render(["𠮷 Pizza", "한국어", "Ünïcödé — “quotes” …"], "Emoji 🎉?", "en")


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


def test_fonts_are_bounded_in_size_and_licensed():
    assert CJK_FONT_PATH.stat().st_size < 7_000_000
    assert EMOJI_FONT_PATH.stat().st_size < 1_000_000
    for license_file in ("OFL.txt", "OFL-Emoji.txt"):
        assert "SIL Open Font License" in CJK_FONT_PATH.with_name(license_file).read_text()


def test_wrap_counts_wide_characters_double():
    assert wrap("蒸馏蒸馏蒸馏", 4) == "蒸馏\n蒸馏\n蒸馏"
    assert wrap("one two three", 7) == "one two\nthree"
    assert wrap("abcdefghij", 4) == "abcd\nefgh\nij"


async def test_charts_render_concurrently_in_threads():
    results = PollResults(count_ballots(LABELS, [Ballot((0,)), Ballot((1,))]))
    pngs = await asyncio.gather(
        *(asyncio.to_thread(render_chart, QUESTION, LABELS, results, "zh") for _ in range(4))
    )
    assert len(set(pngs)) == 1


def test_wrap_keeps_existing_line_breaks():
    assert wrap("ab\ncd ef", 4) == "ab\ncd\nef"
