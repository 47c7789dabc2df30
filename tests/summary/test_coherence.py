"""Summaries read like a person wrote them: no dangling pointers, repeated quotes or cut colons.

The sentences come from the shipped article and from the Harbour City report the tour used
(tests/summary/data/harbour-*.md, written for these tests).
"""

from pathlib import Path

import pytest

from handlers.summary import LENGTHS, summarize, warm_up
from handlers.summary.coherence import announces, leans_back, quotations
from handlers.summary.figures import find_figures
from handlers.text.markdown import parse_markdown
from handlers.topics.loader import load_topic

DATA = Path(__file__).parent / "data"
DEVSET = Path(__file__).parents[2] / "benchmarks" / "data" / "devset"
TOPIC = load_topic("distillation")
ARTICLES = {
    "distillation-en": TOPIC.edition("en").text,
    "distillation-zh": TOPIC.edition("zh").text,
    "harbour-en": (DATA / "harbour-en.md").read_text(encoding="utf-8"),
    "harbour-zh": (DATA / "harbour-zh.md").read_text(encoding="utf-8"),
    "settlement-en": (DATA / "settlement-en.md").read_text(encoding="utf-8"),
    "copyright-zh": (DATA / "copyright-zh.md").read_text(encoding="utf-8"),
}
MUSK = "How dare they steal the stuff Anthropic stole from human coders??"


@pytest.fixture(scope="module", autouse=True)
def _jieba_loaded():
    warm_up()


@pytest.mark.parametrize(
    "sentence",
    [
        "That line sums up the essence of Anthropic's anxiety — it is rent.",
        'Right after that he added: "How dare they…"',
        "She pointed to a 2024 hospital study that linked the plant's smoke to asthma.",
        "He added that the retraining fund was too small to matter.",
        "They want to establish a narrative worldwide.",
        "This is why she came to speak at every hearing.",
        '"We have done the work," she said.',
        "这句话精准概括了 Anthropic 的焦虑本质——他们保护的不是创新，是租金。",
        "紧接着他又补了一句：",
        "这不是按调用量排序，这是按威胁程度排序。",
        "但他表示，基金太小了。",
        "這句話引來一陣掌聲。",
        # After a time or a sentence adverb (benchmarks/data/devset):
        "In 2009, it became the first treaty in the history of the United Nations to be ratified "
        "by every country in the world, a distinction it shares with the Vienna Convention.",
        "In London in 1990, they agreed to phase out CFCs and halons completely in industrialised "
        "countries by 2000.",
        "Instead, they dammed the Chagres River to create Gatun Lake.",
        "如今，它已經和跨年煙火一樣，成為台北 101 的招牌之一。",
        "据公开介绍，这套系统让空间站的水资源回收率达到 95% 左右，大大减少了需要从地面补给的物资。",
        "为此，江苏、山东两省在东线沿线实施了大规模的治污工程。",
        "Delta did not.",  # an ellipsis: its verb is in the sentence before
    ],
)
def test_pointers_back_are_recognized(sentence):
    assert leans_back(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "That a mere 150,000 calls made Anthropic this nervous shows how efficient DeepSeek is.",
        "Harbour City's council voted 9 to 4 on Tuesday night to close the Eastpoint coal plant.",
        "It is clear that the regulator must still approve the loan.",
        "Theresa May said nothing.",
        "Chinese AI is catching up too fast.",
        "其实上法庭需要证据。",
        "海港市议会周二晚间以 9 票对 4 票通过决议。",
        "马斯克那句话，值得再读一遍：",
        "In 1974, two chemists at the University of California, Irvine, Mario Molina and Sherwood "
        "Rowland, published a paper in the journal Nature that set out what would happen next.",
        "Because the signals are so weak, they are easy to drown out.",
        "2021 年 6 月，神舟十二号的聂海胜、刘伯明和汤洪波成为第一批入住空间站的航天员。",
        "在失重环境下，吃饭、睡觉、洗漱都要重新学习。",
        "Most airlines recovered within a day or two.",
    ],
)
def test_sentences_that_stand_alone_are_not_flagged(sentence):
    assert not leans_back(sentence)


def test_colons_and_quotations_are_recognized():
    assert announces("是一个他们不愿意说出口的事实：")
    assert not announces("中国 AI 追得太快了。")
    assert quotations(f'Musk\'s line is worth reading once more: "{MUSK}"') == {MUSK}
    assert quotations('He kept stressing "16 million".') == frozenset()  # too short to be a quote


