"""The topic (article, debate map, suggested polls) is loaded and checked when the app opens."""

import re

import pytest

from bot.app import Parley
from handlers.topics.loader import TopicDataError
from parley.features import build_features
from tests.support import FakeClock, RecordingResponder, make_command, make_settings
from tests.topic_data import copy_shipped_topic

THEFT_OPTIONS = (
    '  { en = "Yes, it is theft", zh = "算，这是盗窃" },\n'
    '  { en = "Not theft, but wrongful (breach of terms, fraud)",'
    ' zh = "不算盗窃，但属于不当行为（违约、欺诈）" },\n'
    '  { en = "No, it is a legitimate use of a standard technique",'
    ' zh = "不算，这是对常规技术的正当使用" },\n'
    '  { en = "It depends on how access was obtained", zh = "取决于访问权是如何获得的" },\n'
)


async def open_app(tmp_path):
    async with Parley.open(make_settings(tmp_path), FakeClock(), features=build_features):
        pass


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def test_a_suggested_poll_without_its_chinese_text_fails_start_up(tmp_path, monkeypatch):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    rewrite(folder / "polls.toml", '{ en = "Most of it", zh = "大部分" }', '{ en = "Most of it" }')
    message = "distillation/polls.toml: poll 'distillation-impact': option 1 has no zh text"
    with pytest.raises(TopicDataError, match=re.escape(message)):
        await open_app(tmp_path / "db")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('name = "terms-ban"', 'name = "distillation-theft"', "duplicate poll names"),
        ('name = "terms-ban"', 'name = "Terms Ban"', "'name' must be lowercase words"),
        ('question.zh = "通过 API', 'question.fr = "通过 API', "'question' has no zh text"),
        (THEFT_OPTIONS, "", "poll 'distillation-theft': needs at least 2 options"),
        ("options = [", 'option = "typo"\noptions = [', "poll 'distillation-theft': unknown"),
        (
            'zh = "部分削弱"',
            'zh = "是，两者本质相同"',
            "poll 'web-data-consistency': options repeat",
        ),
        ('framing = "accusers"', 'framing = "labs"', "framing 'labs' is not one of: neutral,"),
        (
            'framing = "defenders"',
            'framing = "neutral"',
            "polls framed from each side must be as many (accusers 2, defenders 1)",
        ),
        (
            '{ en = "Most of it", zh = "大部分" }',
            f'{{ en = "{"x" * 81}", zh = "大部分" }}',
            "suggested poll 'distillation-impact' (en): option_too_long",
        ),
    ],
)
async def test_broken_suggested_polls_fail_start_up_naming_file_and_poll(
    tmp_path, monkeypatch, old, new, message
):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    rewrite(folder / "polls.toml", old, new)
    with pytest.raises(TopicDataError, match=re.escape(message)):
        await open_app(tmp_path / "db")


async def test_a_missing_article_file_fails_start_up_not_the_first_summary(tmp_path, monkeypatch):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    (folder / "article.en.md").unlink()
    missing = "article 'distillation-en': file 'article.en.md' not found"
    with pytest.raises(TopicDataError, match=re.escape(missing)):
        await open_app(tmp_path / "db")


async def test_the_suggested_polls_come_from_the_topic_data(tmp_path, monkeypatch):
    folder = copy_shipped_topic(tmp_path, monkeypatch)
    rewrite(
        folder / "polls.toml", "Is distilling a competitor's model", "Is copying a rival's model"
    )
    async with Parley.open(make_settings(tmp_path), FakeClock(), features=build_features) as app:
        responder = RecordingResponder()
        await app.router.dispatch(make_command("/poll template distillation-theft"), responder)
        assert "Is copying a rival's model through its API theft?" in responder.text
