"""The READMEs name every command the bot registers, so the docs cannot fall behind the code."""

import re
from pathlib import Path

import pytest

from bot.app import Parley
from bot.params import ChoiceParam

ROOT = Path(__file__).resolve().parents[2]


def _readme(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _mentions(text: str, command: str) -> bool:
    """Whether `/command` appears as a whole (`/poll list` is not found in `/poll listing`)."""
    return re.search(rf"/{re.escape(command)}(?![\w-])", text) is not None


def _code_words(text: str) -> set[str]:
    """Every word inside the `code spans` of a Markdown text."""
    spans = re.findall(r"`([^`\n]+)`", text)
    return {word for span in spans for word in re.split(r"[\s|/\[\]]+", span) if word}


@pytest.mark.parametrize("readme", ["README.md", "README.zh-Hans.md"])
def test_every_command_path_is_in_the_readme(app: Parley, readme: str) -> None:
    text = _readme(readme)
    paths = [spec.path for spec in app.router.registry.commands()]
    assert [path for path in paths if not _mentions(text, path)] == []


def test_every_chinese_subcommand_word_is_in_the_chinese_readme(app: Parley) -> None:
    text = _readme("README.zh-Hans.md")
    forms = [
        f"{spec.name} {alias}" for spec in app.router.registry.commands() for alias in spec.aliases
    ]
    assert forms
    assert [form for form in forms if not _mentions(text, form)] == []


def test_every_chinese_choice_word_is_in_the_chinese_readme(app: Parley) -> None:
    words = _code_words(_readme("README.zh-Hans.md"))
    chinese = {
        alias
        for spec in app.router.registry.commands()
        for param in spec.params
        if isinstance(param, ChoiceParam)
        for alias in param.aliases
        if not alias.isascii()
    }
    assert {"简短", "按群", "指控方"} <= chinese
    assert sorted(chinese - words) == []


def test_the_readmes_link_to_each_other() -> None:
    assert "中文说明：[README.zh-Hans.md](README.zh-Hans.md)" in _readme("README.md")
    assert "[README.md](README.md)" in _readme("README.zh-Hans.md")
