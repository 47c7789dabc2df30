"""Sentence segmentation and Markdown stripping."""

import pytest

from handlers.summary.words import content_words, proper_names
from handlers.text.markdown import parse_markdown
from handlers.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "昨天半夜，AI 圈炸了。听起来很严重对吧？结果呢？",
            ["昨天半夜，AI 圈炸了。", "听起来很严重对吧？", "结果呢？"],
        ),
        (
            "美國版權局認為不能獲得保護。「這是什麼？」他問道。",
            ["美國版權局認為不能獲得保護。", "「這是什麼？」", "他問道。"],
        ),
        ("他说：“你好。我很好。”然后走了。", ["他说：“你好。我很好。”", "然后走了。"]),
        (
            '他只回了一个词："Banger"。翻译成中文就是：绝了。',
            ['他只回了一个词："Banger"。', "翻译成中文就是：绝了。"],
        ),
        ("真的吗？！是的……好吧；走。", ["真的吗？！", "是的……", "好吧；", "走。"]),
        (
            "The fine was 1.5 billion dollars. It rose 3.4 percent.",
            ["The fine was 1.5 billion dollars.", "It rose 3.4 percent."],
        ),
        (
            "Dr. Smith wrote to the U.S. Copyright Office. It replied.",
            ["Dr. Smith wrote to the U.S. Copyright Office.", "It replied."],
        ),
        (
            "Use e.g. a pen. See No. 5 here. She said no. Then left.",
            ["Use e.g. a pen.", "See No. 5 here.", "She said no.", "Then left."],
        ),
        ('"Stop." She left. "Hello!" she said.', ['"Stop."', "She left.", '"Hello!" she said.']),
        (
            '"Innovation loves competition. Moats hate it."',
            ['"Innovation loves competition. Moats hate it."'],
        ),
        (
            "他说 OK. 然后走了。Version 2.0 is out... Really?",
            ["他说 OK.", "然后走了。", "Version 2.0 is out...", "Really?"],
        ),
        (
            "unbalanced “quote here。 next sentence。",
            ["unbalanced “quote here。", "next sentence。"],
        ),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_split_sentences_returns_verbatim_slices_only():
    text = "一句话，把底裤扒了个干净。   Then: more!  ——  "
    for sentence in split_sentences(text):
        assert sentence in text
    assert split_sentences("—— …… ！") == []


def test_markdown_structure_and_markup_removed():
    document = parse_markdown(
        "# Title\n\nIntro with **bold** and *italic* and [a link](http://x.y) and `code`.\n\n"
        '---\n\n## First\n\n> **"Quoted line."**\n> \n> 引用。\n\n- item one\n- item two\n\n'
        "```\ncode block\n```\n\n| a | b |\n|---|---|\n\n"
        "Second\n------\n\nBody text.\n\n*A note.*\n"
    )
    assert document.title == "Title"
    assert [s.heading for s in document.sections] == [None, "First", "Second"]
    intro, first, second = document.sections
    assert intro.paragraphs[0].text == "Intro with bold and italic and a link and code."
    assert intro.paragraphs[0].strong == ("bold",)
    assert [(p.text, p.is_quote) for p in first.paragraphs] == [
        ('"Quoted line."', True),
        ("引用。", True),
        ("item one", False),
        ("item two", False),
    ]
    assert [(p.text, p.is_note) for p in second.paragraphs] == [
        ("Body text.", False),
        ("A note.", True),
    ]
    for marker in ("*", "#", ">", "`", "|", "](", "---"):
        assert marker not in document.plain_text


def test_markdown_joins_wrapped_chinese_lines_without_space():
    document = parse_markdown("第一行\n第二行。\nEnglish\nwrapped.")
    assert document.sections[0].paragraphs[0].text == "第一行第二行。 English wrapped."


def test_content_words_mixed_text():
    words = content_words("Anthropic 指控三家公司发起蒸馏攻击，24,000 fake accounts.")
    assert {"anthropic", "指控", "蒸馏", "攻击", "24000", "fake", "account"} <= set(words)
    assert "的" not in words and "the" not in content_words("the cat")


def test_proper_names_skip_english_sentence_start():
    assert proper_names("Moonshot AI made 3.4 million calls to Claude.") == {"ai", "claude"}
    assert proper_names("点名 DeepSeek、Moonshot AI") == {"deepseek", "moonshot", "ai"}
