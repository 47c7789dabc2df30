"""The shipped distillation topic and its loader's validation."""

import datetime as dt
import re
from pathlib import Path

import pytest

from handlers.topics import loader
from handlers.topics.loader import TopicDataError, load_topic

SEED = Path(__file__).parents[3] / "shared" / "seed" / "000_c226d98cb0c65914.txt"


def test_distillation_topic_ships_both_editions():
    topic = load_topic("distillation")
    original, translation = topic.article("distillation-zh"), topic.article("distillation-en")
    assert topic.default_article is original
    assert (original.language, original.is_translation) == ("zh-Hans", False)
    assert (translation.is_translation, translation.translation_of) == (True, "distillation-zh")
    assert original.events_date == translation.events_date == dt.date(2026, 2, 23)
    assert topic.edition("en-US") is translation and topic.edition("fr") is original
    assert original.title.render("en").startswith("Is Anthropic Panicking")
    assert translation.title.render("zh").endswith("（英文译本）")
    with pytest.raises(KeyError):
        topic.article("nope")


@pytest.mark.skipif(not SEED.exists(), reason="../shared is not beside the checkout")
def test_original_is_the_seed_byte_for_byte():
    shipped = Path(loader.__file__).parent / "distillation" / "article.zh.md"
    assert shipped.read_bytes() == SEED.read_bytes()


def test_translation_keeps_the_markdown_structure():
    topic = load_topic("distillation")
    original, translation = (topic.article(i).text for i in ("distillation-zh", "distillation-en"))
    for marker in ("\n## ", "\n---\n", "\n> **"):
        assert original.count(marker) == translation.count(marker), marker


@pytest.fixture
def topic_dir(tmp_path, monkeypatch):
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nText.", encoding="utf-8")
    monkeypatch.setattr(loader.resources, "files", lambda _package: tmp_path)
    return folder


VALID = """
[[articles]]
id = "a"
file = "a.md"
language = "en"
title = { en = "A", zh = "甲" }
source = { en = "test", zh = "测试" }
events_date = 2026-02-23
is_translation = false
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("", ""), None),
        (('id = "a"\n', ""), "sample/articles.toml: article '#0': missing 'id'"),
        (('file = "a.md"', 'file = "b.md"'), "article 'a': file 'b.md' not found"),
        (('language = "en"', 'language = "English"'), "'language' 'English' is not a language tag"),
        (("events_date = 2026-02-23", 'events_date = "soon"'), "'events_date' must be a date"),
        (
            ("is_translation = false", "is_translation = true"),
            "a translation needs 'translation_of'",
        ),
        (('title = { en = "A", zh = "甲" }', 'title = { en = "A" }'), "'title' has no zh text"),
        (('zh = "甲"', 'zh = "甲", fr = "A"'), "'title' has unknown languages ['fr']"),
        (('source = { en = "test", zh = "测试" }', 'source = "test"'), "'source' must be a dict"),
        (("[[articles]]", "[[articles]]\n[[articles]]"), "article '#0': missing 'id'"),
    ],
)
def test_loader_validation_names_file_and_entry(topic_dir, change, message):
    (topic_dir / "articles.toml").write_text(VALID.replace(*change), encoding="utf-8")
    if message is None:
        assert load_topic("sample").article("a").text == "# A\n\nText."
        return
    with pytest.raises(TopicDataError, match=re.escape(message)):
        load_topic("sample")


def test_loader_rejects_unknown_translation_target_and_duplicates(topic_dir):
    second = VALID.replace('id = "a"', 'id = "b"').replace(
        "is_translation = false", 'is_translation = true\ntranslation_of = "zz"'
    )
    (topic_dir / "articles.toml").write_text(VALID + second, encoding="utf-8")
    with pytest.raises(TopicDataError, match="'translation_of' names unknown article 'zz'"):
        load_topic("sample")
    (topic_dir / "articles.toml").write_text(VALID + VALID, encoding="utf-8")
    with pytest.raises(TopicDataError, match=r"duplicate article ids \['a'\]"):
        load_topic("sample")


def test_loader_rejects_missing_topic_and_bad_names():
    with pytest.raises(TopicDataError, match=r"nope/articles\.toml: file not found"):
        load_topic("nope")
    with pytest.raises(TopicDataError, match="not a valid topic name"):
        load_topic("../etc")
