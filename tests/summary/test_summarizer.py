"""The summarizer on the shipped articles and the development set: invariants and quality."""

import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from handlers.summary import LENGTHS, NothingToSummarizeError, summarize, warm_up
from handlers.text.markdown import parse_markdown
from handlers.topics.loader import load_topic

DATA = Path(__file__).parent / "data"
KEYPOINTS = tomllib.loads((DATA / "keypoints.toml").read_text(encoding="utf-8"))
TOPIC = load_topic("distillation")
ARTICLES = {
    "distillation-zh": TOPIC.article("distillation-zh").text,
    "distillation-en": TOPIC.article("distillation-en").text,
    "copyright-zh": (DATA / "copyright-zh.md").read_text(encoding="utf-8"),
    "settlement-en": (DATA / "settlement-en.md").read_text(encoding="utf-8"),
}
TRADITIONAL = (
    "# AI 生成內容能否受版權保護\n\n美國版權局在報告中認為，完全由 AI 生成的內容不能獲得版權保護。"
    "同年，法院在 Thaler 案中裁定，版權法要求作品首先由人類創作。\n\n"
    "如果模型的輸出不受保護，公司只能依據服務條款提出合同主張。有學者認為這類條款可執行性存疑。\n\n"
    "2023 年，北京互聯網法院認定，體現個人智力投入的 AI 圖片可以構成作品。"
)


def covered(summary, points):
    text = " ".join(summary.sentences)
    return [all(re.search(p, text, re.IGNORECASE) for p in point) for point in points]


@pytest.fixture(scope="module", autouse=True)
def _jieba_loaded():
    warm_up()


@pytest.mark.parametrize("name", [*ARTICLES, "traditional"])
@pytest.mark.parametrize("length", LENGTHS)
def test_every_sentence_is_verbatim_in_order_and_unique(name, length):
    text = ARTICLES.get(name, TRADITIONAL)
    summary = summarize(text, length)
    # A lead-in and the one-line quote it introduces are one sentence: compare whitespace-collapsed
    # (none at all after a full-width colon).
    plain = " ".join(parse_markdown(text).plain_text.split()).replace("： ", "：")
    cursor = 0
    for sentence in summary.sentences:  # in source order: each found after the one before
        cursor = plain.index(sentence, cursor) + len(sentence)
    assert len(set(summary.sentences)) == len(summary.sentences)
    assert summary.kept_sentence_count == len(summary.sentences) <= summary.source_sentence_count
    assert 0 <= summary.reduction_percent < 100
    assert [s for section in summary.sections for s in section.sentences] == list(summary.sentences)
    for sentence in summary.sentences:
        assert not re.search(r"\*\*|^#|^>|`", sentence)


@pytest.mark.parametrize("name", ARTICLES)
def test_length_bounds(name):
    sizes = {length: summarize(ARTICLES[name], length).kept_sentence_count for length in LENGTHS}
    assert 1 <= sizes["short"] <= 3
    assert sizes["short"] < sizes["medium"] < sizes["long"]


def test_sections_gives_one_line_per_section_and_long_covers_every_section():
    for language in ("zh", "en"):
        text = TOPIC.edition(language).text
        headings = [s.heading for s in parse_markdown(text).sections]
        by_section = summarize(text, "sections")
        assert [s.heading for s in by_section.sections] == headings
        assert all(len(s.sentences) == 1 for s in by_section.sections)
        long = summarize(text, "long")
        assert [s.heading for s in long.sections] == headings


def test_language_is_detected_or_taken_from_the_hint():
    assert summarize(ARTICLES["distillation-zh"], "short").language == "zh-Hans"
    assert summarize(TRADITIONAL, "short").language == "zh-Hant"
    assert summarize(ARTICLES["settlement-en"], "short").language == "en"
    assert summarize(ARTICLES["settlement-en"], "short", language="en-GB").language == "en-GB"


def test_key_figures_of_the_shipped_article():
    for language, expected in {
        "zh": {
            "2.4 万个假账号": "2.4 万个假账号",
            "1600 万轮对话": "1600 万轮对话",
            "15 万次": "DeepSeek",
            "340 万次": "Moonshot AI",
            "1300 万次": "MiniMax",
        },
        "en": {
            "24,000 fake accounts": "24,000 fake accounts",
            "16 million exchanges": "16 million exchanges",
            "150,000 calls": "DeepSeek",
            "3.4 million calls": "Moonshot AI",
            "13 million calls": "MiniMax",
        },
    }.items():
        figures = {f.text: f for f in summarize(TOPIC.edition(language).text, "short").key_figures}
        for text, context in expected.items():
            assert context in figures[text].context
        assert figures[next(iter(expected))].value == 24_000