@pytest.mark.parametrize("name", ARTICLES)
@pytest.mark.parametrize("length", LENGTHS)
def test_every_summary_reads_on_its_own(name, length):
    assert_reads_on_its_own(ARTICLES[name], length)


@pytest.mark.parametrize("path", sorted(DEVSET.glob("*.md")), ids=lambda path: path.stem)
@pytest.mark.parametrize("length", LENGTHS)
def test_every_development_summary_reads_on_its_own(path, length):
    assert_reads_on_its_own(path.read_text(encoding="utf-8"), length)


def assert_reads_on_its_own(text, length):
    sentences = summarize(text, length).sentences
    plain = " ".join(parse_markdown(text).plain_text.split())
    for before, sentence in zip(("", *sentences), sentences, strict=False):
        assert not announces(sentence), sentence
        if leans_back(sentence):  # only right after the sentence it points at, in the source too
            assert before, sentence
            assert not plain[plain.index(before) + len(before) : plain.index(sentence)].strip()
    carried = [quote for sentence in sentences for quote in quotations(sentence)]
    assert len(carried) == len(set(carried)), sentences


def test_tour_reproductions_are_gone():
    english = {length: summarize(ARTICLES["distillation-en"], length) for length in LENGTHS}
    assert not any(s.startswith("That line") for s in english["medium"].sentences)
    assert not any("he added" in s for length in LENGTHS for s in english[length].sentences)
    zh_long = summarize(ARTICLES["distillation-zh"], "long").sentences
    assert sum(MUSK in sentence for sentence in zh_long) <= 1
    assert not any(s.endswith("事实：") for s in zh_long)
    assert any(
        s.endswith("事实：中国 AI 追得太快了。") for s in zh_long
    )  # the colon's answer joins, with no space after the full-width colon
    harbour = summarize(ARTICLES["harbour-en"], "short").sentences
    assert not any(s.startswith("She pointed to") for s in harbour)


def test_key_figures_keep_units_and_counted_nouns_and_skip_years():
    english = {f.text for f in summarize(ARTICLES["harbour-en"], "medium").key_figures}
    assert {"620 MW", "1.8 billion dollars", "140 emergency room visits"} <= english
    assert "between 4 and 7 percent" in english
    assert not [text for text in english if text.startswith(("2024", "2030", "2027"))]
    chinese = {f.text for f in summarize(ARTICLES["harbour-zh"], "long").key_figures}
    assert {"620 兆瓦", "18 亿美元", "410 名工人", "4% 至 7%", "140 名哮喘儿童"} <= chinese
    assert not [text for text in chinese if "将失" in text or "设立" in text]


def test_chinese_labels_end_at_word_boundaries():
    text = "议会还拨出 4500 万元设立再培训基金。电厂关闭后，约 410 名工人将失去工作。"
    assert {f.text for f in summarize(f"{text}\n\n{text[:10]}", "long").key_figures} >= {
        "4500 万元",
        "410 名工人",
    }


@pytest.mark.parametrize("name", ARTICLES)
@pytest.mark.parametrize("length", LENGTHS)
def test_one_sentence_tells_one_figure_and_a_short_block_fits(name, length):
    summary = summarize(ARTICLES[name], length)
    contexts = [figure.context for figure in summary.key_figures]
    assert len(contexts) == len(set(contexts))
    if length == "short":
        block = sum(len(f.text) + len(f.context) for f in summary.key_figures)
        assert block <= sum(len(sentence) for sentence in summary.sentences)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("so every living body carries the same share of carbon-14 as the air around it.", []),
        (
            "由亞太地區 14 個成員組成的颱風委員會，每個成員提供 10 個名字。",
            ["14 個成員", "10 個名字"],
        ),
        ("2023 年，中国新能源汽车销量达到 949.5 万辆，占 31.6%。", ["949.5 万辆", "31.6%"]),
        ("懸掛了一座重約 660 公噸的調諧質量阻尼器。", ["660 公噸"]),
    ],
)
def test_figures_in_development_sentences(sentence, expected):
    assert [figure.text for figure in find_figures(sentence, 0)] == expected


def test_a_chain_of_sentences_pointing_back_comes_whole():
    text = (DEVSET / "crowdstrike-outage-news-en.md").read_text(encoding="utf-8")
    sentences = summarize(text, "medium").sentences
    at = sentences.index("Delta did not.")
    assert sentences[at - 1] == "Most airlines recovered within a day or two."
    assert sentences[at + 1].startswith("Its crew-scheduling system")