def test_key_figures_skip_years_and_dates():
    figures = summarize(ARTICLES["copyright-zh"], "short").key_figures
    assert not [f for f in figures if f.text.startswith(("2023", "2025"))]
    settlement = {f.text for f in summarize(ARTICLES["settlement-en"], "short").key_figures}
    # one sentence tells both figures, so they share its entry
    assert "3,000 dollars, 500,000 works" in settlement
    assert not [t for t in settlement if t.startswith("2024")]


def test_acceptance_short_summary_names_accusation():
    for language in ("zh", "en"):
        name = f"distillation-{language}"
        summary = summarize(ARTICLES[name], "short")
        assert covered(summary, KEYPOINTS[name]["points"])[0], summary.sentences


def test_acceptance_short_summary_has_scale_and_objection():
    for language in ("zh", "en"):
        name = f"distillation-{language}"
        summary = summarize(ARTICLES[name], "short")
        assert all(covered(summary, KEYPOINTS[name]["points"])[:3]), summary.sentences


def test_acceptance_medium_summary_has_accusation_scale_and_objection():
    for language in ("zh", "en"):
        name = f"distillation-{language}"
        summary = summarize(ARTICLES[name], "medium")
        assert all(covered(summary, KEYPOINTS[name]["points"])[:3]), summary.sentences


# Coverage measured when the ranker was last changed; a change must not lose key points. (Issue 19
# dropped the title feature, which the shipped weights were tuned with: long lost one point here,
# medium and sections gained; on the 23-article development set every length gained.)
MINIMUM_COVERAGE = {"short": 13, "medium": 20, "long": 23, "sections": 16}


@pytest.mark.parametrize("length", LENGTHS)
def test_key_point_coverage_on_the_development_set(length):
    total = sum(
        sum(covered(summarize(text, length), KEYPOINTS[name]["points"]))
        for name, text in ARTICLES.items()
    )
    assert total >= MINIMUM_COVERAGE[length]


def test_summarizing_the_shipped_article_is_fast_when_warm():
    text = ARTICLES["distillation-zh"]
    summarize(text, "long")
    started = time.perf_counter()
    for length in LENGTHS:
        summarize(text, length)
    assert (time.perf_counter() - started) / len(LENGTHS) < 0.1


def test_importing_the_summarizer_does_not_load_the_segmenter():
    code = "import sys, handlers.summary; assert 'rjieba' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


@pytest.mark.parametrize("text", ["", "   \n\n", "# Only a title\n\n## And a heading", "—— ……"])
def test_nothing_to_summarize(text):
    with pytest.raises(NothingToSummarizeError):
        summarize(text, "short")


def test_unknown_length_is_refused():
    with pytest.raises(ValueError, match="unknown summary length"):
        summarize("One sentence.", "tiny")  # type: ignore[arg-type]


def test_plain_text_without_headings():
    summary = summarize("Only one sentence here.", "sections")
    assert summary.sentences == ("Only one sentence here.",)
    assert summary.sections[0].heading is None


def test_a_one_line_quote_keeps_its_lead_in():
    text = '# T\n\nThe minister spoke at noon. Then she added:\n\n> "We will not pay."\n\nNo more.'
    summary = summarize(text, "long")
    assert 'Then she added: "We will not pay."' in summary.sentences


DEVSET = Path(__file__).parents[2] / "benchmarks" / "data" / "devset"


@pytest.mark.parametrize("length", LENGTHS)
def test_a_headline_does_not_choose_the_sentences(length):
    # Headlines are often hooks; the body says what the article is about.
    text = ARTICLES["settlement-en"]
    body = text.split("\n", 1)[1]
    hooked = summarize(f"# What a line in a ruling is worth\n{body}", length)
    assert hooked.sentences == summarize(text, length).sentences


def test_a_medium_summary_spreads_over_the_headings():
    text = (DEVSET / "gps-explainer-en.md").read_text(encoding="utf-8")
    summary = summarize(text, "medium")
    # 8 sentences, 18 headed sections: no section gives a second sentence.
    assert len(summary.sections) == summary.kept_sentence_count == 8


def test_a_short_summary_tells_a_figure_once():
    text = (DEVSET / "crowdstrike-outage-news-en.md").read_text(encoding="utf-8")
    sentences = summarize(text, "short").sentences
    # The lead gives 8.5 million computers; Microsoft's estimate of them would repeat it.
    assert sum("8.5 million" in sentence for sentence in sentences) == 1
